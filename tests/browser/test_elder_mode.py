"""Elder mode (适老模式) measured in the page as Chromium lays it out. On the attendee screens
(each kiosk step, each booth step, the phone's ballot) every target a finger or a key reaches is at
least 60×60 CSS px, text is at least 24 px with a line height of 1.5 in running text, and text
contrast is at least 7:1; the wall's key figures are at least 48 px; the kiosk works by keyboard
alone, in a sensible order, with a focus one can see.

Each step is saved as ``test-artifacts/elder-*.png``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import ARTIFACTS, LiveServer, wait_joined
from tests.browser.test_floor import sign_in
from tests.browser.test_kiosk import screen, tap
from tests.browser.test_projector_clerk import api, demo_meeting

pytestmark = pytest.mark.browser

# What a person can tap or reach with Tab. A box or a radio button is reached through its label,
# which is what is measured for it. Hidden things, and things behind a modal dialog, do not count.
COMMON_JS = """
const INTERACTIVE = "button, a[href], input:not([type=hidden]), select, textarea, summary,"
  + " [role=button], [tabindex]:not([tabindex='-1'])";
function shown(el) {
  if (!el.checkVisibility({ visibilityProperty: true })) return false;
  const modal = document.querySelector("dialog[open]:modal");
  return !modal || modal.contains(el);
}
function describe(el) {
  const text = (el.getAttribute("aria-label") || el.textContent || el.value || "").trim();
  return `${el.tagName.toLowerCase()} "${text.replace(/\\s+/g, " ").slice(0, 30)}"`;
}
function textNodes() {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!node.textContent.trim() || !el) continue;
    if (el.closest("script, style, svg, template, .visually-hidden, [aria-hidden=true]")) continue;
    if (!shown(el)) continue;
    found.push([node, el]);
  }
  return found;
}
"""
SMALL_TARGETS = (
    "(least) => {"
    + COMMON_JS
    + """
  return [...document.querySelectorAll(INTERACTIVE)].filter(shown).map((el) => {
    const boxed = ["checkbox", "radio"].includes(el.type) && el.closest("label");
    const target = boxed || el;
    const box = target.getBoundingClientRect();
    return [target, box];
  }).filter(([, box]) => box.width < least || box.height < least)
    .map(([el, box]) => `${describe(el)} ${Math.round(box.width)}×${Math.round(box.height)}`);
}"""
)
# Every piece of visible text at least `least` px; running text (not headings, keys, figures:
# anything set larger than 1.5× the least) with a line height of at least 1.5.
SMALL_TEXT = (
    "(least) => {"
    + COMMON_JS
    + """
  const small = [];
  for (const [node, el] of textNodes()) {
    const style = getComputedStyle(el);
    const size = parseFloat(style.fontSize);
    const text = `"${node.textContent.trim().slice(0, 24)}"`;
    if (size < least - 0.01) small.push(`${text} ${size}px`);
    const block = el.closest("p, li, dd, dt, label, legend, figcaption, td, th") || el;
    const line = parseFloat(style.lineHeight);  // "normal" is about 1.2: too tight
    if (size < least * 1.5 && block === el.closest("p, li, dd, dt, label, legend, figcaption")
        && !el.closest("button, [role=button], .button")
        && (isNaN(line) || line / size < 1.5 - 0.01)) {
      small.push(`${text} line height ${style.lineHeight} at ${size}px`);
    }
  }
  return small;
}"""
)
# WCAG contrast of each visible text against what is behind it: the backgrounds of its ancestors
# laid over white (text over an image is skipped). Disabled controls are exempt, as in WCAG.
LOW_CONTRAST = (
    "(least) => {"
    + COMMON_JS
    + """
  const rgba = (value) => {
    const parts = value.match(/[\\d.]+/g).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a), a: 1,
  });
  const luminance = ({ r, g, b }) => {
    const channel = (c) => {
      c /= 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const behind = (el) => {
    const layers = [];
    for (let at = el; at; at = at.parentElement) {
      const style = getComputedStyle(at);
      if (style.backgroundImage !== "none") return null;
      const colour = rgba(style.backgroundColor);
      if (colour.a > 0) layers.push(colour);
      if (colour.a >= 1) break;
    }
    const white = { r: 255, g: 255, b: 255, a: 1 };
    return layers.reverse().reduce((bottom, top) => over(top, bottom), white);
  };
  const opacity = (el) => {
    let product = 1;
    for (let at = el; at; at = at.parentElement) product *= Number(getComputedStyle(at).opacity);
    return product;
  };
  const low = [];
  const seen = new Set();
  const check = (el, text) => {
    if (seen.has(el) || el.closest(":disabled, [aria-disabled=true]")) return;
    seen.add(el);
    const back = behind(el);
    if (!back) return;
    const ink = rgba(getComputedStyle(el).color);
    const front = over({ ...ink, a: ink.a * opacity(el) }, back);
    const [light, dark] = [luminance(front), luminance(back)].sort((x, y) => y - x);
    const ratio = (light + 0.05) / (dark + 0.05);
    if (ratio < least) low.push(`"${text.slice(0, 24)}" ${ratio.toFixed(2)}:1`);
  };
  for (const [node, el] of textNodes()) check(el, node.textContent.trim());
  for (const field of document.querySelectorAll("input, textarea, select")) {
    if (shown(field) && field.value && !["checkbox", "radio"].includes(field.type)) {
      check(field, field.value);
    }
  }
  return low;
}"""
)
OVERFLOWING = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"


def shot(page: Page, name: str) -> None:
    """Save the screen as test-artifacts/elder-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"elder-{name}.png"))


