"""Issue 17's must-show, the whole cycle around the meeting in Debian's Chromium against the real
server: a resident proposes a topic at the kiosk, neighbours co-sign it from their phones to its
threshold, the clerk accepts it onto the meeting's agenda; after the meeting an action on it gets
a deadline in working days, the box's clock passes the deadline, the clerk escalates it, and it
appears in the next meeting's report item and on its projector; residents rate it at the kiosk;
the quarter's report shows figures that this test recomputes by hand from the database.

The server's clock is moved through ``YISHI_CLOCK_OFFSET_FILE`` (``meeting_room.clock``), never
by waiting. Screenshots: ``test-artifacts/cycle-*.png``.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import ARTIFACTS, LiveServer, scan_burst, wait_joined
from tests.browser.test_accessibility import Audit
from tests.browser.test_floor import open_console, sign_in
from tests.browser.test_kiosk import screen, tap
from tests.browser.test_topics import unit_rows

pytestmark = pytest.mark.browser

HALL = ZoneInfo("Asia/Shanghai")
TITLE = "3栋2单元楼道灯常坏，晚上出入不安全"
WORK = "更换3栋2单元楼道感应灯"


def shot(page: Page, name: str) -> None:
    """Save the page as test-artifacts/cycle-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"cycle-{name}.png"), full_page=True)


@pytest.fixture
def cycle_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Path]]:
    """The demo box, open, whose clock the test can move forward (a file of seconds)."""
    instance = tmp_path_factory.mktemp("cycle")
    offset = instance / "clock-offset"
    offset.write_text("0")
    server = LiveServer(instance, extra_env={"YISHI_CLOCK_OFFSET_FILE": str(offset)})
    yield server, offset
    server.stop()


def sql(server: LiveServer, query: str, *values: object) -> int:
    """One number from the box's database, read by hand (SQLite, read-only)."""
    with sqlite3.connect(f"file:{server.instance / 'yishi.db'}?mode=ro", uri=True) as db:
        return int(db.execute(query, values).fetchone()[0])


def figures(page: Page) -> dict[str, tuple[int, int]]:
    """Each figure row on the reports screen: its drill key → (part, whole)."""
    rows = page.locator("tr[data-figure]")
    found = {}
    for i in range(rows.count()):
        row = rows.nth(i)
        key = row.get_attribute("data-figure") or ""
        found[key] = (
            int(row.get_attribute("data-part") or 0),
            int(row.get_attribute("data-whole") or 0),
        )
    return found


