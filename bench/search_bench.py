"""Micro-benchmark of the roster search: build an index of 10,000 members, time 2,000 searches.

Run: ``.venv/bin/python bench/search_bench.py`` (the kiosk's budget is 20 ms a request).
"""

from __future__ import annotations

import random
import statistics
import time
from collections import defaultdict

from pypinyin import lazy_pinyin

from meeting_room.domain.search import Candidate, MemberIndex

SEED = 20240601
MEMBERS = 10_000
SEARCHES = 2_000
TYPICAL = ["wj", "wangjing", "王", "zhang", "501"]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤单解仇区朴查"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官")
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国玉珍文辉凤红梅成林志刚淑兰秀兰"
    "海燕德福荣贵云春生金宝庆祥永安富全胜利学民东晓雪丹萍慧颖婷翠莲琴玲桂芝淑珍凤英秀珍"
)


def roster(rng: random.Random, size: int = MEMBERS) -> list[Candidate]:
    """``size`` members with surnames, given names and addresses as a large estate has them."""
    members = []
    for number in range(1, size + 1):
        surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.01 else rng.choice(SURNAMES)
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2, 2))))
        floor, door = rng.randint(1, 33), rng.randint(1, 4)
        members.append(
            Candidate(
                id=number,
                name=surname + given,
                building=f"{rng.randint(1, 30)}栋",
                unit=f"{rng.randint(1, 4)}单元",
                room=f"{floor}{door:02d}",
                member_no=f"M{number:05d}",
            )
        )
    return members


def queries(rng: random.Random, members: list[Candidate], count: int = SEARCHES) -> list[str]:
    """``count`` queries: the typical ones, and initials, pinyin and characters of real names."""
    mix: list[str] = []
    while len(mix) < count:
        name = rng.choice(members).name
        syllables = lazy_pinyin(name)
        mix += TYPICAL
        mix += [
            "".join(s[0] for s in syllables),
            "".join(syllables),
            syllables[0] + syllables[1][0],
        ]
        mix += [name[0], rng.choice(members).room]
    return mix[:count]


def percentiles(samples: list[float]) -> str:
    """Median, p95 and p99 in milliseconds."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return f"median {statistics.median(samples):.3f}  p95 {cuts[94]:.3f}  p99 {cuts[98]:.3f} ms"


def main() -> None:
    """Build, search, print the timings."""
    rng = random.Random(SEED)
    members = roster(rng)
    started = time.perf_counter()
    index = MemberIndex(members)
    print(f"index build, {MEMBERS} members: {(time.perf_counter() - started) * 1000:.0f} ms")

    timings: dict[str, list[float]] = defaultdict(list)
    everything: list[float] = []
    for query in queries(rng, members):
        started = time.perf_counter()
        index.search(query)
        elapsed = (time.perf_counter() - started) * 1000
        everything.append(elapsed)
        if query in TYPICAL:
            timings[query].append(elapsed)
    print(f"{SEARCHES} searches, all:  {percentiles(everything)}")
    for query in TYPICAL:
        print(f"  {query!r:>11} ×{len(timings[query])}:  {percentiles(timings[query])}")


if __name__ == "__main__":
    main()
