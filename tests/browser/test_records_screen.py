"""The records in Debian's Chromium against the real server: the clerk's records screen (a
decision, an action with co-responsible parties, publishing, the completeness indicator), the
notice board showing them, and the projector's result bars at 1920×1080 (labels never drawn
over the numbers). Screenshots: ``test-artifacts/records-*.png``.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import ARTIFACTS, LiveServer, scan_burst
from tests.browser.test_accessibility import Audit
from tests.browser.test_counting_screens import hold, sign_in_owners
from tests.browser.test_floor import sign_in
from tests.browser.test_kiosk import assert_elder_mode, screen, tap
from tests.browser.test_projector_clerk import OVERFLOWING, demo_meeting, open_projector

pytestmark = pytest.mark.browser

# Each result bar's label box against its number box: any overlap, or a number cut short.
BAR_CLASHES = """
() => [...document.querySelectorAll(".poll .bar")].flatMap((bar) => {
  const label = bar.querySelector(".bar-label");
  const value = bar.querySelector(".bar-value");
  const a = label.getBoundingClientRect();
  const b = value.getBoundingClientRect();
  const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
  const problems = [];
  if (!apart) problems.push(`${label.textContent} over ${value.textContent}`);
  if (value.scrollWidth > value.clientWidth + 1) problems.push(`${value.textContent} is cut`);
  if (label.scrollWidth > label.clientWidth + 1) problems.push(`${label.textContent} is cut`);
  return problems;
})
"""


def shot(page: Page, name: str) -> None:
    """Save the screen as test-artifacts/records-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"records-{name}.png"), full_page=True)


def test_the_projector_never_draws_a_label_over_a_five_digit_area(
    context: BrowserContext, live_server: LiveServer
) -> None:
    server = live_server
    meeting = demo_meeting(server)
    people = sign_in_owners(server, meeting, 120)
    projector = open_projector(context, server)
    hold(
        server,
        meeting,
        {"question": "是否同意使用维修资金更换7栋电梯？", "weighting": "area", "secret": False},
        [(m, ["for" if i < 110 else "against" if i < 116 else "abstain"]) for i, m in
         enumerate(people)],
    )  # fmt: skip
    bars = projector.locator('[data-field="bars-area"] .bar')
    expect(bars.first).to_contain_text("赞成")
    expect(bars.first).to_contain_text("平方米")
    area = projector.locator('[data-field="bars-area"] .bar[data-option="for"] .bar-value')
    assert len(area.inner_text().split(".")[0].replace(" ", "")) >= 5, area.inner_text()
    assert projector.evaluate(BAR_CLASHES) == []
    assert not projector.evaluate(OVERFLOWING), "the wall scrolls sideways"
    projector.screenshot(path=str(ARTIFACTS / "records-projector-area-1920x1080.png"))


def records_scene(server: LiveServer) -> tuple[int, int, str]:
    """The demo meeting with 12 owners in, a named vote closed and published; the meeting, the
    poll and the phone path of 孙艳娜 (set up through the API: the screens are under test)."""
    meeting = demo_meeting(server)
    people = sign_in_owners(server, meeting, 12)
    poll = hold(
        server,
        meeting,
        {"question": "是否同意在7栋加装电梯？", "secret": False},
        [(m, ["for" if i < 9 else "against"]) for i, m in enumerate(people)],
    )
    server.api(f"/api/v1/polls/{poll}/publish", {})
    phone = sign_in(server, "孙艳娜", "6851")
    server.api(f"/api/v1/meetings/{meeting}/close", {}, role="moderator")  # minutes may go out
    return meeting, poll, phone


