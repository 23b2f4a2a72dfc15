"""Finding a member on the roster: by characters, pinyin, room number, address or card code.

A latin query (spaces and apostrophes dropped, any case, ü typed as v or u) is consumed from
the name's first syllable on, each syllable by a non-empty prefix of one of its readings, so
"wj", "wangj", "wjing" and "wangjing" all find 王静. Every reading pypinyin knows is indexed
(单 answers to "shan", "dan" and "chan"), at most ``MAX_SPELLINGS`` spellings per name, those
with the fewest uncommon readings first. A character's everyday reading is pypinyin's (in a
phrase it knows, as in 长乐 chang le), or for the first character its surname reading
(``SURNAME_READINGS``: 曾 zeng, not ceng).
A character without a reading (𠮷, a middle dot) matches the empty string: latin queries step
over it, so 李𠮷明 is found by "lm" and "liming", and by typing "𠮷" itself.

Best first: the query covers every syllable, then it is the whole pinyin of the name, then it
uses everyday readings only (so "yj" lists 杨静 before 王静 read as yu), then the name in
pinyin order and the address (numbers as numbers: 2栋 before 10栋, 502 before 1101).

Readings come from pypinyin, whose dictionaries take ~30 MB even as ``domain.pinyin`` loads
them. A server that has not loaded it (speech does) asks a child process for the names it has
not read before, so the kiosk's search costs the server only its index; the readings are the
same either way.

The index keeps one text per first letter with a line per spelling (``\\n|wang|jing|P17``:
P or A for everyday or alternative readings, then the member's rank). A query becomes one
regular expression run over one text, so the work per name is done in C.
"""

from __future__ import annotations

import heapq
import json
import logging
import re
import subprocess
import sys
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import combinations, islice, product
from pathlib import Path
from typing import Any

from meeting_room.domain.pinyin import load_pypinyin

logger = logging.getLogger(__name__)

MAX_SPELLINGS = 64
READER_TIMEOUT = 300.0  # seconds for the child process to read a roster's new names
CODE_PREFIX = "yishi:"

# The surname reading, where it differs from the everyday one pypinyin gives first.
SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "朴": "piao",
    "查": "zha",
    "盖": "ge",
    "覃": "qin",
    "缪": "miao",
    "翟": "zhai",
}

_LATIN = re.compile(r"[a-z]+")
_Spelling = tuple[tuple[str, ...], bool]


@dataclass(frozen=True)
class Candidate:
    """A member as the sign-in screen lists them: the address tells namesakes apart."""

    id: int
    name: str
    building: str
    unit: str
    room: str
    member_no: str


@dataclass(frozen=True)
class _Syllable:
    """The readings of one character: everyday (and its ü spelled u), then the others."""

    everyday: tuple[str, ...]
    others: tuple[str, ...]


def _fold(text: str) -> str:
    """Full-width to half-width, whitespace removed, case folded."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _letters(reading: str) -> str:
    """A reading as typed on a pinyin keyboard: a–z only, ü as v."""
    text = unicodedata.normalize("NFKD", reading.casefold().replace("ü", "v"))
    return "".join(char for char in text if "a" <= char <= "z")


def _spelled(readings: Iterable[str], exclude: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Distinct non-empty readings in order, each with v also written u (lv → lu)."""
    found: dict[str, None] = {}
    for reading in readings:
        for spelling in (reading, reading.replace("v", "u")):
            if spelling and spelling not in exclude:
                found[spelling] = None
    return tuple(found)


@cache
def _character(char: str, surname: bool) -> _Syllable | None:
    """One character's readings (the surname one first if ``surname``), None if it has none."""
    load_pypinyin()  # here, not with the app: its dictionaries take ~30 MB
    from pypinyin import Style, pinyin

    groups = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    known = [_letters(reading) for group in groups for reading in group] or [_letters(char)]
    first = SURNAME_READINGS.get(char, known[0]) if surname else known[0]
    everyday = _spelled([first])
    return _Syllable(everyday, _spelled(known, everyday)) if everyday else None


def _one_each(text: str) -> Any:
    """Characters pypinyin cannot read, one item each (it takes a list; its stub says str)."""
    return list(text)


def _in_context(name: str) -> list[str] | None:
    """pypinyin's reading of each character in context, if the name holds one of its phrases."""
    load_pypinyin()
    from pypinyin import lazy_pinyin
    from pypinyin.constants import PHRASES_DICT

    spans = ((i, j) for i in range(len(name)) for j in range(i + 2, len(name) + 1))
    if not any(name[i:j] in PHRASES_DICT for i, j in spans):
        return None  # out of a phrase a character reads as its first reading: spare the call
    readings = lazy_pinyin(name, errors=_one_each)
    return readings if len(readings) == len(name) else None


