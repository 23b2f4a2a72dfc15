"""Backups taken while ballots are being written restore to a consistent database."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from meeting_room.attendance import members
from meeting_room.domain.words import BallotChannel, MemberGroup, SignInChannel
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.models.voting import Poll
from meeting_room.voting.ballots import Vote, cast_ballot
from meeting_room.voting.polls import PollDraft, create_poll, open_poll
from tests.conftest import Clock


def test_a_backup_during_a_burst_of_ballots_restores_consistently(
    app: Flask, meeting: Meeting, clock: Clock, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    storage = app.extensions["yishi.storage"]
    with app.app_context(), storage.transaction() as s:
        m = s.get(Meeting, meeting.id)
        voters = list(
            s.scalars(select(Member.id).where(Member.group == MemberGroup.OWNER).limit(120))
        )
        for member_id in voters:
            members.sign_in(s, m, member_id, SignInChannel.CLERK, clock.now)  # type: ignore[arg-type]
        # A named poll: a secret one refuses backups while it is open (tests/security).
        draft = PollDraft(question="是否同意？", secret=False)
        poll = create_poll(s, m, draft, clock.now)  # type: ignore[arg-type]
        open_poll(s, m, poll, clock.now)  # type: ignore[arg-type]
        poll_id = poll.id

    def burst() -> None:
        for member_id in voters:
            with app.app_context(), storage.transaction() as s:
                cast_ballot(
                    s,
                    s.get(Poll, poll_id),
                    Vote(
                        member_id,
                        ("for",),  # type: ignore[arg-type]
                        BallotChannel.PHONE,
                    ),
                    "k",
                    clock.now,
                )

    writer = threading.Thread(target=burst)
    writer.start()
    copies = []
    while writer.is_alive() and len(copies) < 5:
        target = tmp_path / f"copy-{len(copies)}.db"
        result = runner.invoke(args=["backup", str(target)])
        assert result.exit_code == 0, result.output
        copies.append(target)
    writer.join()
    assert copies
    for copy in copies:
        db = sqlite3.connect(copy)
        voted = db.execute("SELECT count(*) FROM poll_participation").fetchone()[0]
        ballots = db.execute("SELECT count(*) FROM ballots").fetchone()[0]
        counted = db.execute("SELECT headcount FROM poll_tallies WHERE option = 'for'").fetchone()[
            0
        ]
        logged = db.execute(
            "SELECT count(*) FROM audit_log WHERE kind = 'poll_participation.insert'"
        ).fetchone()[0]
        assert voted == ballots == counted == logged
        head = db.execute("SELECT seq FROM audit_head").fetchone()[0]
        assert head == db.execute("SELECT max(seq) FROM audit_log").fetchone()[0]

    live = app.config["DATABASE_URL"]
    restored = runner.invoke(args=["restore", "--yes", str(copies[0])])
    assert restored.exit_code == 0, restored.output
    verified = runner.invoke(args=["verify"])
    assert verified.exit_code == 0, verified.output
    assert live == app.config["DATABASE_URL"]


def test_restoring_a_file_that_is_not_a_yishi_database_is_refused(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    stray = tmp_path / "stray.db"
    sqlite3.connect(stray).execute("CREATE TABLE t (x)").connection.commit()
    result = runner.invoke(args=["restore", "--yes", str(stray)])
    assert result.exit_code == 2 and "not a Yishi database" in result.output
