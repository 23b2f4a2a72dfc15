"""Residents' topics in Debian's Chromium against the real server (the first half of issue
17's must-show): a resident proposes a topic at the kiosk (elder mode), neighbours co-sign it
from their phones while the notice board's bar moves live, until the threshold; the clerk
accepts it onto the meeting's agenda on /clerk/topics. axe-core clean in zh-CN and English on
each screen. Screenshots: ``test-artifacts/topics-*.png``.
"""

from __future__ import annotations

import csv

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import ARTIFACTS, LiveServer, scan_burst
from tests.browser.test_accessibility import Audit
from tests.browser.test_counting_screens import ROSTER
from tests.browser.test_floor import sign_in
from tests.browser.test_kiosk import assert_elder_mode, screen, tap
from tests.browser.test_projector_clerk import api, demo_meeting

pytestmark = pytest.mark.browser

TITLE = "3栋2单元楼道灯常坏，晚上出入不安全"


def shot(page: Page, name: str) -> None:
    """Save the page as test-artifacts/topics-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"topics-{name}.png"), full_page=True)


def unit_rows(building: str, unit: str) -> list[dict[str, str]]:
    """The demo roster's rows of one unit (one household each), in roster order."""
    with ROSTER.open(encoding="utf-8-sig") as source:
        return [
            r for r in csv.DictReader(source) if r["building"] == building and r["unit"] == unit
        ]


