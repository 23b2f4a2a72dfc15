"""The lobby kiosk in Debian's Chromium against the real server: what an attendee sees and taps.

Each test saves PNGs of the screens it passes through as ``test-artifacts/kiosk-*.png``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect

from tests.browser.conftest import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    LiveServer,
    log_in,
    scan_burst,
)

pytestmark = pytest.mark.browser

# 王静 of 2栋1单元201 in the demo roster; another 王静 lives at 9栋2单元201.
WANG_JING = {"address": "2栋1单元201", "tail": "5318"}
SUN_YANNA_CARD = "YISHI:M00002"  # 孙艳娜, 1栋1单元202

# Every target a finger can touch, and every piece of text, measured in the page itself.
TOO_SMALL_TARGETS = """
() => [...document.querySelectorAll("button, a, input, select, textarea, [role=button]")]
  .filter((el) => el.checkVisibility({ visibilityProperty: true }))
  .map((el) => [el, el.getBoundingClientRect()])
  .filter(([, box]) => box.width < 60 || box.height < 60)
  .map(([el, box]) => `${el.tagName} "${el.textContent.trim().slice(0, 24)}" `
    + `${Math.round(box.width)}x${Math.round(box.height)}`)
"""
TOO_SMALL_TEXT = """
() => {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const element = node.parentElement;
    if (!node.textContent.trim()) continue;
    if (element.closest("script, style, svg, .visually-hidden")) continue;
    if (!element.checkVisibility({ visibilityProperty: true })) continue;
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (size < 24) small.push(`"${node.textContent.trim().slice(0, 24)}" ${size}px`);
  }
  return small;
}
"""
OVERFLOWING = """
() => document.documentElement.scrollWidth > document.documentElement.clientWidth
"""


def shot(page: Page, name: str) -> None:
    """Save what the screen shows now as test-artifacts/kiosk-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"kiosk-{name}.png"))


def assert_elder_mode(page: Page, where: str) -> None:
    """Targets at least 60×60 CSS px, text at least 24 px, nothing wider than the screen."""
    assert page.evaluate(TOO_SMALL_TARGETS) == [], f"small targets on {where}"
    assert page.evaluate(TOO_SMALL_TEXT) == [], f"small text on {where}"
    assert not page.evaluate(OVERFLOWING), f"{where} is wider than the screen"


def screen(page: Page, name: str) -> None:
    """Wait until the kiosk shows the screen called ``name``."""
    expect(page.locator(f"section[data-screen='{name}']")).to_be_visible()


def open_kiosk(page: Page, server: LiveServer, query: str = "") -> None:
    """Open /kiosk and wait for its script to be ready."""
    page.goto(f"{server.url}/kiosk{query}")
    expect(page.locator("#kiosk[data-ready='true']")).to_be_attached()


def tap(page: Page, keypad: str, keys: str) -> None:
    """Tap keys of an on-screen keypad (``letters``, ``tail`` or ``room``), one by one."""
    pad = page.locator(f"[data-keypad='{keypad}']")
    for key in keys:
        pad.get_by_role("button", name=key, exact=True).click()


def find_wang_jing_by_initials(page: Page) -> None:
    """Tap 拼音首字母, then W and J; both 王静 are listed, told apart by their address."""
    page.locator("[data-screen='start'] [data-method='pinyin']").click()
    screen(page, "pinyin")
    tap(page, "letters", "WJ")
    results = page.locator("[data-screen='pinyin'] .result")
    expect(results.filter(has_text="王静")).to_have_count(2)
    expect(results.filter(has_text="2栋1单元201")).to_have_count(1)
    expect(results.filter(has_text="9栋2单元201")).to_have_count(1)