class Measures:
    """What each step measured, asserted together at the end of a test (one run shows them all)."""

    def __init__(self) -> None:
        self.found: dict[str, list[str]] = {}

    def elder(self, page: Page, step: str) -> None:
        """Targets ≥ 60×60 px, text ≥ 24 px (line height 1.5), contrast ≥ 7:1, no side scroll."""
        page.bring_to_front()
        problems = [f"target {t}" for t in page.evaluate(SMALL_TARGETS, 60)]
        problems += [f"text {t}" for t in page.evaluate(SMALL_TEXT, 24)]
        problems += [f"contrast {t}" for t in page.evaluate(LOW_CONTRAST, 7)]
        if page.evaluate(OVERFLOWING):
            problems.append("the page scrolls sideways")
        self.found[step] = problems
        shot(page, step)

    def assert_all_good(self) -> None:
        assert self.found, "nothing was measured"
        bad = {step: problems for step, problems in self.found.items() if problems}
        report = "\n".join(f"{step}:\n    " + "\n    ".join(p) for step, p in bad.items())
        assert not bad, f"not fit for elder mode:\n{report}"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("elder"))
    yield live
    live.stop()


def idle_warning(page: Page, app: str) -> None:
    """Move the page's (installed) clock to the idle warning of the kiosk or the booth."""
    idle, warning = (
        int(page.locator(app).get_attribute(f"data-idle{part}-seconds") or 0)
        for part in ("", "-warning")
    )
    page.context.clock.fast_forward((idle - warning + 1) * 1000)
    expect(page.locator("#idle-warning")).to_be_visible()


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_kiosk_step_is_fit_for_elder_mode(
    server: LiveServer, context: BrowserContext, lang: str
) -> None:
    measures = Measures()
    context.clock.install()
    page = context.new_page()
    page.goto(f"{server.url}/kiosk?lang={lang}")
    expect(page.locator("#kiosk[data-ready='true']")).to_be_attached()
    measures.elder(page, f"kiosk-{lang}-start")

    page.locator("[data-screen='start'] [data-method='pinyin']").click()
    tap(page, "letters", "WJ")
    expect(page.locator("[data-screen='pinyin'] .result").first).to_be_visible()
    measures.elder(page, f"kiosk-{lang}-pinyin")
    page.locator("[data-screen='pinyin'] .result", has_text="2栋1单元201").click()
    screen(page, "confirm")
    tap(page, "tail", "0000")
    expect(page.locator("[data-screen='confirm'] [data-role='message']")).to_be_visible()
    measures.elder(page, f"kiosk-{lang}-tail-wrong")
    idle_warning(page, "#kiosk")
    measures.elder(page, f"kiosk-{lang}-idle-warning")
    page.locator("#idle-warning [data-action='stay']").click()
    tap(page, "tail", "5318")
    screen(page, "done")
    measures.elder(page, f"kiosk-{lang}-done")
    page.locator("[data-screen='done'] [data-action='finish']").click()

    page.locator("[data-screen='start'] [data-method='address']").click()
    measures.elder(page, f"kiosk-{lang}-buildings")
    page.locator("[data-building='2栋']").click()
    page.locator("[data-units-of='2栋'] [data-unit='1单元']").click()
    tap(page, "room", "201")
    expect(page.locator("[data-screen='address'] .result").first).to_be_visible()
    measures.elder(page, f"kiosk-{lang}-room")
    for _ in range(3):
        page.locator("[data-action='back']").click()

    page.locator("[data-screen='start'] [data-method='name']").click()
    page.locator("#name-input").fill("王静")
    expect(page.locator("[data-screen='name'] .result").first).to_be_visible()
    measures.elder(page, f"kiosk-{lang}-name")
    page.locator("[data-action='back']").click()

    page.locator("[data-screen='start'] [data-action='proxy']").click()
    measures.elder(page, f"kiosk-{lang}-proxy")
    page.locator("[data-action='back']").click()
    page.locator("[data-screen='start'] [data-action='guest']").click()
    page.locator("#guest-name-input").fill("张来宾")
    measures.elder(page, f"kiosk-{lang}-guest")
    page.locator("[data-screen='guest'] [data-action='guest-submit']").click()
    screen(page, "guest-done")
    measures.elder(page, f"kiosk-{lang}-guest-done")
    measures.assert_all_good()


