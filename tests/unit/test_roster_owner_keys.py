"""The roster's optional columns for an owners' assembly's count (法释〔2009〕7号 art. 9):
owner_key, unit_key and developer, read when present, with clear errors where they cannot
say; and the base of exclusive units planned from them (one buyer's units, co-owners)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from meeting_room.assembly.base import plan_units
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.roster import COLUMNS, RowProblem, validate_rows
from meeting_room.store.models.roster import Member

HEADER = [*COLUMNS, "owner_key", "unit_key", "developer"]
BASE = {
    "member_id": "M1",
    "name": "孙艳娜",
    "building": "1栋",
    "unit": "1单元",
    "room": "202",
    "floor": "2",
    "area_m2": "96.40",
    "phone_tail": "6851",
    "group": "业主",
    "birth_year": "1943",
    "owner_key": "P0001",
    "unit_key": "U-1-1-202",
    "developer": "否",
}


def row(**cells: str) -> list[str]:
    return [{**BASE, **cells}[column] for column in HEADER]


def test_the_keys_and_the_developer_flag_are_read_when_the_columns_are_there() -> None:
    check = validate_rows(
        HEADER,
        [(2, row()), (3, row(member_id="M2", room="301", unit_key="U-1-1-301", developer="是",
                             owner_key=""))],
        this_year=2026,
    )  # fmt: skip
    assert check.ok, check.errors
    first, second = check.rows
    assert (first.owner_key, first.unit_key, first.developer) == ("P0001", "U-1-1-202", False)
    assert (second.owner_key, second.developer) == (None, True)


def test_a_roster_without_the_columns_still_imports_and_says_nothing_of_owners() -> None:
    check = validate_rows(list(COLUMNS), [(2, row()[: len(COLUMNS)])], this_year=2026)
    assert check.ok
    assert (check.rows[0].owner_key, check.rows[0].unit_key) == (None, None)


def test_an_owner_row_without_an_owner_key_is_refused_when_the_column_is_there() -> None:
    check = validate_rows(HEADER, [(2, row(owner_key=""))], this_year=2026)
    assert [(e.line, e.problem, e.column) for e in check.errors] == [
        (2, RowProblem.NO_OWNER_KEY, "owner_key")
    ]
    tenant = validate_rows(HEADER, [(2, row(owner_key="", group="租户"))], this_year=2026)
    assert tenant.ok  # a tenant owns nothing


def test_a_developer_cell_that_is_not_yes_or_no_is_refused() -> None:
    check = validate_rows(HEADER, [(2, row(developer="也许"))], this_year=2026)
    assert [e.problem for e in check.errors] == [RowProblem.BAD_DEVELOPER]


def test_one_unit_key_with_two_areas_is_refused_naming_the_first_line() -> None:
    check = validate_rows(
        HEADER, [(2, row()), (3, row(member_id="M2", area_m2="90.00"))], this_year=2026
    )
    (error,) = check.errors
    assert (error.line, error.problem, error.first_line) == (3, RowProblem.UNIT_DISAGREES, 2)


def member(i: int, room: str, owner: str | None, area: str = "96.40", **more: object) -> Member:
    return Member(
        id=i, building="1栋", unit="1单元", room=room, area_m2=Decimal(area),
        owner_key=owner, unit_key=more.get("unit_key"), is_developer=more.get("dev", False),
    )  # fmt: skip


def test_co_owners_are_one_unit_and_one_buyers_units_share_an_owner() -> None:
    planned = plan_units(
        [
            member(1, "202", "A"),
            member(2, "202", "B"),  # co-owner of 202 (same address)
            member(3, "301", "A"),  # A's second unit
            member(4, "401", None, dev=True),
        ]
    )
    by_room = {p.room: p for p in planned}
    assert by_room["202"].member_ids == (1, 2) and by_room["202"].owner_key == "A+B"
    assert by_room["301"].owner_key == "A"
    assert by_room["401"].developer and by_room["401"].owner_key == "developer"


def test_a_unit_the_roster_cannot_say_who_owns_is_refused_unless_the_clerk_confirms() -> None:
    with pytest.raises(Refusal) as refused:
        plan_units([member(1, "202", None), member(2, "301", "A")])
    assert refused.value.problem is Problem.PERIOD_NO_OWNER_KEY
    assert refused.value.params == {"units": "1栋1单元202", "count": 1}
    assumed = plan_units([member(1, "202", None), member(2, "301", "A")], assume_owners=True)
    assert [p.owner_key for p in assumed] == ["unit:1栋1单元202", "A"]


def test_one_unit_with_two_areas_on_the_roster_is_refused() -> None:
    with pytest.raises(Refusal) as refused:
        plan_units([member(1, "202", "A"), member(2, "202", "B", area="90.00")])
    assert refused.value.problem is Problem.PERIOD_TWO_AREAS
