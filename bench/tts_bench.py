"""Speech: time to synthesise typical announcements, and to find one already in the cache.

Says ten announcements of a meeting (sign-in, speakers, timer, polls; nine Mandarin, one
English) into a fresh cache ``ROUNDS`` times, each round with new text so nothing is cached,
then asks for every one again. Prints the median and the worst time of a first request
(normalising, pinyin, espeak-ng and the WAV; ``wav()`` waiting on the synthesis thread), the
median length of the speech made, and the median and p95 time of a cached request.

Run: ``.venv/bin/python bench/tts_bench.py [ROUNDS]`` (3 by default).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devices.tts import EspeakSpeaker

ANNOUNCEMENTS = (
    ("王静，签到成功", "zh"),
    ("请3栋2单元501的李秀英发言，时间2分钟", "zh"),
    ("还剩0:30", "zh"),
    ("时间到，请结束发言", "zh"),
    ("第3项议题：关于7栋加装电梯的方案", "zh"),
    ("表决开始，请在1分钟内投票", "zh"),
    ("表决结束。赞成66.7%，超过2/3，通过", "zh"),
    ("您的回执码是K7P2QX4M", "zh"),
    ("会议将于19:05开始，请各位业主入座", "zh"),
    ("Wang Jing, signed in. Time is up.", "en"),
)


def main(rounds: int) -> None:
    """Print the synthesis and cache timings."""
    first: list[float] = []
    cached: list[float] = []
    spoken: list[float] = []
    with tempfile.TemporaryDirectory() as cache:
        speaker = EspeakSpeaker(cache)
        speaker.wav("预热")  # starts libespeak-ng and the thread; not an announcement
        for round_ in range(rounds):
            texts = [(f"{text}（{round_}）", language) for text, language in ANNOUNCEMENTS]
            for text, language in texts:
                start = time.perf_counter()
                path = speaker.wav(text, language)
                first.append(time.perf_counter() - start)
                with wave.open(str(path)) as audio:
                    spoken.append(audio.getnframes() / audio.getframerate())
            for text, language in texts:
                start = time.perf_counter()
                speaker.wav(text, language)
                cached.append(time.perf_counter() - start)
    p95 = statistics.quantiles(cached, n=20)[-1]
    print(f"{len(first)} announcements, {statistics.median(spoken):.2f} s of speech each (median)")
    print(
        f"uncached: median {statistics.median(first) * 1000:6.1f} ms, "
        f"max {max(first) * 1000:6.1f} ms"
    )
    print(f"cached:   median {statistics.median(cached) * 1000:6.2f} ms, p95 {p95 * 1000:6.2f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
