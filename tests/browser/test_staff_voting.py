"""The staff's side of a vote in Debian's Chromium against the real server: the moderator drafts,
opens and closes a poll in the console while a phone votes; the clerk records assisted votes,
hands out paper cards, photographs them, and checks receipts. Each test saves what a person would
see as ``test-artifacts/staff-voting-*.png``.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from devices.cards import marker_cells
from tests.browser.conftest import ARTIFACTS, LiveServer, wait_joined
from tests.browser.test_floor import open_console, sign_in
from tests.browser.test_projector_clerk import OVERFLOWING, api, demo_meeting

pytestmark = pytest.mark.browser

QUARTER_TURNS = {"A": 0, "B": 1, "C": 2, "D": 3}  # the answer's side turned to the top
PHONE_BALLOT = """
([token, pollId, choice]) => new Promise((resolve) => {
  const socket = io("/phone", { transports: ["websocket"] });
  socket.emit("ballot.cast",
    { token, poll_id: pollId, choices: [choice], client_id: "browser-" + token.slice(0, 12) },
    (answer) => { socket.close(); resolve(answer); });
})
"""


def shot(page: Page, name: str) -> None:
    """Save the screen as test-artifacts/staff-voting-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"staff-voting-{name}.png"))


def refusal(server: LiveServer, path: str, body: dict[str, Any]) -> str:
    """The server's message when it refuses a call (in Chinese, as the desk's session asks)."""
    with pytest.raises(urllib.error.HTTPError) as refused:
        server.api(path, body)
    return str(json.load(refused.value)["error"]["message"])


def member(server: LiveServer, name: str) -> int:
    found = api(server, f"/api/v1/members?q={urllib.parse.quote(name)}")["members"][0]
    assert found["name"] == name
    return int(found["id"])


def vote_by_phone(context: BrowserContext, server: LiveServer, path: str, poll_id: int) -> str:
    """An attendee's phone page sends a ballot "for" over its socket; the receipt code."""
    phone = context.new_page()
    phone.set_viewport_size({"width": 360, "height": 640})
    phone.goto(server.url + path)
    token = path.rsplit("/", 1)[1]
    answer = phone.evaluate(PHONE_BALLOT, [token, poll_id, "for"])
    assert "receipt" in answer, answer
    phone.close()
    return str(answer["receipt"])


def card_photo(path: Path, cards: list[tuple[int, str]]) -> Path:
    """A photo of the room with each card held up showing one answer on top."""
    room = np.full((900, 400 * len(cards) + 200), 225, np.uint8)
    for place, (number, answer) in enumerate(cards):
        face = cv2.resize(marker_cells(number), (240, 240), interpolation=cv2.INTER_NEAREST)
        x = 120 + place * 400
        room[260:580, x - 40 : x + 280] = 255
        room[300:540, x : x + 240] = np.rot90(face, QUARTER_TURNS[answer])
    cv2.imwrite(str(path), room)
    return path


def open_desk(page: Page, server: LiveServer) -> Page:
    """The clerk desk (1366×768) in its voting view, with the clerk on duty named."""
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{server.url}/clerk")
    page.get_by_label("值班记录员").fill("王记录")
    page.get_by_test_id("view-voting").click()
    wait_joined(page)
    expect(page.get_by_test_id("clerk-voting")).to_be_visible()
    return page


