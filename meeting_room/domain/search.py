"""Finding a member on the roster: by characters, pinyin, room number, address or card code.

A latin query (spaces and apostrophes dropped, any case, ü typed as v or u) is consumed from
the name's first syllable on, each syllable by a non-empty prefix of one of its readings, so
"wj", "wangj", "wjing" and "wangjing" all find 王静. Every reading pypinyin knows is indexed
(``domain.readings``), at most ``MAX_SPELLINGS`` spellings per name, those with the fewest
uncommon readings first.
A character without a reading (𠮷, a middle dot) matches the empty string: latin queries step
over it, so 李𠮷明 is found by "lm" and "liming", and by typing "𠮷" itself.

Best first: the query covers every syllable, then it is the whole pinyin of the name, then it
uses everyday readings only (so "yj" lists 杨静 before 王静 read as yu), then the name in
pinyin order and the address (numbers as numbers: 2栋 before 10栋, 502 before 1101).

The index keeps one text per first letter with a line per spelling (``\\n|wang|jing|P17``:
P or A for everyday or alternative readings, then the member's rank). A query becomes one
regular expression run over one text, so the work per name is done in C.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

from meeting_room.domain.readings import fold, readings, spellings

MAX_SPELLINGS = 64
CODE_PREFIX = "yishi:"

# The surname reading, where it differs from the everyday one pypinyin gives first.
_LATIN = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Candidate:
    """A member as the sign-in screen lists them: the address tells namesakes apart."""

    id: int
    name: str
    building: str
    unit: str
    room: str
    member_no: str


def _natural(text: str) -> tuple[str | int, ...]:
    """Sort key reading digit runs as numbers: 2栋 < 10栋, 502 < 1101."""
    return tuple(int(part) if i % 2 else part for i, part in enumerate(re.split(r"(\d+)", text)))


def _place(text: str) -> str:
    """An address part as compared: its digits ("3栋" and "3" agree), else its folded text."""
    folded = fold(text)
    return "".join(re.findall(r"[0-9]", folded)) or folded


class MemberIndex:
    """The roster, indexed once, searched as a resident types at the kiosk."""

    def __init__(self, candidates: Iterable[Candidate]) -> None:
        members = list(candidates)
        known = readings(member.name for member in members)
        entries = [(member, known[member.name]) for member in members]
        entries.sort(
            key=lambda entry: (
                " ".join(s.everyday[0] for s in entry[1]),
                entry[0].name,
                _natural(entry[0].building),
                _natural(entry[0].unit),
                _natural(entry[0].room),
                entry[0].id,
            )
        )
        self._members = [member for member, _ in entries]
        self._names = [fold(member.name) for member in self._members]
        self._places = [tuple(map(_place, (m.building, m.unit, m.room))) for m in self._members]
        lines: dict[str, list[str]] = {}
        for rank, (_, syllables) in enumerate(entries):
            for spelling, everyday in islice(spellings(syllables), MAX_SPELLINGS):
                if not spelling:
                    continue
                flag = "P" if everyday else "A"
                lines.setdefault(spelling[0][0], []).append(f"\n|{'|'.join(spelling)}|{flag}{rank}")
        self._buckets = {letter: "".join(bucket) for letter, bucket in lines.items()}
        rooms = sorted((_place(m.room), rank) for rank, m in enumerate(self._members))
        self._room_keys = [room for room, _ in rooms]
        self._room_ranks = [rank for _, rank in rooms]
        self._codes: dict[str, Candidate] = {}
        for member in self._members:
            self._codes.setdefault(fold(member.member_no), member)

    def search(self, query: str, limit: int = 20) -> list[Candidate]:
        """Members matching characters, pinyin (full, initials or mixed) or a room number."""
        text = fold(query)
        if not text or limit <= 0:
            return []
        typed = text.replace("ü", "v").replace("'", "").replace("’", "")
        if text.isascii() and text.isdigit():
            scores = self._by_room(text)
        elif _LATIN.fullmatch(typed):
            scores = self._by_pinyin(typed)
        else:
            scores = self._by_characters(text)
        size = len(self._members)
        return [self._members[score % size] for score in heapq.nsmallest(limit, scores)]

    def by_address(
        self, building: str | None, unit: str | None, room: str | None
    ) -> list[Candidate]:
        """Members at an address, in roster order; a part left None (or blank) matches any."""
        wanted = [
            (i, _place(part))
            for i, part in enumerate((building, unit, room))
            if part and part.strip()
        ]
        return [
            member
            for member, place in zip(self._members, self._places, strict=True)
            if all(place[i] == value for i, value in wanted)
        ]

    def by_code(self, code: str) -> Candidate | None:
        """The member whose card was scanned: ``YISHI:M00001``, any case, stray whitespace."""
        text = fold(code).removeprefix(CODE_PREFIX)
        return self._codes.get(text) if text else None

    # Each matcher scores a member as tier × roster size + rank: the smallest score comes first.

    def _by_room(self, digits: str) -> list[int]:
        start = bisect_left(self._room_keys, digits)
        stop = bisect_left(self._room_keys, digits + ":")  # ":" sorts right after "9"
        size = len(self._members)
        return [
            (self._room_keys[i] != digits) * size + self._room_ranks[i] for i in range(start, stop)
        ]

    def _by_characters(self, text: str) -> list[int]:
        size = len(self._members)
        return [
            (0 if name == text else 1 if name.startswith(text) else 2) * size + rank
            for rank, name in enumerate(self._names)
            if text in name
        ]

    def _by_pinyin(self, typed: str) -> list[int]:
        bucket = self._buckets.get(typed[0])
        if bucket is None:
            return []
        # After each letter the next one either goes on in the same syllable or, once the rest
        # of it is skipped, starts the next one. The first branch demands every syllable be
        # covered; the regex tries it on every split of the query before the prefix branch.
        steps = typed[0] + "".join(f"(?:[a-z]*\\|)?{letter}" for letter in typed[1:])
        pattern = re.compile(f"\n\\|(?:({steps}[a-z]*\\|)(?=[PA])|{steps}[a-z|]*)([PA])(\\d+)")
        best: dict[int, int] = {}
        for whole, flag, number in pattern.findall(bucket):
            rank = int(number)
            exact = whole.replace("|", "") == typed
            tier = (0 if exact else 2 if whole else 4) + (flag == "A")
            best[rank] = min(tier, best.get(rank, tier))
        size = len(self._members)
        return [tier * size + rank for rank, tier in best.items()]
