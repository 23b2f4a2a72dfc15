"""An owners' assembly's voting period in Debian's Chromium against the real server: the clerk
sets it up with two art. 278 matters and opens it (refused in words until the roster question
is answered), the room votes on a named poll put to a matter (a phone and an assisted ballot,
recorded per unit when the poll closes), the office enters ballots (a second one refused in
words), the clerk closes and publishes the preliminary result, an owner lodges an objection at
the board, the clerk answers it in writing, and the final result is on the board.

The paper ballots (printing, delivery, scanning, the review of a disputed mark) are the paper
package's part of issue 18: ``PAPER_STEPS`` marks where they join this walk.

Screenshots: ``test-artifacts/assembly-*.png``.
"""

from __future__ import annotations

import re
import sqlite3
import urllib.parse
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import ARTIFACTS, LiveServer, log_in
from tests.browser.test_accessibility import Audit, visit
from tests.browser.test_floor import api, sign_in
from tests.browser.test_projector_clerk import demo_meeting
from tests.support.ballot_scans import Scan, generate

pytestmark = pytest.mark.browser

FUND_USE = "使用维修资金更换7栋电梯"
MARKET = "利用小区广场开设便民市场"
QUESTION = "是否同意使用维修资金更换7栋电梯？"


def shot(page: Page, name: str) -> None:
    """Save the page as test-artifacts/assembly-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"assembly-{name}.png"), full_page=True)


def member(server: LiveServer, name: str) -> int:
    found = api(server, f"/api/v1/members?q={urllib.parse.quote(name)}")["members"]
    assert found[0]["name"] == name
    return int(found[0]["id"])


def set_up(page: Page, server: LiveServer, lang: str = "zh_CN", meeting: bool = True) -> None:
    """The clerk fills the new-period form: two matters, the demo meeting's named votes."""
    visit(page, server, "/clerk/assembly", lang)
    page.get_by_test_id("period-title").fill("2026年第二次业主大会")
    if meeting:
        page.get_by_test_id("period-meeting").select_option(index=1)
    page.get_by_test_id("matter-title-1").fill(FUND_USE)
    page.get_by_test_id("matter-kind-1").select_option("fund_use")
    page.get_by_test_id("matter-title-2").fill(MARKET)
    page.get_by_test_id("matter-kind-2").select_option("common_parts_use")
    page.get_by_test_id("create-period").click()
    expect(page.get_by_test_id("assembly-desk")).to_have_attribute("data-state", "draft")


def open_assumed(page: Page) -> None:
    """Open the period, confirming each unit without an owner key counts as its own owner."""
    page.get_by_test_id("assume-owners").check()
    page.get_by_test_id("open-period").click()
    expect(page.get_by_test_id("assembly-desk")).to_have_attribute("data-state", "open")


def office_ballot(page: Page, address: str, first: str, second: str, channel: str = "") -> None:
    """Enter a unit's ballot at the office."""
    form = page.get_by_test_id("office-ballot")
    form.get_by_test_id("office-unit").fill(address)
    form.get_by_test_id(f"office-1-{first}").check()
    form.get_by_test_id(f"office-2-{second}").check()
    if channel:
        form.locator("select[name=channel]").select_option(channel)
    form.get_by_test_id("office-submit").click()


CHOICES = ("赞成", "反对", "弃权")  # the boxes of a paper ballot, left to right


def put_to_room(desk: Page, poll_id: int) -> None:
    """Put matter 1 to the room through this named poll, on the clerk's page."""
    desk.reload()
    desk.locator("#matters select[name=poll_id]").first.select_option(str(poll_id))
    desk.locator("#matters").get_by_role("button").first.click()
    expect(desk.locator(".prep-done")).to_contain_text("事项1已提交会场表决")