def test_a_kiosk_topic_is_co_signed_from_phones_to_its_threshold_and_accepted_onto_the_agenda(
    context: BrowserContext, live_server: LiveServer
) -> None:
    server = live_server
    meeting = demo_meeting(server)
    rows = unit_rows("3栋", "2单元")
    assert len(rows) == 20  # 30 % of 20 households: 6 must sign
    audits = {lang: Audit(lang) for lang in ("zh_CN", "en")}

    # The kiosk (elder mode): the proposer scans her card, types her digits, proposes.
    kiosk = context.new_page()
    kiosk.set_viewport_size({"width": 1280, "height": 800})
    kiosk.goto(f"{server.url}/kiosk/topics?meeting={meeting}&lang=zh_CN")
    expect(kiosk.locator("html")).to_have_attribute("data-ready", "true")
    assert_elder_mode(kiosk, "the topics kiosk's start")
    shot(kiosk, "kiosk-start-zh")
    audits["zh_CN"].check(kiosk, "kiosk-topics-start")
    proposer = rows[0]
    scan_burst(kiosk, f"YISHI:{proposer['member_id']}")
    screen(kiosk, "tail")
    tap(kiosk, "tail", proposer["phone_tail"])
    screen(kiosk, "choose")
    expect(kiosk.locator("[data-screen='choose'] [data-role='message']")).to_have_text(
        "目前没有涉及您家的议题在征集联署。您可以提出议题。"
    )
    kiosk.get_by_test_id("kiosk-propose").click()
    screen(kiosk, "propose")
    kiosk.locator("#kiosk-topic-title").fill(TITLE)
    kiosk.locator("label.choice", has_text="安全").click()
    kiosk.locator("label.choice", has_text="我这个单元").click()
    assert_elder_mode(kiosk, "the topics kiosk's proposal form")
    shot(kiosk, "kiosk-propose-zh")
    audits["zh_CN"].check(kiosk, "kiosk-topics-propose")
    kiosk.get_by_test_id("kiosk-propose-submit").click()
    screen(kiosk, "choose")
    mine = kiosk.get_by_test_id("kiosk-topic").filter(has_text=TITLE)
    expect(mine.locator("[data-role='figures']")).to_have_text(
        "已有 1 / 20 户联署；需 6 户（30%）。"
    )
    expect(mine.get_by_role("button")).to_have_text("您已联署此议题")
    assert_elder_mode(kiosk, "the topics kiosk's list")
    shot(kiosk, "kiosk-choose-zh")
    audits["zh_CN"].check(kiosk, "kiosk-topics-choose")
    topic = next(t for t in api(server, "/api/v1/topics")["topics"] if t["title"] == TITLE)
    assert (topic["source"], topic["scope"], topic["signed"]) == ("kiosk", "unit", 1)

    # The notice board follows the topic live.
    board = context.new_page()
    board.set_viewport_size({"width": 1280, "height": 900})
    board.goto(f"{server.url}/board/topics?lang=zh_CN")
    card = board.get_by_test_id("board-topic").filter(has_text=TITLE)
    expect(card.locator("[data-role='figures']")).to_contain_text("已有 1 / 20 户联署")
    expect(card.locator("[data-role='met']")).to_be_hidden()

    # Five neighbours co-sign from their phones; the board's bar moves with each.
    for number, row in enumerate(rows[1:6], start=2):
        phone = context.new_page()
        phone.set_viewport_size({"width": 390, "height": 844})
        phone.goto(f"{server.url}{sign_in(server, row['name'], row['phone_tail'])}/topics")
        phone_card = phone.get_by_test_id("board-topic").filter(has_text=TITLE)
        phone_card.get_by_test_id("sign-topic").click()
        expect(phone_card.locator("[data-role='result']")).to_have_text(
            f"谢谢您，{row['name']}：您的联署已记录。"
        )
        expect(card.locator("[data-role='figures']")).to_contain_text(f"已有 {number} / 20 户联署")
        if number == 2:
            phone_card.get_by_test_id("sign-topic").click()  # a second time: refused in words
            expect(phone_card.locator("[data-role='result']")).to_have_text(
                f"{row['name']}，您已联署“{TITLE}”：每人对一个议题只能联署一次。"
            )
            shot(phone, "phone-refused-zh")
            audits["zh_CN"].check(phone, "phone-topics")
        phone.close()
    expect(card.locator("[data-role='met']")).to_be_visible()
    expect(card.locator("[data-role='met']")).to_have_text("已达联署门槛，等待审核")
    shot(board, "board-met-zh")
    audits["zh_CN"].check(board, "board-topics")
    # The notice board itself lists it among the topics collecting signatures, threshold met.
    notice = context.new_page()
    notice.set_viewport_size({"width": 1280, "height": 900})
    notice.goto(f"{server.url}/board?lang=zh_CN#topics")
    listed = notice.get_by_test_id("board-open-topic").filter(has_text=TITLE)
    expect(listed).to_contain_text("已达联署门槛，等待审核")
    expect(notice.get_by_test_id("board-topics-open")).to_have_attribute("href", "/board/topics")
    notice.get_by_test_id("board-topics").screenshot(
        path=str(ARTIFACTS / "topics-notice-board-zh.png")
    )
    audits["zh_CN"].check(notice, "notice board with topics")
    notice.close()

    # The clerk accepts it onto the meeting's agenda.
    clerk = context.new_page()
    clerk.goto(f"{server.url}/clerk/topics?lang=zh_CN")
    entry = clerk.locator(f"#topic-{topic['id']}")
    expect(entry).to_contain_text("已达联署门槛，等待审核")
    expect(entry).to_contain_text("居民在自助机提出")
    entry.locator("summary").click()
    form = entry.get_by_test_id("accept-form")
    form.locator("select[name='meeting_id']").select_option(str(meeting))
    form.locator("input[name='reason']").fill("联署达到30%，列入本次议事会讨论")
    shot(clerk, "clerk-review-zh")
    audits["zh_CN"].check(clerk, "clerk-topics-review")
    form.get_by_test_id("accept-submit").click()
    expect(clerk.get_by_test_id("prep-messages")).to_contain_text(f"“{TITLE}”已受理")
    expect(clerk.locator(f"#topic-{topic['id']}")).to_contain_text("已受理，列入议程")
    shot(clerk, "clerk-accepted-zh")
    agenda = api(server, f"/api/v1/meetings/{meeting}/agenda")["items"]
    accepted = api(server, "/api/v1/topics")["topics"]
    (done,) = [t for t in accepted if t["id"] == topic["id"]]
    assert done["status"] == "accepted"
    assert [i["title"] for i in agenda if i["id"] == done["agenda_item_id"]] == [TITLE]

    # The board publishes the answer with its reason.
    board.reload()
    answer = board.get_by_test_id("decided-topic").filter(has_text=TITLE)
    expect(answer).to_contain_text("联署达到30%，列入本次议事会讨论")
    shot(board, "board-answer-zh")
    audits["zh_CN"].check(board, "board-topics-answers")

    # The same screens in English.
    for page, path, state in (
        (clerk, "/clerk/topics", "clerk-topics"),
        (board, "/board/topics", "board-topics"),
        (kiosk, f"/kiosk/topics?meeting={meeting}", "kiosk-topics-start"),
    ):
        page.goto(f"{server.url}{path}{'&' if '?' in path else '?'}lang=en")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        audits["en"].check(page, state)
    scan_burst(kiosk, f"YISHI:{rows[6]['member_id']}")
    screen(kiosk, "tail")
    tap(kiosk, "tail", rows[6]["phone_tail"])
    screen(kiosk, "choose")
    expect(kiosk.get_by_test_id("kiosk-topic")).to_have_count(0)  # accepted: no longer open
    audits["en"].check(kiosk, "kiosk-topics-choose")
    kiosk.get_by_test_id("kiosk-propose").click()
    screen(kiosk, "propose")
    shot(kiosk, "kiosk-propose-en")
    audits["en"].check(kiosk, "kiosk-topics-propose")
    clerk.goto(f"{server.url}/clerk/topics?lang=en")
    shot(clerk, "clerk-en")

    for audit in audits.values():
        audit.assert_clean()
