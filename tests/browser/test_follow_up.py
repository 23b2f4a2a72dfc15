"""Follow-up (督办) and satisfaction (评价) in Chromium: the clerk gives a deadline in working days
on the records screen, sees the reminder and escalates an overdue item step by step while the
board and the clerk desk follow live; the next meeting's generated report item comes up on the
projector; a resident answers the hall's survey and rates finished work at the kiosk, in elder
mode, once. axe-core clean in Chinese and English; screenshots under test-artifacts/follow-*.

How to drive these screens (for other tests): /clerk/follow has ``due-action`` and
``overdue-action`` rows (``data-action-id``), each overdue row an ``escalate-note`` field and an
``escalate-button`` ("记录：提醒" …) and its ``current-step``; /clerk/surveys has ``survey-form``
(``survey-title``, ``survey-days``, ``survey-create``) and per survey ``survey-open`` /
``survey-close``, ``survey-share``, ``survey-count``; the records form's deadline is chosen
with ``deadline-kind-working`` and ``deadline-working-days``; the projector's list is
``follow-report`` with ``follow-report-row``s (shown while ``.wall[data-follow=on]``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from meeting_room.domain.follow_up import add_working_days
from meeting_room.meetings.notice import library_workday
from tests.browser.conftest import ARTIFACTS, LiveServer, scan_burst, wait_joined
from tests.browser.test_accessibility import Audit
from tests.browser.test_floor import open_console
from tests.browser.test_kiosk import assert_elder_mode, screen
from tests.browser.test_records_screen import records_scene

pytestmark = pytest.mark.browser
HALL = ZoneInfo("Asia/Shanghai")


def hall_today() -> date:
    """Today in the hall (the server's clock is the real one here)."""
    return datetime.now(HALL).date()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"follow-{name}.png"), full_page=True)


def decision_on(server: LiveServer, meeting: int, text: str = "同意整治3栋楼道堆物。") -> int:
    answer = server.api(f"/api/v1/meetings/{meeting}/decisions", {"text": text, "by": "张记录"})
    return int(answer["id"])


def action(server: LiveServer, decision: int, title: str, deadline: date) -> int:
    """An action item through the API (which, unlike the screen, takes a passed deadline)."""
    answer = server.api(
        f"/api/v1/decisions/{decision}/actions",
        {"title": title, "responsible": "幸福里物业服务中心", "deadline": deadline.isoformat()},
    )
    return int(answer["id"])


