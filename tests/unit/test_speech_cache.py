"""The speech cache: names nobody can work out without the box's secret, a size budget kept by
evicting the least recently used files, and a purge that empties it."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from devices.fakes import FakeSpeaker
from devices.speech_cache import CACHE_NAME, MARKER, SpeechCache

GREETING = "王静，您已签到"


def wav(cache: SpeechCache, text: str, size: int, age: int) -> Path:
    """Store a file of ``size`` bytes for ``text``, last used ``age`` seconds ago."""
    path = cache.directory / cache.name(text, "cmn-latn-pinyin", 160)
    path.write_bytes(bytes(size))
    moment = time.time() - age
    os.utime(path, (moment, moment))
    cache.stored(path)
    return path


def test_names_are_keyed_with_the_boxs_secret(tmp_path: Path) -> None:
    one = SpeechCache(tmp_path / "one", b"secret of one box")
    other = SpeechCache(tmp_path / "other", b"secret of another box")
    name = one.name(GREETING, "cmn-latn-pinyin", 160)
    assert CACHE_NAME.fullmatch(name)
    assert name == SpeechCache(tmp_path / "again", b"secret of one box").name(
        GREETING, "cmn-latn-pinyin", 160
    )
    assert name != other.name(GREETING, "cmn-latn-pinyin", 160)
    unkeyed = hashlib.sha256(f"cmn-latn-pinyin\n160\n{GREETING}".encode()).hexdigest()[:32]
    assert name != f"{unkeyed}.wav"  # the name of the version before: anyone could make it
    assert SpeechCache(tmp_path / "x").name("a", "v", 1) != SpeechCache(tmp_path / "y").name(
        "a", "v", 1
    )  # no secret given: a random one, never an empty key


def test_beyond_its_budget_the_least_recently_used_files_go(tmp_path: Path) -> None:
    (tmp_path / "tts").mkdir()
    cache = SpeechCache(tmp_path / "tts", b"k", max_bytes=1000)
    oldest = wav(cache, "一", 300, age=50)
    used_again = wav(cache, "二", 300, age=40)
    newer = wav(cache, "三", 300, age=30)
    assert cache.size() == 900
    assert cache.touch(used_again)  # asked for again: now the most recently used
    newest = wav(cache, "四", 300, age=0)  # 1,200 bytes: over the budget

    assert not oldest.exists()  # back to 900 bytes, nine tenths of the budget
    assert newer.exists() and used_again.exists() and newest.exists()
    assert cache.size() == 900
    assert not cache.touch(oldest)
    fifth = wav(cache, "五", 300, age=0)
    assert not newer.exists()  # older than the one used again, which stays
    assert used_again.exists() and newest.exists() and fifth.exists()


def test_a_file_larger_than_the_budget_is_kept_until_the_next_one(tmp_path: Path) -> None:
    (tmp_path / "tts").mkdir()
    cache = SpeechCache(tmp_path / "tts", b"k", max_bytes=1000)
    big = wav(cache, "长", 5000, age=10)
    assert big.exists()  # the file just made is served once, whatever its size
    small = wav(cache, "短", 10, age=0)
    assert not big.exists() and small.exists()


def test_clear_removes_every_file_and_a_folder_of_another_key_is_emptied(tmp_path: Path) -> None:
    folder = tmp_path / "tts"
    folder.mkdir()
    unkeyed = folder / (hashlib.sha256(b"old").hexdigest()[:32] + ".wav")
    unkeyed.write_bytes(b"RIFF")  # left by a version that did not key its names
    cache = SpeechCache(folder, b"k")
    assert not unkeyed.exists()
    assert (folder / MARKER).exists()
    kept = wav(cache, GREETING, 10, age=0)
    assert SpeechCache(folder, b"k").touch(kept)  # the same key keeps its files
    assert wav(cache, "再见", 10, age=0).exists()
    assert cache.clear() == 2
    assert list(folder.glob("*.wav")) == []
    SpeechCache(folder, b"k").stored(wav(cache, GREETING, 10, age=0))
    SpeechCache(folder, b"another key")
    assert list(folder.glob("*.wav")) == []  # a new secret: the old names are gone


def test_the_fake_speaker_names_and_clears_as_the_real_one(tmp_path: Path) -> None:
    fake = FakeSpeaker(tmp_path / "tts", secret=b"k")
    path = fake.prepare(GREETING, "zh_CN")
    assert path.name == SpeechCache(tmp_path / "other", b"k").name(GREETING, "zh_CN", 0)
    assert fake.clear_cache() == 1 and not path.exists()
