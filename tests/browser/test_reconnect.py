"""The room's screens when the server dies (SIGKILL) and comes back on the same port and database.

The phone (its token only), the projector, the kiosk and the booth (each a paired device, with
its own credential cookie and no staff login) stay open through it: each shows its
"reconnecting" state (saved as ``test-artifacts/reconnect-*.png``), a ballot cast while the server
is away waits with its client-made id, the kiosk never says a failed sign-in went through; once
the server is back each screen rejoins by itself, catches up with what changed while it was away
(by state version), and the waiting ballots are counted exactly once.
"""

from __future__ import annotations

import re
import time
import urllib.parse
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any
from unittest import mock

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Request, expect

from tests.browser.conftest import ARTIFACTS, LiveServer, wait_joined
from tests.browser.test_accessibility import Audit
from tests.browser.test_floor import sign_in
from tests.browser.test_kiosk import WANG_JING, find_wang_jing_by_initials, screen, tap
from tests.browser.test_projector_clerk import api, demo_meeting
from tests.browser.test_voting import QUESTION, member_id, open_page

pytestmark = pytest.mark.browser

RECONNECTING = "正在重新连接…"
RECONNECTING_PLEASE_WAIT = "正在重新连接…请稍候"
BACK_WITHIN_MS = 20000  # socket.io retries at most every 5 s; the server takes a few to start


