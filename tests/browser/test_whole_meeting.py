"""The whole meeting in Chromium, from an empty box (``yishi run --no-demo``: no roster, no
meeting, only the staff accounts) and through the screens alone: the clerk logs in, uploads the
roster (.xlsx), prepares a meeting (rules of order, agenda, a draft vote), posts it, prints the
cards and pairs the kiosk; seven members of the owners' committee sign in at the kiosk with their
cards (the quorum: half of the committee); the moderator opens the meeting, runs an item with a
speech asked for from a phone and the prepared vote (phones vote), publishes the result and
closes; the clerk records a decision and an action and publishes the minutes; the notice board
shows them. No API call and no command beyond starting the server; the database is read at the
end to check what was recorded. Screenshots: ``test-artifacts/e2e-*.png``.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import ARTIFACTS, LiveServer, scan_burst, wait_joined
from tests.browser.test_kiosk import screen, tap
from tests.conftest import PASSWORD
from tests.web.prepare.rosters import as_xlsx, sample_rows

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLE = "3栋电动车充电桩协商会"
ITEMS = ("充电桩选址", "收费标准")
QUESTION = "是否同意在3栋北侧安装电动车充电桩？"
DECISION = "同意在3栋北侧安装电动车充电桩。"
ACTION = "完成充电桩选址施工"
# Seven of the owners' committee (12 members in the sample roster): card code and phone tail.
COMMITTEE = [("M00033", "廖春勇", "7109"), ("M00053", "莫明", "6918"),
             ("M00082", "尹英", "2322"), ("M00090", "严梅艳", "0810"),
             ("M00113", "刘艳", "2325"), ("M00148", "郑建德", "3638"),
             ("M00156", "付梅淑", "0889")]  # fmt: skip


@pytest.fixture
def empty_box(tmp_path: Path) -> Iterator[LiveServer]:
    """A box started with ``yishi run --no-demo``: no roster, no meeting."""
    server = LiveServer(tmp_path, demo=False)
    yield server
    server.stop()


def shot(page: Page, name: str, full: bool = False) -> None:
    """Save the screen (``full``: the whole page) as test-artifacts/e2e-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"e2e-{name}.png"), full_page=full)