def test_the_clerk_records_a_decision_and_an_action_publishes_and_the_board_shows_them(
    context: BrowserContext, live_server: LiveServer
) -> None:
    server = live_server
    meeting, _poll, phone_path = records_scene(server)
    page = context.new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    audits = {lang: Audit(lang) for lang in ("zh_CN", "en")}

    page.goto(f"{server.url}/clerk?meeting={meeting}&lang=zh_CN")
    page.get_by_test_id("records-link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("会议记录")
    completeness = page.get_by_test_id("completeness")
    start_percent = int(completeness.get_attribute("data-percent") or "-1")
    assert 0 <= start_percent < 95
    expect(completeness).to_have_attribute("data-meets", "false")
    expect(page.get_by_test_id("completeness-missing")).to_contain_text("会议纪要尚未公示")
    shot(page, "screen-start-zh")
    audits["zh_CN"].check(page, "records-start")

    form = page.get_by_test_id("decision-form")
    form.get_by_label("新决议").fill("同意在7栋加装电梯，由业委会组织实施。")
    form.get_by_label("来自表决").select_option(index=1)
    form.get_by_role("button", name="记录决议").click()
    expect(page.get_by_test_id("records-message")).to_have_text(
        "决议已记录：同意在7栋加装电梯，由业委会组织实施。"
    )
    action = page.get_by_test_id("action-form")
    expect(action).to_be_visible()  # a decision without actions opens its form
    action.get_by_label("事项", exact=True).fill("完成电梯井道施工")
    action.get_by_label("责任单位", exact=True).fill("幸福里物业服务中心")
    action.get_by_label("配合单位", exact=True).fill("业委会、社区居委会")
    action.get_by_label("验收标准", exact=True).fill("通过特种设备检验并取得使用登记证")
    action.get_by_role("button", name="添加责任事项").click()
    expect(page.get_by_test_id("records-message")).to_have_text("已添加责任事项：完成电梯井道施工")
    row = page.get_by_test_id("action-row")
    expect(row.get_by_test_id("co-responsible")).to_have_text("业委会、社区居委会")
    expect(row.get_by_test_id("action-status")).to_have_text("未开始")

    row.get_by_test_id("status-select").select_option("done")
    row.get_by_role("button", name="更改状态").click()
    expect(page.get_by_test_id("action-status")).to_have_text("已完成")
    page.get_by_test_id("action-row").get_by_test_id("note-input").fill("已通过验收")
    page.get_by_test_id("action-row").get_by_role("button", name="添加进展").click()
    expect(page.get_by_test_id("action-row")).to_contain_text("已通过验收")

    for index in range(page.get_by_test_id("summary-form").count()):
        summary = page.get_by_test_id("summary-form").nth(index)
        summary.locator("textarea").fill("充分讨论，多数同意。")
        summary.get_by_role("button", name="保存小结").click()
        expect(page.get_by_test_id("records-message")).to_have_text("小结已保存。")
    signatories = page.get_by_test_id("signatories-form")
    signatories.get_by_label("主持人", exact=True).fill("李主持")
    signatories.get_by_label("记录员", exact=True).fill("张记录")
    signatories.get_by_role("button", name="保存署名").click()
    expect(page.get_by_test_id("records-message")).to_have_text("署名已保存。")
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("published")).to_be_visible()
    expect(completeness).to_have_attribute("data-percent", "100")
    expect(completeness).to_have_attribute("data-meets", "true")
    shot(page, "screen-published-zh")
    audits["zh_CN"].check(page, "records-published")
    expect(page.get_by_test_id("exports").locator("a")).to_have_count(8)

    page.goto(f"{server.url}/clerk/records/{meeting}?lang=en")
    expect(page.get_by_test_id("completeness-percent")).to_have_text("100%")
    shot(page, "screen-published-en")
    audits["en"].check(page, "records-published")

    board = context.new_page()
    board.set_viewport_size({"width": 1280, "height": 900})
    board.goto(f"{server.url}/board?lang=zh_CN")
    expect(board.locator("#results")).to_contain_text("同意在7栋加装电梯，由业委会组织实施。")
    item = board.get_by_test_id("action").filter(has_text="完成电梯井道施工")
    expect(item.get_by_test_id("co-responsible")).to_have_text("业委会、社区居委会")
    expect(board.get_by_role("link", name="查看会议纪要")).to_be_visible()
    board.get_by_role("link", name="查看会议纪要").first.click()
    expect(board.locator("body")).to_contain_text("出席人员")
    expect(board.locator("body")).to_contain_text("幸福里物业服务中心，配合：业委会、社区居委会")
    shot(board, "minutes-zh")

    # The resident rates the finished work from their phone, in elder mode.
    phone = context.new_page()
    phone.set_viewport_size({"width": 360, "height": 640})
    phone.goto(server.url + phone_path + "?lang=zh_CN")
    phone.locator("[data-voice='elder']:visible").first.click()
    expect(phone.locator("html")).to_have_class(re.compile(r"\belder\b"))
    rate = phone.get_by_test_id("phone-rate-item").filter(has_text="完成电梯井道施工")
    rate.scroll_into_view_if_needed()
    rate.get_by_role("button", name="5 很满意").click()
    rate.get_by_label("留言（可不填）").fill("施工很规范")
    rate.get_by_test_id("phone-rate-send").click()
    expect(rate.locator(".rate-result")).to_contain_text("您的评价：5 / 5")
    expect(rate.get_by_role("button", name="1 很不满意")).to_be_disabled()
    expect(rate).to_have_attribute("data-rated", "true")
    rate.screenshot(path=str(ARTIFACTS / "records-phone-rate-elder.png"))
    assert_elder_mode(phone, "the phone's ratings")
    audits["zh_CN"].check(phone, "phone-rate")

    for audit in audits.values():
        audit.assert_clean()