def test_a_topic_goes_round_the_whole_cycle_into_the_quarters_report(
    context: BrowserContext, cycle_server: tuple[LiveServer, Path]
) -> None:
    server, offset = cycle_server
    meeting = int(server.api("/api/v1/meetings")["meetings"][0]["id"])
    rows = unit_rows("3栋", "2单元")  # 20 households: 30 % is 6
    audit = Audit("zh_CN")

    # 1. A resident proposes the topic at the kiosk.
    kiosk = context.new_page()
    kiosk.set_viewport_size({"width": 1280, "height": 800})
    kiosk.goto(f"{server.url}/kiosk/topics?meeting={meeting}&lang=zh_CN")
    expect(kiosk.locator("html")).to_have_attribute("data-ready", "true")
    proposer = rows[0]
    scan_burst(kiosk, f"YISHI:{proposer['member_id']}")
    screen(kiosk, "tail")
    tap(kiosk, "tail", proposer["phone_tail"])
    screen(kiosk, "choose")
    kiosk.get_by_test_id("kiosk-propose").click()
    screen(kiosk, "propose")
    kiosk.locator("#kiosk-topic-title").fill(TITLE)
    kiosk.locator("label.choice", has_text="安全").click()
    kiosk.locator("label.choice", has_text="我这个单元").click()
    kiosk.get_by_test_id("kiosk-propose-submit").click()
    screen(kiosk, "choose")
    mine = kiosk.get_by_test_id("kiosk-topic").filter(has_text=TITLE)
    expect(mine.locator("[data-role='figures']")).to_have_text(
        "已有 1 / 20 户联署；需 6 户（30%）。"
    )
    shot(kiosk, "kiosk-proposed")
    kiosk.get_by_test_id("topics-finish").click()

    # 2. Five neighbours co-sign from their phones: the threshold is reached.
    for row in rows[1:6]:
        phone = context.new_page()
        phone.set_viewport_size({"width": 390, "height": 844})
        phone.goto(f"{server.url}{sign_in(server, row['name'], row['phone_tail'])}/topics")
        card = phone.get_by_test_id("board-topic").filter(has_text=TITLE)
        card.get_by_test_id("sign-topic").click()
        expect(card.locator("[data-role='result']")).to_have_text(
            f"谢谢您，{row['name']}：您的联署已记录。"
        )
        phone.close()

    # 3. The clerk accepts it onto the meeting's agenda.
    topic = next(t for t in server.api("/api/v1/topics")["topics"] if t["title"] == TITLE)
    clerk = context.new_page()
    clerk.set_viewport_size({"width": 1366, "height": 900})
    clerk.goto(f"{server.url}/clerk/topics?lang=zh_CN")
    entry = clerk.locator(f"#topic-{topic['id']}")
    expect(entry).to_contain_text("已达联署门槛，等待审核")
    entry.locator("summary").click()
    form = entry.get_by_test_id("accept-form")
    form.locator("select[name='meeting_id']").select_option(str(meeting))
    form.locator("input[name='reason']").fill("联署达到30%，列入本次议事会讨论")
    form.get_by_test_id("accept-submit").click()
    expect(clerk.locator(f"#topic-{topic['id']}")).to_contain_text("已受理，列入议程")
    accepted = next(t for t in server.api("/api/v1/topics")["topics"] if t["id"] == topic["id"])
    item = int(accepted["agenda_item_id"])

    # 4. The meeting decides and closes; on the records screen the clerk gives the work a
    # deadline of 3 working days.
    decision = server.api(
        f"/api/v1/meetings/{meeting}/decisions",
        {"text": "同意更换3栋2单元楼道感应灯。", "by": "张记录", "item_id": item},
    )["id"]
    server.api(f"/api/v1/meetings/{meeting}/close", {}, role="moderator")
    clerk.goto(f"{server.url}/clerk/records/{meeting}?lang=zh_CN")
    article = clerk.locator(f"#decision-{decision}")
    form = article.get_by_test_id("action-form")
    expect(form).to_be_visible()  # a decision without actions opens its form
    form.get_by_label("事项", exact=True).fill(WORK)
    form.get_by_label("责任单位").fill("幸福里物业服务中心")
    form.get_by_test_id("deadline-kind-working").check()
    form.get_by_test_id("deadline-working-days").fill("3")
    form.get_by_role("button", name="添加责任事项").click()
    expect(clerk.get_by_test_id("records-message")).to_contain_text("3个工作日")
    action = next(a for a in server.api("/api/v1/actions")["actions"] if a["title"] == WORK)
    deadline = date.fromisoformat(action["deadline"])
    shot(clerk, "records-working-days")

    # 5. The box's clock passes the deadline: the work is overdue; the clerk escalates it.
    today = datetime.now(HALL).date()
    ahead = (deadline - today).days + 2
    offset.write_text(str(ahead * 24 * 3600))
    clerk.goto(f"{server.url}/clerk/follow?lang=zh_CN")
    overdue = clerk.locator(f"#follow-action-{action['id']}")
    expect(overdue.get_by_test_id("current-step")).to_have_text("尚未督办")
    overdue.get_by_test_id("escalate-note").fill("提醒：物业经理李某")
    overdue.get_by_test_id("escalate-button").click()
    expect(clerk.get_by_test_id("follow-message")).to_have_text(f"“{WORK}”：已记录提醒。")
    shot(clerk, "follow-escalated")
    audit.check(clerk, "follow")

    # 6. The next meeting: posted and opened, its report item lists the overdue work, and the
    # projector shows it when the moderator starts the item.
    starts = datetime.now(UTC) + timedelta(days=ahead, hours=1)
    following = server.api(
        "/api/v1/meetings",
        {"title": "十二月议事会", "starts_at": starts.isoformat(), "venue": "议事厅"},
    )["id"]
    server.api(f"/api/v1/meetings/{following}/announce", {})
    server.api(
        f"/api/v1/meetings/{following}/open", {"confirm_without_quorum": True}, role="moderator"
    )
    agenda = server.api(f"/api/v1/meetings/{following}/agenda")["items"]
    assert agenda[0]["title"] == "督办事项通报" and agenda[0]["kind"] == "report"
    projector = context.new_page()
    projector.set_viewport_size({"width": 1920, "height": 1080})
    projector.goto(f"{server.url}/projector?meeting={following}&lang=zh_CN")
    wait_joined(projector)
    console = open_console(context, server)
    console.get_by_role("button", name="开始 督办事项通报").click()
    console.get_by_test_id("confirm-dialog").get_by_role("button", name="是，开始").click()
    report_item = projector.get_by_test_id("follow-report")
    expect(report_item).to_be_visible()
    expect(report_item.get_by_test_id("follow-report-row").filter(has_text=WORK)).to_contain_text(
        "已逾期 · 提醒"
    )
    shot(projector, "projector-report-item")

    # 7. The work is done (late); two residents rate it at the kiosk.
    server.api(f"/api/v1/actions/{action['id']}", {"status": "done"}, method="PATCH")
    for row, button in ((rows[1], "5 很满意"), (rows[2], "3 一般")):
        kiosk.goto(f"{server.url}/kiosk/rate?meeting={following}&lang=zh_CN")
        expect(kiosk.locator("html")).to_have_attribute("data-ready", "true")
        scan_burst(kiosk, f"YISHI:{row['member_id']}")
        screen(kiosk, "tail")
        tap(kiosk, "tail", row["phone_tail"])
        screen(kiosk, "choose")
        work = kiosk.locator("[data-kind='action']").filter(has_text=WORK)
        work.get_by_role("button", name=button).click()
        work.get_by_test_id("rate-send").click()
        expect(work).to_have_attribute("data-rated", "true")
    shot(kiosk, "kiosk-rated")

    # 8. The quarter's report, and every figure recomputed from the database by hand.
    report = context.new_page()
    report.set_viewport_size({"width": 1366, "height": 900})
    report.goto(f"{server.url}/clerk/reports?lang=zh_CN")
    key = report.get_by_test_id("reports").get_attribute("data-period") or ""
    found = re.fullmatch(r"(\d{4})-q([1-4])", key)
    assert found, key
    year, quarter = int(found.group(1)), int(found.group(2))
    first = date(year, 3 * quarter - 2, 1)
    after = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    within = (
        "{col} IS NOT NULL AND datetime({col}, '+8 hours') >= ? AND datetime({col}, '+8 hours') < ?"
    )
    span = (first.isoformat(), after.isoformat())
    shown = figures(report)
    held = sql(
        server, f"SELECT count(*) FROM meetings WHERE {within.format(col='opened_at')}", *span
    )
    assert shown["meetings"] == (held, 0) and held >= 1
    topics = sql(
        server, f"SELECT count(*) FROM topics WHERE {within.format(col='created_at')}", *span
    )
    residents = sql(
        server,
        "SELECT count(*) FROM topics WHERE source != 'office' AND "
        + within.format(col="created_at"),
        *span,
    )
    assert shown["residents"] == (residents, topics) == (1, 1)
    assert shown["outcome-accepted"] == (1, 1)
    rated = sql(
        server, f"SELECT count(*) FROM action_ratings WHERE {within.format(col='at')}", *span
    )
    happy = sql(
        server,
        f"SELECT count(*) FROM action_ratings WHERE stars >= 4 AND {within.format(col='at')}",
        *span,
    )
    answered = sql(
        server, f"SELECT count(*) FROM survey_answers WHERE {within.format(col='at')}", *span
    )
    assert shown["ratings"] == (happy, rated + answered) == (1, 2)
    due = sql(
        server,
        "SELECT count(*) FROM action_items WHERE deadline >= ? AND deadline < ?",
        *span,
    )
    on_time = sql(
        server,
        "SELECT count(*) FROM action_items WHERE deadline >= ? AND deadline < ? "
        "AND status = 'done' AND completed_on <= deadline",
        *span,
    )
    if first <= deadline < after:
        assert shown["actions"] == (on_time, due) == (0, 1)  # done, but after its deadline
    eligible = (
        "(json_array_length(g.eligible_groups) = 0 "
        'OR m."group" IN (SELECT value FROM json_each(g.eligible_groups))) '
        "AND (json_array_length(g.eligible_buildings) = 0 "
        "OR m.building IN (SELECT value FROM json_each(g.eligible_buildings)))"
    )
    took_part = sql(
        server,
        "SELECT count(*) FROM attendances a JOIN members m ON m.id = a.member_id "
        "JOIN meetings g ON g.id = a.meeting_id WHERE a.meeting_id = ? "
        f"AND (a.presence = 'in_person' OR a.mandate_status = 'accepted') AND {eligible}",
        meeting,
    )
    of = sql(
        server,
        f"SELECT count(*) FROM members m JOIN meetings g ON g.id = ? WHERE {eligible}",
        meeting,
    )
    assert shown[f"meeting-{meeting}"] == (took_part, of)
    expect(report.get_by_test_id("table-targets")).to_contain_text("满意度")
    shot(report, "report")
    audit.check(report, "reports")
    report.get_by_test_id("table-targets").get_by_role("link", name="决议按时落实").click()
    expect(report.get_by_test_id("behind-table")).to_contain_text(WORK)
    shot(report, "report-behind-actions")
    audit.assert_clean()
