"""The roster from the browser: a file is checked and previewed, then imported all or nothing;
and the clerk's correction of one member (phone tail, area, group).

A file is read and checked in a worker thread (``extensions.in_a_thread``: an .xlsx of 20,000
rows takes seconds), telling its progress as it goes. The uploaded file is kept under the
instance folder until the clerk commits it (or another is checked), named by a random id: the
commit reads and checks it again, so what is imported is exactly what was previewed. Nothing
is imported while one row is wrong. A correction goes through the same row rules as the import
(``domain.roster``) and is audited; the phone tail stays out of the log's detail (as for every
member change), but the log says it was changed and by whom.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from flask import current_app
from flask_babel import force_locale

from meeting_room.attendance.members import find_member
from meeting_room.attendance.roster import import_rows
from meeting_room.attendance.roster_import import (
    describe_file_error,
    describe_row_error,
)
from meeting_room.attendance.roster_io import STEP, Progress, RosterFileError, read_roster_file
from meeting_room.clock import now
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.roster import COLUMNS, RosterRow, RowError, validate_rows
from meeting_room.domain.roster_hints import Hint, find_traps
from meeting_room.extensions import Pending, in_a_thread
from meeting_room.store import audit
from meeting_room.store.files import private_folder, write_private
from meeting_room.store.models.roster import Member
from meeting_room.store.storage import transaction

SUFFIXES = (".csv", ".xlsx")
PREVIEW_ROWS = 10


@dataclass(frozen=True)
class Bilingual:
    """A message in Chinese and in English (the clerk may read either; the office, both)."""

    zh: str
    en: str


@dataclass(frozen=True)
class UploadCheck:
    """What a checked file holds: its id (to commit it), its rows, the first few, the faults."""

    upload_id: str
    filename: str
    rows: tuple[RosterRow, ...]
    total: int
    errors: tuple[Bilingual, ...]
    hints: tuple[Hint, ...]
    file_error: Bilingual | None = None

    @property
    def ok(self) -> bool:
        """Whether the file can be imported as it is."""
        return self.file_error is None and not self.errors and bool(self.rows)


def _uploads() -> Path:
    # Names and phone tails: owner-only, like the database itself.
    return private_folder(Path(current_app.instance_path) / "roster-uploads")


def _both(render: object, *args: object) -> Bilingual:
    assert callable(render)
    with force_locale("zh_CN"):
        chinese = str(render(*args))
    with force_locale("en"):
        english = str(render(*args))
    return Bilingual(chinese, english)


def _path(upload_id: str) -> Path:
    if not upload_id.isalnum():
        raise Refusal(Problem.ROSTER_NOT_CHECKED)
    found = [p for p in (_uploads() / f"{upload_id}{s}" for s in SUFFIXES) if p.exists()]
    if not found:
        raise Refusal(Problem.ROSTER_NOT_CHECKED)
    return found[0]


@dataclass
class CheckProgress:
    """How far the check of a file has come: written by the worker thread, read by the page's
    stream (single assignments: no lock needed)."""

    stage: str = "reading"  # then "checking"
    done: int = 0
    expected: int = 0

    def tell(self, stage: str) -> Progress:
        """The callback of one stage."""

        def told(done: int, expected: int) -> None:
            self.stage, self.done, self.expected = stage, done, expected

        return told


@dataclass(frozen=True)
class _Read:
    """What reading and checking a file found, before it is put in words."""

    rows: tuple[RosterRow, ...]
    total: int
    errors: tuple[RowError, ...]
    hints: tuple[Hint, ...]


def _counted(
    rows: list[tuple[int, list[str]]], progress: Progress
) -> Iterator[tuple[int, list[str]]]:
    for done, row in enumerate(rows, start=1):
        if done % STEP == 0:
            progress(done, len(rows))
        yield row


def _read(path: Path, this_year: int, progress: CheckProgress) -> _Read | RosterFileError:
    """Read and check a file (no app context: it runs in a worker thread)."""
    try:
        table = read_roster_file(path, progress.tell("reading"))
    except RosterFileError as error:
        return error
    check = validate_rows(
        table.header, _counted(table.rows, progress.tell("checking")), this_year=this_year
    )
    hints = tuple(find_traps(table.header, table.rows, check.errors))
    total = sum(1 for _, cells in table.rows if any(cell.strip() for cell in cells))
    return _Read(check.rows, total, check.errors, hints)


@dataclass(frozen=True)
class CheckJob:
    """A file being checked in a worker thread: its id, its progress, then its findings."""

    upload_id: str
    filename: str
    progress: CheckProgress
    pending: Pending[_Read | RosterFileError]

    def done_within(self, seconds: float) -> bool:
        """Whether the check has ended (waiting at most ``seconds``)."""
        return self.pending.done_within(seconds)

    def result(self) -> UploadCheck:
        """The findings in words (needs the app: call it in the request)."""
        found = self.pending.result()
        if isinstance(found, RosterFileError):
            bilingual = _both(describe_file_error, found)
            return UploadCheck(self.upload_id, self.filename, (), 0, (), (), bilingual)
        errors = tuple(_both(describe_row_error, error) for error in found.errors)
        return UploadCheck(
            self.upload_id, self.filename, found.rows, found.total, errors, found.hints
        )


def start_check(data: bytes, filename: str) -> CheckJob:
    """Keep the file and start checking every row in a worker thread (20,000 rows take
    seconds, an .xlsx many: sign-ins and ballots on the box are served meanwhile). Earlier
    uploads not committed are dropped."""
    suffix = Path(filename).suffix.lower()
    for old in _uploads().iterdir():
        old.unlink(missing_ok=True)
    upload_id = secrets.token_hex(8)
    path = _uploads() / f"{upload_id}{suffix if suffix in SUFFIXES else '.bin'}"
    write_private(path, data)
    return _job(upload_id, path, filename)


def _job(upload_id: str, path: Path, filename: str) -> CheckJob:
    progress = CheckProgress()
    pending = in_a_thread(_read, path, now().year, progress)
    return CheckJob(upload_id, filename, progress, pending)


def commit_upload(upload_id: str, filename: str) -> int:
    """Import a checked file, all or nothing (``INVALID_INPUT`` when it is gone or now wrong)."""
    path = _path(upload_id)
    check = _job(upload_id, path, filename).result()
    if not check.ok:  # it was previewed with its faults: nothing of it is imported
        raise Refusal(Problem.ROSTER_NOT_CHECKED)
    with transaction() as session:
        count = import_rows(session, check.rows, filename[:255], now())
    path.unlink(missing_ok=True)
    return count


@dataclass(frozen=True)
class MemberCorrection:
    """What the clerk may correct on one member."""

    phone_tail: str
    area_m2: str
    group: str


def correct_member(member_id: int, wanted: MemberCorrection, clerk: str) -> list[RowError]:
    """Correct a member by the roster's own row rules; the faults when it is refused (nothing is
    changed then). The change is audited, with the fields changed and the clerk's name."""
    with transaction() as session:
        member = find_member(session, member_id)
        cells = {
            "member_id": member.member_no,
            "name": member.name,
            "building": member.building,
            "unit": member.unit,
            "room": member.room,
            "floor": str(member.floor),
            "area_m2": wanted.area_m2,
            "phone_tail": wanted.phone_tail,
            "group": wanted.group,
            "birth_year": str(member.birth_year or ""),
        }
        check = validate_rows(COLUMNS, [(1, [cells[c] for c in COLUMNS])], now().year)
        if not check.ok:
            return list(check.errors)
        (row,) = check.rows
        changed = [
            field
            for field, old, new in (
                ("phone_tail", member.phone_tail, row.phone_tail),
                ("area_m2", Decimal(member.area_m2), row.area_m2),
                ("group", member.group, row.group.value),
            )
            if old != new
        ]
        if not changed:
            return []
        member.phone_tail = row.phone_tail
        member.area_m2 = row.area_m2
        member.group = row.group.value
        session.flush()
        detail = audit.canonical({"changed": changed, "by": clerk})
        audit.append(session, [("members.correct", f"members:{member.id}", detail)])
    return []


def member_row(member: Member) -> dict[str, str]:
    """A member as the correction form shows it."""
    return {
        "phone_tail": member.phone_tail,
        "area_m2": str(member.area_m2),
        "group": member.group,
    }
