"""Poll operations for the screens: each is one committed transaction, then a broadcast.

State changes (opened, closed, published) go at once to every screen of the meeting as a
``poll`` snapshot; ballots only move a throttled ``poll.count`` (one per window, however many
ballots arrive), and the voter alone gets their receipt.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Flask, current_app
from sqlalchemy.orm import Session

from meeting_room.clock import now
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.extensions import socketio
from meeting_room.meetings.meetings import get_meeting
from meeting_room.store.group_commit import GroupCommit
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.voting import Poll
from meeting_room.store.storage import transaction
from meeting_room.voice.announcements import announce_opened, announce_result
from meeting_room.voting.ballot_batch import PhoneVote, cast_many
from meeting_room.voting.ballots import Cast, Vote, cast_ballot
from meeting_room.voting.polls import PollDraft, create_poll, get_poll
from meeting_room.voting.polls import open_poll as open_draft
from meeting_room.voting.results import close_poll, publish_poll, spoken_outcome
from meeting_room.voting.secrecy import unlink_secret_rows, vacuum_secret_tables
from meeting_room.voting.snapshot import PollView, poll_count, poll_view
from meeting_room.web.coalescer import Coalescer
from meeting_room.web.rooms import BOOTH, CLERK, MODERATOR, PHONE, PROJECTOR, meeting_room_name

COUNTS_KEY = "yishi.poll_counts"
BALLOTS_KEY = "yishi.phone_ballots"
EVERY_SCREEN = (PROJECTOR, MODERATOR, PHONE, CLERK, BOOTH)


def init_app(app: Flask) -> None:
    """The coalescer of live counts (one ``poll.count`` per poll per window) and the group
    commit of phone ballots."""
    app.extensions[COUNTS_KEY] = Coalescer(app, app.config["BROADCAST_DELAY"], emit_count)
    app.extensions[BALLOTS_KEY] = GroupCommit(
        _write_phone_ballots, window=app.config["BALLOT_BATCH_WINDOW"]
    )


def emit_poll(poll_id: int) -> PollView:
    """Send a poll's snapshot to every screen of its meeting."""
    with transaction() as s:
        view = poll_view(s, get_poll(s, poll_id), now())
    payload = view.model_dump(mode="json")
    for namespace in EVERY_SCREEN:
        socketio.emit("poll", payload, namespace=namespace, to=meeting_room_name(view.meeting_id))
    return view


def emit_count(poll_id: int) -> None:
    """Send the live count to the projectors, consoles and clerk desks."""
    with transaction() as s:
        poll = get_poll(s, poll_id)
        payload = poll_count(s, poll).model_dump(mode="json")
        room = meeting_room_name(poll.meeting_id)
    for namespace in (PROJECTOR, MODERATOR, CLERK):
        socketio.emit("poll.count", payload, namespace=namespace, to=room)


def create(meeting_id: int, draft: PollDraft) -> PollView:
    """A new poll in draft."""
    with transaction() as s:
        poll = create_poll(s, get_meeting(s, meeting_id), draft, now())
        poll_id = poll.id
    return emit_poll(poll_id)


def _locked(s: Session, poll_id: int) -> Poll:
    """The poll, its row locked until the commit: on PostgreSQL, ballots and closing from
    several workers queue on it, so no ballot lands after the count and no tally update is
    lost (SQLite has one writer anyway and ignores the lock)."""
    s.get(Poll, poll_id, with_for_update=True)
    return get_poll(s, poll_id)


def open_poll(poll_id: int) -> PollView:
    """Open a draft poll: phones show the ballot at once."""
    with transaction() as s:
        poll = _locked(s, poll_id)
        # The meeting's row too: one open poll at a time, whichever worker opens it.
        s.get(Meeting, poll.meeting_id, with_for_update=True)
        open_draft(s, get_meeting(s, poll.meeting_id), poll, now())
    view = emit_poll(poll_id)
    announce_opened(view.meeting_id, view.question, view.duration_s)
    return view


def close(poll_id: int) -> PollView:
    """Close a poll: cards are cast, the result counted and the ballot list published."""
    with transaction() as s:
        poll = _locked(s, poll_id)
        close_poll(s, poll, current_app.config["SECRET_KEY"], now())
        rewritten = poll.secret and unlink_secret_rows(s, poll_id)
    if rewritten:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        socketio.start_background_task(vacuum_secret_tables, app)
    view = emit_poll(poll_id)
    announce_result(view.meeting_id, spoken_outcome(view.result))
    return view


def publish(poll_id: int) -> PollView:
    """Publish a closed poll's result."""
    with transaction() as s:
        publish_poll(s, _locked(s, poll_id), now())
    return emit_poll(poll_id)


def cast(poll_id: int, vote: Vote) -> Cast:
    """Accept a ballot (committed before the receipt is answered); the count follows, throttled."""
    with transaction() as s:
        result = cast_ballot(s, _locked(s, poll_id), vote, current_app.config["SECRET_KEY"], now())
    coalescer: Coalescer = current_app.extensions[COUNTS_KEY]
    coalescer.request(poll_id)
    return result


def cast_from_phone(vote: PhoneVote) -> Cast:
    """Accept a phone's ballot with whatever other ballots are waiting (one transaction for
    them all, committed before any receipt is answered); the count follows, throttled."""
    ballots: GroupCommit[PhoneVote, Cast] = current_app.extensions[BALLOTS_KEY]
    return ballots.submit(vote)


def _write_phone_ballots(votes: Sequence[PhoneVote]) -> list[Cast | Refusal]:
    """One transaction for a batch of phone ballots (each poll's row locked once)."""
    secret_key = current_app.config["SECRET_KEY"]
    moment = now()
    results: list[Cast | Refusal] = [Refusal(Problem.POLL_NOT_FOUND)] * len(votes)
    by_poll: dict[int, list[int]] = {}
    for index, vote in enumerate(votes):
        by_poll.setdefault(vote.poll_id, []).append(index)
    with transaction() as s:
        for poll_id, indexes in by_poll.items():
            try:
                poll = _locked(s, poll_id)
            except Refusal as refusal:
                for index in indexes:
                    results[index] = refusal
                continue
            answers = cast_many(s, poll, [votes[i] for i in indexes], secret_key, moment)
            for index, answer in zip(indexes, answers, strict=True):
                results[index] = answer
    coalescer: Coalescer = current_app.extensions[COUNTS_KEY]
    for poll_id, indexes in by_poll.items():
        if any(isinstance(results[i], Cast) for i in indexes):
            coalescer.request(poll_id)
    return results


def close_expired(app: Flask) -> list[int]:
    """Close every open poll whose countdown has run out; returns their ids."""
    from sqlalchemy import select

    closed = []
    with app.app_context():
        moment = now()
        with transaction() as s:
            due = s.scalars(
                select(Poll.id).where(Poll.status == "open", Poll.closes_at <= moment)
            ).all()
        for poll_id in due:
            try:
                close(poll_id)
            except Refusal:  # closed meanwhile (by the moderator, or another worker)
                continue
            closed.append(poll_id)
    return closed
