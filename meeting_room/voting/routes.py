"""Polls in the JSON API: list, draft, open, close, publish, assisted votes, receipts."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints
from spectree import Response as Responses

from meeting_room.access.roles import Role, allow
from meeting_room.clock import now
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import BallotChannel
from meeting_room.meetings.meetings import get_meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.models.voting import PublishedEntry
from meeting_room.store.storage import transaction
from meeting_room.voting import service as poll_actions
from meeting_room.voting.ballots import Vote
from meeting_room.voting.polls import get_poll
from meeting_room.voting.results import check_receipt
from meeting_room.voting.schemas import PollFields
from meeting_room.voting.snapshot import PollView, meeting_polls, poll_view
from meeting_room.web.api import ERRORS, bp, spec
from meeting_room.web.limits import Id

Helper = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class PollList(BaseModel):
    """A meeting's polls, newest first."""

    polls: list[PollView]


class AssistedIn(BaseModel):
    """A vote entered by a clerk for a member who asked for help (代填); the helper is recorded."""

    member_id: Id
    choices: list[Annotated[str, StringConstraints(max_length=100)]] = Field(max_length=20)
    helper: Helper


class ReceiptOut(BaseModel):
    """A receipt code and what was recorded for it."""

    receipt: str
    replaced: bool = False


class EntryOut(BaseModel):
    """One line of a published ballot list."""

    position: int
    text: str
    hash: str


class BallotListOut(BaseModel):
    """A closed poll's published ballot list with its hash chain."""

    poll_id: int
    final_hash: str | None
    entries: list[EntryOut]


class ReceiptCheckOut(BaseModel):
    """Whether a receipt is in the published list, and where."""

    found: bool
    entry: EntryOut | None = None


@bp.get("/meetings/<int:meeting_id>/polls")
@allow(Role.CLERK, Role.MODERATOR)
@spec.validate(resp=Responses(HTTP_200=PollList, **ERRORS), tags=["polls"])
def list_polls(meeting_id: int) -> PollList:
    """The meeting's polls."""
    with transaction() as s:
        meeting = get_meeting(s, meeting_id)
        return PollList(polls=[poll_view(s, p, now()) for p in meeting_polls(s, meeting)])


@bp.post("/meetings/<int:meeting_id>/polls")
@allow(Role.MODERATOR, Role.CLERK)
@spec.validate(json=PollFields, resp=Responses(HTTP_201=PollView, **ERRORS), tags=["polls"])
def add_poll(meeting_id: int, json: PollFields) -> tuple[PollView, int]:
    """Draft a poll."""
    return poll_actions.create(meeting_id, json.draft()), 201


@bp.get("/polls/<int:poll_id>")
@allow(Role.CLERK, Role.MODERATOR)
@spec.validate(resp=Responses(HTTP_200=PollView, **ERRORS), tags=["polls"])
def show_poll(poll_id: int) -> PollView:
    """A poll with its count, and its result once closed."""
    with transaction() as s:
        return poll_view(s, get_poll(s, poll_id), now())


@bp.post("/polls/<int:poll_id>/open")
@allow(Role.MODERATOR, Role.CLERK)
@spec.validate(resp=Responses(HTTP_200=PollView, **ERRORS), tags=["polls"])
def open_poll(poll_id: int) -> PollView:
    """Open a draft poll."""
    return poll_actions.open_poll(poll_id)


@bp.post("/polls/<int:poll_id>/close")
@allow(Role.MODERATOR, Role.CLERK)
@spec.validate(resp=Responses(HTTP_200=PollView, **ERRORS), tags=["polls"])
def close_poll(poll_id: int) -> PollView:
    """Close a poll and count it."""
    return poll_actions.close(poll_id)


@bp.post("/polls/<int:poll_id>/publish")
@allow(Role.MODERATOR, Role.CLERK)
@spec.validate(resp=Responses(HTTP_200=PollView, **ERRORS), tags=["polls"])
def publish_poll(poll_id: int) -> PollView:
    """Publish a closed poll."""
    return poll_actions.publish(poll_id)


@bp.post("/polls/<int:poll_id>/assisted")
@allow(Role.CLERK)
@spec.validate(json=AssistedIn, resp=Responses(HTTP_200=ReceiptOut, **ERRORS), tags=["polls"])
def assisted(poll_id: int, json: AssistedIn) -> ReceiptOut:
    """A clerk enters the vote of a member who asked for help."""
    try:
        cast = poll_actions.cast(
            poll_id,
            Vote(json.member_id, tuple(json.choices), BallotChannel.ASSISTED, helper=json.helper),
        )
    except Refusal as refusal:
        if refusal.problem == Problem.ALREADY_VOTED:  # worded for the clerk, not the voter
            with transaction() as s:
                member = s.get(Member, json.member_id)
                refusal.params["name"] = member.name if member else ""
        raise
    return ReceiptOut(receipt=cast.receipt, replaced=cast.replaced)


@bp.get("/polls/<int:poll_id>/ballot-list")
@allow(Role.ANYONE)
@spec.validate(resp=Responses(HTTP_200=BallotListOut, **ERRORS), tags=["polls"])
def ballot_list(poll_id: int) -> BallotListOut:
    """The published ballot list (empty until the poll closes)."""
    with transaction() as s:
        poll = get_poll(s, poll_id)
        entries = s.query(PublishedEntry).filter(PublishedEntry.poll_id == poll.id)
        return BallotListOut(
            poll_id=poll.id,
            final_hash=poll.final_hash,
            entries=[
                EntryOut(position=e.position, text=e.text, hash=e.hash)
                for e in entries.order_by(PublishedEntry.position)
            ],
        )


@bp.get("/polls/<int:poll_id>/receipts/<code>")
@allow(Role.ANYONE)
@spec.validate(resp=Responses(HTTP_200=ReceiptCheckOut, **ERRORS), tags=["polls"])
def receipt(poll_id: int, code: str) -> ReceiptCheckOut:
    """Check a receipt code against the published list."""
    with transaction() as s:
        entry = check_receipt(s, get_poll(s, poll_id), code)
        if entry is None:
            return ReceiptCheckOut(found=False)
        return ReceiptCheckOut(
            found=True, entry=EntryOut(position=entry.position, text=entry.text, hash=entry.hash)
        )
