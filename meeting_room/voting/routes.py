"""Polls in the JSON API: list, draft, open, close, publish, assisted votes, receipts.

The writes call ``voting.service``, so a poll drafted, opened, closed or published here, or an
assisted vote, reaches every screen as the moderator's events do.
"""

from __future__ import annotations

from spectree import Response as Responses

from meeting_room.access.roles import Role, allow
from meeting_room.clock import now
from meeting_room.meetings.meetings import get_meeting
from meeting_room.store.models.voting import PublishedEntry
from meeting_room.store.storage import transaction
from meeting_room.voting import service
from meeting_room.voting.polls import get_poll
from meeting_room.voting.results import check_receipt, published_entries, receipt_choices
from meeting_room.voting.schemas import (
    AssistedIn,
    BallotListOut,
    EntryOut,
    PollFields,
    PollList,
    ReceiptCheckOut,
    ReceiptOut,
    UnitNote,
)
from meeting_room.voting.snapshot import PollView, meeting_polls, poll_view
from meeting_room.web.api import ERRORS, bp, spec


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
    return service.create(meeting_id, json.draft()), 201


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
    return service.open_poll(poll_id)


@bp.post("/polls/<int:poll_id>/close")
@allow(Role.MODERATOR, Role.CLERK)
@spec.validate(resp=Responses(HTTP_200=PollView, **ERRORS), tags=["polls"])
def close_poll(poll_id: int) -> PollView:
    """Close a poll and count it."""
    return service.close(poll_id)


@bp.post("/polls/<int:poll_id>/publish")
@allow(Role.MODERATOR, Role.CLERK)
@spec.validate(resp=Responses(HTTP_200=PollView, **ERRORS), tags=["polls"])
def publish_poll(poll_id: int) -> PollView:
    """Publish a closed poll."""
    return service.publish(poll_id)


@bp.post("/polls/<int:poll_id>/assisted")
@allow(Role.CLERK)
@spec.validate(json=AssistedIn, resp=Responses(HTTP_200=ReceiptOut, **ERRORS), tags=["polls"])
def assisted(poll_id: int, json: AssistedIn) -> ReceiptOut:
    """A clerk enters the vote of a member who asked for help."""
    cast = service.cast_assisted(poll_id, json.member_id, tuple(json.choices), json.helper)
    return ReceiptOut(
        receipt=cast.receipt,
        replaced=cast.replaced,
        unit_note=UnitNote(**cast.unit_note) if cast.unit_note else None,
    )


def _entry(entry: PublishedEntry) -> EntryOut:
    return EntryOut(position=entry.position, text=entry.text, hash=entry.hash)


@bp.get("/polls/<int:poll_id>/ballot-list")
@allow(Role.ANYONE)
@spec.validate(resp=Responses(HTTP_200=BallotListOut, **ERRORS), tags=["polls"])
def ballot_list(poll_id: int) -> BallotListOut:
    """The published ballot list (empty until the poll closes)."""
    with transaction() as s:
        poll = get_poll(s, poll_id)
        return BallotListOut(
            poll_id=poll.id,
            final_hash=poll.final_hash,
            entries=[_entry(e) for e in published_entries(s, poll)],
        )


@bp.get("/polls/<int:poll_id>/receipts/<code>")
@allow(Role.ANYONE)
@spec.validate(resp=Responses(HTTP_200=ReceiptCheckOut, **ERRORS), tags=["polls"])
def receipt(poll_id: int, code: str) -> ReceiptCheckOut:
    """Check a receipt code against the published list."""
    with transaction() as s:
        poll = get_poll(s, poll_id)
        entry = check_receipt(s, poll, code)
        return ReceiptCheckOut(
            found=entry is not None,
            entry=_entry(entry) if entry else None,
            choices=receipt_choices(s, poll, code) if entry else [],
        )
