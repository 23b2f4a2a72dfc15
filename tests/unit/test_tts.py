"""Real speech from espeak-ng: valid WAVs, Mandarin that is Mandarin, the cache, the threads."""

from __future__ import annotations

import array
import math
import re
import subprocess
import sys
import textwrap
import time
import wave
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from pathlib import Path

import pytest

from devices.adapters import build_devices
from devices.fakes import FakeSpeaker
from devices.speech_cache import MARKER
from devices.speech_text import VOICE_ENGLISH, VOICE_MANDARIN, speakable
from devices.tts import CACHE_NAME, DEFAULT_RATE, EspeakSpeaker, SynthesisError

ROOT = Path(__file__).resolve().parents[2]
GREETING = "王静，签到成功"
# Prefixes of this sentence whose spoken lengths are each at least 0.24 s apart (measured).
SENTENCE = (
    "各位业主大家好今天我们讨论七栋加装电梯的方案请大家按顺序发言每人限时两分钟发言结束后进行表决"
)
PREFIXES = (2, 3, 4, 6, 7, 8, 9, 10, 12, 14, 16, 17, 19, 22, 24, 27, 30, 33, 36, 40)
# In one process espeak-ng's output drifts a little with what it said before (-13 to +84 ms
# measured), so a file is compared with what a fresh espeak-ng says by its length.
DRIFT = 0.12  # seconds
# espeak-ng 1.51's pitch contours (-x) for the Mandarin tones; 3 is 35 before another 3.
CONTOURS = {"1": {"55"}, "2": {"35"}, "3": {"214", "21", "35"}, "4": {"51"}}
NEUTRAL = re.compile(r"(\d)\1")  # a level contour: 11, 22, 33, 44


@pytest.fixture
def speaker(tmp_path: Path) -> EspeakSpeaker:
    return EspeakSpeaker(tmp_path / "tts")


def seconds(path: Path) -> float:
    with wave.open(str(path)) as audio:
        return float(audio.getnframes() / audio.getframerate())


def loudness(path: Path) -> float:
    """The RMS of the samples, out of 32,768."""
    with wave.open(str(path)) as audio:
        samples = array.array("h", audio.readframes(audio.getnframes()))
    return math.sqrt(sum(s * s for s in samples) / len(samples))


def espeak_seconds(text: str, language: str, tmp_path: Path, rate: int = DEFAULT_RATE) -> float:
    """How long a fresh espeak-ng process takes to say ``text``: the single-threaded reference."""
    spoken, voice = speakable(text, language)
    out = tmp_path / f"reference-{abs(hash((spoken, voice, rate)))}.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(out), spoken], check=True)
    return seconds(out)


def phonemes(spoken: str, voice: str) -> str:
    """espeak-ng's phoneme transcription of ``spoken`` (``-x``), without sound."""
    return subprocess.run(
        ["espeak-ng", "-q", "-x", "-v", voice, spoken], check=True, capture_output=True, text=True
    ).stdout


def mandarin_contours(transcription: str) -> list[str] | None:
    """The tone contour of each syllable, or None where espeak-ng switched to English."""
    if "(en)" in transcription:
        return None
    return re.findall(r"\d+", transcription)


def assert_reads_mandarin(spoken: str, voice: str) -> None:
    """Every pinyin syllable of ``spoken`` is a Mandarin syllable with its own tone."""
    tones = re.findall(r"[a-z]+([1-5])\b", spoken)
    contours = mandarin_contours(phonemes(spoken, voice))
    assert contours is not None, f"espeak-ng read part of {spoken!r} as English"
    assert len(contours) == len(tones), (spoken, contours)
    for tone, contour in zip(tones, contours, strict=True):
        assert contour in CONTOURS[tone] if tone != "5" else NEUTRAL.fullmatch(contour), (
            f"tone {tone} read as {contour} in {spoken!r}"
        )


# What is said


def test_the_mandarin_voice_reads_the_greeting_as_mandarin_syllables_with_their_tones() -> None:
    spoken, voice = speakable(GREETING, "zh")

    assert voice == VOICE_MANDARIN
    assert_reads_mandarin(spoken, voice)
    assert mandarin_contours(phonemes(spoken, voice)) == ["35", "51", "55", "51", "35", "55"]


def test_rooms_times_and_neutral_tones_come_out_as_mandarin_too() -> None:
    spoken, voice = speakable("3栋2单元501的王静，发言时间2分钟，19:05开始，赞成66.7%", "zh")

    assert_reads_mandarin(spoken, voice)


def test_the_mandarin_check_catches_han_characters_given_to_the_cmn_voice() -> None:
    # espeak-ng 1.51's "cmn" voice reads Han characters as English words ("jing four").
    assert mandarin_contours(phonemes(GREETING, "cmn")) is None
    with pytest.raises(AssertionError, match="English"):
        assert_reads_mandarin(GREETING + " wang2", "cmn")


