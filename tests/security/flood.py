"""The read-aloud flood and the booth's stopwatch: how long the booth waits for its speech while
someone floods ``POST /audio/say`` with long texts (measured, not assumed).

Shared by ``test_audio.py`` and by anyone measuring an older box the same way.
"""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from tests.security.conftest import Visitor

# Text espeak-ng's Mandarin voice reads syllable by syllable: the most sound per character.
WORDS = (
    "各位业主大家好今天我们讨论七栋加装电梯的方案请大家按顺序发言每人限时两分钟发言结束后进行表决"
)
SLOWEST = 80  # espeak-ng's slowest rate: the most sound, the longest synthesis


def long_text(length: int) -> str:
    """A text of ``length`` characters nobody asked for before (so it is made, not cached)."""
    tag = uuid.uuid4().hex[:8]
    return (tag + WORDS * (length // len(WORDS) + 1))[:length]


@dataclass(frozen=True)
class Flood:
    """What the flood's requests were answered."""

    statuses: list[int]

    def count(self, status: int) -> int:
        return self.statuses.count(status)


def flood(attacker: Visitor, texts: int, length: int, extra: dict[str, Any] | None = None) -> Flood:
    """``texts`` requests of ``length`` characters at the slowest rate, all at once."""

    def ask(_: int) -> int:
        body = {"text": long_text(length), "language": "zh_CN", "rate": SLOWEST, **(extra or {})}
        return attacker.post_json("/audio/say", body).status

    with ThreadPoolExecutor(max_workers=min(texts, 20)) as pool:
        return Flood(list(pool.map(ask, range(texts))))


def speech_delay(screen: Visitor, text: str) -> float:
    """Seconds from a screen asking for ``text`` until its WAV is served whole."""
    started = time.monotonic()
    asked = screen.post_json("/audio/say", {"text": text, "language": "zh_CN"})
    assert asked.status == 200, asked.text
    url = asked.json()["url"]
    while True:  # /audio/<name> itself waits up to 3 s for a file still being made
        answer = screen.open("GET", url, timeout=120)
        if answer.status == 200:
            assert answer.body[:4] == b"RIFF"
            return time.monotonic() - started
        assert answer.status == 404, answer.status
