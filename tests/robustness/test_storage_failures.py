"""A full disk or a read-only database: every call that writes answers a clear refusal in the
page's language (HTTP and Socket.IO acks), keeps nothing half-written and loses nothing it
acknowledged; the clerk desk shows a banner until writes work again; ``yishi run`` refuses to
start on a database it cannot write."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from meeting_room.app import create_app
from meeting_room.attendance.members import sign_in
from meeting_room.domain.problems import Problem
from meeting_room.domain.words import SignInChannel
from meeting_room.extensions import socketio
from meeting_room.meetings.meetings import MeetingDraft, create_meeting, eligible_members
from meeting_room.store.audit import verify_log
from meeting_room.store.models.meetings import Attendance, Guest, Meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.models.voting import Participation
from meeting_room.store.storage import (
    StorageFailure,
    storage_problem,
    transaction,
    unwritable_reason,
)
from meeting_room.voting.polls import PollDraft, create_poll, open_poll
from tests.conftest import Clock
from tests.robustness.harness import ROOT
from tests.robustness.storage_faults import full_disk, read_only

# Loads or measures the machine: run apart, after the parallel tests (Makefile).
pytestmark = pytest.mark.alone

FULL_ZH = "存储空间已满，刚才的操作没有保存"
READ_ONLY_ZH = "数据库处于只读状态，刚才的操作没有保存"


def members_of(app: Flask, meeting: Meeting) -> list[Member]:
    with app.app_context(), transaction() as s:
        return eligible_members(s, s.get(Meeting, meeting.id))  # type: ignore[arg-type]


def signed_in(app: Flask, meeting: Meeting) -> set[int]:
    with app.app_context(), transaction() as s:
        rows = s.scalars(select(Attendance.member_id).where(Attendance.meeting_id == meeting.id))
        return set(rows)


def plain(answer: dict[str, Any]) -> None:
    """A refusal in words: no trace, no SQL, no file path."""
    message = answer["error"]["message"]
    for leak in ("Traceback", "sqlite", "INSERT", "UPDATE", ".db", "OperationalError"):
        assert leak not in message


def test_a_full_disk_refuses_sign_ins_in_words_and_keeps_every_acknowledged_one(
    app: Flask, client: FlaskClient, meeting: Meeting
) -> None:
    members = members_of(app, meeting)
    fault = full_disk(app, headroom_pages=4)
    accepted: list[int] = []
    refused = None
    for member in members[:300]:
        response = client.post(
            f"/api/v1/meetings/{meeting.id}/sign-in", json={"member_id": member.id}
        )
        if response.status_code != 200:
            refused = (member, response)
            break
        accepted.append(member.id)
    assert refused is not None, "the disk never filled up"
    member, response = refused
    assert accepted, "the headroom took no sign-in at all"
    assert response.status_code == 507
    answer = response.get_json()
    assert answer["error"]["code"] == "storage_full"
    assert FULL_ZH in answer["error"]["message"]
    plain(answer)
    english = client.post(
        f"/api/v1/meetings/{meeting.id}/sign-in?lang=en", json={"member_id": member.id}
    ).get_json()
    assert english["error"]["message"].startswith("The storage is full")

    # Reads still work; what was acknowledged is there, the refused one left nothing behind.
    assert signed_in(app, meeting) == set(accepted)
    snapshot = client.get(f"/api/v1/meetings/{meeting.id}").get_json()["attendance"]
    assert snapshot["in_person"] == len(accepted)
    with app.app_context(), transaction() as s:
        assert verify_log(s) is None

    fault.lift()  # space freed: the same sign-in now works
    again = client.post(f"/api/v1/meetings/{meeting.id}/sign-in", json={"member_id": member.id})
    assert again.status_code == 200, again.get_json()
    assert signed_in(app, meeting) == {*accepted, member.id}


def test_a_read_only_database_refuses_the_kiosk_the_clerk_and_a_phone_ballot_in_words(
    app: Flask, client: FlaskClient, meeting: Meeting, clock: Clock
) -> None:
    voter, walker = members_of(app, meeting)[:2]
    with app.app_context(), transaction() as s:
        here = s.get(Meeting, meeting.id)
        assert here is not None
        token = sign_in(s, here, voter.id, SignInChannel.CLERK, clock.now).token
        poll = create_poll(s, here, PollDraft(question="是否同意加装电梯？"), clock.now)
        open_poll(s, here, poll, clock.now)
        poll_id = poll.id
    phone = socketio.test_client(app, namespace="/phone")
    joined = phone.emit("join", {"token": token}, namespace="/phone", callback=True)
    assert joined["poll"]["status"] == "open"
    fault = read_only(app)

    kiosk = client.post(
        "/kiosk/api/sign-in",
        json={"meeting_id": meeting.id, "member_id": walker.id, "phone_tail": walker.phone_tail},
    )
    assert kiosk.status_code == 503
    assert kiosk.get_json()["error"]["code"] == "storage_read_only"
    assert READ_ONLY_ZH in kiosk.get_json()["error"]["message"]
    plain(kiosk.get_json())
    guest = client.post(
        f"/api/v1/meetings/{meeting.id}/guests?lang=en", json={"name": "李访客", "note": ""}
    )
    assert guest.status_code == 503
    assert guest.get_json()["error"]["message"].startswith("The database is read-only")
    ballot = {"token": token, "poll_id": poll_id, "choices": ["for"], "client_id": "ro-ballot-1"}
    ack = phone.emit("ballot.cast", ballot, namespace="/phone", callback=True)
    assert ack["error"]["code"] == "storage_read_only"
    assert READ_ONLY_ZH in ack["error"]["message"]
    plain(ack)

    with app.app_context(), transaction() as s:  # nothing of the refused calls was kept
        assert s.scalar(select(func.count()).select_from(Guest)) == 0
        assert s.scalar(select(func.count()).select_from(Participation)) == 0
    assert signed_in(app, meeting) == {voter.id}

    fault.lift()  # the same ballot, resent with its id, now counts once
    counted = phone.emit("ballot.cast", ballot, namespace="/phone", callback=True)
    assert counted["ok"] is True and counted["repeated"] is False
    again = phone.emit("ballot.cast", ballot, namespace="/phone", callback=True)
    assert again["repeated"] is True and again["receipt"] == counted["receipt"]


def banner(client: FlaskClient, meeting: Meeting, lang: str = "zh_CN") -> str:
    """The clerk desk's storage banner as served (its opening tag and text)."""
    html = client.get(f"/clerk?meeting={meeting.id}&lang={lang}").get_data(as_text=True)
    start = html.index('<div id="storage-alarm"')
    return html[start : html.index("</div>", start)]


