"""Voting's one writer: polls, ballots on every channel, paper cards. The moderator's events,
the API's routes, the booth and the deadline watcher all call these functions.

Each change is one committed transaction, then its broadcast: state changes (drafted, opened,
closed, published) go at once to every screen of the meeting as a ``poll`` snapshot (with the
announcement the room hears); ballots only move a throttled ``poll.count`` (one per window,
however many ballots arrive), and the voter alone gets their receipt; a named ballot replaced
on another channel (the booth, the clerk, a later card at closing) tells the voter's phone what
now counts (``ballot.counted``, to that voter's room only). Cards handed out and
photos of the room change nothing a screen shows until the poll closes, so they broadcast
nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.clock import now
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.tokens import token_hash
from meeting_room.domain.words import BallotChannel, PollStatus
from meeting_room.extensions import off_the_loop, socketio
from meeting_room.meetings.meetings import get_meeting
from meeting_room.store.group_commit import GroupCommit
from meeting_room.store.models.meetings import Attendance, Meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.models.voting import Poll
from meeting_room.store.storage import transaction
from meeting_room.voice.announcements import announce_opened, announce_result
from meeting_room.voting import cards
from meeting_room.voting.ballot_batch import PhoneVote, cast_many
from meeting_room.voting.ballots import Cast, Vote, cast_ballot
from meeting_room.voting.polls import PollDraft, create_poll, get_poll
from meeting_room.voting.polls import edit_draft as edit_draft_poll
from meeting_room.voting.polls import open_poll as open_draft
from meeting_room.voting.polls import remove_draft as remove_draft_poll
from meeting_room.voting.results import close_poll, publish_poll, replaced_by_cards, spoken_outcome
from meeting_room.voting.secrecy import forget_history, unlink_secret_rows
from meeting_room.voting.snapshot import PollView, counted_ballot, poll_count, poll_view
from meeting_room.web.coalescer import Coalescer
from meeting_room.web.rooms import (
    BOOTH,
    CLERK,
    MODERATOR,
    PHONE,
    PROJECTOR,
    meeting_room_name,
    voter_room,
)

COUNTS_KEY = "yishi.poll_counts"
# Functions the composition root adds, each called inside a poll's closing transaction with the
# closed poll: the owners' assembly records the units' ballots of a poll put to its matter.
CLOSE_HOOKS_KEY = "yishi.poll_close_hooks"
# Functions the composition root adds, each called inside a named ballot's transaction with the
# poll and the voters whose ballots it took: what each voter must hear at once beyond the
# receipt (the owners' assembly: their unit already voted on the matter), by member id.
CAST_NOTES_KEY = "yishi.poll_cast_notes"
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


def emit_counted(poll_id: int, member_ids: Sequence[int]) -> None:
    """Tell each member's phone what their named ballot counts now (their receipt stays)."""
    with transaction() as s:
        poll = get_poll(s, poll_id)
        meeting_id = poll.meeting_id
        counted = [(m, counted_ballot(s, poll, m)) for m in member_ids]
    for member_id, ballot in counted:
        if ballot is not None:
            payload = ballot.model_dump(mode="json")
            to = voter_room(meeting_id, member_id)
            socketio.emit("ballot.counted", payload, namespace=PHONE, to=to)


def create(meeting_id: int, draft: PollDraft) -> PollView:
    """A new poll in draft."""
    with transaction() as s:
        poll = create_poll(s, get_meeting(s, meeting_id), draft, now())
        poll_id = poll.id
    return emit_poll(poll_id)


def edit_draft(meeting_id: int, poll_id: int, draft: PollDraft) -> PollView:
    """Correct a draft poll (the moderator's console hears of it)."""
    with transaction() as s:
        edit_draft_poll(s, get_meeting(s, meeting_id), poll_id, draft)
    return emit_poll(poll_id)


def remove_draft(meeting_id: int, poll_id: int) -> None:
    """Delete a draft poll (no broadcast: a draft is only on the consoles, which list the polls
    when they load)."""
    with transaction() as s:
        remove_draft_poll(s, get_meeting(s, meeting_id), poll_id)


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
    """Close a poll: cards are cast, the result counted and the ballot list published. A
    secret poll's database files are then rewritten without their history (``secrecy``)
    before anyone hears the result."""
    with transaction() as s:
        poll = _locked(s, poll_id)
        close_poll(s, poll, current_app.config["SECRET_KEY"], now())
        secret = poll.secret
        if secret:
            unlink_secret_rows(s, poll_id)
        by_card = [] if secret else replaced_by_cards(s, poll)
        for hook in current_app.extensions.get(CLOSE_HOOKS_KEY, ()):
            hook(s, poll)
    if secret:
        forget_history(current_app._get_current_object())  # type: ignore[attr-defined]
    view = emit_poll(poll_id)
    emit_counted(poll_id, by_card)
    announce_result(view.meeting_id, spoken_outcome(view.result, view.explanation))
    return view


def publish(poll_id: int) -> PollView:
    """Publish a closed poll's result."""
    with transaction() as s:
        publish_poll(s, _locked(s, poll_id), now())
    return emit_poll(poll_id)


