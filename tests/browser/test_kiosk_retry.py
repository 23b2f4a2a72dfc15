"""The kiosk over a shaky Wi-Fi: a proxy's or a guest's sign-in lost on the way is sent again.

Playwright cuts the first tries at the network level (one after the server did the work, so a
careless repeat would count twice), then lets the request through: the screen says calmly that
it is still trying, keeps what was typed, and exactly one sign-in results. The start screen
follows the attendance live, whoever signs people in.

Screenshots: test-artifacts/kiosk-retry-*.png.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import LiveServer
from tests.browser.test_kiosk import (
    WANG_JING,
    assert_elder_mode,
    open_kiosk,
    screen,
    shot,
    tap,
)

pytestmark = pytest.mark.browser

RETRYING = re.compile("^网络不稳定，正在重试")
READ_ONLY = "数据库处于只读状态，刚才的操作没有保存。"
BACK_WITHIN_MS = 20_000  # up to four lost tries, each sent again within 3 s (RETRY_MS, kiosk.js)
IDLE_SECONDS = 8  # the kiosk starts over after this long untouched, but not while it retries


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for the tests below (each signs in someone else), quick to start over."""
    live = LiveServer(
        tmp_path_factory.mktemp("kiosk-retry"),
        extra_env={
            "YISHI_KIOSK_IDLE_SECONDS": str(IDLE_SECONDS),
            "YISHI_KIOSK_IDLE_WARNING_SECONDS": "4",
        },
    )
    yield live
    live.stop()


def flaky(page: Page, path: str, failures: list[str]) -> list[dict[str, Any]]:
    """Route ``path`` so that its first tries fail, one kind per entry of ``failures``.

    "arrived": the server does the work, then the answer is lost; "abort": the request never
    leaves; "503": a proxy in between answers 503; "refused": the server itself answers 503 with
    its refusal in words (READ_ONLY). Then the requests go through. Returns the bodies sent, in
    order.
    """
    sent: list[dict[str, Any]] = []

    def handle(route: Route) -> None:
        sent.append(json.loads(route.request.post_data or "{}"))
        kind = failures[len(sent) - 1] if len(sent) <= len(failures) else "through"
        if kind == "arrived":
            route.fetch()
            route.abort("connectionreset")
        elif kind == "abort":
            route.abort("internetdisconnected")
        elif kind == "503":
            route.fulfill(status=503, body="Service Unavailable")
        elif kind == "refused":
            refusal = {"error": {"code": "storage_read_only", "message": READ_ONLY}}
            route.fulfill(status=503, json=refusal)
        else:
            route.continue_()

    page.route(f"**{path}", handle)
    return sent


def stand_clock_still(page: Page) -> datetime:
    """Stop the page's clock (its timers run on): idle time passes only when the test says, so a
    slow step on a busy machine never adds up to the kiosk's warning or reset. The moment."""
    moment = datetime.now(UTC)
    page.clock.set_fixed_time(moment)
    return moment


def meeting_of(page: Page) -> int:
    """The meeting the kiosk signs people in to."""
    return int(page.locator("#kiosk").get_attribute("data-meeting-id") or 0)


def while_retrying(page: Page, screen_name: str, name: str) -> Callable[[], None]:
    """Check the calm "still trying" words and the kept name; return a screenshot taker."""
    message = page.locator(f"[data-screen='{screen_name}'] [data-role='message']")
    expect(message).to_have_text(RETRYING)
    expect(message).to_have_class(re.compile(r"\bwait\b"))
    size = float(message.evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)"))
    assert size >= 32, f"the retrying words are {size}px"
    field = page.locator(f"[data-screen='{screen_name}'] input")
    expect(field).to_have_value(name)
    assert field.evaluate("(e) => e.readOnly"), "the name could change under a retry"
    return lambda: shot(page, f"retry-{screen_name}")


