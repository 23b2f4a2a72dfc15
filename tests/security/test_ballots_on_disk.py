"""Secret ballots on disk (issue 15): once a secret poll is closed, nothing in the database's
files links a member to a choice or a receipt.

A secret, area-weighted vote goes through the real app on a real SQLite file in WAL mode
(``secret_vote``). Then the files are read as someone holding the box would read them:

- the write-ahead log replayed commit by commit (a commit adding one participation and one
  ballot pairs them; one adding a voter's floor area to one option names the choice);
- the positions of the ballots in their pages (a page fills from its end, so the cells' order
  is the order the ballots came in, which the audit log's order of participations names);
- every old version of a row (the tallies after each ballot, the cards' readings) searched for
  byte by byte in every file, freed pages included;
- the files beside the database: a journal, the -shm index of the log, a backup.

Each attack is first run on the files as they were while the poll was open and finds what it
looks for, so the test can fail; after the closing it finds nothing.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from meeting_room.attendance import members
from meeting_room.domain.words import MemberGroup, SignInChannel
from meeting_room.meetings.meetings import MeetingDraft, create_meeting
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member
from meeting_room.voting.secrecy import DUE_KEY, forget_if_due
from tests.conftest import Clock, unit
from tests.security.secret_vote import (
    cast_secret_vote,
    close,
    current,
    history,
    pages_out_of_key_order,
    position_links,
    replay_links,
)
from tests.security.sqlite_files import DatabaseFile, files_of, shm_frame_pages, wal_frames


def test_after_a_secret_poll_closes_its_files_link_no_member_to_a_choice(
    app: Flask, meeting: Meeting, clock: Clock, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    vote = cast_secret_vote(app, meeting, clock)
    before = files_of(vote.database)
    # While the poll is open, every attack works (so each one below could fail).
    linked = replay_links(before, vote.poll_id)
    for member in vote.cast_in_turn:
        assert {vote.receipts[member], f'["{vote.chose[member]}"]'} <= linked[member]
    by_position = position_links(current(before), vote.poll_id)
    assert all(by_position[m] == vote.receipts[m] for m in vote.cast_in_turn)
    old_rows = history(before)

    after = close(vote)

    assert replay_links(after, vote.poll_id) == {}
    assert after.get("-wal", b"") == b"", "the log is emptied"
    assert "-journal" not in after
    image = current(after)
    assert pages_out_of_key_order(image) == [], "no page keeps its rows' order of arrival"
    gone = {record for record in old_rows - DatabaseFile(image).records() if len(record) >= 10}
    assert len(gone) > 30, "the vote changed the tallies and dropped the cards' readings"
    assert any(record in before["-wal"] for record in gone)
    for name, data in after.items():
        assert not [record for record in gone if record in data], f"an old row is left in {name}"
    assert DatabaseFile(image).freed_pages() == {}
    pages = shm_frame_pages(after.get("-shm", b""))
    assert len(pages) == len(set(pages)), "the -shm names no page written commit after commit"

    # A backup taken now holds no more than the database does.
    backup = tmp_path / "after-closing.db"
    made = runner.invoke(args=["backup", str(backup)])
    assert made.exit_code == 0, made.output
    copy = files_of(backup)
    assert set(copy) == {"db"}, "a backup is one file, without a log"
    assert pages_out_of_key_order(copy["db"]) == []
    assert not [record for record in gone if record in copy["db"]]
    assert DatabaseFile(copy["db"]).freed_pages() == {}


def test_a_backup_is_refused_in_words_while_a_secret_poll_is_open(
    app: Flask, meeting: Meeting, clock: Clock, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    vote = cast_secret_vote(app, meeting, clock)
    target = tmp_path / "backups" / "during.db"

    refused = runner.invoke(args=["backup", str(target)])

    assert refused.exit_code == 2
    assert "a secret vote is open: back up once it is closed" in refused.output
    assert list(target.parent.iterdir()) == []
    close(vote)
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0


def test_other_meetings_write_on_while_the_closing_rewrites_the_file(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    vote = cast_secret_vote(app, meeting, clock)
    with unit(app) as s:
        other = create_meeting(
            s,
            MeetingDraft(
                title="3栋楼道照明改造协调会",
                starts_at=clock.now,
                venue="幸福里社区议事厅二楼",
                eligible_groups=(MemberGroup.OWNER,),
            ),
            clock.now,
        )
        other_id = other.id
        owners = select(Member.id).where(Member.group == MemberGroup.OWNER).order_by(Member.id)
        people = list(s.scalars(owners.offset(100).limit(60)))
    signed: list[int] = []
    started = threading.Event()

    def sign_in_the_other_hall() -> None:
        for member_id in people:
            with unit(app) as s:
                here = s.get(Meeting, other_id)
                assert here is not None
                members.sign_in(s, here, member_id, SignInChannel.KIOSK, clock.now)
            signed.append(member_id)
            started.set()

    writer = threading.Thread(target=sign_in_the_other_hall)
    writer.start()
    started.wait(timeout=30)
    close(vote)
    writer.join(timeout=60)

    assert signed == people, "every sign-in of the other meeting was written, none refused"
    assert replay_links(files_of(vote.database), vote.poll_id) == {}
    assert pages_out_of_key_order(current(files_of(vote.database)), within="ballots") == []


def test_a_rebuild_that_could_not_be_done_at_the_closing_is_done_by_the_watcher(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    vote = cast_secret_vote(app, meeting, clock)
    assert wal_frames(files_of(vote.database)["-wal"])
    app.extensions[DUE_KEY] = time.monotonic() + 60  # failed at the closing: next try later

    forget_if_due(app)
    assert wal_frames(files_of(vote.database)["-wal"]), "not yet: a full disk is not hammered"
    app.extensions[DUE_KEY] = time.monotonic()
    forget_if_due(app)

    assert files_of(vote.database).get("-wal", b"") == b""
    assert app.extensions[DUE_KEY] is None
