"""Floor discussion in Debian's Chromium against the real server: the moderator console drives the
clock and the list of speakers, the projector counts down by itself, an attendee asks for the
floor from their phone. Each test saves what a person would see as ``test-artifacts/floor-*.png``.
"""

from __future__ import annotations

import re
import time
import urllib.parse
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import ARTIFACTS, LiveServer, module, wait_joined
from tests.browser.test_projector_clerk import OVERFLOWING, SMALL_TARGETS, api, demo_meeting

pytestmark = pytest.mark.browser

# The console's own module (static/js/moderator.js): its `send` as the console sends.
MODERATOR = module("moderator.js")
# Radio buttons and checkboxes are tapped through their label (itself at least 44 px high).
SMALL_TARGETS_BUT_BOXES = SMALL_TARGETS.replace(
    '!(el.type === "checkbox")', '!["checkbox", "radio"].includes(el.type)'
)
FLOOR_BUTTONS_UNDER_60 = """
() => [...document.querySelectorAll("[data-testid=phone-floor] button")]
  .filter((el) => el.checkVisibility() && el.getBoundingClientRect().height < 60)
  .map((el) => el.textContent.trim())
"""
COUNTDOWN_SIZE = """
() => {
  const node = document.querySelector('[data-testid=countdown]');
  const box = node.getBoundingClientRect();
  const font = parseFloat(getComputedStyle(node).fontSize);
  return { font: font / innerHeight, box: box.height / innerHeight };
}
"""


def shot(page: Page, name: str) -> None:
    """Save the screen as test-artifacts/floor-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"floor-{name}.png"))


def seconds(text: str) -> int:
    """ "1:58" → 118; "+0:12" → -12."""
    sign = -1 if text.startswith("+") else 1
    minutes, secs = text.lstrip("+").split(":")
    return sign * (int(minutes) * 60 + int(secs))


def sign_in(server: LiveServer, name: str, tail: str | None = None) -> str:
    """Sign a member in through the API; the path of their phone page."""
    meeting = demo_meeting(server)
    member = api(server, f"/api/v1/members?q={urllib.parse.quote(name)}")["members"][0]
    body: dict[str, object] = {"member_id": member["id"]}
    if tail:
        body["phone_tail"] = tail
    receipt = api(server, f"/api/v1/meetings/{meeting}/sign-in", body)
    return "/v/" + str(receipt["phone_url"]).rsplit("/v/", 1)[1]


def open_console(context: BrowserContext, server: LiveServer) -> Page:
    """The moderator console (1280×800), logged in."""
    console = context.new_page()
    console.goto(f"{server.url}/moderator")
    wait_joined(console)
    console.evaluate("window.stillTheSamePage = true")
    return console


def open_projector(context: BrowserContext, server: LiveServer) -> Page:
    projector = context.new_page()
    projector.set_viewport_size({"width": 1920, "height": 1080})
    projector.goto(f"{server.url}/projector")
    wait_joined(projector)
    return projector


def start_item(console: Page, title: str) -> None:
    """Add an item with the console's form and open it."""
    console.get_by_label("议题名称").fill(title)
    console.get_by_role("button", name="添加议题").click()
    expect(console.get_by_test_id("console-message")).to_have_text(f"已添加议题：{title}")
    console.get_by_role("button", name=f"开始 {title}").click()
    # The demo's quorum is far off: the console asks, and the start is confirmed (recorded).
    dialog = console.get_by_test_id("confirm-dialog")
    expect(dialog).to_contain_text("尚未达到法定人数")
    dialog.get_by_role("button", name="是，开始").click()
    expect(console.get_by_test_id("console-item")).to_have_text(f"正在讨论：{title}")


def add_hand(console: Page, name: str, stance: str) -> None:
    """Find a signed-in attendee and add their raised hand with a stance."""
    console.get_by_placeholder("姓名、拼音首字母或房号").fill(name)
    console.get_by_role("button", name="查找", exact=True).click()
    console.locator(".stance-choice").get_by_label(stance, exact=True).check()
    console.get_by_role("button", name=f"加入名单 {name}").click()


