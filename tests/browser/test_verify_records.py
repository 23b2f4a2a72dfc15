"""A vote closes: the wall shows its result with the audit log's anchor. The administrator types
that anchor into the verification page and every check holds; after the box's file is forged,
the same page says what was changed. Screenshots of each; axe finds nothing to fix."""

from __future__ import annotations

import sqlite3
import urllib.parse

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import ARTIFACTS, LiveServer, wait_joined
from tests.browser.test_accounts_admin import violations
from tests.browser.test_floor import open_console, open_projector, sign_in
from tests.browser.test_projector_clerk import api, demo_meeting

pytestmark = pytest.mark.browser

VOTERS = (("孙艳娜", "6851", "for"), ("邱秀德", "3657", "against"), ("秦娜", "2181", "for"))


def a_closed_vote(server: LiveServer) -> int:
    """Three members sign in and vote with the clerk's help; the vote is closed."""
    meeting = demo_meeting(server)
    poll = api(server, f"/api/v1/meetings/{meeting}/polls", {"question": "是否同意更换门禁系统？"})
    api(server, f"/api/v1/polls/{poll['id']}/open", {})
    for name, tail, choice in VOTERS:
        sign_in(server, name, tail)
        member = api(server, f"/api/v1/members?q={urllib.parse.quote(name)}")["members"][0]
        api(
            server,
            f"/api/v1/polls/{poll['id']}/assisted",
            {"member_id": member["id"], "choices": [choice], "helper": "王记录"},
        )
    api(server, f"/api/v1/polls/{poll['id']}/close", {})
    return int(poll["id"])


def run_check(page: Page, server: LiveServer, anchor: str) -> None:
    page.goto(f"{server.url}/admin/verify")
    expect(page.get_by_role("heading", name="核验记录", level=1)).to_be_visible()
    page.get_by_label("从会议纪要或投影上读取的锚点（可不填，每行一个）").fill(anchor)
    page.get_by_role("button", name="立即核验").click()
    expect(page.get_by_test_id("verify-report")).to_be_visible()


def test_the_wall_shows_the_anchor_and_the_administrator_proves_the_box_with_it(
    context: BrowserContext, page: Page, live_server: LiveServer
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    projector = open_projector(context, live_server)
    poll_id = a_closed_vote(live_server)
    anchor = projector.get_by_test_id("poll-anchor")
    expect(anchor).to_be_visible()
    expect(anchor).to_contain_text("审计日志 第 ")
    digest = anchor.get_attribute("data-anchor")
    assert digest and len(digest) == 64
    shown = anchor.locator("code").inner_text()
    assert shown == " ".join(digest[i : i + 4] for i in range(0, 16, 4))
    projector.screenshot(path=str(ARTIFACTS / "verify-projector-anchor.png"))
    seq = anchor.inner_text().split("第 ")[1].split(" 条")[0]

    # The desk's account bar leads to the page; the anchor as photographed off the wall.
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/clerk")
    wait_joined(page)
    page.get_by_test_id("verify-link").click()
    expect(page).to_have_url(f"{live_server.url}/admin/verify")
    run_check(page, live_server, f"#{seq} {shown}")
    expect(page.get_by_test_id("verify-summary")).to_have_text(
        "所有核验均通过：记录与系统写入时一致。"
    )
    anchor_line = page.locator('[data-testid="verify-check"][data-topic="anchor"]')
    expect(anchor_line).to_contain_text("与 ")
    expect(anchor_line).to_contain_text(f"的第 {seq} 条相符")
    expect(page.locator('[data-testid="verify-check"][data-topic="poll"]').last).to_contain_text(
        "按选票重新计票：赞成 2、反对 1、弃权 0，通过"
    )
    page.screenshot(path=str(ARTIFACTS / "verify-records-intact.png"), full_page=True)
    assert violations(page) == []

    # Someone with the box in hand flips the count in the file: the page says so, in words.
    db = sqlite3.connect(live_server.instance / "yishi.db")
    db.execute(
        "UPDATE polls SET result = json_set(result, '$.tallies.against.headcount', 3, "
        "'$.passed', json('false')) WHERE id = ?",
        (poll_id,),
    )
    db.commit()
    db.close()
    run_check(page, live_server, f"#{seq} {shown}")
    expect(page.get_by_test_id("verify-summary")).to_contain_text("有 1 项核验未通过")
    broken = page.locator('[data-testid="verify-check"][data-ok="false"]')
    expect(broken).to_have_count(1)
    expect(broken).to_contain_text("存储的结果（会议纪要所示）：“反对”票数为 3，按选票重新计票为 1")
    page.screenshot(path=str(ARTIFACTS / "verify-records-broken.png"), full_page=True)
    assert violations(page) == []

    # The minutes print the same anchor beside its QR code.
    page.goto(f"{live_server.url}/board/meetings/{demo_meeting(live_server)}/minutes")
    printed = page.locator(
        f'[data-testid="anchor"][data-anchor="YISHI-ANCHOR:{seq}:{digest.upper()}"]'
    )
    expect(printed).to_contain_text(f"本项表决结束时的审计日志：第 {seq} 条")
    expect(printed.get_by_role("img", name=f"审计日志锚点二维码（第 {seq} 条）")).to_be_visible()
    printed.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "verify-minutes-anchor.png"))

    page.goto(f"{live_server.url}/admin/verify?lang=en")
    page.get_by_role("button", name="Verify now").click()
    expect(page.get_by_test_id("verify-summary")).to_contain_text("1 check failed")
    assert violations(page) == []


def test_the_wall_shows_the_meetings_end_anchor_once_the_last_item_is_finished(
    context: BrowserContext, live_server: LiveServer
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    console = open_console(context, live_server)
    projector = open_projector(context, live_server)
    console.bring_to_front()
    console.locator("#add-item input[name='title']").fill("停车位划线")
    console.locator("#add-item button[type='submit']").click()
    item = console.locator(".agenda-item", has_text="停车位划线")
    item.locator("[data-action='start']").click()
    # The demo's quorum is far off: the console asks first, and the start is confirmed.
    console.get_by_test_id("confirm-dialog").get_by_role("button", name="是，开始").click()
    ended = projector.get_by_test_id("meeting-anchor")
    expect(projector.locator(".wall")).to_have_attribute("data-mode", "floor")
    expect(ended).to_be_hidden()

    item.locator("[data-action='finish']").click()
    expect(projector.locator(".wall")).to_have_attribute("data-mode", "stats")
    expect(ended).to_be_visible()
    expect(ended).to_contain_text("会议已结束 · 审计日志 第 ")
    digest = ended.get_attribute("data-anchor")
    assert digest and ended.locator("code").inner_text() == " ".join(
        digest[i : i + 4] for i in range(0, 16, 4)
    )
    projector.bring_to_front()
    projector.screenshot(path=str(ARTIFACTS / "verify-projector-meeting-end.png"))
    assert violations(projector) == []