def test_the_clerk_desk_shows_a_storage_banner_until_a_write_works_again(
    app: Flask, client: FlaskClient, meeting: Meeting
) -> None:
    desk = socketio.test_client(app, namespace="/clerk", flask_test_client=client)
    desk.emit("join", {"meeting_id": meeting.id}, namespace="/clerk", callback=True)
    desk.get_received("/clerk")
    quiet = banner(client, meeting)
    assert 'role="alert"' in quiet and " hidden" in quiet
    someone = members_of(app, meeting)[0]

    fault = read_only(app)
    refused = client.post(f"/api/v1/meetings/{meeting.id}/sign-in", json={"member_id": someone.id})
    assert refused.status_code == 503
    alarms = [e for e in desk.get_received("/clerk") if e["name"] == "storage.alarm"]
    assert [a["args"][0]["code"] for a in alarms] == ["storage_read_only"]
    shown = banner(client, meeting)  # a desk opened now shows it too
    assert " hidden" not in shown and 'role="alert"' in shown
    assert "数据库处于只读状态" in shown
    assert "read-only" in banner(client, meeting, "en")

    fault.lift()
    done = client.post(f"/api/v1/meetings/{meeting.id}/sign-in", json={"member_id": someone.id})
    assert done.status_code == 200
    assert [e["name"] for e in desk.get_received("/clerk")].count("storage.ok") == 1
    assert " hidden" in banner(client, meeting)


def test_the_clerk_desk_script_raises_and_clears_the_banner() -> None:
    scripts = ROOT / "static" / "js"
    script = (scripts / "clerk.js").read_text() + (scripts / "clerk-desk.js").read_text()
    assert '"storage.alarm": function (alarm) { storageAlarm(alarm.code); }' in script
    assert '"storage.ok": function () { storageAlarm(null); }' in script
    assert 'String(error.code).indexOf("storage_") === 0' in script


