"""Exports as CSV and Excel: secrecy respected, formulas neutralised, staff only."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from openpyxl import load_workbook

from tests.conftest import logged_in
from tests.web.scripted import COMMITTEE, Held, add_decision_with_action


@pytest.fixture
def staff(app: Flask) -> FlaskClient:
    """The clerk's browser, logged in."""
    return logged_in(app, "clerk")


def rows_of(body: bytes) -> list[list[str]]:
    assert body.startswith("\ufeff".encode()), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_a_secret_votes_export_has_receipts_and_choices_but_no_names(
    staff: FlaskClient, held: Held
) -> None:
    response = staff.get(f"/clerk/meetings/{held.meeting_id}/export/ballots.csv?lang=en")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    header, *rows = rows_of(response.data)
    assert header == ["Vote", "Question", "Voting", "Member no.", "Name", "Receipt code", "Choice"]
    secret = [r for r in rows if r[1] == "是否同意7栋加装电梯？"]
    named = [r for r in rows if r[1] == "是否同意地面停车位重新划线？"]
    assert len(secret) == 10 and len(named) == 4
    assert {r[5] for r in secret} == set(held.receipts.values())
    assert all(r[3] == "" and r[4] == "" for r in secret)
    everything_secret = "".join("".join(r) for r in secret)
    assert not any(name in everything_secret for name, _ in COMMITTEE)
    assert sorted(r[6] for r in secret) == ["Against"] + ["For"] * 9
    assert {(r[4], r[6]) for r in named} == {
        ("郑建德", "For"),
        ("付梅淑", "For"),
        ("邱秀敏", "Against"),
        ("高伟刚", "Abstain"),
    }


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(
    staff: FlaskClient, held: Held
) -> None:
    decision_id, _ = add_decision_with_action(staff, held)
    staff.post(
        f"/api/v1/decisions/{decision_id}/actions",
        json={
            "title": '=HYPERLINK("http://evil.example","点我")',
            "responsible": "+物业",
            "deadline": "2027-01-31",
        },
    )
    _, *rows = rows_of(staff.get(f"/clerk/meetings/{held.meeting_id}/export/actions.csv").data)
    evil = next(r for r in rows if "HYPERLINK" in r[1])
    assert evil[1].startswith("'=") and evil[2] == "'+物业"

    book = load_workbook(
        io.BytesIO(staff.get(f"/clerk/meetings/{held.meeting_id}/export/actions.xlsx").data)
    )
    sheet = book.active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows() for c in row if "HYPERLINK" in str(c.value)]
    assert cells and cells[0].data_type == "s" and str(cells[0].value).startswith("'=")


def test_attendance_and_speeches_export_to_excel_with_numbers_as_numbers(
    staff: FlaskClient, held: Held
) -> None:
    attendance = load_workbook(
        io.BytesIO(staff.get(f"/clerk/meetings/{held.meeting_id}/export/attendance.xlsx").data)
    ).active
    assert attendance is not None
    names = [row[1] for row in attendance.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(name for name, _ in COMMITTEE)
    speeches = load_workbook(
        io.BytesIO(staff.get(f"/clerk/meetings/{held.meeting_id}/export/speeches.xlsx").data)
    ).active
    assert speeches is not None
    lines = list(speeches.iter_rows(min_row=2, values_only=True))
    assert [(row[3], row[7]) for row in lines[:3]] == [("廖春勇", 75), ("莫明", 120), ("尹英", 42)]


def test_exports_are_for_staff_only_and_unknown_kinds_are_not_found(
    client: FlaskClient, staff: FlaskClient, held: Held, app: Flask
) -> None:
    stranger = app.test_client()  # no account, no paired device
    url = f"/clerk/meetings/{held.meeting_id}/export/ballots.csv"
    assert stranger.get(url).headers["Location"] == f"/login?next={url}"
    assert logged_in(app, "moderator").get(url).status_code == 403
    assert staff.get(f"/clerk/meetings/{held.meeting_id}/export/votes.csv").status_code == 404
    assert staff.get(f"/clerk/meetings/{held.meeting_id}/export/ballots.pdf").status_code == 404


def test_yishi_export_writes_the_file(runner: FlaskCliRunner, held: Held, tmp_path: Path) -> None:
    target = tmp_path / "ballots.csv"
    result = runner.invoke(
        args=[
            "export",
            str(held.meeting_id),
            "--what",
            "ballots",
            "--lang",
            "en",
            "-o",
            str(target),
        ]
    )
    assert result.exit_code == 0, result.output
    header, *rows = rows_of(target.read_bytes())
    assert header[-1] == "Choice" and len(rows) == 14
