"""What people see of the shut doors, in Debian's Chromium against the real server: the clerk
desk's alerts (a member locked out, a personal code made again) with the lock lifted from the
desk, and a phone page refused for being open on too many screens, in words (elder mode too).
Each state is checked by axe-core and saved as ``test-artifacts/screens-*.png``."""

from __future__ import annotations

import urllib.error
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import LiveServer, expose, wait_joined
from tests.browser.test_accessibility import Audit
from tests.browser.test_floor import sign_in
from tests.browser.test_projector_clerk import api, demo_meeting, open_clerk, shot
from tests.security.conftest import demo_rows

pytestmark = pytest.mark.browser

SOCKETS_PER_TOKEN = 5  # the server's default (meeting_room/config.py)


def wrong_digits_at_the_kiosk(server: LiveServer, member_id: int, times: int) -> None:
    meeting = demo_meeting(server)
    for _ in range(times):
        try:
            api(
                server,
                "/kiosk/api/sign-in",
                {"meeting_id": meeting, "member_id": member_id, "phone_tail": "0000"},
            )
        except urllib.error.HTTPError as refused:  # wrong digits, then locked: both refusals
            refused.close()


def test_the_clerk_sees_who_was_locked_out_and_whose_code_was_made_again_and_lifts_the_lock(
    live_server: LiveServer, page: Page
) -> None:
    audit = Audit("zh_CN")
    locked = api(live_server, "/api/v1/members?q=%E7%A7%A6%E5%A8%9C")["members"][0]  # 秦娜
    desk = open_clerk(page, live_server)
    wait_joined(desk)
    wrong_digits_at_the_kiosk(live_server, locked["id"], 3)
    sign_in(live_server, "孙艳娜", "6851")
    sign_in(live_server, "孙艳娜", "6851")  # again: someone else knowing her digits

    alerts = desk.locator("#alert-list li")
    expect(alerts).to_have_count(2)
    reissued = desk.locator("#alert-list li[data-alert-kind=token_reissued]")
    expect(reissued).to_contain_text("孙艳娜 再次签到：已生成新的个人码")
    lockout = desk.locator("#alert-list li[data-alert-kind=kiosk_lockout]")
    expect(lockout).to_contain_text("秦娜 多次输错手机尾号")
    expect(lockout.get_by_role("button", name="解除锁定: 秦娜", exact=True)).to_be_visible()
    expect(reissued.get_by_role("button", name="已处理: 孙艳娜", exact=True)).to_be_visible()
    expect(reissued.get_by_role("button")).to_have_count(1)  # a code made again: nothing to lift
    shot(desk, "clerk-alerts")
    audit.check(desk, "clerk desk: a lockout and a code made again")

    lockout.get_by_role("button", name="解除锁定: 秦娜", exact=True).click()
    expect(desk.get_by_text("已解除 秦娜 的锁定。")).to_be_visible()
    expect(alerts).to_have_count(1)
    tails = {row["member_id"]: row["phone_tail"] for row in demo_rows()}
    receipt = api(  # her right digits at the kiosk work again, without waiting out the lock
        live_server,
        "/kiosk/api/sign-in",
        {
            "meeting_id": demo_meeting(live_server),
            "member_id": locked["id"],
            "phone_tail": tails[locked["member_no"]],
        },
    )
    assert receipt["name"] == "秦娜"
    audit.assert_clean()


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_a_phone_page_open_on_too_many_screens_says_so_in_words(
    live_server: LiveServer, context: BrowserContext, elder: bool
) -> None:
    audit = Audit("zh_CN")
    path = sign_in(live_server, "孙艳娜", "6851")
    pages = []
    for _ in range(SOCKETS_PER_TOKEN):
        tab = context.new_page()
        tab.goto(live_server.url + path)
        wait_joined(tab)
        pages.append(tab)
    extra = context.new_page()
    extra.set_viewport_size({"width": 360, "height": 640})
    if elder:  # the phone remembers its 适老模式 (static/js/voice.js)
        extra.add_init_script("window.localStorage.setItem('yishi.elder', 'on')")
    extra.goto(live_server.url + path)
    if elder:
        expect(extra.locator("html")).to_have_class("elder")
    banner = extra.locator("#live-banner")
    expect(banner).to_have_text(
        "这个个人页面已经在 5 个屏幕上打开。请先关闭其他地方的页面，再刷新本页。"
    )
    expect(banner).to_be_visible()
    shot(extra, f"phone-too-many-screens{'-elder' if elder else ''}")
    audit.check(extra, "phone: open on too many screens")
    # The server closed the refused socket; the words stay (no "reconnecting" over them).
    expose(extra, "live.js", "connections")
    extra.wait_for_function("() => !connections[0].socket.connected")
    expect(banner).to_contain_text("已经在 5 个屏幕上打开")
    pages[0].close()  # closed elsewhere: a reload now joins
    extra.reload()
    wait_joined(extra)
    expect(banner).to_be_hidden()
    audit.assert_clean()


def test_a_phone_refused_for_too_many_connections_from_its_network_says_so_and_asks_again(
    tmp_path: Path, browser: Browser
) -> None:
    audit = Audit("zh_CN")
    # No phone may connect from this address: each is refused at once, in words.
    server = LiveServer(tmp_path, {"YISHI_SOCKETS_PER_ADDRESS": "0", "YISHI_TTS": "fake"})
    try:
        path = sign_in(server, "孙艳娜", "6851")
        phone = browser.new_context(locale="zh-CN").new_page()  # the attendee's: no staff session
        phone.set_viewport_size({"width": 360, "height": 640})
        phone.goto(server.url + path)
        banner = phone.locator("#live-banner")
        expect(banner).to_have_text(
            "此刻来自这个网络的连接太多，议事厅主机暂时无法接入。请稍等，页面会自动重新连接。"
        )
        expect(banner).to_be_visible()
        shot(phone, "phone-network-full")
        audit.check(phone, "phone: too many connections from its network")
        audit.assert_clean()
        phone.context.close()
    finally:
        server.stop()