# --- the wall ----------------------------------------------------------------------------------

KEY_FIGURES = """
() => [...document.querySelectorAll(`[data-testid=present-headcount], [data-testid=area-percent],
    .count-number, .verdict-words, [data-testid=countdown], .speaker-name, [data-testid=poll-count],
    [data-testid=poll-verdict], [data-testid=poll-question]`)]
  .filter((el) => el.checkVisibility({ visibilityProperty: true }) && el.textContent.trim())
  .map((el) => [el.dataset.testid || el.className, parseFloat(getComputedStyle(el).fontSize)])
"""
PROJECTOR_SMALL_TEXT = (
    "(least) => {"
    + COMMON_JS
    + """
  return textNodes()
    .map(([node, el]) => [node.textContent.trim().slice(0, 24), getComputedStyle(el).fontSize])
    .filter(([, size]) => parseFloat(size) < least).map(([text, size]) => `"${text}" ${size}`);
}"""
)


def test_the_wall_s_key_figures_read_from_the_back_of_the_hall(
    server: LiveServer, context: BrowserContext
) -> None:
    meeting = demo_meeting(server)
    sign_in(server, "孙艳娜", "6851")
    projector = context.new_page()
    projector.set_viewport_size({"width": 1920, "height": 1080})
    projector.goto(f"{server.url}/projector")
    wait_joined(projector)
    small: dict[str, list[str]] = {}
    seen: set[str] = set()

    def measure(layout: str) -> None:
        figures = projector.evaluate(KEY_FIGURES)
        seen.update(name for name, _ in figures)
        small[layout] = [f"{name} {size}px" for name, size in figures if size < 48]
        small[layout] += projector.evaluate(PROJECTOR_SMALL_TEXT, 24)
        ARTIFACTS.mkdir(exist_ok=True)
        projector.screenshot(path=str(ARTIFACTS / f"elder-projector-{layout}.png"))

    measure(projector.locator(".wall").get_attribute("data-mode") or "first")
    console = context.new_page()
    console.goto(f"{server.url}/moderator")
    wait_joined(console)
    console.locator("#add-item input[name='title']").fill("快递柜位置")
    console.locator("#add-item button[type='submit']").click()
    console.locator(".agenda-item", has_text="快递柜位置").locator("[data-action='start']").click()
    console.get_by_test_id("confirm-yes").click()  # without the quorum, confirmed
    console.locator("#hand-q").fill("孙艳娜")
    console.locator("#add-hand button[type='submit']").click()
    console.locator("#hand-results button").first.click()
    console.get_by_test_id("next-speaker").click()
    expect(projector.get_by_test_id("countdown")).to_have_attribute("data-state", "running")
    measure("floor")

    poll = api(server, f"/api/v1/meetings/{meeting}/polls", {"question": "是否同意增设快递柜？"})
    api(server, f"/api/v1/polls/{poll['id']}/open", {})
    expect(projector.locator(".wall")).to_have_attribute("data-mode", "poll")
    measure("poll-open")
    api(server, f"/api/v1/polls/{poll['id']}/close", {})
    expect(projector.get_by_test_id("poll-verdict")).not_to_have_attribute("data-passed", "")
    measure("poll-closed")
    assert {"present-headcount", "countdown", "poll-count", "poll-verdict"} <= seen, seen
    assert not any(small.values()), small