def test_the_moderator_runs_a_named_vote_and_sees_the_count_and_the_explained_result(
    live_server: LiveServer, page: Page
) -> None:
    here = sign_in(live_server, "孙艳娜")
    sign_in(live_server, "秦娜")
    console = open_console(page.context, live_server)
    console.get_by_test_id("view-voting").click()
    expect(console.get_by_test_id("poll-panel")).to_be_visible()
    expect(console.get_by_test_id("current-speaker")).to_be_hidden()

    form = console.get_by_test_id("poll-form")
    question = form.locator('textarea[name="question"]')
    question.fill("是否同意在7栋加装电梯？")
    question.press("n")  # typing: the floor's keys stay quiet
    expect(question).to_have_value("是否同意在7栋加装电梯？n")
    question.fill("是否同意在7栋加装电梯？")
    form.locator('input[name="secret"][value="false"]').check()
    rule = form.locator('select[name="rule"]')
    description = console.get_by_test_id("rule-description")
    notes = console.evaluate(
        "JSON.parse(document.getElementById('page-data').textContent).poll_words.rule_notes"
    )
    rule.select_option("art278_ordinary:fund_use")  # the matter picked; its rule follows
    assert description.inner_text().startswith(notes["art278_ordinary"])
    # Civil Code art. 278: the owners decide, always; the form says so and locks who votes.
    voters = form.locator('select[name="eligibility"]')
    expect(voters).to_have_value("owners")
    expect(voters).to_be_disabled()
    expect(description).to_contain_text("仅业主参与表决")
    shot(console, "console-art278-form-1280x800")
    rule.select_option("simple_majority")
    expect(description).to_have_text(notes["simple_majority"])
    form.locator('input[name="minutes"]').fill("5")
    console.get_by_test_id("poll-create").click()
    current = console.get_by_test_id("poll-current")
    expect(current).to_have_attribute("data-status", "draft")
    expect(console.get_by_test_id("poll-question")).to_have_text("是否同意在7栋加装电梯？")
    expect(console.get_by_test_id("poll-close")).to_be_hidden()

    console.get_by_test_id("poll-open").click()
    expect(current).to_have_attribute("data-status", "open")
    count = console.get_by_test_id("poll-count")
    expect(count).to_have_attribute("data-cast", "0")
    expect(console.get_by_test_id("poll-countdown")).to_contain_text("4:")
    poll_id = int(str(current.get_attribute("data-poll-id")))
    assert api(live_server, f"/api/v1/polls/{poll_id}")["secret"] is False

    vote_by_phone(page.context, live_server, here, poll_id)
    expect(count).to_have_attribute("data-cast", "1")
    expect(count).to_contain_text("1")
    expect(console.locator('.view-switch [data-field="poll-live"]')).to_contain_text("1 /")
    assert console.evaluate("window.stillTheSamePage === true"), "the console reloaded"
    shot(console, "console-open-1280x800")
    assert not console.evaluate(OVERFLOWING), "the console scrolls sideways"

    console.get_by_test_id("poll-close").click()
    expect(console.get_by_test_id("poll-confirm")).to_be_visible()
    expect(current).to_have_attribute("data-status", "open")  # nothing closes before the answer
    console.get_by_test_id("poll-confirm-close").click()
    expect(current).to_have_attribute("data-status", "closed")
    result = console.get_by_test_id("poll-result")
    expect(result).to_have_attribute("data-passed", "true")
    shown = api(live_server, f"/api/v1/polls/{poll_id}")
    expect(console.get_by_test_id("poll-explanation")).to_have_text(shown["explanation"]["zh_CN"])
    assert "100.0%" in shown["explanation"]["zh_CN"]
    expect(console.get_by_test_id("poll-hash")).to_have_text(shown["final_hash"])
    expect(result.locator('tr[data-option="for"] td').first).to_have_text("1")
    shot(console, "console-result-1280x800")

    console.get_by_test_id("poll-publish").click()
    expect(current).to_have_attribute("data-status", "published")
    listed = console.get_by_test_id("poll-list").locator(f'[data-poll-id="{poll_id}"]')
    expect(listed).to_have_attribute("data-status", "published")