def _syllables(name: str) -> list[_Syllable]:
    """The name's syllables: one per character with a reading, one per run of latin letters."""
    context = _in_context(name)
    syllables: list[_Syllable] = []
    run = ""
    for position, char in enumerate(name):
        if char.isascii() and char.isalpha():
            run += char.lower()
            continue
        if run:
            syllables.append(_Syllable((run,), ()))
            run = ""
        surname = position == 0 and len(name) > 1
        syllable = _character(char, surname)
        if syllable is None:
            continue
        reading = _letters(context[position]) if context else ""
        if (
            reading
            and reading not in syllable.everyday
            and not (surname and char in SURNAME_READINGS)
        ):
            everyday = _spelled([reading])
            syllable = _Syllable(everyday, _spelled(syllable.everyday + syllable.others, everyday))
        syllables.append(syllable)
    if run:
        syllables.append(_Syllable((run,), ()))
    return syllables


_READINGS: dict[str, tuple[_Syllable, ...]] = {}  # every name read so far, by its text
_ROOT = Path(__file__).resolve().parents[2]  # the folder holding the meeting_room package
_CHILD = (
    "import sys; sys.path.insert(0, {root!r})\n"
    "from meeting_room.domain.search import _read_stdin\n"
    "_read_stdin()"
)


def readings(names: Iterable[str]) -> dict[str, tuple[_Syllable, ...]]:
    """The syllables of each name (a mapping holding at least ``names``).

    Read here if pypinyin is loaded in this process already, else by a child process
    (``_read_elsewhere``), once per distinct name for the life of the process.
    """
    wanted = [name for name in dict.fromkeys(names) if name not in _READINGS]
    if wanted:
        found = None if "pypinyin" in sys.modules else _read_elsewhere(wanted)
        if found is None:
            found = [tuple(_syllables(name)) for name in wanted]
        _READINGS.update(zip(wanted, found, strict=True))
    return _READINGS


def _read_elsewhere(names: list[str]) -> list[tuple[_Syllable, ...]] | None:
    """The names' syllables from a child ``python -I`` (``_read_stdin``), None if that fails."""
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-c", _CHILD.format(root=str(_ROOT))],
            input=json.dumps(names),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=READER_TIMEOUT,
            check=True,
        )
        read = json.loads(done.stdout)
        if len(read) != len(names):
            raise ValueError(f"{len(read)} readings for {len(names)} names")
    except (OSError, subprocess.SubprocessError, ValueError) as error:
        logger.warning("reading names in a child process failed (%s); reading them here", error)
        return None
    return [tuple(_Syllable(tuple(e), tuple(o)) for e, o in name) for name in read]


def _read_stdin() -> None:
    """The child process: a JSON list of names in, a list of syllables ([everyday, others]
    for each) a name out."""
    names = json.load(sys.stdin)
    read = [[[s.everyday, s.others] for s in _syllables(name)] for name in names]
    json.dump(read, sys.stdout, ensure_ascii=False)


def _spellings(syllables: Sequence[_Syllable]) -> Iterator[_Spelling]:
    """Whole-name spellings, fewest alternative readings first; True for the everyday ones."""
    flexible = [i for i, syllable in enumerate(syllables) if syllable.others]
    for depth in range(len(flexible) + 1):
        for swapped in combinations(flexible, depth):
            choices = [s.others if i in swapped else s.everyday for i, s in enumerate(syllables)]
            for spelling in product(*choices):
                yield spelling, depth == 0


def _natural(text: str) -> tuple[str | int, ...]:
    """Sort key reading digit runs as numbers: 2栋 < 10栋, 502 < 1101."""
    return tuple(int(part) if i % 2 else part for i, part in enumerate(re.split(r"(\d+)", text)))


def _place(text: str) -> str:
    """An address part as compared: its digits ("3栋" and "3" agree), else its folded text."""
    folded = _fold(text)
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
        self._names = [_fold(member.name) for member in self._members]
        self._places = [tuple(map(_place, (m.building, m.unit, m.room))) for m in self._members]
        lines: dict[str, list[str]] = {}
        for rank, (_, syllables) in enumerate(entries):
            for spelling, everyday in islice(_spellings(syllables), MAX_SPELLINGS):
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
            self._codes.setdefault(_fold(member.member_no), member)

    def search(self, query: str, limit: int = 20) -> list[Candidate]:
        """Members matching characters, pinyin (full, initials or mixed) or a room number."""
        text = _fold(query)
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
        text = _fold(code).removeprefix(CODE_PREFIX)
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