def page_through_paper(paper: Page, server: LiveServer) -> dict[str, Scan]:
    """Print, deliver three ballots, read two returned ones from phone photos and decide the
    disputed mark; the scans by address."""
    printed = paper.request.get(
        server.url + str(paper.get_by_test_id("print-ballots").get_attribute("href"))
    )
    assert printed.body().startswith(b"%PDF")
    paper.reload()  # the serials exist once printed
    serials = {}
    for address, how in (("1栋1单元601", "handed"), ("1栋1单元801", "left"),
                         ("1栋1单元1002", "handed")):  # fmt: skip
        row = paper.locator(f'[data-testid="unit-row"][data-address="{address}"]')
        serials[address] = row.locator("td").first.inner_text().strip()
        row.locator('select[name="delivery"]').select_option(how)
        row.locator('input[name="delivered_by"]').fill("王志愿者")
        row.get_by_role("button").click()
        done = paper.locator(f'[data-testid="unit-row"][data-address="{address}"]')
        expect(done).to_have_attribute("data-delivery", how)
    scans = {
        "1栋1单元601": generate(7101, kinds=("tick_pen", "cross"), serial=serials["1栋1单元601"],
                                torn=False),
        "1栋1单元801": generate(7102, kinds=("two", "tick_pen"), serial=serials["1栋1单元801"],
                                torn=False),
    }  # fmt: skip
    paper.get_by_test_id("scan-files").set_input_files(
        [
            {"name": f"photo-{i}.jpg", "mimeType": "image/jpeg", "buffer": scan.jpeg}
            for i, scan in enumerate(scans.values())
        ]
    )
    paper.get_by_test_id("scan-submit").click()
    expect(paper.get_by_test_id("report-pages-read")).to_have_text("2")
    expect(paper.get_by_test_id("review-link")).to_contain_text("(1)")
    shot(paper, "paper")
    paper.get_by_test_id("review-link").click()
    item = paper.get_by_test_id("review-item").first
    expect(item).to_contain_text("1栋1单元801")
    item.get_by_test_id("decide-against").click()
    expect(paper.get_by_test_id("review-item").first).to_have_attribute("data-decided", "true")
    shot(paper, "review")
    return scans


def window_ends_now(server: LiveServer) -> None:
    """Let the objection window's days pass: the live server runs on the real clock, so its
    end is moved to a minute ago in the database (as the clerk's calendar would have it)."""
    past = (datetime.now(UTC) - timedelta(minutes=1)).replace(tzinfo=None)
    with sqlite3.connect(server.instance / "yishi.db") as db:
        db.execute("UPDATE voting_periods SET objection_ends_at = ?", (past.isoformat(" "),))


