"""The booth as the voting-system guidelines ask (VVSG 2.0 §7, issue 19): the voter sets the
speech speed and the volume for their own session and the next voter starts from the booth's
own; the screen can be blanked while the sound goes on; and a practice ballot, clearly marked,
is never sent, recorded or counted. Screens saved as ``test-artifacts/booth-*.png``.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Request, expect

from tests.browser.conftest import ARTIFACTS, LiveServer, expose, scan_burst, wait_joined
from tests.browser.test_floor import sign_in
from tests.browser.test_kiosk import assert_elder_mode
from tests.browser.test_projector_clerk import api, demo_meeting
from tests.browser.test_voting import open_page

pytestmark = pytest.mark.browser

QUESTION = "是否同意更换小区大门的门禁系统？"
BOOTH_RATE = 160  # the booth's rate from the meeting's voice settings (TTS_RATE)
BLANK_COVERS = """() => {
  const blank = document.querySelector("[data-testid=booth-blank]");
  const box = blank.getBoundingClientRect();
  const centre = document.elementFromPoint(innerWidth / 2, innerHeight / 2);
  return {
    black: getComputedStyle(blank).backgroundColor,
    whole: box.left <= 0 && box.top <= 0 && box.right >= innerWidth && box.bottom >= innerHeight,
    onTop: centre === blank || blank.contains(centre),
  };
}"""


def shot(page: Page, name: str) -> None:
    """Save the screen as test-artifacts/booth-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"booth-{name}.png"))


def log(page: Page) -> list[dict[str, Any]]:
    """What the booth said so far: {key, text, state} (static/js/voice.js)."""
    expose(page, "voice.js", "voice")
    entries: list[dict[str, Any]] = page.evaluate(
        "() => voice.log.map((e) => ({key: e.key, text: e.text, state: e.state}))"
    )
    return entries


def said_last(page: Page, text: str) -> None:
    """Wait until the booth has said ``text`` (its latest words)."""
    expose(page, "voice.js", "voice")
    page.wait_for_function(
        "(text) => voice.log.length && voice.log[voice.log.length - 1].text === text", arg=text
    )


def counts(server: LiveServer) -> dict[str, int]:
    """Rows of ballots, participations (who voted) and audit entries in the box's database."""
    with sqlite3.connect(server.instance / "yishi.db") as db:
        return {
            table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("ballots", "poll_participation", "audit_log")
        }


def settings_shown(booth: Page) -> dict[str, Any]:
    pressed = booth.locator("[data-pace][aria-pressed=true]")
    expect(pressed).to_have_count(1)
    return {
        "pace": pressed.get_attribute("data-pace"),
        "volume": booth.get_by_test_id("booth-volume").text_content(),
    }


