"""Backups without anyone remembering: the scheduler's rounds with the app's clock moved by
hand (no sleeps), rotation, verification of each copy, the hook after a meeting closes, and the
clerk desk's warning when the last good backup is old or the USB stick is missing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from meeting_room.domain.box import BackupReason
from meeting_room.domain.words import MeetingStatus
from meeting_room.life.service import close_meeting
from meeting_room.ops.backup_schedule import run_due_backups
from meeting_room.store.backup import BackupError, verify_copy
from meeting_room.store.backups import backup_status, save_backup_setup
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.voting import Poll
from meeting_room.voting.polls import PollDraft, create_poll, open_poll
from tests.conftest import Clock, logged_in, unit
from tests.pg import server_url

pytestmark = pytest.mark.skipif(
    server_url() is not None, reason="backs up the SQLite file (PostgreSQL's are pg_dump's)"
)

HOUR = 3600.0
DAY = 24 * HOUR


def backups_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix == ".db")


def test_the_daily_backup_runs_once_a_day_by_the_apps_clock(app: Flask, clock: Clock) -> None:
    folder = Path(app.instance_path) / "backups"
    first = run_due_backups(app)
    assert first is not None and first.ok, first
    assert first.reason is BackupReason.DAILY
    assert first.audit_entries > 0  # the roster's import, recomputed in the copy
    assert backups_in(folder) == [Path(first.path).name]
    assert folder.stat().st_mode & 0o777 == 0o700
    assert Path(first.path).stat().st_mode & 0o777 == 0o600

    clock.advance(DAY - 1)
    assert run_due_backups(app) is None  # not a day yet
    clock.advance(1)
    second = run_due_backups(app)
    assert second is not None and second.ok
    assert len(backups_in(folder)) == 2


def test_rotation_keeps_the_newest_n_and_leaves_other_files(
    app: Flask, clock: Clock, tmp_path: Path
) -> None:
    stick = tmp_path / "usb" / "yishi"
    stick.mkdir(parents=True)
    (stick / "photos.db").write_bytes(b"not ours")
    with app.app_context():
        save_backup_setup(str(stick), 2, clock.now)
    made = []
    for _ in range(4):
        run = run_due_backups(app)
        assert run is not None and run.ok
        made.append(Path(run.path).name)
        clock.advance(DAY)
    assert backups_in(stick) == sorted([*made[-2:], "photos.db"])


def test_each_backup_is_verified_and_a_damaged_copy_is_refused(app: Flask, tmp_path: Path) -> None:
    run = run_due_backups(app)
    assert run is not None and run.ok
    copy = tmp_path / "tampered.db"
    copy.write_bytes(Path(run.path).read_bytes())
    assert verify_copy(copy) == run.audit_entries
    with sqlite3.connect(copy) as db:  # an edit behind the app's back, as a forger would
        db.execute("UPDATE audit_log SET detail = '{}' WHERE seq = 1")
    with pytest.raises(BackupError, match="audit log breaks at entry 1"):
        verify_copy(copy)
    (tmp_path / "garbage.db").write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises((BackupError, sqlite3.DatabaseError)):
        verify_copy(tmp_path / "garbage.db")


def test_a_missing_usb_stick_is_a_failed_run_tried_again_an_hour_later(
    app: Flask, clock: Clock, tmp_path: Path
) -> None:
    stick = tmp_path / "media" / "usb" / "yishi"  # not plugged in: the folder is not there
    with app.app_context():
        save_backup_setup(str(stick), 5, clock.now)
    failed = run_due_backups(app)
    assert failed is not None and not failed.ok
    assert "missing" in failed.error
    assert not stick.exists()  # never made on the box's own disk
    clock.advance(HOUR - 1)
    assert run_due_backups(app) is None
    stick.mkdir(parents=True)
    clock.advance(1)
    again = run_due_backups(app)
    assert again is not None and again.ok
    assert backups_in(stick) == [Path(again.path).name]


def test_no_backup_while_a_secret_vote_is_open(app: Flask, meeting: Meeting, clock: Clock) -> None:
    with unit(app) as session:
        m = session.get(Meeting, meeting.id)
        poll = create_poll(session, m, PollDraft(question="是否同意？", secret=True), clock.now)  # type: ignore[arg-type]
        open_poll(session, m, poll, clock.now)  # type: ignore[arg-type]
    assert run_due_backups(app) is None
    with app.app_context():
        assert backup_status(clock.now).last_run is None  # nothing recorded: tried next round
    with unit(app) as session:
        session.get(Poll, poll.id).status = "closed"  # type: ignore[union-attr]
    made = run_due_backups(app)
    assert made is not None and made.ok


def test_a_meeting_closing_makes_its_backup(app: Flask, meeting: Meeting, clock: Clock) -> None:
    with app.app_context():
        close_meeting(meeting.id, by="主持人")
        status = backup_status(clock.now)
    assert status.last_good is not None
    assert status.last_good.reason is BackupReason.CLOSED
    assert status.last_good.meeting_id == meeting.id
    assert Path(status.last_good.path).name.endswith(f"-closed-{meeting.id}.db")
    with sqlite3.connect(status.last_good.path) as copy:  # the copy holds the close itself
        (state,) = copy.execute(
            "SELECT status FROM meetings WHERE id = ?", (meeting.id,)
        ).fetchone()
    assert state == MeetingStatus.CLOSED.value


def test_the_clerk_desk_warns_when_the_last_good_backup_is_old(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    clerk: FlaskClient = logged_in(app, "clerk")
    page = clerk.get(f"/clerk?meeting={meeting.id}&lang=en").get_data(as_text=True)
    assert 'data-warnings="none_yet"' in page
    assert "No backup has been made yet." in page

    run_due_backups(app)
    page = clerk.get(f"/clerk?meeting={meeting.id}").get_data(as_text=True)
    assert 'data-warnings=""' in page
    assert "Last good backup:" in page

    clock.advance(DAY + 1)  # the scheduler did not run (the box was off): the desk says so
    page = clerk.get(f"/clerk?meeting={meeting.id}").get_data(as_text=True)
    assert 'data-warnings="old"' in page
    assert "The last good backup is more than a day old." in page


def test_the_clerk_desk_warns_when_the_usb_stick_is_missing(
    app: Flask, meeting: Meeting, clock: Clock, tmp_path: Path
) -> None:
    run_due_backups(app)
    with app.app_context():
        save_backup_setup(str(tmp_path / "gone"), 5, clock.now)
    page = logged_in(app, "clerk").get(f"/clerk?meeting={meeting.id}&lang=en")
    text = page.get_data(as_text=True)
    assert 'data-warnings="folder_missing"' in text
    assert "is the USB stick plugged in?" in text