def test_a_whole_voting_period_from_setup_to_the_final_result_on_the_board(
    context: BrowserContext, browser: Browser, live_server: LiveServer
) -> None:
    server = live_server
    log_in(context, "clerk")
    desk = context.new_page()
    desk.set_viewport_size({"width": 1280, "height": 900})
    set_up(desk, server)
    matters = desk.get_by_test_id("matter")
    expect(matters.nth(0)).to_contain_text("第5项：使用建筑物及其附属设施的维修资金")
    expect(matters.nth(0)).to_contain_text("过半数")
    expect(matters.nth(1)).to_contain_text("四分之三")
    shot(desk, "draft")

    # The demo roster has no owner keys: opening says so in words, and fixes nothing.
    desk.get_by_test_id("open-period").click()
    expect(desk.locator(".prep-error")).to_contain_text("owner_key")
    expect(desk.get_by_test_id("assembly-desk")).to_have_attribute("data-state", "draft")
    open_assumed(desk)
    watching = context.new_page()  # the committee's view, left open on another screen
    watching.goto(desk.url.split("#")[0])
    expect(watching.get_by_test_id("turnout-heads")).to_contain_text("0 / ")

    # The room: a named poll on the demo meeting, put to matter 1, voted by phone and assisted.
    meeting = demo_meeting(server)
    poll = api(
        server,
        f"/api/v1/meetings/{meeting}/polls",
        {"question": QUESTION, "rule": "art278_ordinary", "eligibility": "owners", "secret": False},
    )
    put_to_room(desk, int(poll["id"]))
    phone_path = sign_in(server, "孙艳娜", "6851")  # 1栋1单元202
    present = {"member_id": member(server, "邱秀德"), "phone_tail": "3657"}  # 1栋1单元301
    api(server, f"/api/v1/meetings/{meeting}/sign-in", present)
    api(server, f"/api/v1/polls/{poll['id']}/open", {})
    residents = browser.new_context(locale="zh-CN")
    phone = residents.new_page()
    phone.set_viewport_size({"width": 360, "height": 640})
    phone.goto(server.url + phone_path)
    ballot = phone.get_by_test_id("ballot")
    ballot.get_by_role("button", name=re.compile("^赞成 — ")).click()
    ballot.get_by_role("button", name="确认投票").click()
    expect(ballot.get_by_test_id("receipt")).to_be_visible()
    helped = {"member_id": member(server, "邱秀德"), "choices": ["against"], "helper": "王记录"}
    api(server, f"/api/v1/polls/{poll['id']}/assisted", helped)
    api(server, f"/api/v1/polls/{poll['id']}/close", {})

    desk.reload()
    channels = desk.get_by_test_id("by-channel")
    expect(channels).to_contain_text("手机")
    expect(channels).to_contain_text("工作人员协助")

    # The office: one unit's ballot, then a second ballot of a unit that voted by phone.
    office_ballot(desk, "1栋1单元402", "for", "against")
    expect(desk.locator(".prep-done")).to_contain_text("1栋1单元402：事项1已录入")
    office_ballot(desk, "1栋1单元202", "against", "for")
    said = desk.locator(".prep-done")
    expect(said).to_contain_text("事项1不予计入：该户已表决（手机），以第一次为准，两张选票均留存")
    expect(said).to_contain_text("事项2已录入")
    expect(desk.get_by_test_id("kept-ballots")).to_contain_text("1栋1单元202")
    # Paper: the batch printed, three ballots delivered, two returned and read from photos
    # (one with a disputed mark the clerk decides), one not returned: where to knock.
    desk_url = desk.url.split("#")[0]
    desk.get_by_test_id("paper-link").click()
    scans = page_through_paper(desk, server)
    desk.goto(desk_url)
    expect(desk.get_by_test_id("by-channel")).to_contain_text("纸质选票")
    office_ballot(desk, "1栋1单元502", "for", "for", channel="paper")
    expect(desk.locator(".prep-done")).to_contain_text("1栋1单元502")
    expect(desk.get_by_test_id("turnout-heads")).to_contain_text("6 / ")
    # The committee's screen follows live without a reload (over /clerk, event "period").
    expect(watching.get_by_test_id("turnout-heads")).to_contain_text("6 / ")
    waiting = desk.get_by_test_id("not-voted")
    expect(waiting).to_contain_text("1栋1单元1002")
    expect(waiting).to_contain_text("其中1套有送达记录")
    expect(desk.get_by_test_id("not-voted")).not_to_contain_text("1栋1单元402")
    shot(desk, "open")

    desk.get_by_test_id("close-period").click()
    expect(desk.get_by_test_id("assembly-desk")).to_have_attribute("data-state", "closed")
    desk.get_by_test_id("publish-preliminary").click()
    expect(desk.get_by_test_id("assembly-desk")).to_have_attribute("data-state", "preliminary")

    board = residents.new_page()
    board.goto(f"{server.url}/board")
    board.get_by_test_id("board-period").get_by_role("link").click()
    expect(board.get_by_test_id("result-kind")).to_contain_text("初步统计结果")
    law = board.get_by_test_id("law")
    expect(law).to_contain_text("第二百七十八条")
    expect(law).to_contain_text("同一买受人")
    verdicts = board.get_by_test_id("matter-verdict")
    expect(verdicts.nth(0)).to_have_text("未通过")  # 4 units of hundreds: no 2/3 take part
    units = board.get_by_test_id("unit-list")
    expect(units).to_contain_text("1栋1单元402")
    clean, disputed = scans["1栋1单元601"], scans["1栋1单元801"]
    assert None not in clean.truth and disputed.truth[1] is not None
    expect(units.locator("tr", has_text="1栋1单元601")).to_contain_text(
        re.compile(f"{CHOICES[clean.truth[0]]}\\s*{CHOICES[clean.truth[1]]}")
    )
    expect(units.locator("tr", has_text="1栋1单元801")).to_contain_text(
        re.compile(f"反对\\s*{CHOICES[disputed.truth[1]]}")  # the clerk's decision, then the pen
    )
    expect(board.get_by_test_id("unit-list")).not_to_contain_text("2181")  # no phone digits
    shot(board, "board-preliminary")
    form = board.get_by_test_id("board-lodge")
    form.locator("input[name=unit]").fill("1栋1单元402")
    form.locator("input[name=tail]").fill("0000")  # wrong digits: counted towards a pause
    form.locator("textarea[name=text]").fill("我家事项2选的是反对，请核对。")
    form.get_by_role("button").click()
    expect(board.get_by_test_id("board-message")).to_contain_text("还可以再试2次")
    shot(board, "board-wrong-digits")
    form = board.get_by_test_id("board-lodge")  # what the owner wrote is kept, not the digits
    expect(form.locator("textarea[name=text]")).to_have_value("我家事项2选的是反对，请核对。")
    expect(form.locator("input[name=tail]")).to_have_value("")
    form.locator("input[name=tail]").fill("2181")
    form.get_by_role("button").click()
    expect(board.get_by_test_id("board-message")).to_contain_text("您的异议已记录")
    expect(board.get_by_test_id("board-objection")).to_contain_text("我家事项2选的是反对")

    desk.reload()
    objection = desk.get_by_test_id("objection")
    expect(objection).to_contain_text("我家事项2选的是反对")
    objection.get_by_test_id("answer-text").fill("经核对，该户事项2的选票为反对，统计无误。")
    objection.get_by_test_id("answer-submit").click()
    expect(desk.locator(".prep-done")).to_contain_text("答复已保存")
    desk.get_by_test_id("publish-final").click()
    expect(desk.locator(".prep-error")).to_contain_text("询异期尚未结束")
    window_ends_now(server)
    desk.get_by_test_id("publish-final").click()
    expect(desk.get_by_test_id("assembly-desk")).to_have_attribute("data-state", "final")

    board.reload()
    expect(board.get_by_test_id("result-kind")).to_contain_text("最终结果")
    expect(board.get_by_test_id("board-objection-answer")).to_have_text(
        "经核对，该户事项2的选票为反对，统计无误。"
    )
    expect(board.get_by_test_id("board-lodge")).to_have_count(0)
    shot(board, "board-final")
    projector = residents.new_page()
    projector.set_viewport_size({"width": 1920, "height": 1080})
    projector.goto(board.url.split("#")[0] + "?projector=1")
    expect(projector.get_by_test_id("matter-verdict").nth(1)).to_have_text("未通过")
    shot(projector, "projector-final")
    residents.close()


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_assembly_screens_are_clean_for_axe(
    page: Page, context: BrowserContext, live_server: LiveServer, lang: str
) -> None:
    server = live_server
    audit = Audit(lang)
    log_in(context, "clerk")
    page.set_viewport_size({"width": 1280, "height": 900})
    visit(page, server, "/clerk/assembly", audit.lang)
    audit.check(page, "periods")
    set_up(page, server, audit.lang, meeting=False)
    audit.check(page, "draft")
    open_assumed(page)
    office_ballot(page, "1栋1单元402", "for", "against")
    office_ballot(page, "1栋1单元402", "against", "for")
    audit.check(page, "open, a second ballot refused")
    page.get_by_test_id("close-period").click()
    page.get_by_test_id("publish-preliminary").click()
    expect(page.get_by_test_id("assembly-desk")).to_have_attribute("data-state", "preliminary")
    audit.check(page, "preliminary")
    if audit.lang == "en":
        shot(page, "desk-preliminary-en")
    page.get_by_test_id("board-result-link").click()
    expect(page.get_by_test_id("board-assembly")).to_be_visible()
    audit.check(page, "board")
    audit.assert_clean()
