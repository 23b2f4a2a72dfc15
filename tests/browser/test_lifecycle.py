"""A meeting's life in Chromium, through the staff's screens: the clerk posts a draft, the
moderator opens it (without quorum: a confirmation, recorded; with quorum: at once), phones and
the notice board follow the state live, closing with a vote still open lists it in a
confirmation and ends it with the reason recorded. Screenshots of the badges and dialogs are
saved as ``test-artifacts/life-*.png`` (the phone in elder mode); axe-core checks each new
dialog and view in zh-CN and English."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import ARTIFACTS, LiveServer, wait_joined
from tests.browser.test_accessibility import Audit

pytestmark = pytest.mark.browser

# The owners' committee of the demo roster (12 members): a small room to fill in a test.
COMMITTEE = [("廖春勇", "7109"), ("莫明", "6918"), ("尹英", "2322"), ("严梅艳", "0810"),
             ("刘艳", "2325"), ("郑建德", "3638"), ("付梅淑", "0889")]  # fmt: skip
BADGE = '[data-testid="meeting-state"]'


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    """A fresh server whose demo meeting is left posted, not opened."""
    live = LiveServer(tmp_path, open_meeting=False)
    yield live
    live.stop()


def shot(page: Page, name: str) -> None:
    """Save the screen as test-artifacts/life-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"life-{name}.png"))


def draft_meeting(server: LiveServer, quorum: str = "2/3") -> int:
    """A committee meeting in draft, starting before the demo's (the current one)."""
    starts = datetime.now(UTC) + timedelta(minutes=10)
    created = server.api(
        "/api/v1/meetings",
        {"title": "业委会第五次会议", "starts_at": starts.isoformat(), "venue": "议事厅二楼",
         "eligible_groups": ["业委会"], "quorum_headcount": quorum},
    )  # fmt: skip
    return int(created["id"])


def sign_in(server: LiveServer, meeting: int, name: str, tail: str) -> str:
    """Sign a member in (setting the scene); the path of their phone page."""
    member = next(
        m for m in server.api(f"/api/v1/members?q={quote(name)}")["members"] if m["name"] == name
    )
    receipt = server.api(
        f"/api/v1/meetings/{meeting}/sign-in", {"member_id": member["id"], "phone_tail": tail}
    )
    return "/v/" + str(receipt["phone_url"]).rsplit("/v/", 1)[1]


def steps(server: LiveServer, meeting: int) -> list[tuple[str, str, str]]:
    """The meeting's recorded steps (to, by, reason), read from the box's database."""
    with sqlite3.connect(server.instance / "yishi.db") as db:
        return list(
            db.execute(
                "SELECT to_status, by, reason FROM meeting_transitions"
                " WHERE meeting_id = ? ORDER BY id",
                (meeting,),
            )
        )