def test_english_goes_to_the_english_voice_with_han_names_as_pinyin() -> None:
    spoken, voice = speakable("王静, signed in", "en")

    transcription = phonemes(spoken, voice)

    assert voice == VOICE_ENGLISH
    assert "w'aNg dZ'IN" in transcription  # "Wang Jing"
    assert "tS'aIni:z" not in transcription  # not "Chinese letter", as Han would be read
    assert not re.search(r"\d", transcription)  # English carries no tone contours


# The WAV files


def test_the_greeting_is_a_non_silent_mono_wav_of_plausible_length(
    speaker: EspeakSpeaker, tmp_path: Path
) -> None:
    path = speaker.wav(GREETING)

    with wave.open(str(path)) as audio:
        assert (audio.getnchannels(), audio.getsampwidth(), audio.getframerate()) == (1, 2, 22050)
        assert audio.getnframes() > 0
    assert 0.5 < seconds(path) < 6
    assert loudness(path) > 1000
    assert path.parent == speaker.cache_dir
    assert CACHE_NAME.fullmatch(path.name)
    # The file is what a fresh espeak-ng says with the Mandarin voice, not another voice.
    assert seconds(path) == pytest.approx(espeak_seconds(GREETING, "zh", tmp_path), abs=DRIFT)


def test_english_text_is_spoken_by_the_english_voice(
    speaker: EspeakSpeaker, tmp_path: Path
) -> None:
    text = "Wang Jing, signed in. You have 2 minutes."

    path = speaker.wav(text, "en")

    assert 0.5 < seconds(path) < 6
    assert loudness(path) > 1000
    assert seconds(path) == pytest.approx(espeak_seconds(text, "en", tmp_path), abs=DRIFT)
    assert path != speaker.wav(text, "zh")


def test_a_second_request_returns_the_cached_file_without_synthesis(
    speaker: EspeakSpeaker,
) -> None:
    started = time.perf_counter()
    first = speaker.wav("第三项议题，开始表决")
    synthesis = time.perf_counter() - started
    made = first.stat()

    started = time.perf_counter()
    second = speaker.wav("第三项议题，开始表决")
    lookup = time.perf_counter() - started

    assert second == first
    again = second.stat()
    assert (again.st_ino, again.st_size) == (made.st_ino, made.st_size)  # not written again
    assert again.st_mtime_ns >= made.st_mtime_ns  # only touched: the most recently used now
    assert lookup < synthesis / 3, (lookup, synthesis)


def test_text_read_alike_shares_one_file(speaker: EspeakSpeaker) -> None:
    assert speaker.wav("还剩0:30") == speaker.wav("还剩三十秒")


def test_another_rate_is_another_file_and_faster_is_shorter(speaker: EspeakSpeaker) -> None:
    slow = speaker.wav(GREETING, rate=120)
    fast = speaker.wav(GREETING, rate=240)

    assert slow != fast
    assert seconds(fast) < 0.75 * seconds(slow)


def test_prepare_returns_the_path_at_once_and_the_file_appears(speaker: EspeakSpeaker) -> None:
    path = speaker.prepare("请七栋的业主入座")

    deadline = time.monotonic() + 10
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.01)

    assert path.exists()
    assert speaker.wav("请七栋的业主入座") == path
    files = [p for p in speaker.cache_dir.iterdir() if p.name != MARKER]
    assert not [p for p in files if not CACHE_NAME.fullmatch(p.name)]


def test_rates_out_of_range_and_empty_text_are_refused(speaker: EspeakSpeaker) -> None:
    with pytest.raises(ValueError, match="rate 500"):
        speaker.wav(GREETING, rate=500)
    with pytest.raises(ValueError, match="nothing to say"):
        speaker.wav(" 。")
    with pytest.raises(ValueError, match="rate 20"):
        EspeakSpeaker(speaker.cache_dir, default_rate=20)