def test_a_guest_registration_lost_four_times_registers_one_guest_and_is_never_dropped(
    server: LiveServer, page: Page
) -> None:
    moment = stand_clock_still(page)
    open_kiosk(page, server)
    meeting = meeting_of(page)
    before = server.api(f"/api/v1/meetings/{meeting}")["attendance"]["guests"]
    # About 12 s of failures, longer than the idle time: waiting for the network is not idle.
    sent = flaky(page, "/kiosk/api/guest", ["arrived", "abort", "abort", "abort"])

    page.locator("[data-screen='start'] [data-action='guest']").click()
    screen(page, "guest")
    page.locator("[data-role='guest-name-input']").fill("张来宾")
    page.locator("[data-action='guest-submit']").click()

    take = while_retrying(page, "guest", "张来宾")
    take()
    assert_elder_mode(page, "the guest screen while retrying")
    # 20 s on the page's clock, more than the 8 idle seconds, while it still tries: no warning,
    # no starting over (the tries themselves go on at the network's pace, 3 s apart).
    page.clock.set_fixed_time(moment + timedelta(seconds=20))

    done = page.locator("section[data-screen='guest-done']")
    expect(done).to_be_visible(timeout=BACK_WITHIN_MS)
    expect(done.locator("[data-role='greeting']")).to_contain_text("张来宾")
    expect(page.locator("#idle-warning")).to_be_hidden()
    assert len(sent) == 5
    assert len({body["request_id"] for body in sent}) == 1, "a retry changed its request id"
    after = server.api(f"/api/v1/meetings/{meeting}")["attendance"]["guests"]
    assert after == before + 1  # the first try arrived: its repeats added no second guest


def test_a_proxy_sign_in_lost_twice_signs_in_once_and_refusals_are_not_retried(
    server: LiveServer, page: Page
) -> None:
    stand_clock_still(page)
    open_kiosk(page, server)
    meeting = meeting_of(page)
    page.locator("[data-screen='start'] [data-action='proxy']").click()
    screen(page, "proxy-start")
    page.locator("[data-screen='proxy-start'] [data-method='pinyin']").click()
    screen(page, "pinyin")
    tap(page, "letters", "WJ")
    page.locator("[data-screen='pinyin'] .result", has_text=WANG_JING["address"]).click()
    screen(page, "confirm")
    tap(page, "tail", WANG_JING["tail"])
    screen(page, "proxy-name")
    sent = flaky(page, "/kiosk/api/proxy", ["arrived", "503"])
    page.locator("[data-role='proxy-name-input']").fill("李代理")
    page.locator("[data-action='proxy-submit']").click()

    take = while_retrying(page, "proxy-name", "李代理")
    take()
    assert_elder_mode(page, "the proxy screen while retrying")

    expect(page.locator("section[data-screen='done']")).to_be_visible(timeout=BACK_WITHIN_MS)
    expect(page.locator("[data-screen='done'] [data-role='lines']")).to_contain_text("李代理")
    assert len(sent) == 3 and all(body == sent[0] for body in sent)
    rows = server.api(f"/api/v1/meetings/{meeting}/attendance")["attendance"]
    wang = [r for r in rows if r["member_id"] == sent[0]["represented_id"]]
    assert len(wang) == 1 and wang[0]["proxy_name"] == "李代理"
    assert server.api(f"/api/v1/meetings/{meeting}")["attendance"]["proxies_pending"] == 1

    # A refusal (the proxy already carries one member, the limit) is said at once, not retried.
    page.get_by_role("button", name="我已收好").click()
    screen(page, "start")
    page.unroute("**/kiosk/api/proxy")
    refused = flaky(page, "/kiosk/api/proxy", [])
    page.locator("[data-screen='start'] [data-action='proxy']").click()
    page.locator("[data-screen='proxy-start'] [data-method='pinyin']").click()
    tap(page, "letters", "SYN")
    page.locator("[data-screen='pinyin'] .result", has_text="孙艳娜").click()
    tap(page, "tail", "6851")
    screen(page, "proxy-name")
    page.locator("[data-role='proxy-name-input']").fill("李代理")
    page.locator("[data-action='proxy-submit']").click()
    message = page.locator("[data-screen='proxy-name'] [data-role='message']")
    expect(message).to_have_class(re.compile(r"\bbad\b"))
    expect(message).not_to_have_text(RETRYING)
    page.wait_for_timeout(3500)  # longer than the retry period: nothing is sent again
    assert len(refused) == 1
    assert page.locator("[data-role='proxy-name-input']").evaluate("(e) => !e.readOnly")


