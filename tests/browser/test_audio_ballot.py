"""A voter who cannot see the screen votes at the booth with headphones and a keypad: the slip under
the scanner, then keys alone. Every word the booth said is checked, in order, and each of its WAVs
is real speech that espeak-ng made for this voter in memory: nothing of it is written to the box's
disk, and nothing of it stays in the page once the voter is done (issue 15).
"""

from __future__ import annotations

import base64
import io
import wave
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import LiveServer, expose, scan_burst
from tests.browser.test_floor import sign_in
from tests.browser.test_projector_clerk import api, demo_meeting
from tests.browser.test_voting import open_page, shot

pytestmark = pytest.mark.browser

QUESTION = "是否同意在1栋加装电梯，费用按楼层分摊？"
LOG = "() => voice.log.map((e) => ({key: e.key, text: e.text, url: e.url}))"


def said(page: Page) -> list[dict[str, Any]]:
    """Everything the page has said so far: {key, text, url} (static/js/voice.js, as
    ``window.voice``)."""
    expose(page, "voice.js", "voice")
    entries: list[dict[str, Any]] = page.evaluate(LOG)
    return entries


def press(page: Page, key: str) -> str:
    """Press one key, as a person does (never faster than the scanner), and return what the
    booth said in answer."""
    before = len(said(page))
    page.keyboard.press(key)
    page.wait_for_function(f"() => voice.log.length > {before}", timeout=30_000)
    return str(said(page)[-1]["text"])


READ_BLOBS = """async (urls) => Promise.all(urls.map(async (url) => {
  const blob = await (await fetch(url)).blob();
  return new Promise((done) => {
    const reader = new FileReader();
    reader.onload = () => done(reader.result);
    reader.readAsDataURL(blob);
  });
}))"""


def blobs(page: Page, urls: list[str]) -> list[bytes]:
    """The bytes behind blob: URLs of the page (what it plays), read at once."""
    read: list[str] = page.evaluate(READ_BLOBS, urls)
    return [base64.b64decode(data.split(",", 1)[1]) for data in read]


def files_on_disk(instance: Path) -> set[str]:
    """Every file of the box's instance folder but the database's own and the backups (the
    box's scheduler makes its first a minute after it starts, whatever the test does)."""
    return {
        str(p)
        for p in instance.rglob("*")
        if p.is_file() and "yishi.db" not in p.name and "backups" not in p.parts
    }


def assert_speech(wav: bytes, text: str) -> None:
    """A mono 16-bit WAV long enough for ``text`` (espeak-ng reads about 4 syllables a second)."""
    with wave.open(io.BytesIO(wav)) as audio:
        assert (audio.getnchannels(), audio.getsampwidth()) == (1, 2)
        seconds = audio.getnframes() / audio.getframerate()
        samples = audio.readframes(audio.getnframes())
    assert seconds > 0.12 * len(text), (text, seconds)
    assert max(samples[1::2]) > 8, "silence"  # high bytes of the samples: something is heard