def test_a_cache_directory_that_cannot_be_written_fails_the_request(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")

    with pytest.raises(SynthesisError, match="could not say"):
        EspeakSpeaker(blocked / "tts").wav(GREETING)


# Threads


def test_twenty_requests_from_four_threads_each_get_their_own_whole_file(
    speaker: EspeakSpeaker, tmp_path: Path
) -> None:
    texts = [SENTENCE[:n] for n in PREFIXES]
    expected = {text: espeak_seconds(text, "zh", tmp_path) for text in texts}
    lengths = sorted(expected.values())
    assert all(b - a > 2 * DRIFT for a, b in pairwise(lengths))

    with ThreadPoolExecutor(max_workers=4) as pool:
        paths = dict(zip(texts, pool.map(speaker.wav, texts), strict=True))

    assert len(set(paths.values())) == 20
    for text, path in paths.items():
        assert seconds(path) == pytest.approx(expected[text], abs=DRIFT), text
    assert sorted(p.name for p in speaker.cache_dir.glob("*.wav")) == sorted(
        p.name for p in paths.values()
    )


def test_the_same_text_asked_by_four_threads_at_once_is_one_file(
    speaker: EspeakSpeaker,
) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        paths = set(pool.map(lambda _: speaker.wav("同一句话"), range(4)))

    assert len(paths) == 1
    assert [p.name for p in speaker.cache_dir.glob("*.wav")] == [paths.pop().name]


def test_synthesis_under_gevent_never_blocks_the_event_loop(tmp_path: Path) -> None:
    # Under monkey-patching, a synthesis on the loop would stop every greenlet for its whole
    # length; on its own OS thread the loop keeps ticking every millisecond or so.
    script = textwrap.dedent(
        f"""
        from gevent import monkey; monkey.patch_all()
        import sys, time, gevent
        sys.path.insert(0, {str(ROOT)!r})
        from devices.tts import EspeakSpeaker
        from devices.speech_text import speakable
        speakable("一", "zh")  # pypinyin loads on first use, on the loop, once: not synthesis
        gaps, running = [], True
        def tick():
            last = time.perf_counter()
            while running:
                gevent.sleep(0.001)
                now = time.perf_counter()
                gaps.append(now - last)
                last = now
        ticker = gevent.spawn(tick)
        gevent.sleep(0.05)
        started = time.perf_counter()
        path = EspeakSpeaker({str(tmp_path / "tts")!r}).wav({SENTENCE * 24!r})
        took = time.perf_counter() - started
        running = False
        ticker.join()
        print(path.exists(), took, max(gaps))
        """
    )

    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )

    exists, took, longest_gap = done.stdout.split()
    assert exists == "True"
    assert float(took) > 0.1, "a synthesis long enough to see"
    # On the loop, the longest gap would be the whole synthesis; off it, the loop only waits
    # for the machine's other work. A ratio, not a fixed time: CI machines are shared (and a
    # synthesis of a few seconds, so one scheduling hiccup of a busy machine stays well below).
    assert float(longest_gap) < 0.4 * float(took), (took, longest_gap, done.stderr)
    assert not done.stderr


# Fakes and the composition


def test_fake_speaker_records_what_it_is_asked_to_say_and_serves_silence(tmp_path: Path) -> None:
    fake = FakeSpeaker(tmp_path)

    path = fake.prepare(GREETING)
    again = fake.wav(GREETING)
    fake.speak("Time is up", "en")

    assert fake.said == [(GREETING, "zh"), (GREETING, "zh"), ("Time is up", "en")]
    assert again == path
    assert CACHE_NAME.fullmatch(path.name)
    with wave.open(str(path)) as audio:
        assert audio.getnframes() > 0
    assert loudness(path) == 0


def test_speak_plays_the_cached_file_with_the_configured_player(tmp_path: Path) -> None:
    played, finished = tmp_path / "played.wav", tmp_path / "finished"
    # A player that copies instead of making a sound, and says when it is done: the copy is
    # read only after the player finished, never while cp is still writing it.
    copy = ["sh", "-c", f'cp "$0" {played} && touch {finished}']
    speaker = EspeakSpeaker(tmp_path / "tts", playback=True, player=copy)

    speaker.speak(GREETING)

    deadline = time.monotonic() + 60  # a failure guard on a busy box, not a wait for luck
    while not finished.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert played.read_bytes() == speaker.wav(GREETING).read_bytes()


def test_speak_without_playback_or_without_a_player_does_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    EspeakSpeaker(tmp_path / "off").speak(GREETING)
    missing = EspeakSpeaker(tmp_path / "missing", playback=True, player=["no-such-player"])

    missing.speak(GREETING)
    missing.speak(GREETING)

    assert not (tmp_path / "off").exists()
    assert not (tmp_path / "missing").exists()
    assert [r.getMessage() for r in caplog.records] == [
        "no-such-player not found: the box does not play speech"
    ]


def test_build_devices_picks_the_speaker_from_config(tmp_path: Path) -> None:
    fake = build_devices({"PRINTER": "fake", "TTS": "fake", "TTS_CACHE_DIR": str(tmp_path)})
    real = build_devices({"PRINTER": "fake", "TTS_CACHE_DIR": str(tmp_path), "TTS_RATE": 140})

    assert isinstance(fake.speaker, FakeSpeaker)
    assert fake.speaker.cache_dir == tmp_path
    assert isinstance(real.speaker, EspeakSpeaker)
    assert real.speaker.default_rate == 140
    assert real.speaker.playback is False
    with pytest.raises(ValueError, match=r"TTS='festival'.*espeak, fake"):
        build_devices({"PRINTER": "fake", "TTS": "festival"})
