"""The room's speech before read-aloud (real espeak-ng): a flood of long texts to read aloud
waits behind the booth's and the announcements' speech, is interrupted by it and made whole
afterwards, and only so much of it may wait."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from devices.tts import _SYNTHESIS, EspeakSpeaker, Lane, SpeechBusy
from tests.unit.test_tts import DRIFT, SENTENCE, espeak_seconds, seconds

LONG = (SENTENCE * 5)[:190]  # near the longest text read aloud at once (200 characters)
SLOW = 80  # the slowest rate: the most sound, the longest synthesis for a text


def drained() -> None:
    """Wait until speech asked for by earlier tests has left the lanes: there is one synthesis
    thread per process, and what still waits there would count against this test's cap."""
    deadline = time.monotonic() + 120  # a failure guard; the loop ends when the lanes are empty
    while any(_SYNTHESIS.waiting(lane) for lane in Lane):
        assert time.monotonic() < deadline, "the synthesis thread never emptied its lanes"
        time.sleep(0.05)


def test_the_rooms_speech_goes_before_a_flood_of_read_aloud_and_the_flood_is_made_whole(
    tmp_path: Path,
) -> None:
    drained()
    speaker = EspeakSpeaker(tmp_path / "tts", secret=b"k", read_aloud_waiting=100)
    # Seconds of synthesis: the worker is surely still making it when the booth speaks.
    endless = speaker.prepare(LONG * 10, "zh_CN", SLOW, Lane.READ_ALOUD)
    flood = [f"{LONG}{n}" for n in range(4)]
    paths = [speaker.prepare(text, "zh_CN", SLOW, Lane.READ_ALOUD) for text in flood]

    room = speaker.wav("请按一号键投赞成票", "zh_CN")  # the booth's, asked after the flood

    assert room.exists()
    assert not endless.exists()  # interrupted for the booth, not finished first
    assert not any(path.exists() for path in paths)  # still waiting behind it
    for text, path in zip(flood, paths, strict=True):
        assert speaker.wav(text, "zh_CN", SLOW) == path
        assert seconds(path) == pytest.approx(espeak_seconds(text, "zh", tmp_path, SLOW), abs=DRIFT)
    # The interrupted text is made again from its start, never a cut-off file.
    assert speaker.wav(LONG * 10, "zh_CN", SLOW) == endless
    assert seconds(endless) > 9 * seconds(paths[0])  # ten times the text, ~ten times as long


def test_only_so_much_read_aloud_may_wait_and_the_rooms_speech_never_waits_for_it(
    tmp_path: Path,
) -> None:
    drained()
    speaker = EspeakSpeaker(tmp_path / "tts", secret=b"k", read_aloud_waiting=3)
    accepted, refused = [], 0
    for n in range(10):
        try:
            accepted.append(speaker.prepare(f"{LONG}{n}", "zh_CN", SLOW, Lane.READ_ALOUD))
        except SpeechBusy:
            refused += 1
    assert len(accepted) in (3, 4)  # three waiting, and maybe one already being made
    assert refused == 10 - len(accepted)
    assert speaker.wav("请投票", "zh_CN").exists()  # the room's lane has no cap
    first = accepted[0]
    assert speaker.wav(f"{LONG}0", "zh_CN", SLOW) == first
    # A text already in the cache is served even while the lane is full.
    assert speaker.prepare(f"{LONG}0", "zh_CN", SLOW, Lane.READ_ALOUD) == first
    for n in range(len(accepted)):
        speaker.wav(f"{LONG}{n}", "zh_CN", SLOW)