def staff(browser: Browser, server: LiveServer, role: str, path: str) -> Page:
    """A new browser profile whose staff member logs in through the form and lands on ``path``."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{server.url}{path}")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("用户名").fill(role)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".account-bar")).to_contain_text(f"已登录：{role}")
    return page


def device(browser: Browser, width: int, height: int) -> Page:
    """A page in a new profile with no staff login (a resident's phone, the notice board)."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    return context.new_page()


def roster_file() -> dict[str, object]:
    """The 480-household sample as the community office's workbook."""
    return {"name": "名册.xlsx", "mimeType": XLSX, "buffer": as_xlsx(sample_rows())}


def prepare(clerk: Page, server: LiveServer) -> int:
    """The clerk uploads the roster and prepares the meeting; its id."""
    clerk.goto(f"{server.url}/clerk/roster")
    clerk.get_by_test_id("roster-file").set_input_files(roster_file())
    clerk.get_by_test_id("roster-check").click()
    expect(clerk.get_by_test_id("roster-summary")).to_contain_text("480")
    shot(clerk, "roster-preview")
    clerk.get_by_test_id("roster-commit").click()
    expect(clerk.get_by_test_id("roster-imported")).to_contain_text("480")

    clerk.goto(f"{server.url}/clerk/prepare")
    clerk.get_by_test_id("new-meeting").click()
    clerk.get_by_test_id("meeting-title").fill(TITLE)
    day = (datetime.now() + timedelta(days=12)).strftime("%Y-%m-%d")
    clerk.get_by_test_id("meeting-date").fill(day)
    clerk.get_by_test_id("meeting-time").fill("19:30")
    clerk.get_by_test_id("meeting-venue").fill("社区议事厅")
    clerk.locator("input[name=eligibility][value=groups]").check()
    clerk.locator("input[name=groups][value=业委会]").check()
    clerk.locator("input[name=quorum][value=half]").check()
    clerk.get_by_test_id("create-meeting").click()
    prepared = clerk.get_by_test_id("prepare-meeting")
    expect(prepared).to_be_visible()
    meeting = int(prepared.get_attribute("data-meeting-id") or "0")

    clerk.get_by_test_id("preset-three").check()
    clerk.get_by_test_id("save-rules").click()
    expect(clerk.get_by_test_id("prep-messages")).to_contain_text("议事规则已保存")
    for title in ITEMS:
        clerk.get_by_test_id("item-title").fill(title)
        clerk.get_by_test_id("add-item").click()
        expect(clerk.get_by_test_id("prep-messages")).to_contain_text("已添加议题")
    expect(clerk.get_by_test_id("agenda-item")).to_have_count(2)
    form = clerk.get_by_test_id("poll-add")
    form.get_by_test_id("poll-question").fill(QUESTION)
    form.get_by_test_id("poll-item").select_option(label=f"1. {ITEMS[0]}")
    form.get_by_test_id("poll-rule").select_option("simple_majority")
    clerk.get_by_test_id("add-poll").click()
    expect(clerk.get_by_test_id("prep-messages")).to_contain_text("表决草稿已保存")
    expect(clerk.get_by_test_id("draft-poll")).to_contain_text(QUESTION)
    shot(clerk, "prepared")

    # Posted at the clerk desk (a confirmation); the notice printed for the paper board.
    clerk.get_by_test_id("to-post").click()
    wait_joined(clerk)  # the desk's scripts are running
    badge = clerk.locator("[data-testid='desk-life'] [data-testid='meeting-state']")
    expect(badge).to_have_attribute("data-status", "draft")
    clerk.once("dialog", lambda dialog: dialog.accept())
    clerk.get_by_test_id("post-meeting").click()
    expect(badge).to_have_attribute("data-status", "announced")
    shot(clerk, "posted")
    clerk.goto(f"{server.url}/clerk/prepare/{meeting}")
    clerk.get_by_test_id("print-notice").click()
    notice = clerk.get_by_test_id("print-notice")
    expect(notice).to_contain_text("会议公示")
    expect(notice).to_contain_text(ITEMS[1])
    expect(notice).to_contain_text("张贴日期")
    shot(clerk, "notice")

    clerk.goto(f"{server.url}/clerk/print/cards")
    card = clerk.locator("[data-testid=resident-card][data-code='YISHI:M00033']")
    expect(card).to_contain_text("廖春勇")
    expect(card.locator("svg")).to_be_visible()
    shot(clerk, "cards")
    return meeting


def pair_kiosk(browser: Browser, clerk: Page, server: LiveServer) -> Page:
    """A new screen at the door, paired with a code from the clerk desk."""
    kiosk = device(browser, 1280, 800)
    kiosk.goto(f"{server.url}/kiosk")
    expect(kiosk.get_by_role("heading", name="配对这块屏幕")).to_be_visible()
    clerk.goto(f"{server.url}/clerk")
    wait_joined(clerk)  # the desk's modules are running: the view buttons answer a click
    clerk.get_by_test_id("view-devices").click()
    clerk.get_by_label("设备名称").fill("大厅签到机")
    clerk.get_by_role("button", name="生成配对码").click()
    code = clerk.get_by_test_id("pair-code").locator("[data-field=code]")
    expect(code).to_have_text(re.compile(r"^\d{6}$"))
    kiosk.get_by_label("配对码（6 位数字）").fill(code.inner_text())
    kiosk.get_by_role("button", name="配对").click()
    expect(kiosk.locator("#kiosk[data-ready='true']")).to_be_attached()
    return kiosk


def sign_in_at_kiosk(kiosk: Page, member: str, name: str, tail: str) -> str:
    """The member's card held to the scanner, the phone tail tapped; the phone page's path (what
    the personal QR on the kiosk opens)."""
    sign_in_url = kiosk.locator("#kiosk").get_attribute("data-url-sign-in") or ""
    assert sign_in_url
    scan_burst(kiosk, f"YISHI:{member}")  # a USB scanner: a burst, then Enter
    screen(kiosk, "confirm")
    expect(kiosk.locator("[data-role='who-name']")).to_have_text(name)
    with kiosk.expect_response(
        lambda r: r.url.endswith(sign_in_url) and r.request.method == "POST"
    ) as answer:
        tap(kiosk, "tail", tail)
    screen(kiosk, "done")
    expect(kiosk.locator("[data-role='greeting']:visible")).to_contain_text(name)
    expect(kiosk.locator("[data-role='qr'] svg")).to_be_visible()
    phone_url = str(answer.value.json()["phone_url"])
    kiosk.get_by_role("button", name="我已收好").click()
    screen(kiosk, "start")
    return "/v/" + phone_url.rsplit("/v/", 1)[1]


def vote(phone: Page, label: str) -> None:
    """Two taps on the phone: the choice, then "确认投票"; the receipt is shown."""
    ballot = phone.get_by_test_id("ballot")
    expect(ballot.get_by_test_id("ballot-question")).to_have_text(QUESTION)
    ballot.get_by_role("button", name=re.compile(f"^{label} — ")).click()
    expect(ballot.get_by_test_id("ballot-chosen")).to_have_text(f"您选择了：{label}")
    ballot.get_by_role("button", name="确认投票").click()
    expect(ballot.get_by_test_id("receipt")).to_be_visible()


def run_meeting(console: Page, phones: list[Page], meeting: int) -> None:
    """The moderator opens the meeting, runs the first item (a speech asked for from a phone,
    the prepared vote) and closes the meeting."""
    badge = console.locator("[data-testid='console-life'] [data-testid='meeting-state']")
    expect(badge).to_have_attribute("data-status", "announced")
    console.get_by_test_id("open-meeting").click()
    expect(badge).to_have_attribute("data-status", "open")
    expect(console.get_by_test_id("open-dialog")).to_be_hidden()  # the quorum is there
    expect(console.get_by_test_id("opening-quorum")).to_have_attribute("data-met", "true")
    for phone in phones:
        expect(phone.locator("[data-testid='meeting-state']")).to_have_attribute(
            "data-status", "open"
        )
    shot(console, "console-open")

    console.get_by_role("button", name=f"开始 {ITEMS[0]}").click()
    expect(console.get_by_test_id("console-item")).to_have_text(f"正在讨论：{ITEMS[0]}")

    speaker = phones[0]
    expect(speaker.get_by_test_id("phone-floor")).to_contain_text(ITEMS[0])
    speaker.get_by_test_id("request-floor").click()
    speaker.get_by_role("button", name="赞成").click()
    speaker.get_by_test_id("confirm-request").click()
    expect(speaker.get_by_test_id("queue-place")).to_have_text("您排在第 1 位")
    expect(console.get_by_test_id("queue")).to_contain_text(COMMITTEE[0][1])
    console.get_by_test_id("next-speaker").click()
    expect(speaker.get_by_test_id("phone-floor")).to_contain_text("轮到您发言了")
    expect(console.get_by_test_id("current-speaker")).to_contain_text(COMMITTEE[0][1])
    shot(speaker, "phone-speaking")
    shot(console, "console-speech")
    console.get_by_test_id("end-speech").click()
    console.get_by_test_id("confirm-yes").click()  # time left: asked first
    expect(speaker.get_by_test_id("request-floor")).to_be_visible()

    console.get_by_test_id("view-voting").click()
    current = console.get_by_test_id("poll-current")
    expect(current).to_have_attribute("data-status", "draft")
    expect(console.get_by_test_id("poll-question")).to_have_text(QUESTION)
    console.get_by_test_id("poll-open").click()
    expect(current).to_have_attribute("data-status", "open")
    for phone, label in zip(phones, ("赞成", "赞成", "反对"), strict=False):
        vote(phone, label)
    expect(console.get_by_test_id("poll-count")).to_have_attribute("data-cast", "3")
    shot(phones[0], "phone-voted")
    console.get_by_test_id("poll-close").click()
    console.get_by_test_id("poll-confirm-close").click()
    expect(current).to_have_attribute("data-status", "closed")
    expect(console.get_by_test_id("poll-result")).to_have_attribute("data-passed", "true")
    console.get_by_test_id("poll-publish").click()
    expect(current).to_have_attribute("data-status", "published")
    expect(phones[0].get_by_test_id("ballot-verdict")).to_have_text("通过")
    shot(console, "console-result")

    console.get_by_test_id("close-meeting").click()
    closing = console.get_by_test_id("close-dialog")
    expect(closing).to_be_visible()
    expect(closing).to_contain_text(ITEMS[0])  # the item under discussion ends with the meeting
    console.get_by_test_id("confirm-close").click()
    expect(badge).to_have_attribute("data-status", "closed")
    expect(phones[0].locator("[data-testid='meeting-state']")).to_have_attribute(
        "data-status", "closed"
    )
    shot(console, "console-closed")


def record(clerk: Page, server: LiveServer, meeting: int) -> None:
    """The clerk records a decision and an action, and publishes the minutes."""
    clerk.goto(f"{server.url}/clerk?meeting={meeting}")
    clerk.get_by_test_id("records-link").click()
    expect(clerk.get_by_role("heading", level=1)).to_contain_text("会议记录")
    form = clerk.get_by_test_id("decision-form")
    form.get_by_label("新决议").fill(DECISION)
    form.get_by_label("来自表决").select_option(index=1)
    form.get_by_role("button", name="记录决议").click()
    expect(clerk.get_by_test_id("records-message")).to_have_text(f"决议已记录：{DECISION}")
    action = clerk.get_by_test_id("action-form")
    action.get_by_label("事项", exact=True).fill(ACTION)
    action.get_by_label("责任单位", exact=True).fill("幸福里物业服务中心")
    action.get_by_label("配合单位", exact=True).fill("业委会")
    action.get_by_label("验收标准", exact=True).fill("充电桩通电并通过消防验收")
    action.get_by_role("button", name="添加责任事项").click()
    expect(clerk.get_by_test_id("records-message")).to_have_text(f"已添加责任事项：{ACTION}")
    summaries = clerk.get_by_test_id("summary-form")
    for index in range(summaries.count()):
        summaries.nth(index).locator("textarea").fill("充分讨论，多数同意。")
        summaries.nth(index).get_by_role("button", name="保存小结").click()
        expect(clerk.get_by_test_id("records-message")).to_have_text("小结已保存。")
    signatories = clerk.get_by_test_id("signatories-form")
    signatories.get_by_label("主持人", exact=True).fill("李主持")
    signatories.get_by_label("记录员", exact=True).fill("张记录")
    signatories.get_by_role("button", name="保存署名").click()
    expect(clerk.get_by_test_id("records-message")).to_have_text("署名已保存。")
    clerk.get_by_test_id("publish").click()
    expect(clerk.get_by_test_id("published")).to_be_visible()
    expect(clerk.get_by_test_id("completeness")).to_have_attribute("data-meets", "true")
    shot(clerk, "records-published")


def recorded(server: LiveServer, meeting: int) -> dict[str, object]:
    """What the box's database holds of the meeting (read once the screens are done)."""
    with sqlite3.connect(server.instance / "yishi.db") as db:

        def one(sql: str) -> object:
            return db.execute(sql, (meeting,)).fetchone()[0]

        return {
            "members": db.execute("SELECT count(*) FROM members").fetchone()[0],
            "status": one("SELECT status FROM meetings WHERE id = ?"),
            "steps": [
                row[0]
                for row in db.execute(
                    "SELECT to_status FROM meeting_transitions WHERE meeting_id = ? ORDER BY id",
                    (meeting,),
                )
            ],
            "present": one("SELECT count(*) FROM attendances WHERE meeting_id = ?"),
            "speeches": one(
                "SELECT count(*) FROM speeches JOIN agenda_items ON agenda_items.id ="
                " speeches.item_id WHERE agenda_items.meeting_id = ?"
            ),
            "polls": one("SELECT status FROM polls WHERE meeting_id = ?"),
        }


def test_a_whole_meeting_from_an_empty_box_in_the_browser_alone(
    browser: Browser, empty_box: LiveServer
) -> None:
    server = empty_box
    contexts: list[BrowserContext] = []
    try:
        board = device(browser, 1280, 900)
        contexts.append(board.context)
        board.goto(f"{server.url}/board")
        expect(board.locator("article[data-meeting-id]")).to_have_count(0)  # an empty box

        clerk = staff(browser, server, "clerk", "/clerk/roster")
        contexts.append(clerk.context)
        meeting = prepare(clerk, server)

        kiosk = pair_kiosk(browser, clerk, server)
        contexts.append(kiosk.context)
        shot(kiosk, "kiosk-start")
        paths = [sign_in_at_kiosk(kiosk, *member) for member in COMMITTEE]
        phones = []
        for path in paths[:3]:
            phone = device(browser, 390, 844)
            contexts.append(phone.context)
            phone.goto(server.url + path)
            wait_joined(phone)
            phones.append(phone)
        expect(phones[0].locator("[data-testid='meeting-state']")).to_have_attribute(
            "data-status", "announced"
        )

        console = staff(browser, server, "moderator", "/moderator")
        contexts.append(console.context)
        wait_joined(console)
        headcount = console.get_by_test_id("console-attendance").locator("[data-field=headcount]")
        expect(headcount).to_have_text(re.compile(r"^7 / 12 · "))  # half the committee is 6
        run_meeting(console, phones, meeting)

        record(clerk, server, meeting)

        board.goto(f"{server.url}/board")
        expect(board.locator(f"article[data-meeting-id='{meeting}']")).to_contain_text(TITLE)
        expect(board.locator("#results")).to_contain_text(DECISION)
        expect(board.get_by_test_id("action").filter(has_text=ACTION)).to_be_visible()
        shot(board, "board", full=True)
        board.get_by_role("link", name="查看会议纪要").first.click()
        expect(board.locator("body")).to_contain_text("出席人员")
        expect(board.locator("body")).to_contain_text(COMMITTEE[0][1])
        shot(board, "minutes", full=True)
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        for number, page in enumerate(p for c in contexts for p in c.pages):
            page.screenshot(path=str(ARTIFACTS / f"e2e-failed-{number}.png"), full_page=True)
        raise
    finally:
        for context in contexts:
            context.close()

    facts = recorded(server, meeting)
    assert facts["members"] == 480
    assert facts["steps"] == ["announced", "open", "closed", "published"], facts
    assert facts["present"] == len(COMMITTEE)
    assert facts["speeches"] == 1
    assert facts["polls"] == "published"
