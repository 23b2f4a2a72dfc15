"""Every screen in each state a person meets, checked by axe-core in Debian's Chromium: zero
violations of the WCAG 2.0, 2.1 and 2.2 A and AA rules, in zh-CN and in English. Then the
announcements a screen reader hears as the meeting moves on (aria-live).

axe-core is vendored (tests/browser/vendor/, see its README): the room has no internet.
One server for the whole module; the tests run in file order and build on what came before
(sign-ins, agenda items, closed polls), each language with its own items and polls.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import LiveServer, log_in, wait_joined
from tests.browser.test_floor import MODERATOR, add_hand, sign_in
from tests.browser.test_kiosk import screen, tap
from tests.browser.test_projector_clerk import api, demo_meeting

pytestmark = pytest.mark.browser

AXE_JS = Path(__file__).with_name("vendor") / "axe.min.js"
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
LANGS = ["zh_CN", "en"]
HTML_LANG = {"zh_CN": "zh-CN", "en": "en"}
RUN_AXE = """
async (tags) => {
  const result = await axe.run(document, {
    runOnly: { type: "tag", values: tags }, resultTypes: ["violations"],
  });
  return result.violations.map((rule) => ({
    id: rule.id, impact: rule.impact, help: rule.help,
    nodes: rule.nodes.map((node) => ({
      target: node.target.join(" "),
      summary: (node.failureSummary || "").split("\\n").slice(0, 3).join(" "),
    })),
  }));
}
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server (demo meeting) for the whole module: starting one per test costs seconds."""
    live = LiveServer(tmp_path_factory.mktemp("a11y"))
    yield live
    live.stop()


class Audit:
    """axe's findings for each state of the screens a test walks through, asserted at the end."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.found: dict[str, list[str]] = {}

    def check(self, page: Page, state: str) -> None:
        """Run axe on what the page shows now (hidden parts are skipped, as by a reader)."""
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.add_script_tag(path=str(AXE_JS))
        page.bring_to_front()  # a tab in the background gets no animation frames
        lines = []
        html_lang = page.evaluate("() => document.documentElement.lang")
        if html_lang != HTML_LANG[self.lang]:
            lines.append(f"<html lang> is {html_lang!r}, not {HTML_LANG[self.lang]!r}")
        for rule in page.evaluate(RUN_AXE, WCAG_A_AA):
            for node in rule["nodes"]:
                lines.append(
                    f"{rule['id']} ({rule['impact']}) at {node['target']}: {rule['help']}"
                    f" — {node['summary']}"
                )
        self.found[state] = lines

    def assert_clean(self) -> None:
        assert self.found, "nothing was checked"
        bad = {state: lines for state, lines in self.found.items() if lines}
        report = "\n".join(
            f"[{self.lang}] {state}:\n    " + "\n    ".join(lines) for state, lines in bad.items()
        )
        assert not bad, f"WCAG A/AA violations found by axe-core:\n{report}"


@pytest.fixture(params=LANGS)
def audit(request: pytest.FixtureRequest) -> Audit:
    return Audit(request.param)


def visit(page: Page, server: LiveServer, path: str, lang: str) -> None:
    """Open a screen in ``lang`` (the session remembers it for the other tabs of the context)."""
    page.goto(f"{server.url}{path}{'&' if '?' in path else '?'}lang={lang}")


def open_live(
    context: BrowserContext, server: LiveServer, path: str, lang: str, size: tuple[int, int]
) -> Page:
    """A Socket.IO screen (projector, console, desk, booth, phone), once it has joined."""
    page = context.new_page()
    page.set_viewport_size({"width": size[0], "height": size[1]})
    visit(page, server, path, lang)
    wait_joined(page)
    return page


def kiosk_result(page: Page, step: str, text: str) -> None:
    """Tap the result that contains ``text`` on the kiosk's or the booth's step ``step``."""
    page.locator(f"[data-screen='{step}'] .result", has_text=text).click()


# --- attendee screens ------------------------------------------------------------------------

