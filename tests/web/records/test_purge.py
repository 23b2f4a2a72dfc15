"""``yishi purge`` on a real SQLite file: personal data of old meetings goes, the public record
stays, the audit chain still verifies, and no stored row links a member to a secret choice."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from meeting_room.attendance.members import sign_in
from meeting_room.attendance.proxies import ProxyRequest, sign_in_proxy
from meeting_room.domain.tokens import token_hash
from meeting_room.domain.words import (
    BallotChannel,
    ItemKind,
    ItemStatus,
    MeetingStatus,
    MemberGroup,
    RequestKind,
    SignInChannel,
    Stance,
)
from meeting_room.meetings.meetings import MeetingDraft, create_meeting
from meeting_room.records.service import minutes_of
from meeting_room.store.models.floor import AgendaItem, Speech
from meeting_room.store.models.meetings import Alert, Guest, Meeting
from meeting_room.store.models.records import ActionItem, ActionRating, Decision
from meeting_room.store.models.roster import Member
from meeting_room.store.models.voting import CardAssignment, CardReading
from meeting_room.voice.speech import say
from meeting_room.voting.ballots import Vote, cast_ballot
from meeting_room.voting.polls import PollDraft, create_poll, open_poll
from meeting_room.voting.results import close_poll
from meeting_room.web.addresses import devices
from tests.conftest import Clock, unit

KEY = "test-secret"
GUEST = "访客司马相如"
PROXY = "代理人欧阳修远"
# Tables whose rows name or point to a person at a meeting.
PERSONAL = (
    "attendances",
    "guests",
    "alerts",
    "confirm_failures",
    "card_assignments",
    "card_readings",
    "speeches",
    "speech_requests",
    "rule_overrides",
    "poll_participation",
    "poll_voters",
    "ballot_changes",
    "action_ratings",
)


@dataclass
class Held:
    """A meeting that was held, and the personal data it left."""

    meeting_id: int
    members: list[int]
    tokens: list[str]
    secret_poll: int
    named_poll: int


def hold_meeting(app: Flask, meeting_id: int, clock: Clock) -> Held:
    """Sign-ins with tokens, a proxy, a guest, a speech, a secret and a named poll (phones and
    paper cards), a decision with a rated action; then close the meeting."""
    with unit(app) as s:
        m = s.get(Meeting, meeting_id)
        assert m is not None
        owners = select(Member.id).where(Member.group == MemberGroup.OWNER).order_by(Member.id)
        members = list(s.scalars(owners.limit(7)))
        tokens = [
            sign_in(s, m, member, SignInChannel.KIOSK, clock.now).token for member in members[:6]
        ]
        proxy = sign_in_proxy(
            s,
            m,
            ProxyRequest(members[6], proxy_name=PROXY, checked_by="clerk"),
            SignInChannel.CLERK,
            clock.now,
        )
        tokens.append(proxy.token)
        s.add(Guest(meeting_id=m.id, name=GUEST, signed_in_at=clock.now))
        s.add(Alert(meeting_id=m.id, kind="locked", member_id=members[0], created_at=clock.now))
        item = AgendaItem(
            meeting_id=m.id,
            position=1,
            title="加装电梯",
            kind=ItemKind.VOTE,
            status=ItemStatus.DONE,
            started_at=clock.now,
            finished_at=clock.now + timedelta(minutes=20),
        )
        s.add(item)
        s.flush()
        s.add(
            Speech(
                item_id=item.id,
                member_id=members[1],
                stance=Stance.FOR,
                kind=RequestKind.SPEECH,
                limit_ms=120_000,
                started_at=clock.now,
                elapsed_before_ms=95_000,
                stopped_at=clock.now + timedelta(seconds=95),
            )
        )
        s.add(CardAssignment(meeting_id=m.id, number=5, member_id=members[5]))
        secret = create_poll(
            s, m, PollDraft(question="方案一是否通过？", item_id=item.id), clock.now
        )
        named = create_poll(s, m, PollDraft(question="实名：方案二？", secret=False), clock.now)
        open_poll(s, m, secret, clock.now)
        for member, choice in zip(
            members[:5], ["for", "against", "for", "for", "abstain"], strict=True
        ):
            vote = Vote(member, (choice,), BallotChannel.PHONE, client_id=f"c{member}")
            cast_ballot(s, secret, vote, KEY, clock.now)
        # Member 5 holds card 5 up with "B" (against): it becomes their ballot at closing.
        s.add(CardReading(poll_id=secret.id, photo=1, number=5, answer="B", taken_at=clock.now))
        s.flush()
        close_poll(s, secret, KEY, clock.now)
        open_poll(s, m, named, clock.now)
        for member, choice in zip(members[:3], ["for", "for", "against"], strict=True):
            cast_ballot(s, named, Vote(member, (choice,), BallotChannel.BOOTH), KEY, clock.now)
        close_poll(s, named, KEY, clock.now)
        decision = Decision(
            meeting_id=m.id,
            item_id=item.id,
            poll_id=secret.id,
            text="通过加装电梯方案一",
            created_by="clerk",
            created_at=clock.now,
        )
        s.add(decision)
        s.flush()
        action = ActionItem(
            decision_id=decision.id,
            title="提交施工申请",
            responsible="物业",
            deadline=date(2026, 12, 31),
            status="done",
            created_at=clock.now,
        )
        s.add(action)
        s.flush()
        s.add(ActionRating(action_id=action.id, member_id=members[2], stars=4, at=clock.now))
        m.status = MeetingStatus.CLOSED
        return Held(m.id, members, tokens, secret.id, named.id)


def raw(app: Flask) -> sqlite3.Connection:
    return sqlite3.connect(app.config["DATABASE_URL"].removeprefix("sqlite:///"))


def file_bytes(app: Flask) -> bytes:
    path = Path(app.config["DATABASE_URL"].removeprefix("sqlite:///"))
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def public_record(db: sqlite3.Connection, meeting_id: int) -> dict[str, list[tuple[object, ...]]]:
    """What a hall must keep: the meeting, agenda, polls and results, tallies, receipt lists'
    hashes, secret ballots, decisions and the action list."""
    polls = "(SELECT id FROM polls WHERE meeting_id = ?)"
    queries = {
        "meeting": "SELECT id, title, starts_at, venue, status FROM meetings WHERE id = ?",
        "items": "SELECT * FROM agenda_items WHERE meeting_id = ? ORDER BY id",
        "polls": "SELECT * FROM polls WHERE meeting_id = ? ORDER BY id",
        "tallies": f"SELECT * FROM poll_tallies WHERE poll_id IN {polls} ORDER BY 1, 2",
        "hashes": f"SELECT poll_id, position, hash FROM published_entries WHERE poll_id IN {polls}",
        "ballots": f"SELECT key, poll_id, receipt, choices FROM ballots WHERE poll_id IN {polls}",
        "decisions": "SELECT * FROM decisions WHERE meeting_id = ? ORDER BY id",
    }
    return {name: db.execute(sql, (meeting_id,)).fetchall() for name, sql in queries.items()}


def counts(db: sqlite3.Connection) -> dict[str, int]:
    return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in PERSONAL}


def later_meeting(app: Flask, clock: Clock) -> int:
    with unit(app) as s:
        recent = create_meeting(
            s,
            MeetingDraft(
                title="停车位议事会",
                starts_at=clock.now + timedelta(days=100),
                venue="社区议事厅",
                eligible_groups=(),
                quorum_headcount="1/2",
            ),
            clock.now,
        )
        recent_id = recent.id
        member = s.scalars(select(Member.id).order_by(Member.id.desc())).first()
        assert member is not None
        sign_in(s, recent, member, SignInChannel.KIOSK, clock.now)
    return recent_id


@pytest.fixture
def held(app: Flask, meeting: Meeting, clock: Clock) -> Held:
    return hold_meeting(app, meeting.id, clock)


def purge(runner: FlaskCliRunner, *args: str) -> str:
    result = runner.invoke(args=["purge", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_purge_removes_an_old_meeting_s_personal_data_and_keeps_its_public_record(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, held: Held, clock: Clock
) -> None:
    recent_id = later_meeting(app, clock)
    with app.test_request_context():
        minutes_before = minutes_of(held.meeting_id)
    db = raw(app)
    record_before = public_record(db, held.meeting_id)
    recent_before = public_record(db, recent_id)
    personal_before = counts(db)
    assert all(
        personal_before[t]
        for t in PERSONAL
        # card_readings: a secret poll drops them when it closes (its cards are ballots then)
        if t
        not in (
            "confirm_failures",
            "rule_overrides",
            "speech_requests",
            "ballot_changes",
            "card_readings",
        )
    )
    hashes = [token_hash(t) for t in held.tokens]
    assert all(h.encode() in file_bytes(app) for h in hashes)
    assert GUEST.encode() in file_bytes(app) and PROXY.encode() in file_bytes(app)

    clock.advance(400 * 86400)
    output = purge(runner, "--older-than", "365", "--yes")
    assert f"meeting {held.meeting_id}:" in output

    db = raw(app)
    left = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in PERSONAL}
    # Only the recent meeting's one attendance row is left of all personal rows.
    assert left == {t: 1 if t == "attendances" else 0 for t in PERSONAL}
    assert db.execute("SELECT meeting_id FROM attendances").fetchone() == (recent_id,)
    assert db.execute("SELECT count(*) FROM ballots WHERE member_id IS NOT NULL").fetchone() == (0,)
    query = "SELECT text FROM published_entries WHERE poll_id = ?"
    lines = [t for (t,) in db.execute(query, (held.named_poll,))]
    query = "SELECT member_no, name FROM members WHERE id IN (SELECT value FROM json_each(?))"
    people = db.execute(query, (json.dumps(held.members),)).fetchall()
    numbers = [no for no, _ in people]
    assert not any(name in line for line in lines for _, name in people)
    assert len(lines) == 3 and not any(no in line for line in lines for no in numbers)
    assert all(len(line.split(" ")) == 2 for line in lines)  # receipt and choice
    # The public record is exactly as it was, and the recent meeting was not touched.
    assert public_record(db, held.meeting_id) == record_before
    assert public_record(db, recent_id) == recent_before
    # No token hash, guest or proxy name is anywhere in the file, deleted pages included.
    stored = file_bytes(app)
    assert not any(h.encode() in stored for h in hashes)
    assert GUEST.encode() not in stored and PROXY.encode() not in stored

    # The notice board still shows the meeting: attendance and results as they were, no names.
    with app.test_request_context():
        after = minutes_of(held.meeting_id)
    assert after.attendance == minutes_before.attendance
    assert after.items[0].polls == minutes_before.items[0].polls  # secret: nothing personal
    spoken_before, spoken = minutes_before.items[0].speeches[0], after.items[0].speeches[0]
    assert spoken_before.name and spoken.name == "" and spoken.member_id == 0
    assert spoken.seconds == spoken_before.seconds == 95
    named_before, named_after = minutes_before.other_polls[0], after.other_polls[0]
    assert named_before.ballots and named_before.ballots[0].name
    assert named_after.tallies == named_before.tallies and named_after.ballots == []
    shown = after.model_dump_json()
    assert not any(no in shown for no in numbers) and spoken_before.name not in shown
    page = client.get(f"/board/meetings/{held.meeting_id}/minutes?lang=en")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "方案一是否通过？" in text and "实名：方案二？" in text
    assert not any(name in text for _, name in people)

    verified = runner.invoke(args=["verify"])
    assert verified.exit_code == 0, verified.output
    assert "Audit log: intact" in verified.output
    assert f"Vote {held.named_poll}: 实名：方案二？: intact" in verified.output
    assert "holders purged: final hash as sealed by the purge" in verified.output


def test_the_audit_log_keeps_its_chain_but_no_personal_detail_of_a_purged_meeting(
    app: Flask, runner: FlaskCliRunner, held: Held, clock: Clock
) -> None:
    db = raw(app)
    entries_before = db.execute("SELECT seq, hash FROM audit_log ORDER BY seq").fetchall()
    clock.advance(400 * 86400)
    purge(runner, "--yes")
    db = raw(app)
    entries = db.execute(
        "SELECT seq, kind, subject, detail, hash FROM audit_log ORDER BY seq"
    ).fetchall()
    # Same entries with the same hashes, and one more: the purge itself.
    assert [(s, h) for s, _, _, _, h in entries[: len(entries_before)]] == entries_before
    purge_entry = entries[-1]
    assert purge_entry[1] == "meetings.purge" and purge_entry[2] == f"meetings:{held.meeting_id}"
    detail = json.loads(purge_entry[3])
    assert detail["rows"]["attendances"] == 7 and detail["retention_days"] == 365
    personal = {
        "attendances",
        "guests",
        "alerts",
        "speeches",
        "poll_participation",
        "card_assignments",
        "action_ratings",
    }
    redacted = [e for e in entries if e[1].split(".")[0] in personal or e[1] == "polls.base"]
    assert sum(e[1] == "polls.base" for e in redacted) == 2  # who was present, as a digest
    assert redacted and all(
        e[3] == json.dumps({"redacted_by": purge_entry[0]}, separators=(",", ":")) for e in redacted
    )
    assert not any(
        f"/{m}" in e[2]
        for e in redacted
        if e[1].startswith("poll_participation")
        for m in held.members
    )
    # Tampering with a redacted entry is still caught.
    db.execute("UPDATE audit_log SET kind = 'guests.delete' WHERE seq = ?", (redacted[0][0],))
    db.commit()
    broken = runner.invoke(args=["verify"])
    assert broken.exit_code == 1 and "do not match their purge" in broken.output


def test_a_purge_empties_the_speech_cache_and_a_dry_run_leaves_it(
    app: Flask, runner: FlaskCliRunner, held: Held
) -> None:
    with app.test_request_context():
        greeting = say("王静，您已签到", "zh_CN").rsplit("/", 1)[1]
        say("请投票", "zh_CN")
    with app.app_context():
        cache = devices().speaker.cache_dir
    assert (cache / greeting).exists()
    purge(runner, "--dry-run")
    assert (cache / greeting).exists()
    output = purge(runner, "--yes")  # no meeting is old enough: only the cache goes
    assert "speech cache: 2 files removed" in output
    assert list(cache.glob("*.wav")) == []


def test_a_dry_run_lists_what_would_go_and_changes_nothing(
    app: Flask, runner: FlaskCliRunner, held: Held, clock: Clock
) -> None:
    db = raw(app)
    before = counts(db), db.execute("SELECT count(*), max(seq) FROM audit_log").fetchone()
    assert "holding personal data: 0" in purge(runner, "--dry-run")  # not old enough yet
    clock.advance(400 * 86400)
    output = purge(runner, "--dry-run")
    assert f"meeting {held.meeting_id} (" in output and "attendances 7" in output
    assert (counts(db), db.execute("SELECT count(*), max(seq) FROM audit_log").fetchone()) == before
    refused = runner.invoke(args=["purge"], input="n\n")
    assert refused.exit_code == 1 and counts(db) == before[0]
    again = purge(runner, "--yes")
    assert "rows removed" in again
    assert "holding personal data: 0" in purge(runner, "--yes")  # a second run finds nothing


def test_a_secret_ballot_is_unlinkable_even_by_its_paper_card_once_the_meeting_is_purged(
    app: Flask, runner: FlaskCliRunner, held: Held, clock: Clock
) -> None:
    """Extends test_polls' check of the ballots table: while a meeting is on record, a card
    ballot's holder and answer sit in two tables; after the purge no table links any member
    to any choice of the secret poll, through any column."""
    db = raw(app)
    linked = db.execute(
        "SELECT a.member_id, r.answer FROM card_assignments a JOIN card_readings r "
        "ON r.number = a.number WHERE r.poll_id = ?",
        (held.secret_poll,),
    ).fetchall()
    # The photo's readings went when the poll closed: the card's holder is still on record
    # (the meeting's card list) but nothing says what that card answered.
    assert linked == []
    assert db.execute("SELECT count(*) FROM card_assignments WHERE number = 5").fetchone() == (1,)
    clock.advance(400 * 86400)
    purge(runner, "--yes")
    db = raw(app)
    tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in set(tables) - {"members"}:
        columns = [c[1] for c in db.execute(f"PRAGMA table_info({table})")]
        for column in (c for c in columns if c.endswith("member_id")):
            query = f"SELECT count(*) FROM {table} WHERE {column} IS NOT NULL"
            assert db.execute(query).fetchone() == (0,), f"{table}.{column}"
    ballots = db.execute("SELECT choices FROM ballots WHERE poll_id = ?", (held.secret_poll,))
    choices = sorted(json.loads(c)[0] for (c,) in ballots)
    assert choices == ["abstain", "against", "against", "for", "for", "for"]


def test_a_meeting_still_in_progress_is_held_back_whatever_its_age(
    app: Flask, runner: FlaskCliRunner, meeting: Meeting, clock: Clock
) -> None:
    with unit(app) as s:
        m = s.get(Meeting, meeting.id)
        assert m is not None
        member = s.scalars(select(Member.id).order_by(Member.id)).first()
        assert member is not None
        sign_in(s, m, member, SignInChannel.KIOSK, clock.now)
        m.status = MeetingStatus.OPEN
    clock.advance(400 * 86400)
    output = purge(runner, "--yes")
    assert f"meeting {meeting.id} (" in output and "held back, still in progress" in output
    assert "rows removed" not in output
    assert counts(raw(app))["attendances"] == 1
