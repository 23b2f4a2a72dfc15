"""Voting in Debian's Chromium against the real server: two phones and the booth vote, a paper card
is photographed, a second ballot through another channel is refused, and the projector shows the
closed result. Each step a person sees is saved as ``test-artifacts/voting-*.png``.
"""

from __future__ import annotations

import re
import urllib.parse
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cv2
import numpy as np
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from devices.cards import scan_photo
from tests.browser.conftest import ARTIFACTS, LiveServer, csrf_token, scan_burst, wait_joined
from tests.browser.test_floor import sign_in
from tests.browser.test_kiosk import assert_elder_mode, tap
from tests.browser.test_projector_clerk import OVERFLOWING, SMALL_TARGETS, api, demo_meeting
from tests.unit.test_cards import flat_card

pytestmark = pytest.mark.browser

QUESTION = "是否同意在1栋加装电梯，费用按楼层分摊？"


def shot(page: Page, name: str) -> None:
    """Save the screen as test-artifacts/voting-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"voting-{name}.png"))


def member_id(server: LiveServer, name: str) -> int:
    found = api(server, f"/api/v1/members?q={urllib.parse.quote(name)}")["members"]
    assert found[0]["name"] == name
    return int(found[0]["id"])


def open_page(context: BrowserContext, url: str, width: int, height: int) -> Page:
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": height})
    page.goto(url)
    wait_joined(page)
    return page


def card_photo(number: int, turns: int) -> bytes:
    """A photo (JPEG) of a grey wall with card ``number`` held ``turns`` quarter-turns round."""
    card = np.ascontiguousarray(np.rot90(flat_card(number, cell_px=24), turns))
    wall = np.full((900, 1200), 150, np.uint8)
    top, left = 200, 420
    wall[top : top + card.shape[0], left : left + card.shape[1]] = card
    photo = cv2.GaussianBlur(wall, (3, 3), 0)
    ok, jpeg = cv2.imencode(".jpg", photo, [cv2.IMWRITE_JPEG_QUALITY, 85])
    assert ok
    return jpeg.tobytes()


def vote_on_phone(phone: Page, label: str, name: str) -> str:
    """Two taps: the choice, then "确认投票". Returns the receipt code shown."""
    ballot = phone.get_by_test_id("ballot")
    expect(ballot.get_by_test_id("ballot-question")).to_have_text(QUESTION)
    expect(ballot).to_contain_text("无记名投票，投出后不能修改")
    assert phone.evaluate(SMALL_TARGETS, 60) == [], "phone buttons under 60 px"
    assert not phone.evaluate(OVERFLOWING), "the phone page scrolls sideways"
    shot(phone, f"{name}-ballot-360x640")
    ballot.get_by_role("button", name=re.compile(f"^{label} — ")).click()
    expect(ballot.get_by_test_id("ballot-chosen")).to_have_text(f"您选择了：{label}")
    expect(ballot.get_by_role("button", name="确认投票")).to_be_in_viewport()
    expect(ballot.get_by_role("button", name="返回修改")).to_be_in_viewport()
    shot(phone, f"{name}-confirm-360x640")
    ballot.get_by_role("button", name="确认投票").click()
    receipt = ballot.get_by_test_id("receipt")
    expect(receipt).to_be_visible()
    expect(ballot).to_contain_text("请记下您的回执码，可在公示栏核对")
    assert not phone.evaluate(OVERFLOWING), "the receipt scrolls sideways"
    shot(phone, f"{name}-receipt-360x640")
    code = receipt.get_attribute("data-receipt") or ""
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{8}", code), code
    assert receipt.inner_text().replace(" ", "") == code
    return code


def test_two_phones_the_booth_and_a_card_vote_and_the_projector_shows_the_verdict(
    live_server: LiveServer, context: BrowserContext
) -> None:
    server = live_server
    meeting = demo_meeting(server)
    first_phone = sign_in(server, "孙艳娜", "6851")
    second_phone = sign_in(server, "秦娜", "2181")
    sign_in(server, "邱秀德", "3657")
    sign_in(server, "蔡志", "2961")
    phone1 = open_page(context, server.url + first_phone, 360, 640)
    phone2 = open_page(context, server.url + second_phone, 360, 640)
    booth = open_page(context, server.url + "/booth", 1280, 800)
    projector = open_page(context, server.url + "/projector", 1920, 1080)
    expect(booth.get_by_test_id("booth-no-poll")).to_have_text("目前没有进行中的表决")
    shot(booth, "booth-waiting")

    drafted = {"question": QUESTION, "rule": "simple_majority"}
    poll = api(server, f"/api/v1/meetings/{meeting}/polls", drafted)
    api(server, f"/api/v1/polls/{poll['id']}/open", {})
    expected = api(server, f"/api/v1/meetings/{meeting}/polls")["polls"][0]["eligible"]

    # The projector shows the poll at once, the count from the throttled updates.
    expect(projector.locator(".wall")).to_have_attribute("data-mode", "poll")
    expect(projector.get_by_test_id("poll-question")).to_have_text(QUESTION)
    expect(projector.get_by_test_id("poll-count")).to_have_text(f"0 / {expected}")
    expect(projector.locator(".wall")).to_contain_text("未签到请先到签到机")

    # Two phones vote by tapping, two taps each.
    receipt1 = vote_on_phone(phone1, "赞成", "phone1")
    vote_on_phone(phone2, "反对", "phone2")
    expect(projector.get_by_test_id("poll-count")).to_have_text(f"2 / {expected}")
    expect(projector.get_by_test_id("present-headcount")).to_have_text("4")
    shot(projector, "projector-open")

    # The booth: find the name by pinyin initials, the phone tail, then vote.
    expect(booth.get_by_test_id("booth-poll-question")).to_have_text(QUESTION)
    assert_elder_mode(booth, "the booth's start")
    shot(booth, "booth-start")
    booth.get_by_role("button", name="按拼音首字母").click()
    tap(booth, "letters", "QXD")
    booth.get_by_role("button", name=re.compile("^邱秀德")).click()
    assert_elder_mode(booth, "the booth's phone digits")
    shot(booth, "booth-tail")
    tap(booth, "tail", "3657")
    expect(booth.get_by_test_id("booth-voter")).to_have_text("邱秀德 1栋1单元301 — 请投票")
    ballot = booth.get_by_test_id("ballot")
    expect(ballot.get_by_test_id("ballot-question")).to_have_text(QUESTION)
    assert_elder_mode(booth, "the booth's ballot")
    shot(booth, "booth-ballot")
    ballot.get_by_role("button", name=re.compile("^赞成 — ")).click()
    expect(ballot.get_by_test_id("ballot-chosen")).to_have_text("您选择了：赞成")
    shot(booth, "booth-confirm")
    ballot.get_by_role("button", name="确认投票").click()
    expect(ballot.get_by_test_id("receipt")).to_be_visible()
    expect(booth.get_by_test_id("booth-done-count")).to_contain_text("秒后回到首页")
    assert_elder_mode(booth, "the booth's receipt")
    shot(booth, "booth-receipt")
    expect(projector.get_by_test_id("poll-count")).to_have_text(f"3 / {expected}")

    # "完成": the booth starts over with nothing of the voter left.
    booth.get_by_role("button", name="完成").click()
    expect(booth.get_by_test_id("booth-poll-question")).to_be_visible()
    assert "邱秀德" not in booth.locator("#booth").inner_text()
    assert "邱秀德" not in booth.locator("#booth").evaluate("(el) => el.innerHTML")
    shot(booth, "booth-reset")

    # Phone 1's member at the booth, with the slip the scanner reads: refused, in words.
    scan_burst(booth, server.url + first_phone)
    expect(booth.get_by_test_id("booth-voter")).to_have_text("孙艳娜 1栋1单元202")
    expect(ballot.get_by_test_id("ballot-voted")).to_have_text(
        "您已经投过票（通过手机）。每人只能投一票。"
    )
    expect(ballot.get_by_role("button", name="赞成")).to_have_count(0)
    shot(booth, "booth-refused")
    booth.get_by_role("button", name="完成").click()
    assert "孙艳娜" not in booth.locator("#booth").inner_text()

    # A paper card, handed to a fourth member and held with C (abstain) on top.
    card_holder = member_id(server, "蔡志")
    api(server, f"/api/v1/meetings/{meeting}/cards", {"number": 7, "member_id": card_holder})
    photo = card_photo(7, turns=2)
    assert [(r.number, r.answer) for r in scan_photo(photo).readings] == [(7, "C")]
    uploaded = projector.request.post(
        f"{server.url}/api/v1/polls/{poll['id']}/photos",
        multipart={"photo": {"name": "room.jpg", "mimeType": "image/jpeg", "buffer": photo}},
        headers={"X-CSRFToken": csrf_token(projector)},
    )
    assert uploaded.ok, uploaded.text()
    # A secret poll: the photo's answer is nobody's to see until the closing counts it.
    assert [(c["number"], c["choice"]) for c in uploaded.json()["seen"]] == [(7, None)]

    api(server, f"/api/v1/polls/{poll['id']}/close", {})

    # 2 for, 1 against (and 1 abstention from the card): passed under a simple majority.
    verdict = projector.get_by_test_id("poll-verdict")
    expect(verdict).to_have_attribute("data-passed", "true")
    expect(verdict).to_have_text(re.compile("通过"))
    expect(projector.get_by_test_id("poll-count")).to_have_text(f"4 / {expected}")
    closed = api(server, f"/api/v1/meetings/{meeting}/polls")["polls"][0]
    tallies = {k: v["headcount"] for k, v in closed["result"]["tallies"].items()}
    assert tallies == {"for": 2, "against": 1, "abstain": 1}
    grouped = " ".join(re.findall(".{4}", closed["final_hash"][:16]))
    expect(projector.get_by_test_id("poll-hash")).to_have_text(grouped)
    expect(projector.get_by_test_id("poll-explanation")).to_have_text(
        closed["explanation"]["zh_CN"]
    )
    expect(projector.locator(".wall")).to_contain_text("完整哈希见会议纪要")
    expect(projector.locator('.bar[data-option="for"]')).to_contain_text("2 票 · 50.0%")
    shot(projector, "projector-closed")

    # The phones show the result too, with the voter's own receipt.
    expect(phone1.get_by_test_id("ballot-verdict")).to_have_text("通过")
    expect(phone1.get_by_test_id("ballot")).to_contain_text(receipt1[:4])
    shot(phone1, "phone1-result-360x640")


LOSE_THE_ANSWER = """
async ([pollId, token]) => {
  const answer = await connections[0].send("ballot.cast", {
    token, poll_id: pollId, choices: ["for"], client_id: "answer-lost-0001",
  });
  sessionStorage.setItem(`yishi.ballot.${pollId}.${token}`, JSON.stringify({
    pending: { client_id: "answer-lost-0001", choices: ["for"] },
  }));
  return answer.receipt;
}
"""


def test_a_proxy_changes_a_named_vote_and_a_ballot_whose_answer_was_lost_counts_once(
    live_server: LiveServer, context: BrowserContext
) -> None:
    server = live_server
    meeting = demo_meeting(server)
    proxy = api(
        server,
        f"/api/v1/meetings/{meeting}/proxies",
        {
            "represented_id": member_id(server, "秦娜"),
            "proxy_name": "秦小明",
            "checked_by": "王记录",  # the written mandate is checked: the proxy votes
        },
    )
    proxy_path = "/v/" + str(proxy["phone_url"]).rsplit("/v/", 1)[1]
    own_path = sign_in(server, "孙艳娜", "6851")
    proxy_phone = open_page(context, server.url + proxy_path, 360, 640)
    own_phone = open_page(context, server.url + own_path, 360, 640)
    poll = api(
        server,
        f"/api/v1/meetings/{meeting}/polls",
        {"question": QUESTION, "rule": "simple_majority", "secret": False, "duration_s": 600},
    )
    api(server, f"/api/v1/polls/{poll['id']}/open", {})

    # The proxy votes for the member they represent, then changes the named vote.
    ballot = proxy_phone.get_by_test_id("ballot")
    expect(ballot.get_by_test_id("ballot-proxy")).to_have_text("您正在代 秦娜 投票")
    expect(ballot).to_contain_text("实名表决，结束前可以修改")
    countdown = ballot.get_by_test_id("ballot-countdown")
    expect(countdown).to_have_text(re.compile(r"^剩余 (10:00|[5-9]:[0-5]\d)$"))
    ballot.get_by_role("button", name=re.compile("^赞成 — ")).click()
    ballot.get_by_role("button", name="确认投票").click()
    expect(ballot.get_by_test_id("receipt")).to_be_visible()
    first = ballot.get_by_test_id("receipt").get_attribute("data-receipt")
    assert first and len(first) == 8
    expect(ballot.get_by_test_id("ballot-changed")).to_be_hidden()
    ballot.get_by_role("button", name="修改我的投票").click()
    ballot.get_by_role("button", name=re.compile("^反对 — ")).click()
    ballot.get_by_role("button", name="确认投票").click()
    expect(ballot.get_by_test_id("ballot-changed")).to_have_text("已修改")
    expect(ballot.get_by_test_id("receipt")).to_have_attribute("data-receipt", first)
    expect(ballot).to_contain_text("您的选择：反对")
    shot(proxy_phone, "proxy-changed-360x640")

    # A ballot the server took but whose answer never came back: the page still holds its id and
    # sends it again when it loads; the server answers the same receipt and counts it once.
    token = own_path.rsplit("/", 1)[1]
    receipt = own_phone.evaluate(LOSE_THE_ANSWER, [poll["id"], token])
    own_phone.reload()
    wait_joined(own_phone)
    expect(own_phone.get_by_test_id("receipt")).to_have_attribute("data-receipt", receipt)
    assert (
        own_phone.evaluate(f"sessionStorage.getItem('yishi.ballot.{poll['id']}.{token}')").find(
            "pending"
        )
        < 0
    )
    assert api(server, f"/api/v1/meetings/{meeting}/polls")["polls"][0]["cast"] == 2

    api(server, f"/api/v1/polls/{poll['id']}/close", {})
    # 1 for, 1 against: not more than half, not passed; each phone says so in its words.
    verdict = proxy_phone.get_by_test_id("ballot-verdict")
    expect(verdict).to_have_text("未通过")
    expect(verdict).to_have_attribute("data-passed", "false")
    expect(proxy_phone.get_by_test_id("ballot-explanation")).to_have_text(re.compile("^未通过："))
    expect(own_phone.get_by_test_id("ballot-verdict")).to_have_text("未通过")
    shot(proxy_phone, "proxy-result-360x640")


def test_an_idle_booth_warns_then_forgets_the_voter_who_walked_away(
    tmp_path: Path, context: BrowserContext
) -> None:
    server = LiveServer(
        tmp_path,
        extra_env={"YISHI_KIOSK_IDLE_SECONDS": "8", "YISHI_KIOSK_IDLE_WARNING_SECONDS": "4"},
    )
    try:
        meeting = demo_meeting(server)
        sign_in(server, "邱秀德", "3657")
        poll = api(server, f"/api/v1/meetings/{meeting}/polls", {"question": QUESTION})
        api(server, f"/api/v1/polls/{poll['id']}/open", {})
        # The page's clock stands still (its timers run): idle time passes only when the test
        # says, so a slow step on a busy machine never adds up to a warning or a reset.
        moment = datetime.now(UTC)
        context.clock.set_fixed_time(moment)
        booth = open_page(context, server.url + "/booth?lang=en", 1280, 800)

        # Found by building and room this time, in English.
        booth.get_by_role("button", name=re.compile("Building and room")).click()
        booth.get_by_role("button", name="1栋", exact=True).click()
        booth.get_by_role("button", name="1单元", exact=True).click()
        tap(booth, "room", "301")
        booth.get_by_role("button", name=re.compile("^邱秀德")).click()
        tap(booth, "tail", "3657")
        expect(booth.get_by_test_id("booth-voter")).to_have_text("邱秀德 1栋1单元301 — please vote")
        ballot = booth.get_by_test_id("ballot")
        expect(ballot).to_contain_text("Secret ballot: once cast, a vote cannot be changed.")
        ballot.get_by_role("button", name=re.compile("^For — ")).click()
        expect(ballot.get_by_test_id("ballot-chosen")).to_have_text("You chose: For")

        # 5 s untouched: the warning (the last 4 of the 8 idle seconds); "yes" keeps the ballot.
        warning = booth.locator("#idle-warning")
        context.clock.set_fixed_time(moment + timedelta(seconds=5))
        expect(warning).to_be_visible()
        expect(warning).to_contain_text("3 seconds")
        assert_elder_mode(booth, "the booth's idle warning")
        shot(booth, "booth-idle-warning-en")
        warning.get_by_role("button", name="Yes, continue").click()
        expect(warning).to_be_hidden()
        expect(ballot.get_by_test_id("ballot-chosen")).to_have_text("You chose: For")

        # Counted from the "yes": the warning again after 4 s, and after 8 the next voter.
        context.clock.set_fixed_time(moment + timedelta(seconds=10.5))
        expect(warning).to_be_visible()
        context.clock.set_fixed_time(moment + timedelta(seconds=13.5))
        expect(booth.get_by_test_id("booth-poll-question")).to_be_visible()
        expect(warning).to_be_hidden()
        assert "邱秀德" not in booth.content()
        assert "You chose" not in booth.locator("#booth").inner_text()
        assert api(server, f"/api/v1/meetings/{meeting}/polls")["polls"][0]["cast"] == 0
    finally:
        server.stop()
