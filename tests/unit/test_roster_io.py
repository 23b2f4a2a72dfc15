"""Reading roster files: encodings, spreadsheets, line numbers, and the shipped demo roster."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from importlib import resources
from pathlib import Path

import openpyxl
import pytest

from meeting_room.attendance import roster_io
from meeting_room.attendance.roster_io import (
    RawTable,
    RosterFileError,
    RosterFileProblem,
    read_roster_file,
)
from meeting_room.domain.roster import RowError, RowProblem, validate_rows
from tests.security.bombs import xlsx_roster

THIS_YEAR = 2025
HEADER = "member_id,name,building,unit,room,floor,area_m2,phone_tail,group,birth_year"
LINES = [
    HEADER,
    "M00001,周珍秀,1栋,1单元,102,1,143.90,8779,物业,1947",
    "M00481,欧阳明,3栋,1单元,101,1,96.40,3721,业主,1962",
    "M00484,单丽,8栋,2单元,201,2,118.70,0427,租户,",
]
EXPECTED = RawTable(
    header=HEADER.split(","),
    rows=[(number, line.split(",")) for number, line in enumerate(LINES[1:], start=2)],
)


def write(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_a_csv_reads_the_same_in_every_encoding_the_office_may_save(
    tmp_path: Path, encoding: str
) -> None:
    path = write(tmp_path / "roster.csv", LINES, encoding)

    assert read_roster_file(path) == EXPECTED


def test_the_byte_order_mark_does_not_stick_to_the_first_column_name(tmp_path: Path) -> None:
    path = write(tmp_path / "roster.csv", LINES, "utf-8-sig")

    assert read_roster_file(path).header[0] == "member_id"


def test_a_gb18030_csv_keeps_a_character_outside_gbk(tmp_path: Path) -> None:
    lines = [*LINES, "M00482,𠮷祥,5栋,2单元,201,2,89.00,0427,业主,1979"]
    path = write(tmp_path / "roster.csv", lines, "gb18030")

    assert read_roster_file(path).rows[-1][1][1] == "𠮷祥"


def test_a_csv_in_no_known_encoding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(HEADER.encode() + b"\r\nM00001,\xff\xfe\xff\r\n")

    with pytest.raises(RosterFileError) as caught:
        read_roster_file(path)

    assert caught.value.code is RosterFileProblem.UNDECODABLE


@pytest.mark.parametrize(
    "content", [b"", b"\r\n\r\n", b"\xef\xbb\xbf", (HEADER + "\r\n").encode(), b"a,b\r\n,\r\n"]
)
def test_a_csv_without_any_member_row_is_empty(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(content)

    with pytest.raises(RosterFileError) as caught:
        read_roster_file(path)

    assert caught.value.code is RosterFileProblem.EMPTY


@pytest.mark.parametrize("name", ["roster.xls", "roster.txt", "roster", "roster.csv.bak"])
def test_a_file_of_another_type_is_refused(tmp_path: Path, name: str) -> None:
    path = write(tmp_path / name, LINES)

    with pytest.raises(RosterFileError) as caught:
        read_roster_file(path)

    assert caught.value.code is RosterFileProblem.UNSUPPORTED_TYPE


def test_the_extension_is_recognised_in_capitals(tmp_path: Path) -> None:
    assert read_roster_file(write(tmp_path / "ROSTER.CSV", LINES)) == EXPECTED


def test_a_csv_row_keeps_its_file_line_number_after_a_blank_line(tmp_path: Path) -> None:
    path = write(tmp_path / "roster.csv", [LINES[0], LINES[1], "", LINES[2].replace("101", "")])

    table = read_roster_file(path)
    result = validate_rows(table.header, table.rows, THIS_YEAR)

    assert [number for number, _ in table.rows] == [2, 3, 4]
    assert result.errors == (RowError(4, RowProblem.MISSING_VALUE, "room", ""),)


def test_a_record_after_a_quoted_cell_spanning_lines_starts_on_its_own_line(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path / "roster.csv", [f"{HEADER},备注", f'{LINES[1]},"楼长\r\n推荐"', LINES[2]]
    )

    table = read_roster_file(path)

    assert [number for number, _ in table.rows] == [2, 4]
    assert table.rows[0][1][-1] == "楼长\r\n推荐"


def write_xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for number, cells in enumerate(rows, start=1):
        for column, value in enumerate(cells, start=1):
            sheet.cell(row=number, column=column, value=value)
    book.save(path)
    return path


def test_numbers_in_a_spreadsheet_read_as_a_person_sees_them(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "roster.xlsx",
        [
            HEADER.split(","),
            ["M00001", "周珍秀", "1栋", "1单元", 102, 1, 143.9, 8779, "物业", 1947],
            ["M00002", "孙艳娜", "1栋", "1单元", "202", 2.0, 80.0, "0123", "业主", None],
        ],
    )

    table = read_roster_file(path)

    assert table.rows == [
        (2, ["M00001", "周珍秀", "1栋", "1单元", "102", "1", "143.9", "8779", "物业", "1947"]),
        (3, ["M00002", "孙艳娜", "1栋", "1单元", "202", "2", "80", "0123", "业主", ""]),
    ]
    result = validate_rows(table.header, table.rows, THIS_YEAR)
    assert [member.area_m2 for member in result.rows] == [Decimal("143.90"), Decimal("80.00")]


def test_a_phone_tail_stored_as_a_number_loses_its_zero_and_is_reported(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "roster.xlsx",
        [HEADER.split(","), ["M00001", "周珍秀", "1栋", "1单元", "102", 1, 143.9, 123, "物业"]],
    )

    table = read_roster_file(path)
    result = validate_rows(table.header, table.rows, THIS_YEAR)

    assert result.errors == (RowError(2, RowProblem.BAD_PHONE_TAIL, "phone_tail", "123"),)


def test_a_spreadsheet_row_keeps_the_sheets_row_number_across_empty_rows(tmp_path: Path) -> None:
    row = ["M00001", "𠮷祥", "5栋", "2单元", "201", 2, 89, "0427", "业主", 1979]
    path = write_xlsx(tmp_path / "roster.xlsx", [HEADER.split(","), [], [], row])

    table = read_roster_file(path)

    assert table.rows[-1] == (
        4,
        ["M00001", "𠮷祥", "5栋", "2单元", "201", "2", "89", "0427", "业主", "1979"],
    )


def test_a_broken_spreadsheet_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    path.write_bytes("\r\n".join(LINES).encode())

    with pytest.raises(RosterFileError) as caught:
        read_roster_file(path)

    assert caught.value.code is RosterFileProblem.UNREADABLE


@pytest.fixture
def demo_roster() -> Iterator[Path]:
    with resources.as_file(resources.files("meeting_room.ops.demo") / "roster-demo.csv") as path:
        yield path


def test_the_shipped_demo_roster_validates_without_a_single_error(demo_roster: Path) -> None:
    table = read_roster_file(demo_roster)

    result = validate_rows(table.header, table.rows, THIS_YEAR)

    assert result.errors == ()
    assert len(result.rows) == 485


def test_the_demo_roster_holds_the_hard_names(demo_roster: Path) -> None:
    table = read_roster_file(demo_roster)
    members = validate_rows(table.header, table.rows, THIS_YEAR).rows
    by_no = {member.member_no: member for member in members}

    assert by_no["M00481"].name == "欧阳明"
    assert by_no["M00482"].name == "𠮷祥"
    assert by_no["M00484"].name == "单丽"
    wang_jing = [member for member in members if member.name == "王静"]
    assert len(wang_jing) == 2
    assert len({member.building for member in wang_jing}) == 2


def refused(path: Path) -> RosterFileProblem:
    with pytest.raises(RosterFileError) as caught:
        read_roster_file(path)
    return caught.value.code


def test_a_roster_of_the_largest_size_is_read_and_one_row_more_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(roster_io, "MAX_ROWS", 50)
    at_limit = write(tmp_path / "fifty.csv", [HEADER, *[LINES[1]] * 50])
    assert len(read_roster_file(at_limit).rows) == 50
    assert len(read_roster_file(xlsx_roster(tmp_path / "fifty.xlsx", 50)).rows) == 50

    assert refused(write(tmp_path / "more.csv", [HEADER, *[LINES[1]] * 51])) == (
        RosterFileProblem.TOO_MANY_ROWS
    )
    assert refused(xlsx_roster(tmp_path / "more.xlsx", 51)) == RosterFileProblem.TOO_MANY_ROWS


def test_a_sheet_is_refused_by_its_declared_size_and_by_its_rows_when_the_declaration_lies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(roster_io, "MAX_ROWS", 50)
    declared_big = xlsx_roster(tmp_path / "declared.xlsx", rows=3, declared=300_000)
    assert refused(declared_big) == RosterFileProblem.TOO_MANY_ROWS
    lying_small = xlsx_roster(tmp_path / "lying.xlsx", rows=400, declared=3)
    assert refused(lying_small) == RosterFileProblem.TOO_MANY_ROWS


def test_files_larger_than_a_roster_can_be_are_refused_before_they_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(roster_io, "MAX_CSV_BYTES", 10_000)
    monkeypatch.setattr(roster_io, "MAX_UNPACKED_BYTES", 100_000)
    big_csv = write(tmp_path / "big.csv", [HEADER, *[LINES[1]] * 200])
    assert big_csv.stat().st_size > 10_000
    assert refused(big_csv) == RosterFileProblem.TOO_BIG
    bomb = xlsx_roster(tmp_path / "bomb.xlsx", rows=2_000)
    assert bomb.stat().st_size < 100_000  # small on the disk, over the limit once unpacked
    assert refused(bomb) == RosterFileProblem.TOO_BIG