def test_the_clerk_records_assisted_votes_reads_cards_and_is_refused_a_second_ballot(
    live_server: LiveServer, page: Page, tmp_path: Path
) -> None:
    meeting = demo_meeting(live_server)
    phone_path = sign_in(live_server, "孙艳娜")
    for name in ("秦娜", "邱秀德"):
        sign_in(live_server, name)
    desk = open_desk(page, live_server)
    expect(desk.get_by_test_id("clerk-poll")).to_have_attribute("data-status", "none")

    # Cards are handed out before the vote, through the desk's form.
    cards = desk.get_by_test_id("card-form")
    for number, name in ((7, "邱秀德"), (12, "孙艳娜")):
        cards.locator('input[name="number"]').fill(str(number))
        cards.locator('input[name="q"]').fill(name)
        cards.locator('[data-action="find"]').click()
        cards.locator(f'.results [data-member-id="{member(live_server, name)}"] button').click()
        desk.get_by_test_id("card-submit").click()
        expect(desk.get_by_test_id("card-list").locator(f'[data-card="{number}"]')).to_contain_text(
            name
        )

    poll = api(live_server, f"/api/v1/meetings/{meeting}/polls", {"question": "是否同意更换物业？"})
    api(live_server, f"/api/v1/polls/{poll['id']}/open", {})
    now = desk.get_by_test_id("clerk-poll")
    expect(now).to_have_attribute("data-status", "open")  # pushed, no reload
    vote_by_phone(page.context, live_server, phone_path, poll["id"])
    expect(desk.get_by_test_id("clerk-poll-count")).to_have_attribute("data-cast", "1")

    # An assisted vote for 秦娜, with the clerk on duty as the helper.
    form = desk.get_by_test_id("assisted-form")
    expect(desk.get_by_test_id("assisted-helper")).to_have_text("王记录")
    form.locator('input[name="q"]').fill("秦娜")
    form.locator('[data-action="find"]').click()
    form.locator(f'.results [data-member-id="{member(live_server, "秦娜")}"] button').click()
    form.locator('input[name="choice"][value="against"]').check()
    desk.get_by_test_id("assisted-submit").click()
    outcome = desk.get_by_test_id("assisted-result")
    expect(outcome).to_have_attribute("data-state", "recorded")
    receipt = desk.get_by_test_id("assisted-receipt")
    expect(receipt).to_have_text(re.compile(r"^[0-9A-Z]{8}$"))
    code = receipt.inner_text()
    expect(desk.get_by_test_id("clerk-poll-count")).to_have_attribute("data-cast", "2")

    # 孙艳娜 voted by phone: the desk shows the server's refusal in its own words.
    said = refusal(
        live_server,
        f"/api/v1/polls/{poll['id']}/assisted",
        {"member_id": member(live_server, "孙艳娜"), "choices": ["for"], "helper": "王记录"},
    )
    form.locator('input[name="q"]').fill("孙艳娜")
    form.locator('[data-action="find"]').click()
    form.locator(f'.results [data-member-id="{member(live_server, "孙艳娜")}"] button').click()
    form.locator('input[name="choice"][value="for"]').check()
    desk.get_by_test_id("assisted-submit").click()
    expect(outcome).to_have_attribute("data-state", "refused")
    expect(outcome).to_have_text(said)
    assert "已经投过票" in said
    expect(desk.get_by_test_id("clerk-poll-count")).to_have_attribute("data-cast", "2")

    # A photo of the room: card 7 shows C (abstain); card 12's holder voted by phone already.
    # A secret vote: the desk says which cards were seen, never who chose what.
    photo = card_photo(tmp_path / "room.png", [(7, "C"), (12, "A")])
    desk.get_by_test_id("card-photo-input").set_input_files(str(photo))
    numbers = desk.get_by_test_id("cards-seen-numbers").locator("li")
    expect(numbers).to_have_text(["7", "12"])
    expect(desk.get_by_test_id("card-summary")).to_contain_text("不显示卡片上的选择")
    expect(desk.get_by_test_id("cards-seen")).to_be_hidden()
    summary = desk.get_by_test_id("card-summary").inner_text()
    assert "弃权" not in summary and "赞成" not in summary, summary
    expect(desk.get_by_test_id("cards-problems").locator("li")).to_have_count(1)
    expect(desk.get_by_test_id("cards-problems")).to_contain_text("12")
    desk.evaluate("document.querySelector('.desk-views').scrollIntoView()")
    shot(desk, "clerk-1366x768")
    desk.get_by_test_id("card-photos").scroll_into_view_if_needed()
    shot(desk, "clerk-cards-1366x768")
    assert not desk.evaluate(OVERFLOWING), "the desk scrolls sideways"

    # After closing: the card counted, the ballot list with its hashes, the receipt found.
    api(live_server, f"/api/v1/polls/{poll['id']}/close", {})
    closed = desk.get_by_test_id("clerk-poll-list").locator(f'tr[data-poll-id="{poll["id"]}"]')
    expect(closed).to_have_attribute("data-status", "closed")
    closed.get_by_role("button").click()
    ballots = desk.get_by_test_id("ballot-list")
    expect(ballots.locator("tbody tr")).to_have_count(3)  # phone, assisted, card
    listed = api(live_server, f"/api/v1/polls/{poll['id']}/ballot-list")
    expect(ballots.locator('[data-field="final-hash"]')).to_have_text(listed["final_hash"])
    expect(ballots.locator("tbody tr").first.locator("code")).to_have_text(
        listed["entries"][0]["hash"]
    )
    receipts = desk.get_by_test_id("receipt-form")
    receipts.locator('input[name="code"]').fill(code.lower())
    receipts.locator('button[type="submit"]').click()
    expect(desk.get_by_test_id("receipt-result")).to_have_attribute("data-found", "true")
    expect(desk.get_by_test_id("receipt-result")).to_contain_text(code)
    receipts.locator('input[name="code"]').fill("ZZZZZZZZ")
    receipts.locator('button[type="submit"]').click()
    expect(desk.get_by_test_id("receipt-result")).to_have_attribute("data-found", "false")