def test_a_resident_rates_finished_work_at_the_kiosk_with_their_card(
    context: BrowserContext, live_server: LiveServer
) -> None:
    server = live_server
    meeting, poll, _phone = records_scene(server)
    decision = server.api(
        f"/api/v1/meetings/{meeting}/decisions",
        {"text": "同意在7栋加装电梯。", "by": "张记录", "poll_id": poll},
    )
    action = server.api(
        f"/api/v1/decisions/{decision['id']}/actions",
        {
            "title": "完成电梯井道施工",
            "responsible": "幸福里物业服务中心",
            "deadline": "2030-01-01",
        },
    )
    server.api(f"/api/v1/actions/{action['id']}", {"status": "done"}, method="PATCH")
    audits = {lang: Audit(lang) for lang in ("zh_CN", "en")}

    kiosk = context.new_page()
    kiosk.set_viewport_size({"width": 1280, "height": 800})
    kiosk.goto(f"{server.url}/kiosk?meeting={meeting}&lang=zh_CN")
    kiosk.get_by_test_id("kiosk-rate-link").click()
    expect(kiosk.locator("html")).to_have_attribute("data-ready", "true")
    screen(kiosk, "start")
    assert_elder_mode(kiosk, "the rating screen's start")
    shot(kiosk, "kiosk-rate-start-zh")
    audits["zh_CN"].check(kiosk, "kiosk-rate-start")

    scan_burst(kiosk, "something else")
    expect(kiosk.locator("[data-screen='start'] [data-role='message']")).to_contain_text(
        "这不是议事系统的居民卡或签到条"
    )
    scan_burst(kiosk, "YISHI:M00002")  # a USB scanner: a burst, then Enter
    screen(kiosk, "tail")
    expect(kiosk.locator("[data-screen='tail'] [data-role='hello']")).to_have_text("您好，孙艳娜")
    assert_elder_mode(kiosk, "the rating screen's phone digits")
    shot(kiosk, "kiosk-rate-tail-zh")
    audits["zh_CN"].check(kiosk, "kiosk-rate-tail")
    tap(kiosk, "tail", "6851")
    screen(kiosk, "choose")
    item = kiosk.get_by_test_id("rate-item").filter(has_text="完成电梯井道施工")
    item.get_by_role("button", name="4 满意").click()
    item.get_by_test_id("rate-send").click()
    expect(kiosk.locator("[data-screen='choose'] [data-role='message']")).to_have_text(
        "谢谢您，孙艳娜：您对“完成电梯井道施工”的评价已记录。"
    )
    expect(item.locator(".rate-yours")).to_have_text("您的评价：4 / 5")
    assert_elder_mode(kiosk, "the rating screen's list")
    shot(kiosk, "kiosk-rate-choose-zh")
    audits["zh_CN"].check(kiosk, "kiosk-rate-choose")
    kiosk.get_by_test_id("rate-finish").click()
    screen(kiosk, "start")

    kiosk.goto(f"{server.url}/kiosk/rate?meeting={meeting}&lang=en")
    expect(kiosk.locator("html")).to_have_attribute("data-ready", "true")
    scan_burst(kiosk, f"{server.url}/v/{'x' * 32}")  # a slip no longer valid
    expect(kiosk.locator("[data-screen='start'] [data-role='message']")).to_be_visible()
    shot(kiosk, "kiosk-rate-refused-en")
    audits["en"].check(kiosk, "kiosk-rate-refused")
    scan_burst(kiosk, "YISHI:M00002")
    screen(kiosk, "tail")
    audits["en"].check(kiosk, "kiosk-rate-tail")
    tap(kiosk, "tail", "6851")
    screen(kiosk, "choose")
    expect(kiosk.get_by_test_id("rate-item").locator(".rate-yours")).to_have_text(
        "Your rating: 4 of 5"
    )
    assert_elder_mode(kiosk, "the rating screen's list in English")
    shot(kiosk, "kiosk-rate-choose-en")
    audits["en"].check(kiosk, "kiosk-rate-choose")

    # The board: a receipt typed as the phone shows it, in small letters, with its choice.
    board = context.new_page()
    board.set_viewport_size({"width": 1280, "height": 900})
    board.goto(f"{server.url}/board?lang=zh_CN#receipts")
    entries = server.api(f"/api/v1/polls/{poll}/ballot-list")["entries"]
    code = str(entries[0]["text"]).split(" ")[2]
    board.locator("#receipt-poll").select_option(str(poll))
    board.locator("#receipt-code").fill(f"{code[:4]} {code[4:]}".lower())
    board.get_by_role("button", name="核对", exact=True).click()
    expect(board.get_by_test_id("receipt-result")).to_contain_text("计为“赞成”")
    expect(board.get_by_test_id("receipt-verdict")).to_have_text("本次表决结果：通过")
    board.locator("#receipts").screenshot(path=str(ARTIFACTS / "records-board-receipt-zh.png"))
    audits["zh_CN"].check(board, "board-receipt")

    # The administrator's backup page.
    admin = context.new_page()
    admin.goto(f"{server.url}/admin/backup?lang=zh_CN")
    with admin.expect_download() as download:
        admin.get_by_test_id("backup-run").click()
    assert download.value.suggested_filename.startswith("yishi-")
    shot(admin, "admin-backup-zh")
    audits["zh_CN"].check(admin, "admin-backup")
    admin.goto(f"{server.url}/admin/backup?lang=en")
    audits["en"].check(admin, "admin-backup")

    for audit in audits.values():
        audit.assert_clean()