# Each language signs in its own proxy, so a second run does not meet "already represented".
PROXIED = {
    "zh_CN": ("QN", "秦娜", "2181", "李代理"),
    "en": ("JM", "江敏", "8604", "Li Daili"),
}


def test_every_kiosk_step_passes_axe(
    server: LiveServer, context: BrowserContext, audit: Audit
) -> None:
    page = context.new_page()
    # The page's clock stands still (its timers run): the code's 20 s on the done screen and the
    # idle warning come when the test moves the clock, not while axe runs on a busy machine.
    moment = datetime.now(UTC)
    context.clock.set_fixed_time(moment)
    visit(page, server, "/kiosk", audit.lang)
    expect(page.locator("#kiosk[data-ready='true']")).to_be_attached()
    audit.check(page, "start")

    page.locator("[data-screen='start'] [data-method='pinyin']").click()
    screen(page, "pinyin")
    audit.check(page, "pinyin keyboard, empty")
    tap(page, "letters", "WJ")
    expect(page.locator("[data-screen='pinyin'] .result").first).to_be_visible()
    audit.check(page, "pinyin keyboard with results")
    kiosk_result(page, "pinyin", "2栋1单元201")
    screen(page, "confirm")
    audit.check(page, "phone-tail keypad")
    tap(page, "tail", "0000")
    expect(page.locator("[data-screen='confirm'] [data-role='message']")).to_be_visible()
    audit.check(page, "phone-tail keypad with an error")
    tap(page, "tail", "5318")
    screen(page, "done")
    expect(page.locator("[data-role='qr'] svg")).to_be_visible()
    audit.check(page, "signed in, with the QR code")
    page.locator("[data-screen='done'] [data-action='print']").click()
    expect(page.locator("[data-role='print-status']")).to_be_visible()
    audit.check(page, "signed in, slip printing")
    page.locator("[data-screen='done'] [data-action='finish']").click()
    screen(page, "start")

    page.locator("[data-screen='start'] [data-method='address']").click()
    screen(page, "address")
    audit.check(page, "address: buildings")
    page.locator("[data-screen='address'] [data-building='2栋']").click()
    audit.check(page, "address: units")
    page.locator("[data-screen='address'] [data-units-of='2栋'] [data-unit='1单元']").click()
    tap(page, "room", "201")
    expect(page.locator("[data-screen='address'] .result").first).to_be_visible()
    audit.check(page, "address: room keypad with results")
    page.locator("[data-action='back']").click()
    page.locator("[data-action='back']").click()
    page.locator("[data-action='back']").click()
    screen(page, "start")

    page.locator("[data-screen='start'] [data-method='name']").click()
    screen(page, "name")
    page.locator("#name-input").fill("王静")
    expect(page.locator("[data-screen='name'] .result").first).to_be_visible()
    audit.check(page, "Chinese name field with results")

    # Still on the name step: move the clock to the idle warning.
    idle, warning = (
        int(page.locator("#kiosk").get_attribute(f"data-idle{part}-seconds") or 0)
        for part in ("", "-warning")
    )
    context.clock.set_fixed_time(moment + timedelta(seconds=idle - warning + 1))
    expect(page.locator("#idle-warning")).to_be_visible()
    audit.check(page, "idle warning dialog")
    page.locator("#idle-warning [data-action='stay']").click()
    expect(page.locator("#idle-warning")).to_be_hidden()
    page.locator("[data-action='back']").click()
    screen(page, "start")

    letters, name, tail, proxy = PROXIED[audit.lang]
    page.locator("[data-screen='start'] [data-action='proxy']").click()
    screen(page, "proxy-start")
    audit.check(page, "proxy: start")
    page.locator("[data-screen='proxy-start'] [data-method='pinyin']").click()
    tap(page, "letters", letters)
    kiosk_result(page, "pinyin", name)
    tap(page, "tail", tail)
    screen(page, "proxy-name")
    page.locator("[data-screen='proxy-name'] [data-action='proxy-submit']").click()
    expect(page.locator("[data-screen='proxy-name'] [data-role='message']")).to_be_visible()
    audit.check(page, "proxy: own name, with the error")
    page.locator("#proxy-name-input").fill(proxy)
    page.locator("[data-screen='proxy-name'] [data-action='proxy-submit']").click()
    screen(page, "done")
    audit.check(page, "proxy: signed in")
    page.locator("[data-screen='done'] [data-action='finish']").click()

    page.locator("[data-screen='start'] [data-action='guest']").click()
    screen(page, "guest")
    audit.check(page, "guest: name")
    page.locator("#guest-name-input").fill("张来宾")
    page.locator("[data-screen='guest'] [data-action='guest-submit']").click()
    screen(page, "guest-done")
    audit.check(page, "guest: registered")
    audit.assert_clean()


