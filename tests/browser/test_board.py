"""The notice board in Chromium: a resident rates completed work; the lobby slideshow advances."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import APIRequestContext, Page, expect

from tests.browser.conftest import LiveServer, session_csrf_header

pytestmark = pytest.mark.browser

# Text smaller than 24 px, and controls less than 60 px tall, among what is shown.
ELDER_MODE_MISSES = """() => {
  const shown = (el) => el.getClientRects().length > 0;
  const small = [...document.querySelectorAll("body *")].filter((el) => shown(el)
    && [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())
    && parseFloat(getComputedStyle(el).fontSize) < 24).map((el) => el.textContent.trim());
  const controls = "a, button, select, textarea, input:not([type=radio]), .stars span";
  const low = [...document.querySelectorAll(controls)]
    .filter((el) => shown(el) && el.getBoundingClientRect().height < 60)
    .map((el) => el.outerHTML.slice(0, 60));
  return small.concat(low);
}"""


def call(api: APIRequestContext, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    """A JSON API call that must succeed."""
    response = api.fetch(url, method=method, data=body, headers=session_csrf_header())
    assert response.ok, response.text()
    return response.json()


def completed_action(server: LiveServer, api: APIRequestContext) -> tuple[int, str]:
    """The demo meeting with a member signed in, a decision and a completed action item;
    the action's id and the member's personal token."""
    base = f"{server.url}/api/v1"
    meeting = call(api, "GET", f"{base}/meetings")["meetings"][0]
    member = call(api, "GET", f"{base}/members?q=孙艳娜")["members"][0]
    signed = call(
        api,
        "POST",
        f"{base}/meetings/{meeting['id']}/sign-in",
        {"member_id": member["id"], "phone_tail": "6851"},
    )
    item = call(api, "POST", f"{base}/meetings/{meeting['id']}/agenda", {"title": "楼道灯改造"})
    decision = call(
        api,
        "POST",
        f"{base}/meetings/{meeting['id']}/decisions",
        {"text": "同意更换7栋楼道声控灯。", "by": "张记录", "item_id": item["items"][0]["id"]},
    )
    action = call(
        api,
        "POST",
        f"{base}/decisions/{decision['id']}/actions",
        {
            "title": "更换7栋全部楼道灯",
            "responsible": "物业服务中心",
            "deadline": "2030-01-31",
            "criterion": "每层灯具正常点亮",
        },
    )
    call(api, "PATCH", f"{base}/actions/{action['id']}", {"status": "done"})
    return action["id"], signed["phone_url"].rsplit("/", 1)[-1]


def test_a_resident_rates_completed_work_on_the_notice_board(
    page: Page, live_server: LiveServer
) -> None:
    action_id, token = completed_action(live_server, page.request)
    page.goto(f"{live_server.url}/board#token={token}")

    upcoming = page.get_by_test_id("upcoming-meeting").first
    expect(upcoming).to_contain_text("7栋加装电梯业主大会")
    expect(upcoming.get_by_test_id("short-notice")).to_be_visible()  # 30 minutes of notice
    assert token not in page.url  # the code left the address bar
    expect(page.locator("#resident-token")).to_have_value(token)

    card = page.locator(f'article[data-action="{action_id}"]')
    expect(card).to_have_attribute("data-status", "done")
    assert page.evaluate(ELDER_MODE_MISSES) == []
    form = card.locator("form.rate-form")
    form.locator("label", has=page.locator('input[value="4"]')).click()
    form.locator("textarea").fill("灯很亮，晚上回家安心多了。")
    form.get_by_role("button").click()
    result = form.locator(".rate-result")
    expect(result).not_to_be_empty()
    expect(result).not_to_have_class(re.compile(r"\bis-error\b"))
    expect(card.get_by_test_id("rating")).to_contain_text("4.0")

    page.reload()  # the rating is on the server, the code stays for this visit
    card = page.locator(f'article[data-action="{action_id}"]')
    expect(card.get_by_test_id("rating")).to_contain_text("4.0")
    expect(card).to_contain_text("灯很亮，晚上回家安心多了。")
    form = card.locator("form.rate-form")
    form.locator("label", has=page.locator('input[value="2"]')).click()
    form.get_by_role("button").click()
    # Each resident rates an item once: the second is refused in words, the first stands.
    expect(form.locator(".rate-result")).to_have_text(
        "您已经评价过“更换7栋全部楼道灯”：每位居民对每个事项只评价一次。"
    )
    expect(form.locator(".rate-result")).to_have_class(re.compile(r"\bis-error\b"))
    expect(card.get_by_test_id("rating")).to_contain_text("4.0")
    expect(card.get_by_test_id("rating")).to_contain_text("1")


def test_a_rating_without_a_personal_code_is_refused_in_words(
    page: Page, live_server: LiveServer
) -> None:
    action_id, _ = completed_action(live_server, page.request)
    page.goto(f"{live_server.url}/board?lang=en")
    form = page.locator(f'article[data-action="{action_id}"] form.rate-form')
    form.locator("label", has=page.locator('input[value="5"]')).click()
    form.get_by_role("button").click()
    expect(form.locator(".rate-result")).to_have_text("Please enter your personal code first.")
    page.locator("#resident-token").fill("not-a-valid-code-123")
    form.get_by_role("button").click()
    expect(form.locator(".rate-result")).to_contain_text("not valid")
    expect(form.locator(".rate-result")).to_have_class(re.compile(r"\bis-error\b"))


@pytest.fixture
def lobby_server(tmp_path: Path) -> Iterator[LiveServer]:
    """A server whose lobby slideshow shows each slide for 2 seconds."""
    server = LiveServer(tmp_path, {"YISHI_BOARD_SLIDE_SECONDS": "2"})
    yield server
    server.stop()


def test_the_lobby_slideshow_shows_one_slide_at_a_time_and_advances_by_itself(
    page: Page, lobby_server: LiveServer
) -> None:
    completed_action(lobby_server, page.request)
    page.set_viewport_size({"width": 1920, "height": 1080})
    # The page's clock stopped: a slide stays until the test moves the clock on (a slide's 3 s,
    # the shortest the slideshow allows), however long the checks take on a busy machine.
    moment = datetime.now(UTC)
    page.clock.install(time=moment)
    page.clock.pause_at(moment + timedelta(hours=1))
    page.goto(f"{lobby_server.url}/board?slideshow=1")
    slides = page.locator("[data-slide]")
    assert slides.count() >= 2
    expect(page.locator("html")).to_have_attribute("data-slide-number", "1")
    expect(page.locator("[data-slide]:visible")).to_have_count(1)
    expect(slides.first).to_be_visible()
    page.clock.run_for(2_500)
    expect(page.locator("html")).to_have_attribute("data-slide-number", "1")
    page.clock.run_for(600)
    expect(page.locator("html")).to_have_attribute("data-slide-number", "2")
    expect(page.locator("[data-slide]:visible")).to_have_count(1)
    expect(slides.nth(1)).to_be_visible()
    expect(page.locator("form")).to_have_count(0)
