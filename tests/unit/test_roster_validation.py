"""The roster import's rules, on rows as the file reader hands them over (no files here)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from meeting_room.domain.roster import (
    COLUMNS,
    RosterCheck,
    RosterRow,
    RowError,
    RowProblem,
    validate_rows,
)
from meeting_room.domain.words import MemberGroup

HEADER = list(COLUMNS)
THIS_YEAR = 2025
GOOD = {
    "member_id": "M00001",
    "name": "周珍秀",
    "building": "1栋",
    "unit": "1单元",
    "room": "102",
    "floor": "1",
    "area_m2": "143.90",
    "phone_tail": "8779",
    "group": "物业",
    "birth_year": "1947",
}


def row(**cells: str) -> list[str]:
    """A good row of the sample's first member, with ``cells`` changed."""
    return [{**GOOD, **cells}[column] for column in HEADER]


def check(*rows: list[str], header: list[str] = HEADER) -> RosterCheck:
    """Validate ``rows`` as consecutive lines right after the header (line 1)."""
    return validate_rows(header, list(enumerate(rows, start=2)), THIS_YEAR)


def problems(result: RosterCheck) -> list[tuple[int, RowProblem, str | None]]:
    return [(error.line, error.problem, error.column) for error in result.errors]


def test_a_good_row_becomes_a_member_with_typed_values() -> None:
    result = check(row())

    assert result.ok
    assert result.errors == ()
    assert result.rows == (
        RosterRow(
            member_no="M00001",
            name="周珍秀",
            building="1栋",
            unit="1单元",
            room="102",
            floor=1,
            area_m2=Decimal("143.90"),
            phone_tail="8779",
            group=MemberGroup.PROPERTY_MANAGEMENT,
            birth_year=1947,
        ),
    )


def test_one_bad_row_fails_the_whole_roster_and_keeps_no_member() -> None:
    result = check(row(), row(member_id="M00002", phone_tail="87"), row(member_id="M00003"))

    assert not result.ok
    assert result.rows == ()
    assert problems(result) == [(3, RowProblem.BAD_PHONE_TAIL, "phone_tail")]


def test_every_row_is_checked_and_every_fault_is_collected() -> None:
    result = check(
        row(floor="三楼", area_m2="0"),
        row(member_id="M00002"),
        row(member_id="M00003", group="owner", birth_year="85", name=""),
    )

    assert problems(result) == [
        (2, RowProblem.BAD_FLOOR, "floor"),
        (2, RowProblem.BAD_AREA, "area_m2"),
        (4, RowProblem.MISSING_VALUE, "name"),
        (4, RowProblem.UNKNOWN_GROUP, "group"),
        (4, RowProblem.BAD_BIRTH_YEAR, "birth_year"),
    ]


def test_a_row_without_a_name_is_reported_with_its_line_number() -> None:
    result = check(row(), row(member_id="M00002"), row(member_id="M00003", name=""))

    assert result.errors == (RowError(4, RowProblem.MISSING_VALUE, "name", ""),)


def test_line_numbers_are_those_given_so_a_skipped_blank_line_still_counts() -> None:
    numbered = [(2, row()), (3, [""] * 10), (4, row(member_id="M00002", floor="x"))]

    result = validate_rows(HEADER, numbered, THIS_YEAR)

    assert problems(result) == [(4, RowProblem.BAD_FLOOR, "floor")]


def test_completely_blank_rows_are_skipped_even_when_they_hold_spaces() -> None:
    result = check(row(), [], ["", " ", "\u3000", "\u00a0"], row(member_id="M00002"))

    assert result.ok
    assert [member.member_no for member in result.rows] == ["M00001", "M00002"]


def test_a_header_without_required_columns_names_each_missing_one_on_line_1() -> None:
    header = [column for column in HEADER if column not in ("phone_tail", "group")]

    result = check(row()[:8], header=header)

    assert result.errors == (
        RowError(1, RowProblem.MISSING_COLUMN, "phone_tail", ""),
        RowError(1, RowProblem.MISSING_COLUMN, "group", ""),
    )
    assert result.rows == ()


def test_columns_may_come_in_any_order_with_extra_columns_and_padded_names() -> None:
    header = [" 备注 ", *(f" {column}\u3000" for column in reversed(HEADER))]
    cells = ["楼长推荐", *reversed(row())]

    result = check(cells, header=header)

    assert result.ok
    assert result.rows[0].name == "周珍秀"
    assert result.rows[0].birth_year == 1947


@pytest.mark.parametrize("column", [c for c in HEADER if c != "birth_year"])
def test_an_empty_required_cell_is_a_missing_value_in_that_column(column: str) -> None:
    result = check(row(**{column: "  "}))

    assert problems(result) == [(2, RowProblem.MISSING_VALUE, column)]


def test_a_row_shorter_than_the_header_misses_the_values_it_lacks() -> None:
    result = check(row()[:8])

    assert problems(result) == [(2, RowProblem.MISSING_VALUE, "group")]


def test_an_empty_birth_year_is_allowed_and_read_as_unknown() -> None:
    result = check(row(birth_year=""))

    assert result.ok
    assert result.rows[0].birth_year is None


@pytest.mark.parametrize(
    "area", ["0", "0.00", "-5", "abc", "143.905", "1e3", "12,5", ".5", "NaN", "143.9㎡"]
)
def test_an_area_must_be_a_positive_number_with_at_most_two_decimals(area: str) -> None:
    result = check(row(area_m2=area))

    assert result.errors == (RowError(2, RowProblem.BAD_AREA, "area_m2", area),)