def test_the_clerk_counts_a_deadline_in_working_days_and_escalates_an_overdue_item(
    context: BrowserContext, live_server: LiveServer
) -> None:
    server = live_server
    meeting, _poll, _phone = records_scene(server)
    decision = decision_on(server, meeting)
    today = hall_today()
    action(server, decision, "清运楼道杂物", today + timedelta(days=1))  # a reminder is due
    overdue = action(server, decision, "修复3栋单元门禁", today - timedelta(days=3))
    audits = {lang: Audit(lang) for lang in ("zh_CN", "en")}

    # The board is another device (its own cookies), as in the hall.
    assert context.browser is not None
    elsewhere = context.browser.new_context(locale="zh-CN")
    board = elsewhere.new_page()
    board.set_viewport_size({"width": 1280, "height": 900})
    board.goto(f"{server.url}/board?lang=zh_CN")
    wait_joined(board)
    card = board.get_by_test_id("action").filter(has_text="修复3栋单元门禁")
    expect(card.get_by_test_id("action-step")).to_have_text("已逾期，尚未督办")
    due_card = board.get_by_test_id("action").filter(has_text="清运楼道杂物")
    expect(due_card.get_by_test_id("action-reminder")).to_have_text("期限临近：还有1天到期")

    desk = context.new_page()
    desk.set_viewport_size({"width": 1366, "height": 900})
    desk.goto(f"{server.url}/clerk?meeting={meeting}&lang=zh_CN")
    wait_joined(desk)
    counts = desk.get_by_test_id("follow-counts")
    expect(counts.locator("[data-field='follow-due']")).to_have_text("临近期限：1")
    expect(counts.locator("[data-field='follow-overdue']")).to_have_text("逾期：1")

    # The records screen: a new action due in 3 working days, by the official calendar.
    page = context.new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{server.url}/clerk/records/{meeting}?lang=zh_CN")
    article = page.locator(f"#decision-{decision}")
    article.get_by_text("为本决议添加责任事项").click()
    form = article.get_by_test_id("action-form")
    form.get_by_label("事项", exact=True).fill("楼道张贴整治告示")
    form.get_by_label("责任单位").fill("网格员")
    form.get_by_test_id("deadline-kind-working").check()
    form.get_by_test_id("deadline-working-days").fill("3")
    shot(page, "records-working-days-zh")
    audits["zh_CN"].check(page, "records-working-days")
    form.get_by_role("button", name="添加责任事项").click()
    expected = add_working_days(today, 3, library_workday).deadline
    expect(page.get_by_test_id("records-message")).to_have_text(
        f"已添加责任事项：楼道张贴整治告示，期限{expected.isoformat()}"
        f"（自{today.isoformat()}起3个工作日）。"
    )
    row = page.get_by_test_id("action-row").filter(has_text="楼道张贴整治告示")
    expect(row.get_by_test_id("deadline-basis")).to_contain_text("3个工作日")
    # The desk heard of it: the action list changed (its counts are fetched again).
    expect(desk.locator("html")).to_have_attribute("data-follow-refreshed", re.compile(r"\d+"))

    # The follow-up screen: the reminder, then the steps in order, each with who and when.
    desk.get_by_test_id("follow-link").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("决议督办")
    expect(desk.get_by_test_id("due-action").filter(has_text="清运楼道杂物")).to_be_visible()
    item = desk.locator(f"#follow-action-{overdue}")
    expect(item.get_by_test_id("current-step")).to_have_text("尚未督办")
    shot(desk, "screen-zh")
    audits["zh_CN"].check(desk, "follow")
    for step in ("提醒", "约谈", "上报街道"):
        item = desk.locator(f"#follow-action-{overdue}")
        item.get_by_test_id("escalate-note").fill(f"{step}：物业经理李某")
        item.get_by_test_id("escalate-button").click()
        expect(desk.get_by_test_id("follow-message")).to_have_text(
            f"“修复3栋单元门禁”：已记录{step}。"
        )
        expect(
            desk.locator(f"#follow-action-{overdue}").get_by_test_id("current-step")
        ).to_have_text(step)
        # The board follows without a reload.
        expect(card.get_by_test_id("action-step")).to_have_text(f"已逾期，督办：{step}")
    records = desk.locator(f"#follow-action-{overdue}").get_by_test_id("step-record")
    expect(records).to_have_count(3)
    expect(records.first).to_contain_text("admin")
    expect(desk.locator(f"#follow-action-{overdue}")).to_contain_text("各步骤均已完成")
    shot(desk, "escalated-zh")
    audits["zh_CN"].check(desk, "follow-escalated")
    board.locator("#actions").screenshot(path=str(ARTIFACTS / "follow-board-zh.png"))
    audits["zh_CN"].check(board, "board-follow")

    desk.goto(f"{server.url}/clerk/follow?lang=en")
    expect(desk.get_by_role("heading", level=1)).to_have_text("Follow-up of decisions")
    shot(desk, "screen-en")
    audits["en"].check(desk, "follow")
    page.goto(f"{server.url}/clerk/records/{meeting}?lang=en")
    page.locator(f"#decision-{decision}").get_by_text("Add an action to this decision").click()
    audits["en"].check(page, "records-working-days")
    elsewhere.close()
    for audit in audits.values():
        audit.assert_clean()


