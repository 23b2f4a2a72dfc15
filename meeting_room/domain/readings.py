"""How members' names read in pinyin, for finding them by what a resident types.

Every reading pypinyin knows is kept (单 answers to "shan", "dan" and "chan"). A character's
everyday reading is pypinyin's (in a phrase it knows, as in 长乐 chang le), or for the first
character its surname reading (``SURNAME_READINGS``: 曾 zeng, not ceng). A character pypinyin
does not know reads as its compatibility form does (NFKC: 﨑 as 崎), else as Unihan's reading of
it or of a variant (``unihan_readings.tsv``, made from the Unicode Consortium's Unihan database
by ``scripts/unihan_readings.py``: 𠮷 reads ji, like 吉). A character with no reading at all (a
middle dot) has none: latin queries step over it.

Readings come from pypinyin, whose dictionaries take ~30 MB even as ``domain.pinyin`` loads
them. A server that has not loaded it (speech does) asks a child process for the names it has
not read before, so the kiosk's search costs the server only its index; the readings are the
same either way.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import combinations, product
from pathlib import Path
from typing import Any

from meeting_room.domain.pinyin import load_pypinyin

logger = logging.getLogger(__name__)

READER_TIMEOUT = 300.0  # seconds for the child process to read a roster's new names

UNIHAN_TABLE = Path(__file__).with_name("unihan_readings.tsv")
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
Spelling = tuple[tuple[str, ...], bool]


@dataclass(frozen=True)
class Syllable:
    """The readings of one character: everyday (and its ü spelled u), then the others."""

    everyday: tuple[str, ...]
    others: tuple[str, ...]


def fold(text: str) -> str:
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
def _character(char: str, surname: bool) -> Syllable | None:
    """One character's readings (the surname one first if ``surname``), None if it has none."""
    load_pypinyin()  # here, not with the app: its dictionaries take ~30 MB
    from pypinyin import Style, pinyin

    groups = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    if not groups and unicodedata.normalize("NFKC", char) != char:
        form = unicodedata.normalize("NFKC", char)
        groups = pinyin(form, style=Style.NORMAL, heteronym=True, errors="ignore")
    found = [reading for group in groups for reading in group] or list(unihan().get(char, ()))
    known = [_letters(reading) for reading in found] or [_letters(char)]
    first = SURNAME_READINGS.get(char, known[0]) if surname else known[0]
    everyday = _spelled([first])
    return Syllable(everyday, _spelled(known, everyday)) if everyday else None


@cache
def unihan() -> dict[str, tuple[str, ...]]:
    """Readings of the characters pypinyin does not know, from ``unihan_readings.tsv``."""
    table: dict[str, tuple[str, ...]] = {}
    for line in UNIHAN_TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            char, readings, _ = line.split("\t", 2)
            table[char] = tuple(readings.split())
    return table


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


def _syllables(name: str) -> list[Syllable]:
    """The name's syllables: one per character with a reading, one per run of latin letters."""
    context = _in_context(name)
    syllables: list[Syllable] = []
    run = ""
    for position, char in enumerate(name):
        if char.isascii() and char.isalpha():
            run += char.lower()
            continue
        if run:
            syllables.append(Syllable((run,), ()))
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
            syllable = Syllable(everyday, _spelled(syllable.everyday + syllable.others, everyday))
        syllables.append(syllable)
    if run:
        syllables.append(Syllable((run,), ()))
    return syllables


_READINGS: dict[str, tuple[Syllable, ...]] = {}  # every name read so far, by its text
_ROOT = Path(__file__).resolve().parents[2]  # the folder holding the meeting_room package
_CHILD = (
    "import sys; sys.path.insert(0, {root!r})\n"
    "from meeting_room.domain.readings import _read_stdin\n"
    "_read_stdin()"
)


def readings(names: Iterable[str]) -> dict[str, tuple[Syllable, ...]]:
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


def _read_elsewhere(names: list[str]) -> list[tuple[Syllable, ...]] | None:
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
    return [tuple(Syllable(tuple(e), tuple(o)) for e, o in name) for name in read]


def _read_stdin() -> None:
    """The child process: a JSON list of names in, a list of syllables ([everyday, others]
    for each) a name out."""
    names = json.load(sys.stdin)
    read = [[[s.everyday, s.others] for s in _syllables(name)] for name in names]
    json.dump(read, sys.stdout, ensure_ascii=False)


def spellings(syllables: Sequence[Syllable]) -> Iterator[Spelling]:
    """Whole-name spellings, fewest alternative readings first; True for the everyday ones."""
    flexible = [i for i, syllable in enumerate(syllables) if syllable.others]
    for depth in range(len(flexible) + 1):
        for swapped in combinations(flexible, depth):
            choices = [s.others if i in swapped else s.everyday for i, s in enumerate(syllables)]
            for spelling in product(*choices):
                yield spelling, depth == 0