def test_every_booth_step_and_the_phone_ballot_are_fit_for_elder_mode(
    server: LiveServer, context: BrowserContext
) -> None:
    measures = Measures()
    meeting = demo_meeting(server)
    phone_path = sign_in(server, "孙艳娜", "6851")
    sign_in(server, "邱秀德", "3657")
    context.clock.install()
    booth = context.new_page()
    booth.set_viewport_size({"width": 1280, "height": 800})
    booth.goto(f"{server.url}/booth")
    wait_joined(booth)
    measures.elder(booth, "booth-waiting")

    poll = api(server, f"/api/v1/meetings/{meeting}/polls", {"question": "是否同意更换小区物业？"})
    api(server, f"/api/v1/polls/{poll['id']}/open", {})
    expect(booth.get_by_test_id("booth-poll-question")).to_be_visible()
    measures.elder(booth, "booth-start")
    booth.locator("[data-screen='start'] [data-method='pinyin']").click()
    tap(booth, "letters", "QXD")
    expect(booth.locator("[data-screen='pinyin'] .result").first).to_be_visible()
    measures.elder(booth, "booth-pinyin")
    booth.locator("[data-screen='pinyin'] .result", has_text="邱秀德").click()
    tap(booth, "tail", "36")
    measures.elder(booth, "booth-tail")
    tap(booth, "tail", "57")
    ballot = booth.get_by_test_id("ballot")
    expect(ballot.locator(".ballot-option").first).to_be_visible()
    measures.elder(booth, "booth-ballot")
    idle_warning(booth, "#booth")
    measures.elder(booth, "booth-idle-warning")
    booth.locator("#idle-warning [data-action='stay']").click()
    ballot.locator(".ballot-option[data-option='for']").click()
    measures.elder(booth, "booth-confirm")
    ballot.get_by_test_id("ballot-cast").click()
    expect(ballot.get_by_test_id("receipt")).to_be_visible()
    measures.elder(booth, "booth-receipt")

    phone = context.new_page()
    phone.set_viewport_size({"width": 360, "height": 640})
    phone.goto(server.url + phone_path)
    wait_joined(phone)
    phone.locator("[data-voice='elder']:visible").first.click()  # the phone's 适老模式 switch
    expect(phone.locator("html")).to_have_class(re.compile(r"\belder\b"))
    pballot = phone.get_by_test_id("ballot")
    expect(pballot.locator(".ballot-option").first).to_be_visible()
    measures.elder(phone, "phone-ballot")
    pballot.locator(".ballot-option[data-option='against']").click()
    measures.elder(phone, "phone-confirm")
    pballot.get_by_test_id("ballot-cast").click()
    expect(pballot.get_by_test_id("receipt")).to_be_visible()
    measures.elder(phone, "phone-receipt")
    api(server, f"/api/v1/polls/{poll['id']}/close", {})
    expect(pballot.get_by_test_id("ballot-verdict")).to_be_visible()
    measures.elder(phone, "phone-result")
    measures.assert_all_good()


# --- keyboard alone -----------------------------------------------------------------------------

FOCUSABLE_IN_ORDER = (
    "() => {"
    + COMMON_JS
    + """
  return [...document.querySelectorAll(INTERACTIVE)].filter(shown).filter((el) => !el.disabled)
    .map((el) => el.outerHTML.slice(0, 80));
}"""
)
FOCUSED = """
() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    html: el.outerHTML.slice(0, 80), x: box.left, y: box.top,
    outline: style.outlineStyle !== "none" ? parseFloat(style.outlineWidth) : 0,
    shadow: style.boxShadow !== "none",
  };
}
"""


def tab_through(page: Page) -> list[dict[str, object]]:
    """Press Tab until the focus comes back round; each stop with its focus ring."""
    stops: list[dict[str, object]] = []
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if stops and focused["html"] == stops[0]["html"]:
            return stops
        if focused["html"].startswith("<body"):
            continue  # the browser's own chrome between the last and the first
        stops.append(focused)
    raise AssertionError("Tab never came back round: " + str([s["html"] for s in stops[-5:]]))