def test_yishi_run_refuses_to_start_on_a_database_it_cannot_write(tmp_path: Path) -> None:
    database = tmp_path / "yishi.db"
    assert unwritable_reason(f"sqlite:///{database}") is None  # creates it, leaves no table
    assert unwritable_reason(f"sqlite:///{tmp_path / 'gone' / 'yishi.db'}") == (
        f"the folder {tmp_path / 'gone'} does not exist"
    )
    read_only_url = f"sqlite:///file:{database}?mode=ro&uri=true"
    assert unwritable_reason(read_only_url) == "the database is read-only"
    env = {
        **os.environ,
        "YISHI_INSTANCE": str(tmp_path),
        "YISHI_DATABASE_URL": read_only_url,
        "YISHI_TTS": "fake",
    }
    started = subprocess.run(
        [sys.executable, "-m", "meeting_room.ops.cli", "run", "--host", "127.0.0.1", "--port", "9"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode == 2, started.stderr[-2000:]
    assert "议事系统没有启动：数据库无法写入（the database is read-only）" in started.stderr
    assert "Yishi did not start: the database is read-only" in started.stderr
    assert "Traceback" not in started.stderr


def tmpfs(where: Path, size: str) -> bool:
    """Mount a small tmpfs (needs root and a kernel that lets this container mount)."""
    if os.geteuid() != 0:
        return False
    where.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True
    )
    return done.returncode == 0


def test_a_really_full_filesystem_is_reported_as_a_full_disk(
    tmp_path: Path, roster_db: Path, clock: Clock
) -> None:
    disk = tmp_path / "disk"
    if not tmpfs(disk, "3m"):
        pytest.skip("mounting a tmpfs needs root")
    try:
        shutil.copy(roster_db, disk / "yishi.db")
        app = create_app(
            {
                "TESTING": True,
                "INSTANCE_PATH": str(tmp_path),
                "DATABASE_URL": f"sqlite:///{disk / 'yishi.db'}",
                "SOCKETIO_ASYNC_MODE": "threading",
                "BROADCAST_DELAY": 0,
                "TTS": "fake",
                "CLOCK": clock,
            }
        )
        with app.app_context(), transaction() as s:
            meeting = create_meeting(
                s, MeetingDraft(title="满盘测试", starts_at=clock.now, venue="议事厅"), clock.now
            )
            meeting_id = meeting.id
            members = [m.id for m in eligible_members(s, meeting)]
        (disk / "filler").write_bytes(b"")
        # Unbuffered: a partly written block must not wait in a buffer to fail again at close.
        with (disk / "filler").open("ab", buffering=0) as filler:  # fill what is left
            try:
                while True:
                    filler.write(b"\0" * 65536)
                    filler.flush()
            except OSError:
                pass
        codes = []
        with app.app_context():
            for member_id in members:
                try:
                    with transaction() as s:
                        here = s.get(Meeting, meeting_id)
                        assert here is not None
                        sign_in(s, here, member_id, SignInChannel.CLERK, clock.now)
                except StorageFailure as failure:
                    codes.append(failure.problem.value)
                    break
        assert codes == ["storage_full"]
        app.extensions["yishi.storage"].engine.dispose()
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


class DriverError(Exception):
    """A driver's error as SQLAlchemy wraps it: SQLite names its code, PostgreSQL its SQLSTATE."""

    def __init__(self, sqlite_errorname: str = "", pgcode: str | None = None) -> None:
        super().__init__("driver error")
        self.sqlite_errorname = sqlite_errorname
        self.pgcode = pgcode


def test_driver_errors_are_told_apart_as_storage_problems_or_not() -> None:
    assert storage_problem(DriverError("SQLITE_FULL")) is Problem.STORAGE_FULL
    assert storage_problem(DriverError("SQLITE_READONLY_DIRECTORY")) is Problem.STORAGE_READ_ONLY
    assert storage_problem(DriverError("SQLITE_IOERR_WRITE")) is Problem.STORAGE_FAILED
    assert storage_problem(DriverError(pgcode="53100")) is Problem.STORAGE_FULL
    assert storage_problem(DriverError(pgcode="25006")) is Problem.STORAGE_READ_ONLY
    for other in (DriverError("SQLITE_BUSY"), DriverError("SQLITE_CONSTRAINT_UNIQUE")):
        assert storage_problem(other) is None  # a lock or a constraint is not the disk
    assert storage_problem(DriverError(pgcode="23505")) is None
