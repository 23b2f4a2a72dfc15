"""Socket.IO events of voting (see docs/events.md).

/moderator (staff): poll.create, poll.open, poll.close, poll.publish, poll.state.
/phone: ballot.cast with the personal token and a client-made ballot id (resent safely).
/booth: join to follow the meeting's polls (ballots go through the booth's HTTP calls).
Each change goes through ``voting.service`` (one committed transaction, then a ``poll``
snapshot to every screen of the meeting).
"""

from __future__ import annotations

from flask_socketio import join_room

from meeting_room.access.roles import Role
from meeting_room.access.sockets import on_event, on_hot_event
from meeting_room.clock import now
from meeting_room.meetings.meetings import get_meeting
from meeting_room.store.storage import transaction
from meeting_room.voting import service
from meeting_room.voting.ballot_batch import PhoneVote
from meeting_room.voting.polls import get_poll
from meeting_room.voting.schemas import (
    BallotAck,
    BallotIn,
    PollAck,
    PollIdIn,
    PollIn,
    PollState,
    UnitNote,
)
from meeting_room.voting.snapshot import current_poll, poll_view
from meeting_room.web.rooms import BOOTH, MODERATOR, PHONE, meeting_room_name
from meeting_room.web.sockets import MeetingIn


def create(wanted: PollIn) -> PollAck:
    """Moderator: draft a poll (broadcast as ``poll`` with status draft)."""
    return PollAck(poll=service.create(wanted.meeting_id, wanted.draft()))


def open_(wanted: PollIdIn) -> PollAck:
    """Moderator: open a poll; every phone shows the ballot."""
    return PollAck(poll=service.open_poll(wanted.poll_id))


def close(wanted: PollIdIn) -> PollAck:
    """Moderator: close a poll; the projector shows the result."""
    return PollAck(poll=service.close(wanted.poll_id))


def publish(wanted: PollIdIn) -> PollAck:
    """Moderator: publish a closed poll's result."""
    return PollAck(poll=service.publish(wanted.poll_id))


def phone_ballot(wanted: BallotIn) -> BallotAck:
    """Attendee: cast a ballot; answers the receipt code (the same one if resent).

    A hot event (``access.sockets.on_hot_event``): no request context unless it is refused.
    """
    cast = service.cast_from_phone(
        PhoneVote(wanted.token, wanted.poll_id, tuple(wanted.choices), wanted.client_id)
    )
    return BallotAck(
        receipt=cast.receipt,
        replaced=cast.replaced,
        repeated=cast.repeated,
        unit_note=UnitNote(**cast.unit_note) if cast.unit_note else None,
    )


def booth_join(wanted: MeetingIn) -> PollState:
    """Booth: follow a meeting's polls; answers the poll in view."""
    with transaction() as s:
        poll = current_poll(s, get_meeting(s, wanted.meeting_id))
        state = PollState(poll=poll_view(s, poll, now()) if poll else None)
    join_room(meeting_room_name(wanted.meeting_id))
    return state


def poll_state(wanted: PollIdIn) -> PollState:
    """Any screen: the current state of one poll (for a resync)."""
    with transaction() as s:
        return PollState(poll=poll_view(s, get_poll(s, wanted.poll_id), now()))


def register() -> None:
    """Bind the voting handlers on this app's server."""
    on_event("poll.create", create, MODERATOR, [Role.MODERATOR])
    on_event("poll.open", open_, MODERATOR, [Role.MODERATOR])
    on_event("poll.close", close, MODERATOR, [Role.MODERATOR])
    on_event("poll.publish", publish, MODERATOR, [Role.MODERATOR])
    on_event("poll.state", poll_state, MODERATOR, [Role.MODERATOR])
    on_hot_event("ballot.cast", phone_ballot, PHONE, [Role.ATTENDEE])
    # The state of a poll is on the wall screen for everyone in the hall; phones ask by id.
    on_event("poll.state", poll_state, PHONE, [Role.ANYONE])
    on_event("join", booth_join, BOOTH, [Role.BOOTH, Role.CLERK])
    on_event("poll.state", poll_state, BOOTH, [Role.BOOTH, Role.CLERK])