def test_the_error_page_passes_axe(server: LiveServer, page: Page, audit: Audit) -> None:
    visit(page, server, "/v/not-a-token", audit.lang)
    expect(page.locator("main.error-page")).to_be_visible()
    audit.check(page, "unknown personal page (404)")
    page.context.clear_cookies()
    log_in(page.context, "clerk")
    visit(page, server, "/moderator", audit.lang)  # a clerk on the moderator's console: 403
    expect(page.locator("main.error-page")).to_be_visible()
    audit.check(page, "console for a clerk (403)")
    page.context.clear_cookies()
    visit(page, server, "/login", audit.lang)
    page.get_by_role("button", name=re.compile("登录|Log in")).click()  # empty: refused
    expect(page.locator(".access-error")).to_be_visible()
    audit.check(page, "staff login with its error")
    visit(page, server, "/kiosk", audit.lang)  # an unpaired screen is sent to pair
    expect(page.locator("#code")).to_be_visible()
    audit.check(page, "pairing a screen")
    audit.assert_clean()


def test_the_notice_board_and_the_minutes_pass_axe(
    server: LiveServer, page: Page, audit: Audit
) -> None:
    visit(page, server, "/board", audit.lang)
    if page.locator("main.error-page").count():
        pytest.skip("no notice board yet (/board answers with the error page)")
    audit.check(page, "notice board")
    visit(page, server, "/board?slideshow=1", audit.lang)
    audit.check(page, "notice board: lobby slideshow")
    visit(page, server, f"/board/meetings/{demo_meeting(server)}/minutes", audit.lang)
    audit.check(page, "minutes (draft)")
    audit.assert_clean()


# --- staff screens and the wall, before any agenda item: attendance --------------------------


def test_the_wall_the_console_and_the_desk_pass_axe_before_the_agenda(
    server: LiveServer, context: BrowserContext, audit: Audit
) -> None:
    projector = open_live(context, server, "/projector", audit.lang, (1920, 1080))
    if projector.locator(".wall").get_attribute("data-mode") == "attendance":
        audit.check(projector, "projector: attendance")
    console = open_live(context, server, "/moderator", audit.lang, (1280, 800))
    audit.check(console, "moderator console")
    console.get_by_test_id("view-voting").click()
    expect(console.get_by_test_id("poll-panel")).to_be_visible()
    audit.check(console, "moderator console: voting view")

    desk = open_live(context, server, "/clerk", audit.lang, (1366, 768))
    audit.check(desk, "clerk desk")
    desk.locator("#member-q").fill("王")
    desk.locator("#member-search button[type='submit']").click()
    expect(desk.locator("#member-results li").first).to_be_visible()
    audit.check(desk, "clerk desk: members found")
    desk.locator("#member-results li button").first.click()
    expect(desk.locator("#desk-message")).to_be_visible()  # no clerk named yet: told so
    audit.check(desk, "clerk desk: message")
    desk.locator("#clerk-name").fill("王记录")
    desk.get_by_test_id("view-voting").click()
    expect(desk.get_by_test_id("clerk-voting")).to_be_visible()
    audit.check(desk, "clerk desk: voting view")
    audit.assert_clean()


# --- the floor: wall, console and phone while an item is discussed ---------------------------

ITEMS = {"zh_CN": "加装电梯方案", "en": "停车位划线"}