def assert_keyboard_reaches_everything(page: Page, where: str) -> list[dict[str, object]]:
    stops = tab_through(page)
    expected = page.evaluate(FOCUSABLE_IN_ORDER)
    # Tab starts from where the focus is (a new screen takes it): compare from the first control.
    htmls = [s["html"] for s in stops]
    first = htmls.index(expected[0]) if expected[0] in htmls else 0
    stops = stops[first:] + stops[:first]
    assert [s["html"] for s in stops] == expected, f"Tab order on {where}"
    unseen = [s["html"] for s in stops if not (s["outline"] >= 2 or s["shadow"])]
    assert not unseen, f"no visible focus on {where}: {unseen}"
    return stops


def test_the_kiosk_works_by_keyboard_alone_with_a_visible_focus(
    server: LiveServer, context: BrowserContext
) -> None:
    page = context.new_page()
    page.goto(f"{server.url}/kiosk")
    expect(page.locator("#kiosk[data-ready='true']")).to_be_attached()
    stops = assert_keyboard_reaches_everything(page, "the start screen")
    in_bar = page.evaluate(
        "(n) => [...document.querySelectorAll('.kiosk-bar :is(a[href], button)')]"
        ".filter((el) => el.checkVisibility({ visibilityProperty: true })).length"
    )
    assert in_bar and all("tile" not in str(s["html"]) for s in stops[:in_bar]), "the bar first"
    # The three ways to find a name read left to right, then the two other cases below.
    tiles = [s for s in stops if 'class="tile"' in str(s["html"])]
    assert [t["x"] for t in tiles] == sorted(t["x"] for t in tiles) and len(tiles) == 3

    # Enter on the focused tile opens the keyboard; the letters go A to Z, row by row.
    page.locator("[data-screen='start'] [data-method='pinyin']").focus()
    page.keyboard.press("Enter")
    screen(page, "pinyin")
    stops = assert_keyboard_reaches_everything(page, "the pinyin keyboard")
    keys = [s for s in stops if 'class="key"' in str(s["html"])]
    assert len(keys) == 26
    for before, after in itertools.pairwise(keys):
        assert after["y"] > before["y"] or (after["y"] == before["y"] and after["x"] > before["x"])
    for letter in "WJ":
        page.locator(f"[data-keypad='letters'] [data-key='{letter}']").focus()
        page.keyboard.press("Enter")
    expect(page.locator("[data-screen='pinyin'] .result").first).to_be_visible()
    assert_keyboard_reaches_everything(page, "the pinyin keyboard with results")

    # The phone digits by keyboard: Space on each key, then the greeting.
    page.locator("[data-screen='pinyin'] .result", has_text="2栋1单元201").focus()
    page.keyboard.press("Enter")
    screen(page, "confirm")
    stops = assert_keyboard_reaches_everything(page, "the phone keypad")
    digits = [s for s in stops if 'class="key"' in str(s["html"])]
    assert len(digits) == 10
    for digit in "5318":
        page.locator(f"[data-keypad='tail'] [data-key='{digit}']").focus()
        page.keyboard.press(" ")
    screen(page, "done")
    assert_keyboard_reaches_everything(page, "the greeting")
    page.locator("[data-screen='done'] [data-action='finish']").focus()
    page.keyboard.press("Enter")
    screen(page, "start")


def tab_to(page: Page, selector: str) -> None:
    """Press Tab until ``selector`` has the focus."""
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_phone_ballot_is_cast_by_keyboard_alone_with_a_visible_focus(
    server: LiveServer, context: BrowserContext
) -> None:
    meeting = demo_meeting(server)
    phone_path = sign_in(server, "秦娜", "2181")
    poll = api(server, f"/api/v1/meetings/{meeting}/polls", {"question": "是否同意延长议事时间？"})
    api(server, f"/api/v1/polls/{poll['id']}/open", {})
    phone = context.new_page()
    phone.set_viewport_size({"width": 360, "height": 640})
    phone.goto(server.url + phone_path)
    wait_joined(phone)
    ballot = phone.get_by_test_id("ballot")
    expect(ballot).to_have_attribute("data-step", "choose")
    assert_keyboard_reaches_everything(phone, "the phone ballot")
    tab_to(phone, ".ballot-option[data-option='for']")
    phone.keyboard.press("Enter")
    expect(ballot).to_have_attribute("data-step", "confirm")
    assert_keyboard_reaches_everything(phone, "the phone's confirm step")
    tab_to(phone, "[data-testid='ballot-cast']")
    phone.keyboard.press("Enter")
    expect(ballot.get_by_test_id("receipt")).to_be_visible()
    api(server, f"/api/v1/polls/{poll['id']}/close", {})
