"""The roster in the browser's routes: a file in each encoding is checked and previewed, then
imported all or nothing; the traps are named; a member is corrected, audited."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from meeting_room.attendance.roster_io import Progress, RosterFileError
from meeting_room.attendance.roster_upload import CheckProgress, _read
from meeting_room.records.verify import verify_records
from meeting_room.store.models.audit import AuditEntry
from meeting_room.store.models.roster import Member
from tests.conftest import unit
from tests.web.prepare.rosters import (
    SAMPLE_ROWS,
    as_csv,
    as_xlsx,
    sample_rows,
    with_zero_tail,
)


def check(client: FlaskClient, data: bytes, name: str) -> dict:
    answer = client.post(
        "/clerk/roster/check",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    lines = [json.loads(line) for line in answer.get_data(as_text=True).splitlines()]
    assert all("progress" in line for line in lines[:-1])
    return lines[-1]["result"]


def renamed(rows: list[list[str]], suffix: str) -> list[list[str]]:
    """The rows with every member id and name changed, so an import is seen in the database."""
    out = [rows[0]]
    for row in rows[1:]:
        out.append([row[0] + suffix, row[1] + "新", *row[2:]])
    return out


def member_count(app: Flask) -> int:
    with unit(app) as session:
        return session.scalar(select(func.count(Member.id))) or 0


@pytest.mark.parametrize(
    ("encoding", "name"),
    [("utf-8", "roster.csv"), ("utf-8-sig", "roster-bom.csv"), ("gbk", "roster-gbk.csv")],
)
def test_a_csv_in_each_office_encoding_is_previewed_then_imported(
    app: Flask, client: FlaskClient, encoding: str, name: str
) -> None:
    before = member_count(app)
    answer = check(client, as_csv(renamed(sample_rows(), "X"), encoding), name)
    assert answer["ok"] is True
    assert answer["total"] == SAMPLE_ROWS
    assert answer["errors"] == [] and answer["file_error"] is None
    assert answer["preview"][0]["member_id"] == "M00001X"
    assert answer["preview"][0]["name"] == "周珍秀新"  # decoded right in every encoding
    assert member_count(app) == before  # a check imports nothing
    done = client.post(
        "/clerk/roster/commit", json={"upload_id": answer["upload_id"], "filename": name}
    )
    assert done.status_code == 200
    assert done.get_json()["imported"] == SAMPLE_ROWS
    assert member_count(app) == before + SAMPLE_ROWS


def test_an_xlsx_workbook_is_previewed_then_imported(app: Flask, client: FlaskClient) -> None:
    before = member_count(app)
    answer = check(client, as_xlsx(renamed(sample_rows(), "W")), "roster.xlsx")
    assert answer["ok"] is True and answer["total"] == SAMPLE_ROWS
    done = client.post("/clerk/roster/commit", json={"upload_id": answer["upload_id"]})
    assert done.get_json()["imported"] == SAMPLE_ROWS
    assert member_count(app) == before + SAMPLE_ROWS
    with unit(app) as session:
        assert verify_records(session).intact  # each imported member is in the audit log


def test_a_tail_stored_as_a_number_is_named_with_its_fix_and_nothing_is_imported(
    app: Flask, client: FlaskClient
) -> None:
    rows = with_zero_tail(renamed(sample_rows(), "Z"), line=5)
    answer = check(client, as_xlsx(rows, numbers=True), "roster.xlsx")
    assert answer["ok"] is False
    (hint,) = [h for h in answer["hints"] if h["trap"] == "lost_leading_zero"]
    assert "（第 5, " in hint["zh"]  # the first of the lines, in the Chinese words
    assert "leading zero" in hint["en"] and "Text" in hint["en"]
    assert "文本" in hint["zh"]
    assert any("line 5" in e["en"] and "123" in e["en"] for e in answer["errors"])
    assert all(e["zh"] != e["en"] for e in answer["errors"])  # both languages, each line
    refused = client.post(
        "/clerk/roster/commit?lang=en",
        json={"upload_id": answer["upload_id"]},
        headers={"Accept": "application/json"},
    )
    assert refused.status_code == 409
    assert "check the file again" in refused.get_json()["error"]["message"]
    assert member_count(app) == SAMPLE_ROWS + 5  # the demo roster, untouched


def test_full_width_digits_stray_spaces_and_duplicates_are_named(client: FlaskClient) -> None:
    rows = renamed(sample_rows(), "F")
    rows[1][5] = "１"  # floor, full width, line 2
    rows[2][1] = " " + rows[2][1] + "\u3000"  # line 3
    rows[4][0] = rows[3][0]  # line 5 repeats line 4's member id
    answer = check(client, as_csv(rows), "roster.csv")
    traps = {h["trap"]: h for h in answer["hints"]}
    assert set(traps) == {"full_width_digits", "stray_spaces", "duplicate_member_id"}
    assert "2" in traps["full_width_digits"]["en"]
    assert "3" in traps["stray_spaces"]["en"]
    assert "5" in traps["duplicate_member_id"]["en"]
    assert [e["en"] for e in answer["errors"]] == [
        f"line 5: the member id {rows[3][0]} already appears on line 4"
    ]
    assert answer["ok"] is False


def test_every_bad_line_is_listed_not_just_the_first(client: FlaskClient) -> None:
    rows = renamed(sample_rows(), "B")
    for line in (10, 200, 481):
        rows[line - 1][6] = "-3"  # area
    answer = check(client, as_csv(rows), "roster.csv")
    assert [e["en"].split(":")[0] for e in answer["errors"]] == [
        "line 10",
        "line 200",
        "line 481",
    ]
    assert all(e["zh"].startswith("第") for e in answer["errors"])


def test_a_file_of_another_kind_is_refused_in_words(client: FlaskClient) -> None:
    answer = check(client, b"%PDF-1.4", "roster.pdf")
    assert answer["ok"] is False
    assert answer["file_error"]["en"] == "Only .csv and .xlsx files can be imported."
    assert answer["file_error"]["zh"] != answer["file_error"]["en"]


def test_a_commit_of_an_unknown_upload_is_refused(app: Flask, client: FlaskClient) -> None:
    refused = client.post(
        "/clerk/roster/commit",
        json={"upload_id": "../../etc"},
        headers={"Accept": "application/json"},
    )
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "roster_not_checked"


def test_a_corrected_member_is_saved_and_audited_with_the_clerks_name(
    app: Flask, client: FlaskClient
) -> None:
    with unit(app) as session:
        member = session.scalars(select(Member).where(Member.member_no == "M00002")).one()
        member_id = member.id
    answer = client.post(
        f"/clerk/roster/members/{member_id}",
        data={"phone_tail": "０４２１", "area_m2": "101.5", "group": "租户"},
    )
    assert answer.status_code == 303
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "0421" in page
    with unit(app) as session:
        member = session.get(Member, member_id)
        assert member is not None
        assert (member.phone_tail, str(member.area_m2), member.group) == ("0421", "101.50", "租户")
        entry = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.kind == "members.correct")
            .where(AuditEntry.subject == f"members:{member_id}")
        ).one()
    detail = json.loads(entry.detail)
    assert detail == {"changed": ["phone_tail", "area_m2", "group"], "by": "admin"}
    assert "0421" not in entry.detail  # the log never holds the phone digits
    with unit(app) as session:
        report = verify_records(session)
    assert report.intact, [c for c in report.checks if not c.ok]


def test_a_wrong_correction_is_refused_in_words_and_changes_nothing(
    app: Flask, client: FlaskClient
) -> None:
    with unit(app) as session:
        member = session.scalars(select(Member).where(Member.member_no == "M00003")).one()
        member_id, tail = member.id, member.phone_tail
    answer = client.post(
        f"/clerk/roster/members/{member_id}?lang=en",
        data={"phone_tail": "123", "area_m2": "abc", "group": "业主"},
    )
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert "the phone tail 123 is not 4 digits" in page
    assert "the area abc is not a positive number of square metres" in page
    with unit(app) as session:
        member = session.get(Member, member_id)
        assert member is not None and member.phone_tail == tail
        assert (
            session.scalar(
                select(func.count(AuditEntry.seq)).where(AuditEntry.kind == "members.correct")
            )
            == 0
        )


def test_the_roster_page_finds_a_member(client: FlaskClient) -> None:
    page = client.get("/clerk/roster?q=周珍秀").get_data(as_text=True)
    assert "M00001" in page and "/clerk/roster/members/" in page


class Recording(CheckProgress):
    """A progress that keeps every report."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, int, int]] = []

    def tell(self, stage: str) -> Progress:
        def told(done: int, expected: int) -> None:
            self.seen.append((stage, done, expected))

        return told


def test_the_check_tells_its_progress_stage_by_stage(tmp_path: Path) -> None:
    rows = sample_rows()
    path = tmp_path / "roster.csv"
    path.write_bytes(as_csv(rows + [[f"{r[0]}-{n}", *r[1:]] for n in (1, 2) for r in rows[1:]]))
    progress = Recording()
    found = _read(path, 2026, progress)
    assert not isinstance(found, RosterFileError)
    assert found.total == 3 * SAMPLE_ROWS and not found.errors
    assert [(stage, done) for stage, done, _ in progress.seen] == [
        ("reading", 500),
        ("reading", 1000),
        ("checking", 500),
        ("checking", 1000),
    ]
    assert {expected for stage, _, expected in progress.seen if stage == "checking"} == {1440}


def test_an_uploaded_roster_waits_in_an_owner_only_file(app: Flask, client: FlaskClient) -> None:
    check(client, as_csv(sample_rows()), "roster.csv")
    folder = Path(app.instance_path) / "roster-uploads"
    (kept,) = list(folder.iterdir())
    assert folder.stat().st_mode & 0o777 == 0o700
    assert kept.stat().st_mode & 0o777 == 0o600