def test_the_floor_screens_pass_axe_in_every_state(
    server: LiveServer, context: BrowserContext, audit: Audit
) -> None:
    phone_path = sign_in(server, "孙艳娜", "6851")
    sign_in(server, "邱秀德", "3657")
    console = open_live(context, server, "/moderator", audit.lang, (1280, 800))
    projector = open_live(context, server, "/projector", audit.lang, (1920, 1080))
    phone = open_live(context, server, phone_path, audit.lang, (360, 640))
    audit.check(phone, "phone: status, nothing under discussion")

    title = ITEMS[audit.lang]
    console.bring_to_front()
    console.locator("#add-item input[name='title']").fill(title)
    console.locator("#add-item button[type='submit']").click()
    item = console.locator(".agenda-item", has_text=title)
    item.locator("[data-action='start']").click()
    console.get_by_test_id("confirm-yes").click()  # the quorum is not reached: started anyway
    expect(projector.locator(".wall")).to_have_attribute("data-mode", "floor")
    audit.check(projector, "projector: floor, nobody speaking")
    expect(phone.get_by_test_id("phone-floor")).to_be_visible()
    audit.check(phone, "phone: item under discussion")

    phone.get_by_test_id("request-floor").click()
    audit.check(phone, "phone: choose a stance")
    phone.locator(".stance-button[data-stance='for']").click()
    expect(phone.get_by_test_id("confirm-request")).to_be_visible()
    audit.check(phone, "phone: confirm the request")
    phone.get_by_test_id("confirm-request").click()
    expect(phone.get_by_test_id("queue-place")).to_be_visible()
    audit.check(phone, "phone: waiting on the list")
    add_hand_any(console, "邱秀德")
    expect(console.get_by_test_id("queue").locator("li")).to_have_count(2)
    audit.check(console, "moderator console: list of speakers")
    expect(projector.get_by_test_id("next-speakers").locator("li")).to_have_count(2)
    audit.check(projector, "projector: floor with the next speakers")

    console.bring_to_front()
    console.get_by_test_id("next-speaker").click()
    countdown = projector.get_by_test_id("countdown")
    expect(countdown).to_have_attribute("data-state", "running")
    audit.check(projector, "projector: countdown running")
    expect(phone.locator(".floor-step[data-step='speaking']")).to_be_visible()
    audit.check(phone, "phone: your turn")
    console.bring_to_front()
    console.get_by_test_id("pause-resume").click()
    expect(countdown).to_have_attribute("data-state", "paused")
    audit.check(console, "moderator console: speech paused")
    console.get_by_test_id("pause-resume").click()
    expect(countdown).to_have_attribute("data-state", "running")
    take_time(console, 95)
    expect(countdown).to_have_attribute("data-state", "warning")
    audit.check(projector, "projector: countdown warning")
    audit.check(console, "moderator console: countdown warning")
    left = seconds_left(projector)
    take_time(console, left - 3)
    expect(countdown).to_have_attribute("data-state", "overrun")
    audit.check(projector, "projector: time is up")

    console.bring_to_front()
    item.locator("[data-action='finish']").click()
    expect(projector.locator(".wall")).to_have_attribute("data-mode", "stats")
    expect(projector.get_by_test_id("item-stats")).to_have_attribute("data-loaded", "true")
    audit.check(projector, "projector: speaking statistics")
    audit.assert_clean()


def add_hand_any(console: Page, name: str) -> None:
    """A raised hand, whatever the language: find, then the only "add" button of the results."""
    console.bring_to_front()
    console.locator("#hand-q").fill(name)
    console.locator("#add-hand button[type='submit']").click()
    console.locator("#hand-results button").first.click()


def take_time(console: Page, seconds: int) -> None:
    """Take time off the speech under way (a moderator correcting the clock)."""
    console.evaluate(
        f"async (s) => {{ {MODERATOR}.send('timer', {{action: 'add', seconds: -s}}); }}", seconds
    )