def shot(page: Page, name: str) -> None:
    """Save the screen as test-artifacts/reconnect-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"reconnect-{name}.png"))


def kill(server: LiveServer) -> None:
    """SIGKILL: no clean shutdown, no goodbye to the connected screens."""
    server.process.kill()
    server.process.wait(timeout=10)


def restart(server: LiveServer) -> None:
    """Start the killed server again on its port, with its instance (database, keys)."""
    server.log.close()
    with mock.patch("tests.browser.conftest.free_port", return_value=server.port):
        again = LiveServer(server.instance)
    server.process, server.log = again.process, again.log


def pair(server: LiveServer, kind: str) -> str:
    """A device credential of ``kind`` (kiosk, projector, booth), as pairing at the desk gives."""
    from meeting_room.access.devices import issue_device
    from meeting_room.store.storage import Storage, sqlite_url

    storage = Storage(sqlite_url(server.instance / "yishi.db"))
    try:
        with storage.transaction() as session:
            return issue_device(session, kind, f"测试 {kind}", now=datetime.now(UTC))
    finally:
        storage.engine.dispose()


Devices = Callable[[str | None], BrowserContext]


@pytest.fixture
def devices(
    browser: Browser, live_server: LiveServer, request: pytest.FixtureRequest
) -> Iterator[Devices]:
    """Browser profiles without a staff login: a paired device of a kind, or (None) a phone."""
    made: list[BrowserContext] = []

    def make(kind: str | None) -> BrowserContext:
        ctx = browser.new_context(locale="zh-CN")
        if kind:
            credential = pair(live_server, kind)
            ctx.add_cookies(
                [{"name": "yishi_device", "value": credential, "domain": "127.0.0.1", "path": "/"}]
            )
        made.append(ctx)
        return ctx

    yield make
    report = getattr(request.node, "rep_call", None)
    for number, ctx in enumerate(made):
        if report is not None and report.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            for page in ctx.pages:
                page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-device{number}.png"))
        ctx.close()


def offline(contexts: list[BrowserContext], cut: bool) -> None:
    """Cut every screen off the network (``cut``), or give it back."""
    for ctx in contexts:
        ctx.set_offline(cut)


def overlay(page: Page) -> Any:
    """The large reconnecting card of the projector, the kiosk and the booth."""
    return page.locator("#live-overlay")


def test_every_screen_reconnects_resyncs_and_a_waiting_ballot_counts_once(
    live_server: LiveServer, devices: Devices
) -> None:
    server = live_server
    meeting = demo_meeting(server)
    phone_path = sign_in(server, "孙艳娜", "6851")
    sign_in(server, "邱秀德", "3657")  # votes at the booth
    poll = api(
        server,
        f"/api/v1/meetings/{meeting}/polls",
        {"question": QUESTION, "rule": "simple_majority"},
    )
    api(server, f"/api/v1/polls/{poll['id']}/open", {})
    expected = api(server, f"/api/v1/meetings/{meeting}/polls")["polls"][0]["eligible"]

    contexts = [devices(None), devices("projector"), devices("booth"), devices("kiosk")]
    # The booth's and the kiosk's clocks stand still (their timers run): their receipts, shown
    # 15 and 20 s before the next person's turn, wait for the checks below on a busy machine.
    for shared in contexts[2:]:
        shared.clock.set_fixed_time(datetime.now(UTC))
    phone = open_page(contexts[0], server.url + phone_path, 360, 640)
    projector = open_page(contexts[1], server.url + "/projector", 1920, 1080)
    booth = open_page(contexts[2], server.url + "/booth", 1280, 800)
    kiosk = open_page(contexts[3], server.url + "/kiosk", 1280, 800)
    for page in (phone, projector, booth, kiosk):
        page.evaluate("window.stillTheSamePage = true")
    expect(projector.get_by_test_id("poll-count")).to_have_text(f"0 / {expected}")
    expect(projector.get_by_test_id("present-headcount")).to_have_text("2")
    version_before = projector.evaluate("connections[0].version('attendance')")

    # Each person is one tap (or one digit) from done when the server dies.
    phone_ballot = phone.get_by_test_id("ballot")
    phone_ballot.get_by_role("button", name=re.compile("^赞成 — ")).click()
    expect(phone_ballot.get_by_test_id("ballot-chosen")).to_have_text("您选择了：赞成")
    booth.get_by_role("button", name="按拼音首字母").click()
    tap(booth, "letters", "QXD")
    booth.get_by_role("button", name=re.compile("^邱秀德")).click()
    tap(booth, "tail", "3657")
    booth_ballot = booth.get_by_test_id("ballot")
    booth_ballot.get_by_role("button", name=re.compile("^反对 — ")).click()
    expect(booth_ballot.get_by_test_id("ballot-chosen")).to_have_text("您选择了：反对")
    sent: list[dict[str, Any]] = []

    def keep_ballot(request: Request) -> None:
        if request.url.endswith("/booth/api/ballot"):
            sent.append(request.post_data_json or {})

    booth.on("request", keep_ballot)
    find_wang_jing_by_initials(kiosk)
    kiosk.locator("[data-screen='pinyin'] .result", has_text=WANG_JING["address"]).click()
    screen(kiosk, "confirm")
    tap(kiosk, "tail", WANG_JING["tail"][:3])

    kill(server)

    # The phone: the ballot cast now waits, saying so; the banner says the page reconnects.
    phone_ballot.get_by_role("button", name="确认投票").click()
    retrying = phone_ballot.get_by_test_id("ballot-retrying")
    expect(retrying).to_be_visible()
    expect(retrying).to_have_text(re.compile("^网络中断，正在重试"))
    expect(phone.locator("#live-banner")).to_have_text(RECONNECTING)
    expect(phone.locator("#live-banner")).to_be_visible()
    token = phone_path.rsplit("/", 1)[1]
    stored = f"JSON.parse(sessionStorage.getItem('yishi.ballot.{poll['id']}.{token}'))"
    pending = phone.evaluate(stored)["pending"]
    assert pending["choices"] == ["for"] and len(pending["client_id"]) >= 8

    # The booth: the voter's tap on "cast" as the server went (under the card, which then covers
    # the screen): the ballot is kept and the card says it goes by itself.
    booth_ballot.get_by_role("button", name="确认投票").dispatch_event("click")
    expect(overlay(booth)).to_be_visible()
    expect(booth.locator("#live-banner")).to_have_text(RECONNECTING_PLEASE_WAIT)
    expect(booth.get_by_test_id("live-overlay-detail")).to_have_text(
        re.compile("^网络中断，正在重试。您的选择已保存")
    )
    expect(booth_ballot).to_have_attribute("data-step", "sending")
    expect(booth_ballot).to_have_attribute("data-retrying", "true")
    assert len(sent) == 1, "the booth did not try to send the ballot"

    # The kiosk: the last digit goes in, the sign-in cannot reach the server: not "done".
    kiosk.keyboard.press(WANG_JING["tail"][3])
    message = kiosk.locator("[data-screen='confirm'] [data-role='message']")
    expect(message).to_have_text(re.compile("^网络中断，正在重试。您还没有签到成功"))
    expect(overlay(kiosk)).to_be_visible()
    expect(kiosk.locator("#live-banner")).to_have_text(RECONNECTING_PLEASE_WAIT)
    expect(kiosk.locator("section[data-screen='done']")).to_be_hidden()

    # The projector: a card over the wall, readable from the back; the numbers under it dimmed.
    expect(overlay(projector)).to_be_visible()
    expect(projector.locator("#live-banner")).to_have_text(RECONNECTING)
    expect(projector.get_by_test_id("live-overlay-detail")).to_have_text(
        re.compile("^屏幕上的数字暂停更新")
    )
    title_px = projector.evaluate(
        "parseFloat(getComputedStyle(document.getElementById('live-banner')).fontSize)"
    )
    assert title_px >= 60, f"the wall's reconnecting title is {title_px}px"
    assert projector.evaluate("document.documentElement.classList.contains('live-offline')")

    audit = Audit("zh_CN")  # the reconnecting states pass axe (WCAG 2.2 A and AA) too
    for name, page in (
        ("phone", phone),
        ("projector", projector),
        ("kiosk", kiosk),
        ("booth", booth),
    ):
        shot(page, name)
        audit.check(page, f"{name} reconnecting")
    audit.assert_clean()

    # The server comes back while the screens are still cut off; the meeting moves on without
    # them (another member signs in): they must catch up by version, not by reloading.
    offline(contexts, True)
    restart(server)
    sign_in(server, "蔡志", "2961")
    version_now = api(server, f"/api/v1/meetings/{meeting}")["attendance"]["version"]
    assert version_now > version_before
    assert api(server, f"/api/v1/meetings/{meeting}/polls")["polls"][0]["cast"] == 0
    expect(projector.get_by_test_id("present-headcount")).to_have_text("2")
    offline(contexts, False)
    back_at = time.monotonic()

    for page in (phone, projector, booth, kiosk):
        wait_joined(page, timeout=BACK_WITHIN_MS)
        expect(page.locator("#live-banner")).to_be_hidden()
        assert page.evaluate("window.stillTheSamePage === true"), "a screen reloaded"
    for page in (projector, booth, kiosk):
        expect(overlay(page)).to_be_hidden()

    print(f"all four screens joined again {time.monotonic() - back_at:.1f} s after the network")
    # Each screen is back and has what it missed.
    receipt = phone_ballot.get_by_test_id("receipt")
    expect(receipt).to_be_visible(timeout=BACK_WITHIN_MS)
    phone_receipt = receipt.get_attribute("data-receipt") or ""
    assert "pending" not in (phone.evaluate(stored) or {})
    expect(booth_ballot.get_by_test_id("receipt")).to_be_visible(timeout=BACK_WITHIN_MS)
    booth_receipt = booth_ballot.get_by_test_id("receipt").get_attribute("data-receipt")
    expect(kiosk.locator("section[data-screen='done']")).to_be_visible(timeout=BACK_WITHIN_MS)
    expect(kiosk.locator("section[data-screen='done']")).to_contain_text("王静，签到成功")
    expect(projector.get_by_test_id("present-headcount")).to_have_text("4")
    expect(projector.get_by_test_id("poll-count")).to_have_text(f"2 / {expected}")
    print(f"both waiting ballots counted {time.monotonic() - back_at:.1f} s after the network")
    shown_version = projector.evaluate("connections[0].version('attendance')")
    assert shown_version == api(server, f"/api/v1/meetings/{meeting}")["attendance"]["version"]
    assert shown_version > version_now  # 王静's sign-in at the kiosk came after 蔡志's

    # Exactly once: the same ids sent again answer the same receipts and count nothing more.
    again = phone.evaluate(
        """([pollId, token, clientId]) => connections[0].send("ballot.cast", {
             token, poll_id: pollId, choices: ["for"], client_id: clientId })""",
        [poll["id"], token, pending["client_id"]],
    )
    assert again["receipt"] == phone_receipt and again["repeated"] is True
    assert len(sent) >= 2 and all(body == sent[0] for body in sent), "the booth changed its id"
    csrf = booth.evaluate("document.querySelector('meta[name=csrf-token]')?.content || ''")
    replay = booth.request.post(
        server.url + "/booth/api/ballot", data=sent[0], headers={"X-CSRFToken": csrf}
    )
    assert replay.ok, replay.text()
    assert replay.json()["receipt"] == booth_receipt and replay.json()["repeated"] is True
    attendance = api(server, f"/api/v1/meetings/{meeting}/attendance")["attendance"]
    wang = [row for row in attendance if row["member_id"] == member_id_at(server, WANG_JING)]
    assert len(wang) == 1 and wang[0]["channel"] == "kiosk"
    closed = api(server, f"/api/v1/polls/{poll['id']}/close", {})
    tallies = {k: v["headcount"] for k, v in closed["result"]["tallies"].items()}
    assert tallies == {"for": 1, "against": 1, "abstain": 0}
    assert closed["cast"] == 2
    assert member_id(server, "邱秀德")


def member_id_at(server: LiveServer, person: dict[str, str]) -> int:
    """The id of the member called 王静 living at ``person['address']``."""
    found = api(server, f"/api/v1/members?q={urllib.parse.quote('王静')}")["members"]
    return int(next(m["id"] for m in found if m["address"] == person["address"]))


def test_the_reconnecting_card_speaks_english_and_goes_when_the_server_is_back(
    live_server: LiveServer, devices: Devices
) -> None:
    server = live_server
    kiosk = open_page(devices("kiosk"), server.url + "/kiosk?lang=en", 1280, 800)
    booth = open_page(devices("booth"), server.url + "/booth?lang=en", 1280, 800)
    kill(server)
    for page, device in ((kiosk, "kiosk"), (booth, "booth")):
        expect(overlay(page)).to_be_visible()
        expect(page.locator("#live-banner")).to_have_text("Reconnecting… Please wait.")
        expect(page.get_by_test_id("live-overlay-detail")).to_have_text(
            f"The {device} has lost the server for a moment. There is nothing to do: it goes on"
            " by itself when the connection is back. If this lasts, please ask the staff."
        )
    shot(kiosk, "kiosk-en")
    restart(server)
    for page in (kiosk, booth):
        wait_joined(page, timeout=BACK_WITHIN_MS)
        expect(overlay(page)).to_be_hidden()