def wait_until(condition: Callable[[], bool], timeout: float = 3) -> None:
    """Poll a condition on what the pages show."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def countdown_text(page: Page) -> str:
    return page.get_by_test_id("countdown").inner_text().strip()


def test_the_moderator_gives_the_floor_and_the_projector_counts_down_by_itself(
    live_server: LiveServer, page: Page
) -> None:
    sign_in(live_server, "孙艳娜", "6851")
    projector = open_projector(page.context, live_server)
    expect(projector.locator(".wall")).to_have_attribute("data-mode", "attendance")
    console = open_console(page.context, live_server)
    start_item(console, "加装电梯方案")
    expect(projector.locator(".wall")).to_have_attribute("data-mode", "floor")
    expect(projector.get_by_test_id("countdown")).to_have_attribute("data-state", "idle")
    shot(projector, "projector-idle-1920x1080")

    add_hand(console, "孙艳娜", "赞成")
    expect(console.get_by_test_id("queue")).to_contain_text("孙艳娜")
    expect(projector.get_by_test_id("next-speakers")).to_contain_text("孙艳娜")
    console.keyboard.press("n")  # focus is on a button, not in a text field: the shortcut works
    speaker = projector.get_by_test_id("current-speaker")
    expect(speaker).to_contain_text("孙艳娜")
    expect(speaker).to_contain_text("赞成")
    countdown = projector.get_by_test_id("countdown")
    expect(countdown).to_have_attribute("data-state", "running")

    first = countdown_text(projector)
    shot(projector, "projector-running-1")
    assert seconds(first) <= 120, first
    # The projector counts down by itself: wait for its own next second, however busy the box.
    wait_until(lambda: seconds(countdown_text(projector)) < seconds(first), timeout=20)
    shot(projector, "projector-running-2")
    size = projector.evaluate(COUNTDOWN_SIZE)
    assert size["font"] >= 0.2 and size["box"] >= 0.2, size
    assert console.evaluate(SMALL_TARGETS_BUT_BOXES, 44) == [], "console targets under 44 px"
    shot(console, "console-running-1280x800")

    assert console.evaluate("document.activeElement.textContent") == "加入名单"
    console.keyboard.press(" ")
    expect(countdown).to_have_attribute("data-state", "paused")
    paused = countdown_text(projector)
    shot(projector, "projector-paused")
    time.sleep(1.2)
    assert countdown_text(projector) == paused
    console.keyboard.press(" ")
    expect(countdown).to_have_attribute("data-state", "running")
    # Space went to the shortcut, not to the focused "add to the list" button.
    expect(console.get_by_test_id("queue")).to_have_text("暂无人申请发言。")
    before = seconds(countdown_text(projector))
    console.keyboard.press("+")
    # 30 s more, less what runs down meanwhile (up to 15 s on a busy box): well above `before`.
    wait_until(lambda: seconds(countdown_text(projector)) > before + 10, timeout=15)

    # Typing in a text field never triggers a shortcut.
    console.get_by_placeholder("姓名、拼音首字母或房号").fill("")
    console.get_by_placeholder("姓名、拼音首字母或房号").press("e")
    console.get_by_placeholder("姓名、拼音首字母或房号").press(" ")
    time.sleep(0.5)
    expect(countdown).to_have_attribute("data-state", "running")
    console.keyboard.press("Escape")  # leaves the field
    console.keyboard.press("e")
    expect(countdown).to_have_attribute("data-state", "idle")
    expect(speaker).not_to_contain_text("孙艳娜")
    assert console.evaluate("window.stillTheSamePage === true"), "the console reloaded"


def test_the_countdown_warns_at_the_threshold_and_counts_the_overrun_in_red(
    live_server: LiveServer, page: Page
) -> None:
    sign_in(live_server, "孙艳娜", "6851")
    console = open_console(page.context, live_server)
    projector = open_projector(page.context, live_server)
    start_item(console, "停车位划线")
    add_hand(console, "孙艳娜", "反对")
    console.get_by_test_id("next-speaker").click()
    countdown = projector.get_by_test_id("countdown")
    expect(countdown).to_have_attribute("data-state", "running")
    assert projector.locator(".wall").get_attribute("data-chimes") is None

    # Take 90 s off the clock (a moderator correcting a mistake): 30 s or less remain.
    console.evaluate(f"async () => {MODERATOR}.send('timer', {{action: 'add', seconds: -90}})")
    expect(countdown).to_have_attribute("data-state", "warning")
    expect(console.get_by_test_id("countdown")).to_have_attribute("data-state", "warning")
    expect(projector.locator(".wall")).to_have_attribute("data-chime", "warning")
    assert seconds(countdown_text(projector)) <= 30
    panel = projector.locator(".countdown-panel")
    assert panel.evaluate("(el) => getComputedStyle(el).backgroundColor") == "rgb(255, 191, 0)"
    shot(projector, "projector-warning")
    shot(console, "console-warning")

    left = seconds(countdown_text(projector))
    console.evaluate(
        f"async () => {MODERATOR}.send('timer', {{action: 'add', seconds: {-(left - 2)}}})"
    )
    expect(countdown).to_have_attribute("data-state", "overrun")
    expect(countdown).to_have_text(re.compile(r"^\s*\+(?!0:00)\d+:\d\d"))  # the overrun counts up
    assert panel.evaluate("(el) => getComputedStyle(el).backgroundColor") == "rgb(176, 0, 0)"
    expect(projector.locator(".wall")).to_have_attribute("data-chime", "overrun")
    expect(console.get_by_test_id("countdown")).to_have_attribute("data-state", "overrun")
    shot(projector, "projector-overrun")
    shot(console, "console-overrun")


def test_an_attendee_asks_for_the_floor_from_the_phone_and_the_console_sees_it_at_once(
    live_server: LiveServer, page: Page
) -> None:
    phone_path = sign_in(live_server, "孙艳娜", "6851")
    console = open_console(page.context, live_server)
    projector = open_projector(page.context, live_server)
    start_item(console, "加装电梯方案")

    phone = page.context.new_page()
    phone.set_viewport_size({"width": 360, "height": 640})
    phone.goto(live_server.url + phone_path)
    wait_joined(phone)
    expect(phone.get_by_test_id("phone-floor")).to_contain_text("加装电梯方案")
    shot(phone, "phone-ask-360x640")
    phone.get_by_test_id("request-floor").click()
    expect(phone.get_by_role("button", name="提问·中立")).to_be_in_viewport()
    shot(phone, "phone-stance-360x640")
    phone.get_by_role("button", name="赞成").click()
    expect(phone.get_by_test_id("phone-floor")).to_contain_text("以“赞成”的立场申请发言？")
    expect(phone.get_by_test_id("confirm-request")).to_be_in_viewport()
    assert phone.evaluate(FLOOR_BUTTONS_UNDER_60) == [], "phone buttons under 60 px"
    shot(phone, "phone-confirm-360x640")
    phone.get_by_test_id("confirm-request").click()
    expect(phone.get_by_test_id("queue-place")).to_have_text("您排在第 1 位")
    queue = console.get_by_test_id("queue")
    expect(queue).to_contain_text("孙艳娜")
    assert console.evaluate("window.stillTheSamePage === true"), "the console reloaded"
    shot(phone, "phone-waiting-360x640")

    phone.get_by_test_id("withdraw-request").click()
    expect(queue).not_to_contain_text("孙艳娜")
    expect(phone.get_by_test_id("floor-message")).to_have_text("您的发言申请已撤回。")

    for _ in range(2):  # two speeches: the most the demo's rules allow on one item
        phone.get_by_test_id("request-floor").click()
        phone.get_by_role("button", name="反对").click()
        phone.get_by_test_id("confirm-request").click()
        expect(queue).to_contain_text("孙艳娜")
        console.get_by_test_id("next-speaker").click()
        expect(phone.get_by_test_id("phone-floor")).to_contain_text("轮到您发言了")
        time.sleep(1.1)
        console.get_by_test_id("end-speech").click()
        console.get_by_test_id("confirm-yes").click()  # by click with time left: asked first
        expect(phone.get_by_test_id("request-floor")).to_be_visible()

    phone.get_by_test_id("request-floor").click()
    phone.get_by_role("button", name="提问·中立").click()
    phone.get_by_test_id("confirm-request").click()
    refusal = phone.get_by_test_id("floor-message")
    expect(refusal).to_have_text("您在本议题已发言 2 次，已达议事规则允许的上限。")
    assert refusal.evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)") >= 24
    assert not phone.evaluate(OVERFLOWING), "the phone page scrolls sideways"
    shot(phone, "phone-refused-360x640")

    # The moderator may set the rule aside; the console shows the server's words first.
    add_hand(console, "孙艳娜", "提问·中立")
    message = console.get_by_test_id("console-message")
    expect(message).to_contain_text("已发言 2 次")
    console.get_by_label("不受议事规则限制（记入会议纪要）").check()
    console.get_by_role("button", name="加入名单 孙艳娜").click()
    expect(queue).to_contain_text("已发言 2 次")
    expect(phone.get_by_test_id("queue-place")).to_have_text("您排在第 1 位")
    shot(console, "console-queue-1280x800")

    console.get_by_role("button", name="结束 加装电梯方案").click()
    stats = projector.get_by_test_id("item-stats")
    expect(projector.locator(".wall")).to_have_attribute("data-mode", "stats")
    expect(stats).to_have_attribute("data-loaded", "true")
    expect(stats).to_contain_text("孙艳娜")
    expect(stats).to_contain_text("业主")
    expect(stats).to_contain_text("反对")
    expect(phone.get_by_test_id("phone-floor")).to_be_hidden()
    shot(projector, "projector-stats")