@pytest.mark.parametrize(
    ("area", "stored"),
    [("143.9", "143.90"), ("80", "80.00"), ("0.01", "0.01"), ("96.400", "96.40")],
)
def test_a_good_area_is_kept_exactly_to_the_cent(area: str, stored: str) -> None:
    result = check(row(area_m2=area))

    assert result.rows[0].area_m2 == Decimal(stored)
    assert str(result.rows[0].area_m2) == stored


@pytest.mark.parametrize("floor", ["0", "3楼", "2.5", "一", "+-1"])
def test_a_floor_must_be_a_whole_number_other_than_zero(floor: str) -> None:
    result = check(row(floor=floor))

    assert problems(result) == [(2, RowProblem.BAD_FLOOR, "floor")]


def test_a_basement_floor_is_negative() -> None:
    assert check(row(floor="-1")).rows[0].floor == -1


@pytest.mark.parametrize("tail", ["123", "12345", "12a4", "8 779", "+8779"])
def test_a_phone_tail_must_be_exactly_four_digits(tail: str) -> None:
    result = check(row(phone_tail=tail))

    assert problems(result) == [(2, RowProblem.BAD_PHONE_TAIL, "phone_tail")]


def test_a_phone_tail_keeps_its_leading_zero() -> None:
    assert check(row(phone_tail="0123")).rows[0].phone_tail == "0123"


def test_full_width_digits_typed_by_an_input_method_are_read_as_numbers() -> None:
    result = check(
        row(floor="１２", area_m2="９６．４", phone_tail="０１２３", birth_year="１９８５")
    )

    member = result.rows[0]
    assert (member.floor, member.area_m2, member.phone_tail, member.birth_year) == (
        12,
        Decimal("96.40"),
        "0123",
        1985,
    )


@pytest.mark.parametrize("year", ["1899", str(THIS_YEAR + 1), "85", "19850", "一九八五"])
def test_a_birth_year_must_be_four_digits_from_1900_to_this_year(year: str) -> None:
    result = check(row(birth_year=year))

    assert problems(result) == [(2, RowProblem.BAD_BIRTH_YEAR, "birth_year")]


@pytest.mark.parametrize("year", [1900, THIS_YEAR])
def test_the_first_and_last_allowed_birth_years_are_accepted(year: int) -> None:
    assert check(row(birth_year=str(year))).rows[0].birth_year == year


@pytest.mark.parametrize("group", ["owner", "OWNER", "业 主", "业主们", "tenant"])
def test_a_group_must_be_one_of_the_offices_words(group: str) -> None:
    result = check(row(group=group))

    assert result.errors == (RowError(2, RowProblem.UNKNOWN_GROUP, "group", group),)


@pytest.mark.parametrize("group", list(MemberGroup))
def test_every_group_of_the_office_is_accepted(group: MemberGroup) -> None:
    assert check(row(group=group.value)).rows[0].group is group


def test_a_duplicate_member_id_names_its_own_line_and_the_first_one() -> None:
    result = check(
        row(),
        row(member_id="M00002"),
        row(name="孙艳娜"),
        row(member_id="M00003"),
        row(name="秦娜"),
    )

    assert result.errors == (
        RowError(4, RowProblem.DUPLICATE_MEMBER_NO, "member_id", "M00001", first_line=2),
        RowError(6, RowProblem.DUPLICATE_MEMBER_NO, "member_id", "M00001", first_line=2),
    )


def test_a_member_id_is_compared_after_trimming_its_spaces() -> None:
    result = check(row(), row(member_id="\u3000M00001 "))

    assert problems(result) == [(3, RowProblem.DUPLICATE_MEMBER_NO, "member_id")]


def test_several_people_may_live_in_one_flat() -> None:
    result = check(row(), row(member_id="M00002", name="周建国", group="租户"))

    assert result.ok
    assert {(m.building, m.unit, m.room) for m in result.rows} == {("1栋", "1单元", "102")}


def test_a_name_longer_than_64_characters_is_refused() -> None:
    result = check(row(name="欧" * 65))

    assert problems(result) == [(2, RowProblem.NAME_TOO_LONG, "name")]


def test_a_name_is_measured_in_characters_not_bytes_or_utf16_units() -> None:
    name = "𠮷" * 64

    assert check(row(name=name)).rows[0].name == name


def test_stray_spaces_of_any_width_are_trimmed_from_every_cell() -> None:
    padded = {column: f"\u3000 {value}\u00a0\t" for column, value in GOOD.items()}

    result = check(row(**padded))

    assert result.ok
    assert result.rows == check(row()).rows


@pytest.mark.parametrize("name", ["欧阳明", "𠮷祥", "单丽", "司马 懿", "ＡＢ"])
def test_a_name_is_kept_exactly_as_written(name: str) -> None:
    member = check(row(name=f"\u3000{name} ")).rows[0]

    assert member.name == name
    assert member.name.encode("utf-8") == name.encode("utf-8")


def test_an_error_quotes_the_cell_without_its_stray_spaces() -> None:
    result = check(row(phone_tail="\u3000123 "))

    assert result.errors[0].value == "123"


def test_an_optional_weight_column_is_read_and_checked() -> None:
    header = [*COLUMNS, "weight"]
    good = ["M1", "王静", "1栋", "1单元", "101", "1", "80", "1234", "业主", "", "1.5"]
    bad = ["M2", "李明", "1栋", "1单元", "102", "1", "80", "1234", "业主", "", "-2"]
    check = validate_rows(header, [(2, good)], this_year=2026)
    assert check.ok and check.rows[0].weight == Decimal("1.50")
    refused = validate_rows(header, [(2, good), (3, bad)], this_year=2026)
    assert [(e.line, e.problem) for e in refused.errors] == [(3, RowProblem.BAD_WEIGHT)]
    assert validate_rows(list(COLUMNS), [(2, good[:10])], this_year=2026).rows[0].weight is None