def seconds_left(projector: Page) -> int:
    text = projector.get_by_test_id("countdown").inner_text().strip()
    minutes, secs = text.lstrip("+").split(":")
    return int(minutes) * 60 + int(secs)


# --- a vote: booth, phone, wall, console and desk ---------------------------------------------

QUESTIONS = {"zh_CN": "是否同意更换小区物业？", "en": "Replace the property management company?"}


def test_the_voting_screens_pass_axe_in_every_state(
    server: LiveServer, context: BrowserContext, audit: Audit
) -> None:
    meeting = demo_meeting(server)
    phone_path = sign_in(server, "孙艳娜", "6851")
    sign_in(server, "邱秀德", "3657")
    sign_in(server, "秦娜", "2181")
    moment = datetime.now(UTC)  # the booth's idle warning: on a clock the test moves
    context.clock.set_fixed_time(moment)
    booth = open_live(context, server, "/booth", audit.lang, (1280, 800))
    expect(booth.get_by_test_id("booth-no-poll")).to_be_visible()
    audit.check(booth, "booth: no vote open")
    # The voter's own settings, the blank screen and a practice ballot (issue 19).
    booth.get_by_test_id("booth-pace-slow").click()
    booth.get_by_test_id("booth-louder").click()
    expect(booth.get_by_test_id("booth-pace-slow")).to_have_attribute("aria-pressed", "true")
    audit.check(booth, "booth: the voter's speed and volume set")
    booth.get_by_test_id("booth-blank-button").click()
    expect(booth.get_by_test_id("booth-blank")).to_be_visible()
    audit.check(booth, "booth: blank screen")
    booth.get_by_test_id("booth-blank").click()
    booth.get_by_test_id("booth-practice-start-waiting").click()
    expect(booth.get_by_test_id("booth-practice")).to_be_visible()
    audit.check(booth, "booth: practice ballot")
    booth.get_by_test_id("ballot-option-for").click()
    audit.check(booth, "booth: practice ballot, confirm")
    booth.get_by_test_id("ballot-cast").click()
    expect(booth.get_by_test_id("booth-practice-done")).to_be_visible()
    audit.check(booth, "booth: practice over")
    booth.get_by_test_id("booth-practice-end").click()
    expect(booth.get_by_test_id("booth-no-poll")).to_be_visible()

    poll = api(
        server,
        f"/api/v1/meetings/{meeting}/polls",
        {
            "question": QUESTIONS[audit.lang],
            "secret": audit.lang == "en",
            "duration_s": 600,
        },
    )
    api(server, f"/api/v1/polls/{poll['id']}/open", {})
    projector = open_live(context, server, "/projector", audit.lang, (1920, 1080))
    expect(projector.locator(".wall")).to_have_attribute("data-mode", "poll")
    audit.check(projector, "projector: vote open")
    console = open_live(context, server, "/moderator", audit.lang, (1280, 800))
    console.get_by_test_id("view-voting").click()
    expect(console.get_by_test_id("poll-current")).to_have_attribute("data-status", "open")
    audit.check(console, "moderator console: vote open")
    console.get_by_test_id("poll-close").click()
    expect(console.get_by_test_id("poll-confirm")).to_be_visible()
    audit.check(console, "moderator console: confirm closing")
    console.locator("[data-poll-command='cancel-close']").click()

    desk = open_live(context, server, "/clerk", audit.lang, (1366, 768))
    desk.locator("#clerk-name").fill("王记录")
    desk.get_by_test_id("view-voting").click()
    expect(desk.get_by_test_id("clerk-poll")).to_have_attribute("data-status", "open")
    form = desk.get_by_test_id("assisted-form")
    form.locator("input[name='q']").fill("秦娜")
    form.locator("[data-action='find']").click()
    expect(form.locator(".results li").first).to_be_visible()
    form.locator(".results li button").first.click()
    audit.check(desk, "clerk desk: assisted vote, voter chosen")

    # The booth: start, find by initials, phone tail, ballot, confirm, receipt.
    expect(booth.get_by_test_id("booth-poll-question")).to_have_text(QUESTIONS[audit.lang])
    audit.check(booth, "booth: start")
    booth.locator("[data-screen='start'] [data-method='pinyin']").click()
    tap(booth, "letters", "QXD")
    expect(booth.locator("[data-screen='pinyin'] .result").first).to_be_visible()
    audit.check(booth, "booth: find by initials")
    kiosk_result(booth, "pinyin", "邱秀德")
    expect(booth.locator("[data-screen='tail']")).to_be_visible()
    audit.check(booth, "booth: phone tail")
    tap(booth, "tail", "3657")
    ballot = booth.get_by_test_id("ballot")
    expect(ballot.locator(".ballot-option").first).to_be_visible()
    audit.check(booth, "booth: ballot")
    idle, warning = (
        int(booth.locator("#booth").get_attribute(f"data-idle{part}-seconds") or 0)
        for part in ("", "-warning")
    )
    context.clock.set_fixed_time(moment + timedelta(seconds=idle - warning + 1))
    expect(booth.locator("#idle-warning")).to_be_visible()
    audit.check(booth, "booth: idle warning")
    booth.locator("#idle-warning [data-action='stay']").click()
    expect(booth.locator("#idle-warning")).to_be_hidden()
    ballot.locator(".ballot-option[data-option='for']").click()
    expect(ballot.get_by_test_id("ballot-cast")).to_be_visible()
    audit.check(booth, "booth: confirm")
    ballot.get_by_test_id("ballot-cast").click()
    expect(ballot.get_by_test_id("receipt")).to_be_visible()
    audit.check(booth, "booth: receipt")
    booth.get_by_test_id("booth-finish").click()

    # The same voter again, through the slip: refused, in words.
    booth.locator("[data-screen='start'] [data-method='pinyin']").click()
    tap(booth, "letters", "QXD")
    kiosk_result(booth, "pinyin", "邱秀德")
    tap(booth, "tail", "3657")
    expect(ballot.get_by_test_id("ballot-voted")).to_be_visible()
    audit.check(booth, "booth: already voted")
    booth.get_by_test_id("booth-finish").click()

    # The phone: ballot, confirm, receipt, and (named vote) change it.
    phone = open_live(context, server, phone_path, audit.lang, (360, 640))
    pballot = phone.get_by_test_id("ballot")
    expect(pballot.locator(".ballot-option").first).to_be_visible()
    audit.check(phone, "phone: ballot")
    pballot.locator(".ballot-option[data-option='against']").click()
    audit.check(phone, "phone: confirm")
    pballot.get_by_test_id("ballot-cast").click()
    expect(pballot.get_by_test_id("receipt")).to_be_visible()
    audit.check(phone, "phone: receipt")
    expect(projector.get_by_test_id("poll-count")).to_have_text(re.compile(r"^2 / "))
    audit.check(projector, "projector: vote open, ballots counted")

    api(server, f"/api/v1/polls/{poll['id']}/close", {})
    expect(projector.get_by_test_id("poll-verdict")).not_to_have_attribute("data-passed", "")
    audit.check(projector, "projector: vote closed, result")
    expect(pballot.get_by_test_id("ballot-verdict")).to_be_visible()
    audit.check(phone, "phone: result")
    expect(console.get_by_test_id("poll-result")).to_be_visible()
    audit.check(console, "moderator console: result")
    expect(desk.get_by_test_id("clerk-poll")).not_to_have_attribute("data-status", "open")
    desk.bring_to_front()
    desk.get_by_test_id("clerk-poll-list").locator("button").first.click()
    expect(desk.get_by_test_id("ballot-list")).to_be_visible()
    audit.check(desk, "clerk desk: ballot list")
    audit.assert_clean()