def test_booth_voter_settings_blank_screen_and_a_practice_ballot_never_counted(
    live_server: LiveServer, context: BrowserContext
) -> None:
    server = live_server
    meeting = demo_meeting(server)
    slip = server.url + sign_in(server, "邱秀德", "3657")
    poll = api(server, f"/api/v1/meetings/{meeting}/polls", {"question": QUESTION})
    api(server, f"/api/v1/polls/{poll['id']}/open", {})
    booth = open_page(context, server.url + "/booth", 1280, 800)
    expect(booth.get_by_test_id("booth-poll-question")).to_have_text(QUESTION)
    sent: list[Request] = []
    booth.on("request", lambda request: sent.append(request))

    # The booth's own settings to begin with: medium speed, the screen's volume (80).
    assert settings_shown(booth) == {"pace": "normal", "volume": "80"}
    assert_elder_mode(booth, "the booth's start with the voter's settings")
    shot(booth, "settings-start")

    # Slow: said at once, at the slower rate (a parameter of the synthesis, per request).
    booth.get_by_role("button", name="慢", exact=True).click()
    said_last(booth, "语速：慢。")
    speech = [r for r in sent if r.url.endswith("/booth/api/speech")]
    assert speech, "the booth asked for no speech"
    assert speech[-1].post_data_json["rate"] == round(BOOTH_RATE * 0.75)
    booth.get_by_role("button", name="大声一点").click()
    said_last(booth, "音量90。")
    booth.get_by_role("button", name="大声一点").click()
    assert settings_shown(booth) == {"pace": "slow", "volume": "100"}
    assert booth.evaluate("() => voice.volumeNow()") == 100

    # The blank screen: black over everything, what was being read goes on; a tap brings it back.
    booth.get_by_test_id("read-aloud").click()
    booth.wait_for_function(
        "() => voice.log.some((e) => e.key === 'read' && e.text.includes('扫描'))"
    )
    booth.get_by_role("button", name="遮屏").click()
    blank = booth.get_by_test_id("booth-blank")
    expect(blank).to_be_visible()
    assert booth.evaluate(BLANK_COVERS) == {"black": "rgb(0, 0, 0)", "whole": True, "onTop": True}
    said_last(booth, "屏幕已遮住，声音照常，投票按键照常可用。轻触屏幕或按井号键恢复显示。")
    reading = [e for e in log(booth) if e["key"] == "read" and "扫描" in e["text"]][-1]
    assert reading["state"] != "interrupted", "blanking the screen stopped the speech"
    shot(booth, "blank")
    blank.click()
    expect(blank).to_be_hidden()
    expect(booth.get_by_test_id("booth-poll-question")).to_be_visible()
    # The volume keys work in the dark; any other key shows the screen again.
    booth.get_by_role("button", name="遮屏").click()
    booth.keyboard.press("-")
    said_last(booth, "音量90。")
    expect(blank).to_be_visible()
    expect(booth.get_by_test_id("booth-volume")).to_have_text("90")
    booth.keyboard.press("#")
    expect(blank).to_be_hidden()
    # From the keypad alone: / blanks the screen and shows it again, 9 and 7 faster and slower.
    booth.keyboard.press("/")
    expect(blank).to_be_visible()
    booth.keyboard.press("9")
    said_last(booth, "语速：中。")
    expect(blank).to_be_visible()
    booth.keyboard.press("/")
    expect(blank).to_be_hidden()
    booth.keyboard.press("7")
    said_last(booth, "语速：慢。")

    # A practice ballot: clearly marked, the usual two taps, and nothing reaches the server.
    before = counts(server)
    sent.clear()
    booth.get_by_role("button", name="练习：先试投一张不计票的选票").click()
    practice = booth.get_by_test_id("booth-practice")
    expect(practice).to_be_visible()
    expect(practice).to_contain_text("练习")
    expect(practice).to_contain_text("不会记录，也不计票")
    ballot = booth.get_by_test_id("ballot")
    expect(ballot.get_by_test_id("ballot-question")).to_have_text(
        "练习：小区花园里是否多放几张长椅？"
    )
    assert_elder_mode(booth, "the practice ballot")
    shot(booth, "practice-ballot")
    ballot.get_by_role("button", name="赞成 — 议题：练习：小区花园里是否多放几张长椅？").click()
    ballot.get_by_role("button", name="确认投票").click()
    done = booth.get_by_test_id("booth-practice-done")
    expect(done).to_be_visible()
    expect(done).to_contain_text("练习结束，没有记录，也不计票。")
    expect(ballot).to_be_hidden()  # no receipt, no "your vote is recorded"
    shot(booth, "practice-done")
    assert not [r for r in sent if "/booth/api/ballot" in r.url], "the practice ballot was sent"
    assert counts(server) == before, "the practice left a ballot or an audit entry"
    assert counts(server)["ballots"] == 0
    booth.get_by_role("button", name="回到首页").click()
    expect(booth.get_by_test_id("booth-poll-question")).to_be_visible()
    expect(practice).to_be_hidden()
    # The same voter is still here: their settings stay.
    assert settings_shown(booth) == {"pace": "slow", "volume": "90"}

    # The real vote (the slip under the scanner), then "完成": the next voter starts afresh.
    scan_burst(booth, slip)
    expect(booth.get_by_test_id("booth-voter")).to_have_text("邱秀德 1栋1单元301 — 请投票")
    expect(practice).to_be_hidden()
    ballot.get_by_role("button", name=f"反对 — 议题：{QUESTION}").click()
    ballot.get_by_role("button", name="确认投票").click()
    expect(ballot.get_by_test_id("receipt")).to_be_visible()
    after = counts(server)
    assert after["ballots"] == 1 and after["poll_participation"] == 1
    booth.get_by_role("button", name="遮屏").click()
    expect(booth.get_by_test_id("booth-blank")).to_be_visible()
    # The booth's own "完成" (key 5, heard in the dark) ends the voter's session.
    booth.keyboard.press("5")
    expect(booth.get_by_test_id("booth-blank")).to_be_hidden()
    expect(booth.get_by_test_id("booth-poll-question")).to_be_visible()
    assert settings_shown(booth) == {"pace": "normal", "volume": "80"}
    assert booth.evaluate("() => [voice.pace(), voice.volumeNow(), voice.rate()]") == [
        "normal",
        80,
        BOOTH_RATE,
    ]

    # The same in English: the longer words still fit, elder-size.
    booth.goto(server.url + "/booth?lang=en")
    wait_joined(booth)
    expect(booth.get_by_role("button", name="Blank screen")).to_be_visible()
    assert_elder_mode(booth, "the booth's start in English")
    shot(booth, "settings-start-en")
    booth.get_by_role("button", name="Practice: try a ballot that is not counted").click()
    expect(booth.get_by_test_id("booth-practice")).to_contain_text("PRACTICE")
    assert_elder_mode(booth, "the practice ballot in English")
    shot(booth, "practice-ballot-en")