def test_the_matter_put_to_the_owners_is_named_on_the_console_the_desk_and_the_wall(
    live_server: LiveServer, page: Page
) -> None:
    # Under art. 278 the matter sets the threshold (item 6, raising the fund: 3/4), so every
    # screen that shows the vote names it, in the words of the owners' assembly's screens.
    meeting = demo_meeting(live_server)
    draft = {
        "question": "是否同意筹集7栋维修资金？",
        "rule": "art278_major:fund_raising",
        "eligibility": "owners",
    }
    owners = api(live_server, f"/api/v1/meetings/{meeting}/polls", draft)
    assert owners["rule"] == "art278_major" and owners["matter_kind"] == "fund_raising"
    api(live_server, f"/api/v1/polls/{owners['id']}/open", {})
    matter = "第6项：筹集建筑物及其附属设施的维修资金"

    console = open_console(page.context, live_server)
    console.get_by_test_id("view-voting").click()
    expect(console.locator('[data-testid="poll-current"] [data-field="meta"]')).to_contain_text(
        f"《民法典》第二百七十八条：重大事项 · {matter}"
    )
    desk = open_desk(page.context.new_page(), live_server)
    expect(desk.locator('[data-testid="clerk-poll"] [data-field="meta"]')).to_contain_text(matter)
    wall = page.context.new_page()
    wall.set_viewport_size({"width": 1920, "height": 1080})
    wall.goto(f"{live_server.url}/projector")
    wait_joined(wall)
    expect(wall.get_by_test_id("poll-matter")).to_have_text(matter)  # as the page is served
    wall.get_by_test_id("chime-unlock").click()  # the wall's sound on, its prompt gone
    expect(wall.get_by_test_id("state-announcement")).to_be_hidden(timeout=30_000)
    shot(wall, "projector-owners-matter")

    # The next vote is no owners' decision: the wall drops the matter as the vote changes.
    api(live_server, f"/api/v1/polls/{owners['id']}/close", {})
    later = {"question": "是否同意下月再议？"}
    other = api(live_server, f"/api/v1/meetings/{meeting}/polls", later)
    assert other["matter_kind"] is None
    api(live_server, f"/api/v1/polls/{other['id']}/open", {})
    expect(wall.get_by_test_id("poll-question")).to_have_text("是否同意下月再议？")
    expect(wall.get_by_test_id("poll-matter")).to_be_hidden()
    expect(desk.locator('[data-testid="clerk-poll"] [data-field="meta"]')).not_to_contain_text(
        "第6项"
    )