def open_page(context: BrowserContext, url: str, size: tuple[int, int], live: bool = True) -> Page:
    page = context.new_page()
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(url)
    if live:
        wait_joined(page)
    return page


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_posted_opened_without_quorum_closed_with_a_vote_running(
    server: LiveServer, context: BrowserContext, lang: str
) -> None:
    audit = Audit(lang)
    meeting = draft_meeting(server)
    item = server.api(f"/api/v1/meetings/{meeting}/agenda", {"title": "电动车充电桩选址"})
    item_id = item["items"][-1]["id"]
    zh = lang == "zh_CN"

    # The clerk posts the draft: the badge changes, the board shows it.
    clerk = open_page(context, f"{server.url}/clerk?meeting={meeting}&lang={lang}", (1366, 900))
    badge = clerk.locator(f"[data-testid='desk-life'] {BADGE}")
    expect(badge).to_have_attribute("data-status", "draft")
    if zh:
        expect(badge).to_have_text("草稿（未公示）")
        expect(clerk.get_by_test_id("notice-warning")).to_contain_text("若现在公示，公示期不足")
    board = open_page(context, f"{server.url}/board", (1280, 900))
    expect(board.locator(f"[data-meeting-id='{meeting}']")).to_have_count(0)
    clerk.once("dialog", lambda dialog: dialog.accept())
    clerk.get_by_test_id("post-meeting").click()
    expect(badge).to_have_attribute("data-status", "announced")
    expect(clerk.get_by_test_id("post-meeting")).to_be_hidden()
    shot(clerk, f"{lang}-clerk-posted")
    audit.check(clerk, "clerk desk, posted")
    board_badge = board.locator(f"article[data-meeting-id='{meeting}'] {BADGE}")
    expect(board_badge).to_have_attribute("data-status", "announced")  # the board reloaded
    wait_joined(board)

    # A resident's phone (elder mode): not yet open.
    phone_path = sign_in(server, meeting, *COMMITTEE[0])
    phone_context = context.browser.new_context(  # type: ignore[union-attr]
        viewport={"width": 390, "height": 844}, locale="zh-CN"
    )
    phone_context.add_init_script("window.localStorage.setItem('yishi.elder', 'on')")
    phone = open_page(phone_context, f"{server.url}{phone_path}?lang={lang}", (390, 844))
    phone_badge = phone.locator(BADGE)
    expect(phone_badge).to_have_attribute("data-status", "announced")
    if zh:
        expect(phone_badge).to_have_text("已公示，尚未开始")
    # The room's QR page on another phone follows the meeting too, without a reload.
    join = open_page(phone_context, f"{server.url}/join?lang={lang}", (390, 844))
    join.evaluate("window.notReloaded = true")
    join_badge = join.locator(f"[data-testid='join-meeting'] {BADGE}")
    expect(join_badge).to_have_attribute("data-meeting-id", str(meeting))
    expect(join_badge).to_have_attribute("data-status", "announced")

    # The moderator cannot start an item yet, and is told why.
    console = open_page(context, f"{server.url}/moderator?meeting={meeting}", (1280, 900))
    console.locator(f".agenda-item[data-item-id='{item_id}'] [data-action='start']").click()
    message = console.get_by_test_id("console-message")
    expect(message).to_have_text(
        "会议尚未开始，不能开始议题。"
        if zh
        else "The meeting is not open yet: an item cannot start."
    )

    # Opening without quorum: a warning, a confirmation, recorded.
    projector = open_page(context, f"{server.url}/projector?meeting={meeting}", (1920, 1080))
    console.get_by_test_id("open-meeting").click()
    dialog = console.get_by_test_id("open-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("未达到法定人数" if zh else "The quorum is not met")
    shot(console, f"{lang}-console-open-without-quorum")
    audit.check(console, "moderator console, opening without quorum")
    console.get_by_test_id("confirm-open").click()
    console_badge = console.locator(f"[data-testid='console-life'] {BADGE}")
    expect(console_badge).to_have_attribute("data-status", "open")
    expect(console.get_by_test_id("opening-quorum")).to_have_attribute("data-met", "false")
    assert steps(server, meeting)[-1][:2] == ("open", "admin")
    assert "without quorum" in steps(server, meeting)[-1][2]

    # Everyone follows live, no reload: the phone stops saying "not yet open".
    expect(phone_badge).to_have_attribute("data-status", "open")
    expect(join_badge).to_have_attribute("data-status", "open")
    expect(phone_badge).to_have_text("会议进行中" if zh else "Meeting open")
    expect(board_badge).to_have_attribute("data-status", "open")
    announced = projector.get_by_test_id("state-announcement")
    expect(announced).to_have_text("会议现在开始" if zh else "The meeting is now open")
    expect(projector.locator(BADGE)).to_have_attribute("data-status", "open")
    shot(projector, f"{lang}-projector-open")
    shot(phone, f"{lang}-phone-elder-open")
    shot(board, f"{lang}-board-open")
    audit.check(phone, "phone, meeting open (elder mode)")
    audit.check(board, "notice board, meeting open")

    # A vote still open at the close: listed, confirmed, ended with the reason recorded.
    console.locator(f".agenda-item[data-item-id='{item_id}'] [data-action='start']").click()
    console.get_by_test_id("confirm-yes").click()  # the item too starts without the quorum
    expect(console.locator(f".agenda-item[data-item-id='{item_id}']")).to_have_attribute(
        "data-status", "active"
    )
    question = "是否同意在3号楼北侧安装？"
    poll = server.api(f"/api/v1/meetings/{meeting}/polls", {"question": question})
    server.api(f"/api/v1/polls/{poll['id']}/open", {})
    console.get_by_test_id("close-meeting").click()
    closing = console.get_by_test_id("close-dialog")
    expect(closing).to_be_visible()
    expect(closing.get_by_test_id("close-running").locator("li")).to_have_count(2)
    expect(closing).to_contain_text(question)
    expect(closing).to_contain_text("电动车充电桩选址")
    shot(console, f"{lang}-console-close-running")
    audit.check(console, "moderator console, closing with a vote open")
    console.get_by_test_id("confirm-close").click()
    expect(console_badge).to_have_attribute("data-status", "closed")
    expect(phone_badge).to_have_attribute("data-status", "closed")
    expect(join_badge).to_have_attribute("data-status", "closed")
    assert join.evaluate("window.notReloaded") is True
    expect(board_badge).to_have_attribute("data-status", "closed")
    assert server.api(f"/api/v1/polls/{poll['id']}")["status"] == "closed"
    # The closed meeting's console keeps its record in view but offers to run nothing more.
    expect(console.get_by_test_id("next-speaker")).to_be_hidden()
    expect(console.get_by_test_id("poll-form")).to_be_hidden()
    expect(console.get_by_test_id("agenda").locator("li").first).to_be_visible()
    expect(console.get_by_test_id("agenda").locator("button").first).to_be_hidden()
    records = console.get_by_test_id("console-records")
    expect(records).to_be_visible()
    expect(records).to_have_attribute("href", f"/clerk/records/{meeting}")
    shot(console, f"{lang}-console-closed")
    audit.check(console, "moderator console, closed")
    to, by, reason = steps(server, meeting)[-1]
    assert (to, by) == ("closed", "admin")
    assert f"poll {poll['id']}" in reason and "ended by closing the meeting" in reason
    shot(phone, f"{lang}-phone-elder-closed")
    phone_context.close()
    audit.assert_clean()


def test_a_meeting_with_its_quorum_opens_without_a_question(
    server: LiveServer, context: BrowserContext
) -> None:
    meeting = draft_meeting(server, quorum="1/2")
    server.api(f"/api/v1/meetings/{meeting}/announce", {})
    for name, tail in COMMITTEE:  # 7 of 12: more than half
        sign_in(server, meeting, name, tail)
    booth = open_page(context, f"{server.url}/booth?meeting={meeting}", (1280, 800))
    expect(booth.locator(BADGE)).to_have_attribute("data-status", "announced")
    console = open_page(context, f"{server.url}/moderator?meeting={meeting}", (1280, 900))
    console.get_by_test_id("open-meeting").click()
    expect(console.locator(f"[data-testid='console-life'] {BADGE}")).to_have_attribute(
        "data-status", "open"
    )
    expect(console.get_by_test_id("open-dialog")).to_be_hidden()
    # The booth's badge follows live, as every screen's does.
    expect(booth.locator(BADGE)).to_have_attribute("data-status", "open")
    expect(booth.locator(BADGE)).to_have_text("会议进行中")
    quorum = console.get_by_test_id("opening-quorum")
    expect(quorum).to_have_attribute("data-met", "true")
    expect(quorum).to_have_text("开会时已达法定人数")
    assert steps(server, meeting)[-1] == ("open", "admin", "")
    shot(console, "zh_CN-console-open-with-quorum")


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_clerk_adds_and_removes_holidays(
    server: LiveServer, context: BrowserContext, lang: str
) -> None:
    audit = Audit(lang)
    clerk = open_page(context, f"{server.url}/clerk?lang={lang}", (1366, 900))
    clerk.get_by_test_id("view-calendar").click()
    form = clerk.get_by_test_id("calendar-form")
    form.locator("input[name='day']").fill("2027-02-08")
    form.locator("select[name='working']").select_option("false")
    form.locator("input[name='note']").fill("春节")
    form.get_by_role("button").click()
    rows = clerk.get_by_test_id("calendar-days").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("2027-02-08")
    expect(rows.first).to_contain_text("春节")
    shot(clerk, f"{lang}-clerk-holidays")
    audit.check(clerk, "clerk desk, holidays")
    rows.first.get_by_role("button").click()
    expect(rows).to_have_count(0)
    audit.assert_clean()


def test_the_qr_page_without_a_meeting_shows_the_meeting_once_it_is_posted(
    tmp_path: Path, context: BrowserContext
) -> None:
    empty = LiveServer(tmp_path, demo=False)  # the QR hangs on the wall all year
    try:
        page = open_page(context, f"{empty.url}/join", (390, 844))
        expect(page.get_by_test_id("join-meeting")).to_contain_text("现在没有会议")
        meeting = draft_meeting(empty)
        empty.api(f"/api/v1/meetings/{meeting}/announce", {})
        badge = page.locator(f"[data-testid='join-meeting'] {BADGE}")
        expect(badge).to_have_attribute("data-meeting-id", str(meeting))  # reloaded by itself
        expect(page.get_by_test_id("join-meeting")).to_contain_text("业委会第五次会议")
    finally:
        empty.stop()