# --- announcements: aria-live ----------------------------------------------------------------

LIVE_OF = """
(selector) => {
  const node = document.querySelector(selector);
  if (!node) return null;
  const region = node.closest("[aria-live], [role=status], [role=alert], [role=log]");
  if (!region) return null;
  const role = region.getAttribute("role");
  const implicit = { status: "polite", log: "polite", alert: "assertive" }[role];
  return { live: region.getAttribute("aria-live") || implicit, text: region.textContent.trim() };
}
"""


def live_region(page: Page, selector: str) -> dict[str, str]:
    """The live region ``selector`` is in (itself or an ancestor): its politeness and its text."""
    found = page.evaluate(LIVE_OF, selector)
    assert found is not None, f"{selector} is not in an aria-live region"
    return found


def test_queue_changes_timer_warnings_and_poll_state_are_announced(
    server: LiveServer, context: BrowserContext
) -> None:
    meeting = demo_meeting(server)
    phone_path = sign_in(server, "孙艳娜", "6851")
    console = open_live(context, server, "/moderator", "zh_CN", (1280, 800))
    projector = open_live(context, server, "/projector", "zh_CN", (1920, 1080))
    phone = open_live(context, server, phone_path, "zh_CN", (360, 640))

    # The phone: a poll opening and closing is announced, politely.
    poll_state = "[data-testid='ballot-announce']"
    before = live_region(phone, poll_state)
    assert before["live"] == "polite"
    poll = api(server, f"/api/v1/meetings/{meeting}/polls", {"question": "是否同意增设快递柜？"})
    api(server, f"/api/v1/polls/{poll['id']}/open", {})
    expect(phone.locator(poll_state)).to_contain_text("是否同意增设快递柜？")
    expect(phone.get_by_test_id("ballot")).to_have_attribute("data-step", "choose")
    # Still rendered (only visually hidden) while the ballot hides the rest of the page.
    assert phone.locator(poll_state).evaluate("(el) => el.checkVisibility()")
    opened = live_region(phone, poll_state)["text"]
    api(server, f"/api/v1/polls/{poll['id']}/close", {})
    expect(phone.locator(poll_state)).not_to_have_text(opened)
    assert live_region(phone, poll_state)["text"] != opened

    # The console: the list of speakers says how many are waiting when it changes.
    console.bring_to_front()
    console.locator("#add-item input[name='title']").fill("快递柜位置")
    console.locator("#add-item button[type='submit']").click()
    console.locator(".agenda-item", has_text="快递柜位置").locator("[data-action='start']").click()
    console.get_by_test_id("confirm-yes").click()  # without the quorum, confirmed
    queue_state = "[data-field='queue-count']"
    empty = live_region(console, queue_state)
    assert empty["live"] == "polite"
    add_hand(console, "孙艳娜", "赞成")
    expect(console.locator(queue_state)).not_to_have_text(empty["text"])
    assert "1" in live_region(console, queue_state)["text"]

    # The wall: the last seconds politely, time up assertively; each said once, in words.
    console.get_by_test_id("next-speaker").click()
    countdown = projector.get_by_test_id("countdown")
    expect(countdown).to_have_attribute("data-state", "running")
    warning, time_up = "[data-testid='countdown-warning']", "[data-testid='countdown-time-up']"
    assert live_region(projector, warning) == {"live": "polite", "text": ""}
    assert live_region(projector, time_up) == {"live": "assertive", "text": ""}
    take_time(console, 95)
    expect(countdown).to_have_attribute("data-state", "warning")
    expect(projector.locator(warning)).not_to_have_text("")
    said = live_region(projector, warning)["text"]
    time.sleep(1.2)  # the countdown ticks on; the announcement is not repeated every second
    assert live_region(projector, warning)["text"] == said
    assert live_region(projector, time_up)["text"] == ""
    left = seconds_left(projector)
    take_time(console, left - 3)
    expect(countdown).to_have_attribute("data-state", "overrun")
    expect(projector.locator(time_up)).not_to_have_text("")
    # The ticking clock itself is not a live region (role=timer is off by default).
    assert countdown.get_attribute("aria-live") in (None, "off")
    # The next speech starts quiet again.
    console.get_by_test_id("end-speech").click()
    expect(countdown).to_have_attribute("data-state", "idle")
    expect(projector.locator(warning)).to_have_text("")
    expect(projector.locator(time_up)).to_have_text("")
