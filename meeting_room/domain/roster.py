"""The roster import's rules: turn the office's numbered rows into members, or say every fault.

Pure: the caller reads the file and passes the current year. A roster is all or nothing, so
``RosterCheck.rows`` is empty as soon as one row is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from meeting_room.domain.words import MemberGroup

WEIGHT = "weight"  # optional: a custom weight per member
# Optional, for an owners' assembly's count (法释〔2009〕7号 art. 9): who owns the unit (several
# units of one buyer share it: e.g. the last 4 digits of the owner's ID or the register's
# owner number), which exclusive unit it is (co-owners share it: the register's unit number),
# and whether the developer holds it unsold or undelivered (是/否).
OWNER_KEY = "owner_key"
UNIT_KEY = "unit_key"
DEVELOPER = "developer"
OPTIONAL = (WEIGHT, OWNER_KEY, UNIT_KEY, DEVELOPER)
_YES = frozenset({"是", "yes", "y", "1", "true"})
_NO = frozenset({"否", "no", "n", "0", "false", ""})
COLUMNS = (
    "member_id",
    "name",
    "building",
    "unit",
    "room",
    "floor",
    "area_m2",
    "phone_tail",
    "group",
    "birth_year",
)
NAME_MAX_CHARS = 64
EARLIEST_BIRTH_YEAR = 1900

# \s covers the full-width space U+3000 and NBSP; zero-width spaces and stray BOMs come from
# copying out of web pages and Word.
_STRAY = re.compile(r"^[\s\u200b\ufeff]+|[\s\u200b\ufeff]+$")
# Input methods in full-width mode type ０-９ and ．; numbers are read through this table.
_HALF_WIDTH = str.maketrans("０１２３４５６７８９．－", "0123456789.-")
_FLOOR = re.compile(r"-?[0-9]+")
_AREA = re.compile(r"[0-9]+(\.[0-9]+)?")
_PHONE_TAIL = re.compile(r"[0-9]{4}")
_YEAR = re.compile(r"[0-9]{4}")
_CENT = Decimal("0.01")
_GROUPS = frozenset(group.value for group in MemberGroup)


class RowProblem(StrEnum):
    """What is wrong with a line of the roster."""

    MISSING_COLUMN = "missing_column"
    MISSING_VALUE = "missing_value"
    BAD_AREA = "bad_area"
    BAD_FLOOR = "bad_floor"
    BAD_PHONE_TAIL = "bad_phone_tail"
    BAD_BIRTH_YEAR = "bad_birth_year"
    BAD_WEIGHT = "bad_weight"
    UNKNOWN_GROUP = "unknown_group"
    DUPLICATE_MEMBER_NO = "duplicate_member_no"
    NAME_TOO_LONG = "name_too_long"
    BAD_DEVELOPER = "bad_developer"
    NO_OWNER_KEY = "no_owner_key"
    UNIT_DISAGREES = "unit_disagrees"


@dataclass(frozen=True)
class RosterRow:
    """One member as read from the roster, ready to be stored."""

    member_no: str
    name: str
    building: str
    unit: str
    room: str
    floor: int
    area_m2: Decimal
    phone_tail: str
    group: MemberGroup
    birth_year: int | None
    weight: Decimal | None = None  # the optional ``weight`` column, for polls weighted by it
    owner_key: str | None = None
    unit_key: str | None = None
    developer: bool = False


@dataclass(frozen=True)
class RowError:
    """One fault: the file's line (header = 1), what is wrong, in which column, the cell's text.

    ``first_line`` is set for a duplicate member id: the line where that id first appeared.
    """

    line: int
    problem: RowProblem
    column: str | None
    value: str
    first_line: int | None = None


@dataclass(frozen=True)
class RosterCheck:
    """The members read and the faults found; ``rows`` is empty unless there is no fault."""

    rows: tuple[RosterRow, ...]
    errors: tuple[RowError, ...]

    @property
    def ok(self) -> bool:
        """True when the roster can be imported as it is."""
        return not self.errors


def clean(cell: str) -> str:
    """The cell without leading or trailing spaces of any width; the inside is left alone."""
    return _STRAY.sub("", cell)


def validate_rows(
    header: Sequence[str], rows: Iterable[tuple[int, Sequence[str]]], this_year: int
) -> RosterCheck:
    """Check every numbered row against ``header`` and collect every fault, not just the first.

    Column order is free and extra columns are ignored; completely blank rows are skipped.
    """
    names = [clean(name) for name in header]
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        errors = tuple(RowError(1, RowProblem.MISSING_COLUMN, column, "") for column in missing)
        return RosterCheck((), errors)
    index = {column: names.index(column) for column in (*COLUMNS, *OPTIONAL) if column in names}
    found: list[RosterRow] = []
    problems: list[RowError] = []
    first_seen: dict[str, int] = {}
    units_seen: dict[str, tuple[int, str]] = {}
    for line, raw in rows:
        cells = [clean(cell) for cell in raw]
        if not any(cells):
            continue
        record = {column: cells[at] if at < len(cells) else "" for column, at in index.items()}
        for column in OPTIONAL:
            record.setdefault(column, "")
        row_errors = _check_record(line, record, this_year, OWNER_KEY in index)
        if unit_key := record[UNIT_KEY]:
            # One exclusive unit has one address and one registered area (art. 8).
            facts = "|".join(record[c] for c in ("building", "unit", "room", "area_m2"))
            first = units_seen.setdefault(unit_key, (line, facts))
            if first[1] != facts:
                row_errors.append(
                    RowError(line, RowProblem.UNIT_DISAGREES, UNIT_KEY, unit_key, first[0])
                )
        member_no = record["member_id"]
        if member_no in first_seen:
            row_errors.append(
                RowError(
                    line,
                    RowProblem.DUPLICATE_MEMBER_NO,
                    "member_id",
                    member_no,
                    first_line=first_seen[member_no],
                )
            )
        elif member_no:
            first_seen[member_no] = line
        problems.extend(row_errors)
        if not row_errors:
            found.append(_to_row(record))
    return RosterCheck(() if problems else tuple(found), tuple(problems))


def _check_record(
    line: int, record: dict[str, str], this_year: int, owner_keys: bool = False
) -> list[RowError]:
    """The faults of one row, column by column (duplicates are checked by the caller)."""
    errors: list[RowError] = []

    def fault(problem: RowProblem, column: str) -> None:
        errors.append(RowError(line, problem, column, record[column]))

    for column in COLUMNS:
        if column != "birth_year" and not record[column]:
            fault(RowProblem.MISSING_VALUE, column)
    if len(record["name"]) > NAME_MAX_CHARS:
        fault(RowProblem.NAME_TOO_LONG, "name")
    floor = _half_width(record["floor"])
    if floor and (not _FLOOR.fullmatch(floor) or int(floor) == 0):
        fault(RowProblem.BAD_FLOOR, "floor")
    area = _half_width(record["area_m2"])
    if area and _area(area) is None:
        fault(RowProblem.BAD_AREA, "area_m2")
    tail = _half_width(record["phone_tail"])
    if tail and not _PHONE_TAIL.fullmatch(tail):
        fault(RowProblem.BAD_PHONE_TAIL, "phone_tail")
    if record["group"] and record["group"] not in _GROUPS:
        fault(RowProblem.UNKNOWN_GROUP, "group")
    weight = _half_width(record[WEIGHT])
    if weight and _area(weight) is None:
        fault(RowProblem.BAD_WEIGHT, WEIGHT)
    year = _half_width(record["birth_year"])
    if year and not (_YEAR.fullmatch(year) and EARLIEST_BIRTH_YEAR <= int(year) <= this_year):
        fault(RowProblem.BAD_BIRTH_YEAR, "birth_year")
    developer = record[DEVELOPER].lower()
    if developer not in _YES | _NO:
        fault(RowProblem.BAD_DEVELOPER, DEVELOPER)
    owner = record["group"] == MemberGroup.OWNER.value and developer not in _YES
    if owner_keys and owner and not record[OWNER_KEY]:
        # Without it the assembly's count cannot tell one buyer's units apart from others'.
        fault(RowProblem.NO_OWNER_KEY, OWNER_KEY)
    return errors


def _to_row(record: dict[str, str]) -> RosterRow:
    """A member from a row that passed every check."""
    area = _area(_half_width(record["area_m2"]))
    assert area is not None
    year = _half_width(record["birth_year"])
    return RosterRow(
        member_no=record["member_id"],
        name=record["name"],
        building=record["building"],
        unit=record["unit"],
        room=record["room"],
        floor=int(_half_width(record["floor"])),
        area_m2=area,
        phone_tail=_half_width(record["phone_tail"]),
        group=MemberGroup(record["group"]),
        birth_year=int(year) if year else None,
        weight=_area(_half_width(record[WEIGHT])) if record[WEIGHT] else None,
        owner_key=record[OWNER_KEY] or None,
        unit_key=record[UNIT_KEY] or None,
        developer=record[DEVELOPER].lower() in _YES,
    )


def _half_width(text: str) -> str:
    """Full-width digits, point and minus as their ASCII forms (names never go through this)."""
    return text.translate(_HALF_WIDTH)


def _area(text: str) -> Decimal | None:
    """A positive area with at most two decimals, in cents (143.9 → 143.90); None otherwise."""
    if not _AREA.fullmatch(text):
        return None
    value = Decimal(text)
    if value <= 0 or value != value.quantize(_CENT):
        return None
    return value.quantize(_CENT)