@pytest.fixture
def posted_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The demo box with its meeting posted, not yet opened (the report item comes at the
    opening, after the test has set up the work to report)."""
    instance: Path = tmp_path_factory.mktemp("follow-posted")
    server = LiveServer(instance, open_meeting=False)
    yield server
    server.stop()


def test_the_next_meeting_reports_overdue_and_finished_work_on_its_projector(
    context: BrowserContext, posted_server: LiveServer
) -> None:
    server = posted_server
    demo = int(server.api("/api/v1/meetings")["meetings"][0]["id"])
    earlier = server.api(
        "/api/v1/meetings",
        {
            "title": "十一月议事会",
            "starts_at": (datetime.now(HALL) - timedelta(days=20)).isoformat(),
            "venue": "议事厅",
        },
    )
    decision = decision_on(server, int(earlier["id"]))
    today = hall_today()
    overdue = action(server, decision, "修复3栋单元门禁", today - timedelta(days=5))
    server.api(
        f"/api/v1/actions/{overdue}/escalations", {"step": "remind", "by": "王记录", "note": ""}
    )
    finished = action(server, decision, "更换小区路灯", today + timedelta(days=10))
    server.api(f"/api/v1/actions/{finished}", {"status": "done"}, method="PATCH")
    server.api(f"/api/v1/meetings/{demo}/open", {"confirm_without_quorum": True}, role="moderator")
    agenda = server.api(f"/api/v1/meetings/{demo}/agenda")["items"]
    assert agenda[0]["title"] == "督办事项通报" and agenda[0]["kind"] == "report"

    projector = context.new_page()
    projector.set_viewport_size({"width": 1920, "height": 1080})
    projector.goto(f"{server.url}/projector?meeting={demo}&lang=zh_CN")
    wait_joined(projector)
    wall = projector.locator(".wall")
    expect(wall).to_have_attribute("data-follow", "off")
    expect(projector.get_by_test_id("follow-report")).to_be_hidden()

    console = open_console(context, server)
    console.get_by_role("button", name="开始 督办事项通报").click()
    console.get_by_test_id("confirm-dialog").get_by_role("button", name="是，开始").click()
    expect(console.get_by_test_id("console-item")).to_have_text("正在讨论：督办事项通报")

    expect(wall).to_have_attribute("data-follow", "on")
    report = projector.get_by_test_id("follow-report")
    expect(report).to_be_visible()
    rows = report.get_by_test_id("follow-report-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("修复3栋单元门禁")
    expect(rows.nth(0)).to_contain_text("已逾期 · 提醒")
    expect(rows.nth(1)).to_contain_text(f"完成于 {today.isoformat()}")
    expect(projector.get_by_test_id("current-item")).to_contain_text("督办事项通报")
    # The wall as the room reads it once the opening's notice has gone (it stays 15 s).
    unlock = projector.get_by_test_id("chime-unlock")
    if unlock.is_visible():
        unlock.click()
    expect(projector.get_by_test_id("state-announcement")).to_be_hidden(timeout=30000)
    shot(projector, "projector-zh")
    audit = Audit("zh_CN")
    audit.check(projector, "projector-follow-report")
    audit.assert_clean()


def test_a_resident_answers_the_survey_and_rates_finished_work_at_the_kiosk_once(
    context: BrowserContext, live_server: LiveServer
) -> None:
    server = live_server
    meeting, _poll, phone = records_scene(server)
    decision = decision_on(server, meeting)
    done = action(server, decision, "更换小区路灯", hall_today() + timedelta(days=10))
    server.api(f"/api/v1/actions/{done}", {"status": "done"}, method="PATCH")
    audits = {lang: Audit(lang) for lang in ("zh_CN", "en")}

    staff = context.new_page()
    staff.set_viewport_size({"width": 1366, "height": 900})
    staff.goto(f"{server.url}/clerk/surveys?lang=zh_CN")
    staff.get_by_test_id("survey-title").fill("第四季度满意度测评")
    staff.get_by_test_id("survey-days").fill("10")
    staff.get_by_test_id("survey-create").click()
    expect(staff.get_by_test_id("survey-message")).to_contain_text("测评草稿已保存")
    staff.get_by_test_id("survey-open").click()
    expect(staff.get_by_test_id("survey-message")).to_contain_text("开放10天")
    survey = staff.get_by_test_id("survey")
    expect(survey.get_by_test_id("survey-state")).to_have_text("进行中")
    wait_joined(staff)

    kiosk = context.new_page()
    kiosk.set_viewport_size({"width": 1280, "height": 800})
    kiosk.goto(f"{server.url}/kiosk/rate?meeting={meeting}&lang=zh_CN")
    expect(kiosk.locator("html")).to_have_attribute("data-ready", "true")
    slip = server.url + phone  # 孙艳娜's sign-in slip: its QR code is her phone page's address
    scan_burst(kiosk, slip)  # the sign-in slip's QR code, as a scanner types it
    screen(kiosk, "choose")
    box = kiosk.locator("[data-kind='survey']")
    expect(box).to_contain_text("议事厅满意度测评")
    box.get_by_role("button", name="5 很满意").click()
    expect(box.get_by_role("button", name="5 很满意")).to_have_attribute("aria-pressed", "true")
    box.get_by_role("button", name="办得好").click()
    expect(box.get_by_test_id("rate-comment")).to_have_value("办得好")
    assert_elder_mode(kiosk, "the survey with its comment")
    shot(kiosk, "kiosk-survey-elder-zh")
    audits["zh_CN"].check(kiosk, "kiosk-survey")
    box.get_by_test_id("rate-send").click()
    message = kiosk.locator("[data-screen='choose'] [data-role='message']")
    expect(message).to_have_text("谢谢您，孙艳娜：您的测评答复已记录。")
    expect(box.locator(".rate-yours")).to_have_text("您的评价：5 / 5")
    expect(box.get_by_role("button", name="1 很不满意")).to_be_disabled()

    work = kiosk.locator("[data-kind='action']").filter(has_text="更换小区路灯")
    work.get_by_role("button", name="4 满意").click()
    work.get_by_test_id("rate-comment").fill("按时完成，谢谢")
    work.get_by_test_id("rate-send").click()
    expect(message).to_have_text("谢谢您，孙艳娜：您对“更换小区路灯”的评价已记录。")
    expect(work).to_have_attribute("data-rated", "true")
    assert_elder_mode(kiosk, "the rated list")
    shot(kiosk, "kiosk-rated-elder-zh")
    audits["zh_CN"].check(kiosk, "kiosk-rated")

    # The staff screen follows: one answer, 100 % satisfied, as a table too.
    expect(survey.get_by_test_id("survey-count")).to_have_text("1")
    expect(survey.get_by_test_id("survey-share")).to_have_text("100.0%")
    expect(survey.locator("[data-stars='5']")).to_have_text("1")
    shot(staff, "surveys-zh")
    audits["zh_CN"].check(staff, "surveys")

    # Once each: the same resident comes back, in English; both are shown as given, and off.
    kiosk.get_by_test_id("rate-finish").click()
    kiosk.goto(f"{server.url}/kiosk/rate?meeting={meeting}&lang=en")
    expect(kiosk.locator("html")).to_have_attribute("data-ready", "true")
    scan_burst(kiosk, slip)
    screen(kiosk, "choose")
    expect(kiosk.locator("[data-kind='survey'] .rate-yours")).to_have_text("Your rating: 5 of 5")
    expect(work.locator(".rate-yours")).to_have_text("Your rating: 4 of 5")
    expect(work.get_by_role("button", name="2 Dissatisfied")).to_be_disabled()
    assert_elder_mode(kiosk, "the list in English")
    shot(kiosk, "kiosk-rated-elder-en")
    audits["en"].check(kiosk, "kiosk-rated")
    staff.goto(f"{server.url}/clerk/surveys?lang=en")
    staff.get_by_test_id("survey-close").click()
    expect(staff.get_by_test_id("survey-state")).to_have_text("Closed")
    audits["en"].check(staff, "surveys")
    for audit in audits.values():
        audit.assert_clean()