def cast(poll_id: int, vote: Vote) -> Cast:
    """Accept a ballot (committed before the receipt is answered); the count follows, throttled."""
    with transaction() as s:
        poll = _locked(s, poll_id)
        result = cast_ballot(s, poll, vote, current_app.config["SECRET_KEY"], now())
        note = _notes(s, poll, [vote.member_id]).get(vote.member_id)
        if note is not None:
            result = replace(result, unit_note=note)
    coalescer: Coalescer = current_app.extensions[COUNTS_KEY]
    coalescer.request(poll_id)
    if result.replaced:
        emit_counted(poll_id, [vote.member_id])
    return result


def cast_assisted(poll_id: int, member_id: int, choices: tuple[str, ...], helper: str) -> Cast:
    """A clerk's entry of a vote for a member who asked for help (代填), as ``cast``; a member
    who voted already is refused by name (worded for the clerk, not the voter)."""
    try:
        return cast(poll_id, Vote(member_id, choices, BallotChannel.ASSISTED, helper=helper))
    except Refusal as refusal:
        if refusal.problem == Problem.ALREADY_VOTED:
            with transaction() as s:
                member = s.get(Member, member_id)
                refusal.params["name"] = member.name if member else ""
        raise


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
            _note_phones(s, poll, votes, indexes, results)
    coalescer: Coalescer = current_app.extensions[COUNTS_KEY]
    for poll_id, indexes in by_poll.items():
        if any(isinstance(results[i], Cast) for i in indexes):
            coalescer.request(poll_id)
    return results


def _notes(s: Session, poll: Poll, member_ids: list[int]) -> dict[int, dict[str, Any]]:
    """What the hooks of ``CAST_NOTES_KEY`` tell these voters of a named poll."""
    notes: dict[int, dict[str, Any]] = {}
    if poll.secret:
        return notes
    for hook in current_app.extensions.get(CAST_NOTES_KEY, ()):
        notes |= hook(s, poll, member_ids)
    return notes


def _note_phones(
    s: Session,
    poll: Poll,
    votes: Sequence[PhoneVote],
    indexes: list[int],
    results: list[Cast | Refusal],
) -> None:
    """Add the hooks' notes to the phones' accepted ballots of a named poll."""
    taken = [i for i in indexes if isinstance(results[i], Cast)]
    if poll.secret or not taken or not current_app.extensions.get(CAST_NOTES_KEY):
        return
    hashes = {token_hash(votes[i].token): i for i in taken}
    member_of = {
        hashed: member_id
        for hashed, member_id in s.execute(
            select(Attendance.token_hash, Attendance.member_id).where(
                Attendance.token_hash.in_(set(hashes))
            )
        )
    }
    notes = _notes(s, poll, sorted(set(member_of.values())))
    for hashed, index in hashes.items():
        note = notes.get(member_of.get(hashed, -1))
        answer = results[index]
        if note is not None and isinstance(answer, Cast):
            results[index] = replace(answer, unit_note=note)


def hand_card(meeting_id: int, number: int, member_id: int) -> None:
    """Record that a member holds card ``number`` (their earlier card is taken back)."""
    with transaction() as s:
        cards.hand_card(s, get_meeting(s, meeting_id), number, member_id)


def add_photo(poll_id: int, photo: bytes) -> None:
    """Read every handed card in a photo of the room and store what each shows (at closing,
    the latest photo of each card becomes its holder's ballot).

    The photo is decoded between two transactions (seconds of OpenCV, off the event loop);
    the poll is checked again, locked, before the readings are stored: one closed meanwhile
    refuses them (a secret poll's readings must not outlive its closing). Refused as
    ``bad_photo`` when it is not an image, ``photo_too_large`` when its header declares more
    pixels than can be read (before decoding it).
    """
    with transaction() as s:
        poll = get_poll(s, poll_id)
        cards.check_photo_wanted(poll)
        issued = set(cards.holders(s, poll.meeting_id))
    from devices.cards import MAX_PHOTO_PIXELS, PhotoTooLarge, scan_photo  # OpenCV: when asked

    try:
        scan = off_the_loop(scan_photo, photo, issued)
    except PhotoTooLarge as error:
        raise Refusal(
            Problem.PHOTO_TOO_LARGE,
            pixels=round(error.pixels / 1e6),
            limit=MAX_PHOTO_PIXELS // 1_000_000,
        ) from error
    except ValueError as error:
        raise Refusal(Problem.BAD_PHOTO) from error
    with transaction() as s:
        cards.record_photo(
            s,
            _locked(s, poll_id),
            [(reading.number, reading.answer) for reading in scan.readings],
            scan.conflicts | scan.unclear,
            now(),
        )


def close_expired(app: Flask) -> list[int]:
    """Close every open poll whose countdown has run out (run by the deadline watcher, on one
    worker); returns their ids."""
    closed = []
    with app.app_context():
        moment = now()
        with transaction() as s:
            due = s.scalars(
                select(Poll.id).where(Poll.status == PollStatus.OPEN, Poll.closes_at <= moment)
            ).all()
        for poll_id in due:
            try:
                close(poll_id)
            except Refusal:  # closed meanwhile (by the moderator, or another worker)
                continue
            closed.append(poll_id)
    return closed
