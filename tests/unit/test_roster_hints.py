"""The spreadsheet traps a roster check names (domain.roster_hints)."""

from meeting_room.domain.roster import COLUMNS, validate_rows
from meeting_room.domain.roster_hints import Trap, find_traps

HEADER = list(COLUMNS)


def row(member: str, tail: str = "8779", floor: str = "1", name: str = "周珍秀") -> list[str]:
    return [member, name, "1栋", "1单元", "102", floor, "143.90", tail, "业主", "1947"]


def traps(rows: list[tuple[int, list[str]]]) -> dict[Trap, tuple[int, ...]]:
    check = validate_rows(HEADER, rows, this_year=2026)
    return {hint.trap: hint.lines for hint in find_traps(HEADER, rows, check.errors)}


def test_a_phone_tail_of_three_digits_is_a_lost_leading_zero() -> None:
    assert traps([(2, row("M1")), (3, row("M2", tail="123"))]) == {Trap.LOST_LEADING_ZERO: (3,)}


def test_a_phone_tail_with_letters_is_no_lost_zero() -> None:
    assert traps([(2, row("M1", tail="12a"))]) == {}


def test_duplicate_member_ids_are_named_on_the_second_line() -> None:
    assert traps([(2, row("M1")), (3, row("M1"))]) == {Trap.DUPLICATE_MEMBER_ID: (3,)}


def test_full_width_digits_and_stray_spaces_are_reported_though_read() -> None:
    rows = [(2, row("M1", floor="１")), (3, row("M2", name=" 秦娜\u3000"))]
    assert validate_rows(HEADER, rows, this_year=2026).ok
    assert traps(rows) == {Trap.FULL_WIDTH_DIGITS: (2,), Trap.STRAY_SPACES: (3,)}


def test_a_full_width_digit_in_a_name_is_no_trap() -> None:
    assert traps([(2, row("M1", name="王１"))]) == {}
