"""The usual spreadsheet traps in a roster, found so the clerk is told what happened and how to
fix it at the source (the community office's file), not just that a row is wrong.

Pure: takes the header, the raw numbered rows and the faults ``domain.roster.validate_rows``
found. Full-width digits and stray spaces are read correctly anyway (``validate_rows`` cleans
them); they are reported so the office can fix its file. A phone tail of one to three digits is
the classic trap: a spreadsheet stored "0123" as the number 123 and dropped the leading zero.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from meeting_room.domain.roster import RowError, RowProblem, clean

_FULL_WIDTH = re.compile(r"[０-９．－]")
_SHORT_DIGITS = re.compile(r"[0-9０-９]{1,3}")
SHOWN_LINES = 5  # lines named per hint; the count says how many there are in all


class Trap(StrEnum):
    """A spreadsheet trap found in the file."""

    LOST_LEADING_ZERO = "lost_leading_zero"
    FULL_WIDTH_DIGITS = "full_width_digits"
    STRAY_SPACES = "stray_spaces"
    DUPLICATE_MEMBER_ID = "duplicate_member_id"


@dataclass(frozen=True)
class Hint:
    """A trap, how many lines show it and the first few of them."""

    trap: Trap
    count: int
    lines: tuple[int, ...]


def find_traps(
    header: Sequence[str], rows: Iterable[tuple[int, Sequence[str]]], errors: Sequence[RowError]
) -> list[Hint]:
    """The traps in the file, in a fixed order, each with its lines (sorted)."""
    found: dict[Trap, list[int]] = {trap: [] for trap in Trap}
    for error in errors:
        if error.problem == RowProblem.BAD_PHONE_TAIL and _SHORT_DIGITS.fullmatch(error.value):
            found[Trap.LOST_LEADING_ZERO].append(error.line)
        elif error.problem == RowProblem.DUPLICATE_MEMBER_NO:
            found[Trap.DUPLICATE_MEMBER_ID].append(error.line)
    names = [clean(name) for name in header]
    numeric = [i for i, name in enumerate(names) if name not in ("name", "building", "unit")]
    for line, cells in rows:
        if any(cell != clean(cell) for cell in cells if cell.strip()):
            found[Trap.STRAY_SPACES].append(line)
        if any(i < len(cells) and _FULL_WIDTH.search(cells[i]) for i in numeric):
            found[Trap.FULL_WIDTH_DIGITS].append(line)
    return [
        Hint(trap, len(lines), tuple(sorted(set(lines))[:SHOWN_LINES]))
        for trap, lines in found.items()
        if lines
    ]
