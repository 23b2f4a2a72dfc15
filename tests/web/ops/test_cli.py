"""The ``yishi`` commands, run through Flask's CLI runner on the test app's database."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.storage import Storage
from tests.conftest import Clock

HEADER = [
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
]
GOOD = [
    ["N00001", " 欧阳娜娜 ", "13栋", "1单元", "101", "1", "88.50", "0123", "业主", "1950"],
    ["N00002", "𠮷祥云", "13栋", "1单元", "102", "1", "66.00", "4567", "租户", ""],
]


def members(app: Flask) -> int:
    storage: Storage = app.extensions["yishi.storage"]
    with storage.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(Member)) or 0)


def write_csv(path: Path, rows: list[list[str]], encoding: str) -> Path:
    with path.open("w", encoding=encoding, newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def test_a_good_gbk_roster_is_imported_with_names_trimmed_and_kept_intact(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    before = members(app)
    rows = [GOOD[0], ["N00003", "司马光明", "13栋", "2单元", "301", "3", "120", "8888", "业主", ""]]
    result = runner.invoke(args=["import-roster", str(write_csv(tmp_path / "r.csv", rows, "gbk"))])
    assert result.exit_code == 0, result.output
    assert members(app) == before + 2
    with app.extensions["yishi.storage"].transaction() as session:
        names = set(session.scalars(select(Member.name).where(Member.member_no.like("N%"))))
    assert names == {"欧阳娜娜", "司马光明"}


def test_a_utf8_bom_roster_keeps_characters_outside_the_basic_plane(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "r.csv", GOOD, "utf-8-sig")
    assert runner.invoke(args=["import-roster", str(path)]).exit_code == 0
    with app.extensions["yishi.storage"].transaction() as session:
        assert session.scalar(select(Member.name).where(Member.member_no == "N00002")) == "𠮷祥云"


def test_one_bad_row_imports_nothing_and_every_problem_is_reported_by_line_in_both_languages(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    before = members(app)
    rows = [
        GOOD[0],
        ["N00004", "", "13栋", "1单元", "103", "1", "70", "1111", "业主", ""],
        ["N00005", "钱多多", "13栋", "1单元", "104", "1", "-3", "2222", "业主", ""],
        ["N00001", "重复", "13栋", "1单元", "105", "1", "70", "3333", "外星人", ""],
    ]
    result = runner.invoke(
        args=["import-roster", str(write_csv(tmp_path / "bad.csv", rows, "utf-8"))]
    )
    assert result.exit_code == 1
    assert members(app) == before
    output = result.output
    assert "第 3 行" in output and "line 3" in output
    assert "line 4" in output and "line 5" in output
    assert "外星人" in output
    assert "未导入" in output or "没有导入" in output


def test_an_excel_roster_with_numeric_cells_is_imported(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(["N00010", "欧阳修", "14栋", "1单元", 201, 2, 95.5, "0099", "业主", 1948])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    result = runner.invoke(args=["import-roster", str(path)])
    assert result.exit_code == 0, result.output
    with app.extensions["yishi.storage"].transaction() as session:
        member = session.scalars(select(Member).where(Member.member_no == "N00010")).one()
        assert (member.room, str(member.area_m2), member.phone_tail) == ("201", "95.50", "0099")


def test_a_file_of_another_kind_is_refused_clearly(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "roster.txt"
    path.write_text("hello")
    result = runner.invoke(args=["import-roster", str(path)])
    assert result.exit_code == 2
    assert ".csv" in result.output and "Traceback" not in result.output


def in_the_hall(clock: Clock, days: int) -> str:
    """19:00 in the hall ``days`` after the app clock's today, as the command takes it."""
    day = clock.now.astimezone(ZoneInfo("Asia/Shanghai")) + timedelta(days=days)
    return day.strftime("%Y-%m-%dT19:00")


def test_create_meeting_records_its_quorum_rule_and_refuses_a_bad_one(
    app: Flask, runner: FlaskCliRunner, clock: Clock
) -> None:
    result = runner.invoke(
        args=[
            "create-meeting",
            "--title",
            "停车位议事会",
            "--starts-at",
            in_the_hall(clock, 16),
            "--venue",
            "社区议事厅",
            "--eligible",
            "业主",
            "--quorum-headcount",
            "2/3",
            "--quorum-area",
            "2/3",
        ]
    )
    assert result.exit_code == 0, result.output
    # An owners' assembly: 15 days (物业管理条例 art. 14), more than the hall's 7; 16 are given.
    assert "Short notice" not in result.output
    with app.extensions["yishi.storage"].transaction() as session:
        meeting = session.scalars(select(Meeting).where(Meeting.title == "停车位议事会")).one()
        assert (meeting.quorum_headcount, meeting.quorum_area) == ("2/3", "2/3")
        assert meeting.starts_at.hour == 11  # 19:00 in Shanghai is 11:00 UTC
    bad = runner.invoke(
        args=[
            "create-meeting",
            "--title",
            "x",
            "--starts-at",
            in_the_hall(clock, 10),
            "--venue",
            "y",
            "--quorum-headcount",
            "3/2",
        ]
    )
    assert bad.exit_code == 2
    assert "3/2" in bad.output


def test_demo_adds_its_meeting_once(app: Flask, runner: FlaskCliRunner) -> None:
    first = runner.invoke(args=["demo"])
    second = runner.invoke(args=["demo"])
    assert first.exit_code == 0 and "demo meeting" in first.output
    assert "demo meeting" not in second.output


def test_a_meeting_inside_the_notice_period_is_created_with_a_warning(
    runner: FlaskCliRunner, clock: Clock
) -> None:
    result = runner.invoke(
        args=[
            "create-meeting",
            "--title",
            "临时会议",
            "--starts-at",
            in_the_hall(clock, 2),
            "--venue",
            "社区议事厅",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "公示" in result.output and "Short notice" in result.output