def test_a_sign_in_at_the_desk_updates_the_count_on_an_open_kiosk(
    server: LiveServer, page: Page
) -> None:
    open_kiosk(page, server)
    meeting = meeting_of(page)
    line = page.get_by_test_id("kiosk-attendance")
    expect(line).to_be_visible()
    snapshot = server.api(f"/api/v1/meetings/{meeting}")["attendance"]
    heads = next(c for c in snapshot["clauses"] if c["measure"] == "headcount")
    expect(line).to_contain_text(f"已签到 {heads['present']} / {heads['total']} 人")
    expect(line).to_contain_text("尚未达到法定人数")
    shot(page, "retry-start-count")
    assert_elder_mode(page, "the start screen with the count")
    page.evaluate("window.stillTheSamePage = true")

    found = server.api("/api/v1/members?q=" + urllib.parse.quote("孙艳娜"))["members"]
    member = next(m for m in found if m["name"] == "孙艳娜")  # not the proxy refused above
    server.api(f"/api/v1/meetings/{meeting}/sign-in", {"member_id": member["id"]}, role="clerk")

    present = int(heads["present"]) + 1
    expect(line).to_contain_text(f"已签到 {present} / {heads['total']} 人")
    expect(line).to_have_attribute("data-present", str(present))
    assert page.evaluate("window.stillTheSamePage === true"), "the kiosk reloaded"


def test_an_ordinary_sign_in_whose_answer_was_lost_is_not_told_it_signed_in_already(
    server: LiveServer, page: Page
) -> None:
    open_kiosk(page, server)
    meeting = meeting_of(page)
    sent = flaky(page, "/kiosk/api/sign-in", ["arrived"])
    page.locator("[data-screen='start'] [data-method='address']").click()
    page.get_by_role("button", name="9栋", exact=True).click()
    page.get_by_role("button", name="2单元", exact=True).click()
    tap(page, "room", "201")
    page.locator("[data-action='find-room']").click()
    page.locator("[data-screen='address'] .result", has_text="王静").click()
    screen(page, "confirm")
    tap(page, "tail", "1186")

    message = page.locator("[data-screen='confirm'] [data-role='message']")
    expect(message).to_have_class(re.compile(r"\bwait\b"))
    done = page.locator("section[data-screen='done']")
    expect(done).to_be_visible(timeout=BACK_WITHIN_MS)
    expect(done).to_contain_text("王静，签到成功")
    expect(done).not_to_contain_text("您已于")  # the first try was this same sign-in
    assert len(sent) == 2 and sent[0] == sent[1] and len(sent[0]["request_id"]) == 32
    rows = server.api(f"/api/v1/meetings/{meeting}/attendance")["attendance"]
    assert len([r for r in rows if r["member_id"] == sent[0]["member_id"]]) == 1


def test_a_503_with_the_server_s_refusal_is_shown_in_its_words_and_not_sent_again(
    server: LiveServer, page: Page
) -> None:
    open_kiosk(page, server)
    sent = flaky(page, "/kiosk/api/guest", ["refused"])
    page.locator("[data-screen='start'] [data-action='guest']").click()
    screen(page, "guest")
    page.locator("[data-role='guest-name-input']").fill("赵来宾")
    page.locator("[data-action='guest-submit']").click()

    # A refusal, not a lost answer: the server's words at once, and nothing kept for a retry
    # (the name can be typed again; a registration waiting to go again stays read-only).
    message = page.locator("[data-screen='guest'] [data-role='message']")
    expect(message).to_have_text(READ_ONLY)
    expect(message).to_have_class(re.compile(r"\bbad\b"))
    field = page.locator("[data-role='guest-name-input']")
    expect(field).to_have_value("赵来宾")
    assert field.evaluate("(e) => !e.readOnly"), "the refused registration waits to be retried"
    assert len(sent) == 1