def test_an_attendee_signs_in_by_initials_and_the_projector_counts_her_without_a_reload(
    live_server: LiveServer, page: Page
) -> None:
    projector = page.context.new_page()
    projector.goto(f"{live_server.url}/projector")
    headcount = projector.get_by_test_id("present-headcount")
    expect(headcount).to_have_text("0")
    projector.evaluate("window.stillTheSamePage = true")

    page.bring_to_front()  # a background tab gets no animation frames, and taps wait for them
    open_kiosk(page, live_server)
    find_wang_jing_by_initials(page)
    page.locator("[data-screen='pinyin'] .result", has_text=WANG_JING["address"]).click()
    screen(page, "confirm")
    expect(page.locator("[data-role='who-address']")).to_have_text(WANG_JING["address"])
    tap(page, "tail", WANG_JING["tail"])

    screen(page, "done")
    expect(page.locator("[data-role='greeting']:visible")).to_have_text(
        "王静，签到成功！欢迎参会。"
    )
    qr = page.locator("[data-role='qr'] svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 300 and box["height"] >= 300

    expect(headcount).to_have_text("1")
    assert projector.evaluate("window.stillTheSamePage === true"), "the projector reloaded"

    with page.expect_response(f"{live_server.url}/kiosk/slip") as slip:
        page.get_by_role("button", name="打印签到条").click()
    assert slip.value.ok and slip.value.headers["content-type"] == "application/pdf"
    expect(page.locator("[data-role='print-status']")).to_have_text(
        "签到条正在打印，请到打印机处取。"
    )
    page.get_by_role("button", name="我已收好").click()
    screen(page, "start")
    expect(page.locator("iframe.slip-frame")).to_have_count(0)  # the next person finds no slip
    assert len(page.context.pages) == 2  # the kiosk and the projector: no PDF left in a tab


def test_every_screen_for_members_proxies_and_guests_has_large_targets_and_text(
    live_server: LiveServer, page: Page
) -> None:
    open_kiosk(page, live_server)
    shot(page, "start")
    assert_elder_mode(page, "the start screen")

    find_wang_jing_by_initials(page)
    shot(page, "keyboard-results")
    assert_elder_mode(page, "the keyboard with results")

    page.locator("[data-screen='pinyin'] .result", has_text=WANG_JING["address"]).click()
    screen(page, "confirm")
    tap(page, "tail", "0000")
    message = page.locator("[data-screen='confirm'] [data-role='message']")
    expect(message).to_be_visible()
    expect(message).to_contain_text("2")  # tries left
    shot(page, "phone-keypad-wrong")
    assert_elder_mode(page, "the phone keypad with an error")
    tap(page, "tail", "53")
    expect(page.locator("[data-role='tail-boxes'] .filled")).to_have_count(2)
    expect(message).to_be_hidden()
    shot(page, "phone-keypad")
    assert_elder_mode(page, "the phone keypad")
    tap(page, "tail", "18")
    screen(page, "done")
    shot(page, "success")
    assert_elder_mode(page, "the success screen")
    page.get_by_role("button", name="我已收好").click()
    screen(page, "start")
    assert WANG_JING["address"] not in page.content()  # the tiles show 王静 as an example

    page.get_by_role("button", name="代他人签到（委托）").click()
    screen(page, "proxy-start")
    assert_elder_mode(page, "the proxy's start")
    page.locator("[data-screen='proxy-start'] [data-method='pinyin']").click()
    tap(page, "letters", "SYN")
    page.locator("[data-screen='pinyin'] .result", has_text="孙艳娜").click()
    expect(page.locator("[data-role='tail-title']")).to_have_text("请输入孙艳娜手机号码的后四位")
    tap(page, "tail", "6851")
    screen(page, "proxy-name")
    page.get_by_label("请输入您本人（代理人）的姓名").fill("李代理")
    shot(page, "proxy-name")
    assert_elder_mode(page, "the proxy's name")
    page.get_by_role("button", name="确认代理签到").click()
    screen(page, "done")
    expect(page.locator("[data-screen='done']")).to_contain_text("书面委托书交给服务台")
    expect(page.locator("[data-role='qr'] svg")).to_be_visible()
    shot(page, "proxy-done")
    assert_elder_mode(page, "the proxy's receipt")
    page.get_by_role("button", name="我已收好").click()

    page.get_by_role("button", name="我不在名单上 · 来宾登记").click()
    page.get_by_label("来宾登记：请输入您的姓名").fill("张来宾")
    assert_elder_mode(page, "the guest's name")
    page.get_by_role("button", name="登记", exact=True).click()
    screen(page, "guest-done")
    greeting = page.locator("[data-screen='guest-done'] [data-role='greeting']")
    expect(greeting).to_have_text("欢迎您，张来宾！")
    shot(page, "guest-done")
    assert_elder_mode(page, "the guest's welcome")
    page.get_by_role("button", name="完成").click()  # a guest has no code to keep

    page.locator("[data-screen='start'] [data-method='address']").click()
    page.get_by_role("button", name="2栋", exact=True).click()
    page.get_by_role("button", name="1单元", exact=True).click()
    tap(page, "room", "201")
    result = page.locator("[data-screen='address'] .result", has_text="王静")
    expect(result).to_contain_text("已于")
    shot(page, "address")
    assert_elder_mode(page, "the building and room keypad")
    page.get_by_role("button", name="删除最后一位数字").click()  # 20: nobody listed any more
    expect(page.locator("[data-screen='address'] .result")).to_have_count(0)

    for size, name in [
        ({"width": 1024, "height": 768}, "1024"),
        ({"width": 800, "height": 1280}, "portrait"),
    ]:
        page.set_viewport_size(size)
        assert_elder_mode(page, f"the address screen at {name}")
        shot(page, f"address-{name}")
        for _ in range(3):  # room → unit → building → start
            page.get_by_role("button", name="返回").click()
        screen(page, "start")
        assert_elder_mode(page, f"the start screen at {name}")
        shot(page, f"start-{name}")
        page.locator("[data-screen='start'] [data-method='pinyin']").click()
        tap(page, "letters", "WJ")
        expect(page.locator("[data-screen='pinyin'] .result").first).to_be_visible()
        assert_elder_mode(page, f"the keyboard at {name}")
        shot(page, f"keyboard-{name}")
        page.get_by_role("button", name="返回").click()
        page.locator("[data-screen='start'] [data-method='address']").click()
        page.get_by_role("button", name="2栋", exact=True).click()
        page.get_by_role("button", name="1单元", exact=True).click()


@pytest.fixture(scope="module")
def quick_idle_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server whose kiosk starts over after 8 s idle, warning for the last 4.

    Shared by the idle test below, which only looks people up and never signs anyone in.
    """
    server = LiveServer(
        tmp_path_factory.mktemp("idle"),
        extra_env={"YISHI_KIOSK_IDLE_SECONDS": "8", "YISHI_KIOSK_IDLE_WARNING_SECONDS": "4"},
    )
    yield server
    server.stop()


def card_video(path: Path, code: str) -> Path:
    """A Y4M video of a resident card's QR code, for Chromium's fake camera."""
    from PIL import Image

    from devices.qr import qr_png

    width, height = 640, 480
    frame = Image.new("L", (width, height), 255)
    card = Image.open(io.BytesIO(qr_png(code, box_size=10))).convert("L").resize((360, 360))
    frame.paste(card, ((width - 360) // 2, (height - 360) // 2))
    chroma = bytes([128]) * (width // 2 * height // 2)
    header = f"YUV4MPEG2 W{width} H{height} F5:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + b"FRAME\n" + frame.tobytes() + chroma + chroma)
    return path


def test_a_resident_card_held_to_the_camera_finds_its_member(
    live_server: LiveServer, playwright: Playwright, tmp_path: Path
) -> None:
    # The hall's idle time (60 s), not the quick one: on a busy box the camera's first frames
    # can take longer than the quick kiosk's 4 s before its warning covers the screen.
    video = card_video(tmp_path / "card.y4m", SUN_YANNA_CARD)
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
        log_in(context)
        page = context.new_page()
        open_kiosk(page, live_server, "?lang=zh_CN")  # 127.0.0.1: the camera is allowed
        page.get_by_role("button", name="用摄像头扫码").click()
        screen(page, "confirm")
        expect(page.locator("[data-role='who-name']")).to_have_text("孙艳娜")
        expect(page.locator("[data-role='who-address']")).to_have_text("1栋1单元202")
    finally:
        browser.close()


def test_an_idle_kiosk_warns_then_starts_over_with_nothing_of_the_person_left(
    quick_idle_server: LiveServer, browser: Browser
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en")
    log_in(context)
    # The page's clock stands still (its timers run): idle time passes only when the test says,
    # so a slow step on a busy machine never adds up to a warning or a reset.
    moment = datetime.now(UTC)
    context.clock.set_fixed_time(moment)
    page = context.new_page()
    try:
        open_kiosk(page, quick_idle_server, "?lang=en")
        expect(page.locator("h1:visible")).to_have_text("Welcome! Please sign in.")
        shot(page, "start-en")

        scan_burst(page, SUN_YANNA_CARD)  # a USB scanner: a burst, then Enter
        screen(page, "confirm")
        expect(page.locator("[data-role='who-name']")).to_have_text("孙艳娜")
        tap(page, "tail", "68")

        # 5 s untouched: the warning (the last 4 of the 8 idle seconds), its count ticking.
        warning = page.locator("#idle-warning")
        context.clock.set_fixed_time(moment + timedelta(seconds=5))
        expect(warning).to_be_visible()
        expect(warning).to_contain_text("3 seconds")
        shot(page, "idle-warning")
        assert_elder_mode(page, "the idle warning")
        warning.get_by_role("button", name="Yes, continue").click()
        expect(warning).to_be_hidden()
        screen(page, "confirm")
        expect(page.locator("[data-role='tail-boxes'] .filled")).to_have_count(2)

        # The tap counts from 5 s: 3.5 s more are not yet a warning, 5.5 are, 8.5 start over.
        context.clock.set_fixed_time(moment + timedelta(seconds=8.5))
        page.wait_for_timeout(600)  # two ticks of the idle watch (250 ms): nothing shows
        expect(warning).to_be_hidden()
        context.clock.set_fixed_time(moment + timedelta(seconds=10.5))
        expect(warning).to_be_visible()
        context.clock.set_fixed_time(moment + timedelta(seconds=13.5))
        screen(page, "start")
        expect(warning).to_be_hidden()
        assert "孙艳娜" not in page.content()
        expect(page.locator("[data-role='tail-boxes'] .filled")).to_have_count(0)
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)], ids=["landscape", "portrait"])
def test_the_kiosk_shows_every_way_in_without_scrolling(
    live_server: LiveServer, browser: Browser, lang: str, size: tuple[int, int]
) -> None:
    # A 1280 × 800 kiosk, or one stood upright: the card, the three ways to find a name and the
    # four other ways in (proxy, guest, rating, topics) all on the first screen. The topics
    # button used to sit below the fold, found only by someone who knew to scroll.
    width, height = size
    orientation = "landscape" if width > height else "portrait"
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        log_in(context)
        page = context.new_page()
        open_kiosk(page, live_server, f"?lang={lang}")
        start = page.locator("section[data-screen='start']")
        ways = start.locator("button:visible, a.button:visible")
        expect(ways.first).to_be_visible()
        outside = page.evaluate(
            """(ways) => ways.map((el) => [el.textContent.trim(), el.getBoundingClientRect()])
                 .filter(([, box]) => box.bottom > innerHeight || box.right > innerWidth)
                 .map(([text, box]) => `${text} (bottom ${Math.round(box.bottom)})`)""",
            ways.element_handles(),
        )
        assert ways.count() >= 7  # 3 ways to find a name and 4 others (the camera: if there is one)
        shot(page, f"start-{orientation}-{lang}")
        assert outside == [], f"below or beside the {orientation} screen in {lang}: {outside}"
        assert_elder_mode(page, f"the {orientation} start screen in {lang}")
    finally:
        context.close()
