"""The clerk's preparation in Chromium: upload an .xlsx roster through the page (the traps
named, the preview, the import), create a meeting with its rules of order, agenda and a draft
vote, print the resident cards, the notice and a personal slip; the start page. Each screen is
photographed (test-artifacts/) and checked by axe-core in zh-CN and English.

One server (the demo roster and meeting) for the module; the tests run in file order.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import ARTIFACTS, LiveServer
from tests.browser.test_accessibility import Audit
from tests.web.prepare.rosters import SAMPLE_ROWS, as_xlsx, sample_rows, with_zero_tail

pytestmark = pytest.mark.browser
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("prepare"))
    yield live
    live.stop()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"prepare-{name}.png"), full_page=True)


def workbook(suffix: str, zero_tail: bool = False) -> dict[str, object]:
    """The 480-household sample as an .xlsx with new member ids (so the import adds them)."""
    rows = [sample_rows()[0]] + [[r[0] + suffix, *r[1:]] for r in sample_rows()[1:]]
    if zero_tail:
        rows = with_zero_tail(rows, line=7)
    return {"name": "名册.xlsx", "mimeType": XLSX, "buffer": as_xlsx(rows, numbers=zero_tail)}


def test_an_xlsx_roster_is_checked_previewed_and_imported_in_the_page(
    context: BrowserContext, server: LiveServer
) -> None:
    page = context.new_page()
    page.goto(f"{server.url}/clerk/roster?lang=zh_CN")
    page.get_by_test_id("roster-file").set_input_files(workbook("T", zero_tail=True))
    page.get_by_test_id("roster-check").click()
    traps = page.get_by_test_id("roster-traps")
    expect(traps).to_contain_text("文本")
    expect(traps).to_contain_text("leading zero")
    expect(page.get_by_test_id("roster-problems")).to_contain_text("line 7")
    expect(page.get_by_test_id("roster-commit")).to_have_count(0)  # all or nothing
    shot(page, "roster-traps")

    page.get_by_test_id("roster-file").set_input_files(workbook("P"))
    page.get_by_test_id("roster-check").click()
    expect(page.get_by_test_id("roster-summary")).to_contain_text(f"{SAMPLE_ROWS}")
    expect(page.get_by_test_id("roster-preview").locator("tbody tr")).to_have_count(10)
    expect(page.get_by_test_id("roster-preview")).to_contain_text("M00001P")
    expect(page.get_by_test_id("roster-progress")).to_be_hidden()  # the bar goes with the check
    shot(page, "roster-preview")
    page.get_by_test_id("roster-commit").click()
    expect(page.get_by_test_id("roster-imported")).to_contain_text(f"{SAMPLE_ROWS}")
    page.goto(f"{server.url}/clerk/roster?q=周珍秀")
    page.get_by_test_id("member-results").locator("tr", has_text="M00001P").get_by_role(
        "link"
    ).click()
    expect(page.get_by_test_id("member-tail")).to_have_value("8779")
    page.get_by_test_id("member-tail").fill("0779")
    page.get_by_test_id("member-save").click()
    expect(page.get_by_test_id("prep-messages")).to_contain_text("审计日志")
    expect(page.get_by_test_id("member-tail")).to_have_value("0779")
    shot(page, "member")


def test_a_meeting_is_created_with_rules_an_agenda_and_a_draft_vote(
    context: BrowserContext, server: LiveServer
) -> None:
    page = context.new_page()
    page.goto(f"{server.url}/clerk/prepare?lang=zh_CN")
    page.get_by_test_id("new-meeting").click()
    page.get_by_test_id("meeting-title").fill("5栋外墙维修协商会")
    day = (datetime.now() + timedelta(days=12)).strftime("%Y-%m-%d")
    page.get_by_test_id("meeting-date").fill(day)
    page.get_by_test_id("meeting-time").fill("19:30")
    page.get_by_test_id("meeting-venue").fill("社区议事厅")
    page.get_by_test_id("eligibility-owners").check()
    page.get_by_test_id("quorum-art278").check()
    shot(page, "new-meeting")
    page.get_by_test_id("create-meeting").click()
    expect(page.get_by_test_id("prepare-meeting")).to_be_visible()

    page.get_by_test_id("preset-custom").check()
    page.get_by_test_id("rule-limit").fill("150")
    page.get_by_test_id("rule-speeches").fill("3")
    page.get_by_test_id("rule-auto-stop").check()
    page.get_by_test_id("save-rules").click()
    expect(page.get_by_test_id("prep-messages")).to_contain_text("议事规则已保存")
    expect(page.get_by_test_id("rule-limit")).to_have_value("150")
    expect(page.get_by_test_id("preset-custom")).to_be_checked()

    for title in ("外墙渗水维修方案", "维修资金使用"):
        page.get_by_test_id("item-title").fill(title)
        page.get_by_test_id("add-item").click()
        expect(page.get_by_test_id("prep-messages")).to_contain_text("已添加议题")
    items = page.get_by_test_id("agenda-item")
    expect(items).to_have_count(2)
    items.nth(1).get_by_role("button", name="上移").click()
    expect(page.get_by_test_id("agenda-item").first.locator("input[name=title]")).to_have_value(
        "维修资金使用"
    )

    form = page.get_by_test_id("poll-add")
    form.get_by_test_id("poll-question").fill("是否同意使用维修资金维修外墙？")
    form.get_by_test_id("poll-item").select_option(label="1. 维修资金使用")
    form.locator("select[name=eligibility]").select_option("owners")
    form.get_by_test_id("poll-rule").select_option("art278_ordinary:fund_use")
    page.get_by_test_id("add-poll").click()
    expect(page.get_by_test_id("prep-messages")).to_contain_text("表决草稿已保存")
    expect(page.get_by_test_id("draft-poll")).to_have_count(1)
    expect(page.get_by_test_id("draft-poll")).to_contain_text("是否同意使用维修资金维修外墙？")
    shot(page, "meeting")

    page.get_by_test_id("print-notice").click()
    notice = page.get_by_test_id("print-notice")
    expect(notice).to_contain_text("会议公示")
    expect(notice).to_contain_text("维修资金使用")
    expect(notice).to_contain_text("张贴日期")
    shot(page, "notice")
    page.emulate_media(media="print")
    expect(page.locator(".no-print")).to_be_hidden()
    page.emulate_media(media="screen")


def test_resident_cards_are_printed_building_by_building(
    context: BrowserContext, server: LiveServer
) -> None:
    page = context.new_page()
    page.goto(f"{server.url}/clerk/print/cards?lang=zh_CN")
    cards = page.get_by_test_id("resident-card")
    expect(cards.first).to_have_attribute("data-code", "YISHI:M00001")
    assert cards.count() > 10
    expect(cards.first.locator("svg")).to_be_visible()
    shot(page, "cards")
    page.emulate_media(media="print")
    expect(page.get_by_test_id("print-button")).to_be_hidden()
    shot(page, "cards-print")


def test_the_clerk_prints_a_slip_for_someone_signed_in_at_the_desk(
    context: BrowserContext, server: LiveServer
) -> None:
    page = context.new_page()
    page.goto(f"{server.url}/clerk?lang=zh_CN")
    page.locator("#clerk-name").fill("王记录")
    page.locator("#member-q").fill("秦娜")
    page.locator("#member-search button[type=submit]").click()
    page.locator("#member-results button", has_text="签到").first.click()
    with context.expect_page() as opened:
        page.get_by_test_id("print-slip").click()
    slip = opened.value
    expect(slip.get_by_test_id("print-slip")).to_contain_text("秦娜")
    expect(slip.get_by_test_id("slip-url")).to_contain_text("/v/")
    expect(slip.locator(".slip-qr svg")).to_be_visible()
    shot(slip, "slip")

    page.locator("#member-q").fill("范强珍")  # absent: represented by a proxy
    page.locator("#member-search button[type=submit]").click()
    page.locator("#member-results li", has_text="范强珍").first.get_by_role(
        "button", name="被代理"
    ).click()
    page.locator("#proxy-name").fill("邱小明")
    page.locator("#proxy-checked").check()
    page.locator("#proxy-form button[type=submit]").click()
    expect(page.locator("#sign-in-result")).to_contain_text("邱小明")
    with context.expect_page() as opened:
        page.get_by_test_id("print-slip").click()
    expect(opened.value.get_by_test_id("print-slip")).to_contain_text("邱小明")
    shot(opened.value, "slip-proxy")


def test_the_start_page_leads_a_phone_on(context: BrowserContext, server: LiveServer) -> None:
    page = context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server.url}/?lang=zh_CN")
    expect(page.get_by_test_id("start-join")).to_have_attribute("href", "/join")
    box = page.get_by_test_id("start-join").bounding_box()
    assert box is not None and box["height"] >= 60  # elder mode: large targets
    shot(page, "start-phone")
    page.set_viewport_size({"width": 1280, "height": 800})
    shot(page, "start")


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_preparation_screen_is_clean_under_axe(
    context: BrowserContext, server: LiveServer, lang: str
) -> None:
    audit = Audit(lang)
    page = context.new_page()
    meeting = page.goto(f"{server.url}/clerk/prepare?lang={lang}")
    assert meeting is not None
    audit.check(page, "prepare index")
    page.get_by_test_id("new-meeting").click()
    audit.check(page, "new meeting")
    page.get_by_test_id("create-meeting").click()  # the browser refuses the empty form
    page.goto(f"{server.url}/clerk/prepare?lang={lang}")
    page.locator("[data-testid=prepare-index] tbody a").first.click()
    audit.check(page, "meeting")
    meeting_id = page.get_by_test_id("prepare-meeting").get_attribute("data-meeting-id")
    page.goto(f"{server.url}/clerk/meetings/{meeting_id}/notice?lang={lang}")
    audit.check(page, "notice")
    page.goto(f"{server.url}/clerk/roster?lang={lang}")
    page.get_by_test_id("roster-file").set_input_files(workbook("A" + lang, zero_tail=True))
    page.get_by_test_id("roster-check").click()
    expect(page.get_by_test_id("roster-traps")).to_be_visible()
    audit.check(page, "roster with traps")
    page.goto(f"{server.url}/clerk/roster?q=孙艳娜&lang={lang}")
    audit.check(page, "roster search")
    page.locator("[data-testid=member-results] a").first.click()
    audit.check(page, "member")
    page.goto(f"{server.url}/clerk/print/cards?lang={lang}")
    audit.check(page, "cards")
    page.goto(f"{server.url}/clerk?lang={lang}")
    page.locator("#member-q").fill({"zh_CN": "蔡志", "en": "邱国英"}[lang])
    page.locator("#member-search button[type=submit]").click()
    page.locator("#member-results li").first.locator("button").first.click()
    with context.expect_page() as opened:
        page.get_by_test_id("print-slip").click()
    audit.check(page, "clerk desk with the slip button")
    audit.check(opened.value, "slip")
    page.goto(f"{server.url}/?lang={lang}")
    audit.check(page, "start")
    if lang == "en":
        shot(page, "start-en")
    audit.assert_clean()