def test_a_voter_who_cannot_see_the_screen_votes_with_the_keypad_alone(
    live_server: LiveServer, context: BrowserContext
) -> None:
    server = live_server
    meeting = demo_meeting(server)
    slip = server.url + sign_in(server, "邱秀德", "3657")
    poll = api(server, f"/api/v1/meetings/{meeting}/polls", {"question": QUESTION})
    api(server, f"/api/v1/polls/{poll['id']}/open", {})
    # The booth's clock stands still (its timers run): the receipt, which the booth forgets 15 s
    # after it shows, stays while the test reads what was said, however busy the machine.
    context.clock.set_fixed_time(datetime.now(UTC))
    booth = open_page(context, server.url + "/booth", 1280, 800)
    expect(booth.get_by_test_id("booth-poll-question")).to_have_text(QUESTION)
    expect(booth.get_by_test_id("booth-keys-hint")).to_contain_text("按星号键听说明")
    start = len(said(booth))

    # The slip under the scanner: it types the personal address and Enter, a key every few ms.
    scan_burst(booth, slip)
    expect(booth.get_by_test_id("booth-voter")).to_have_text("邱秀德 1栋1单元301 — 请投票")
    booth.wait_for_function(f"() => voice.log.length > {start}", timeout=30_000)
    intro = said(booth)[start]["text"]
    # Its speech has come: one speech queue makes every WAV, so the room's announcements asked
    # before it (the vote opened, on the projector and here) are on disk by now. From here the
    # disk gains nothing while the voter votes.
    booth.wait_for_function(f"() => Boolean(voice.log[{start}].url)", timeout=30_000)
    on_disk = files_on_disk(server.instance)

    heard = [intro]
    for key in ("*", "ArrowDown", "6", "ArrowUp", "5", "0", "4", "Enter", "5"):
        heard.append(press(booth, key))
    # What the voter heard, read from the page now: it forgets it when the voter leaves.
    booth.wait_for_function(f"() => voice.log.slice({start}).every((e) => e.url)")
    entries = {e["text"]: e["url"] for e in said(booth)[start:]}
    assert all(url and url.startswith("blob:") for url in entries.values())
    wavs = dict(zip(entries, blobs(booth, list(entries.values())), strict=True))
    ballot = booth.get_by_test_id("ballot")
    receipt = ballot.get_by_test_id("receipt")
    expect(receipt).to_be_visible()
    code = receipt.get_attribute("data-receipt") or ""
    assert len(code) == 8
    shot(booth, "audio-ballot-receipt")

    option_1, option_2 = "第一项，赞成。", "第二项，反对。"
    confirm = "您选择了：赞成。确认投票请按5，改选请按4或6。"
    assert heard == [
        "邱秀德 1栋1单元301 — 请投票。"
        f"表决：{QUESTION}无记名投票，投出后不能修改。"
        "第一项，赞成。第二项，反对。第三项，弃权。"
        "按6或下键逐项收听，按5选择，按星号键听按键说明。",
        "按键说明：按6或下键听下一项，按4或上键听上一项，按5或回车键选择，按0重听，"
        "按加号或减号调节音量，按7或9调慢或调快语速，按斜杠键遮屏，按星号键听本说明。",
        option_1,
        option_2,
        option_1,
        confirm,
        confirm,
        option_1,
        confirm,
        f"投票成功。您的选择：赞成。回执码 {' '.join(code)}。重听请按0，结束请按5。",
    ]
    assert said(booth)[start:] == [e for e in said(booth)[start:] if e["key"] == "read"]

    # Each distinct utterance is real, non-silent speech of its length, made in memory for this
    # voter and held by the page alone: the box's disk gained no file while they voted.
    for text, wav in wavs.items():
        assert_speech(wav, text)
    assert files_on_disk(server.instance) == on_disk

    # 5 once more: done; the booth starts over, with nothing of the voter left: not on the
    # screen, not in what the page said (the entries stay, empty), not in its speech.
    booth.keyboard.press("5")
    expect(booth.get_by_test_id("booth-poll-question")).to_be_visible()
    assert "邱秀德" not in booth.locator("#booth").inner_text()
    assert booth.evaluate("voice.volumeNow()") == booth.evaluate("voice.config.volume")
    assert [(e["text"], e["url"]) for e in said(booth)[start : start + len(heard)]] == [
        ("", None)
    ] * len(heard)
    receipt_speech = entries[heard[-1]]
    forgotten = booth.evaluate(
        "(url) => fetch(url).then(() => 'kept', () => 'gone')", receipt_speech
    )
    assert forgotten == "gone"
    assert files_on_disk(server.instance) == on_disk


def test_a_scanned_slip_is_never_taken_for_keypad_commands(
    live_server: LiveServer, context: BrowserContext
) -> None:
    server = live_server
    meeting = demo_meeting(server)
    poll = api(server, f"/api/v1/meetings/{meeting}/polls", {"question": QUESTION})
    api(server, f"/api/v1/polls/{poll['id']}/open", {})
    slip = server.url + sign_in(server, "孙艳娜", "6851")
    booth = open_page(context, server.url + "/booth", 1280, 800)
    start = len(said(booth))
    # A token full of command keys: 0, 5, 4, 6, *, typed at a scanner's pace: nothing is read
    # but the ballot that the scan opens.
    scan_burst(booth, "0546*+-")
    # Refused (no such slip): the booth takes the next scan only once it has its answer.
    expect(booth.locator("section[data-screen=start] [data-role=message]")).to_be_visible()
    scan_burst(booth, slip)
    expect(booth.get_by_test_id("booth-voter")).to_contain_text("孙艳娜")
    booth.wait_for_function(f"() => voice.log.length > {start}", timeout=30_000)
    booth.wait_for_timeout(400)
    texts = [e["text"] for e in said(booth)[start:]]
    assert len(texts) == 1 and texts[0].startswith("孙艳娜 1栋1单元202 — 请投票。"), texts
    assert booth.get_by_test_id("ballot").get_attribute("data-step") == "choose"
