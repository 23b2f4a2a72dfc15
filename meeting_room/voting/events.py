"""Socket.IO events of voting (see docs/events.md).

/moderator (staff): poll.create, poll.open, poll.close, poll.publish.
/phone: ballot.cast with the personal token and a client-made ballot id (resent safely).
/booth: join to follow the meeting's polls (ballots go through the booth's HTTP calls).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints, ValidationError

from meeting_room.access.guard import Role, on_event, on_hot_event
from meeting_room.clock import now
from meeting_room.domain.counting import Rule, Weighting
from meeting_room.domain.problems import Refusal
from meeting_room.domain.words import Eligibility, MemberGroup, PollKind
from meeting_room.meetings.meetings import get_meeting
from meeting_room.screens.events import JoinIn, error_ack, invalid_ack
from meeting_room.store.storage import transaction
from meeting_room.voting import service as poll_actions
from meeting_room.voting.ballot_batch import PhoneVote
from meeting_room.voting.polls import PollDraft, get_poll
from meeting_room.voting.snapshot import current_poll, poll_view
from meeting_room.web.broadcast import BOOTH, MODERATOR, PHONE, meeting_room_name

Token = Annotated[str, StringConstraints(max_length=64)]


class PollIn(BaseModel):
    """A poll to draft."""

    meeting_id: int
    question: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    kind: PollKind = PollKind.YES_NO
    options: list[Annotated[str, StringConstraints(max_length=100)]] = Field(
        default_factory=list, max_length=20
    )
    max_choices: int = Field(default=1, ge=1, le=20)
    eligibility: Eligibility = Eligibility.ALL
    groups: list[MemberGroup] = Field(default_factory=list)
    secret: bool = True
    weighting: Weighting = Weighting.HEADCOUNT
    rule: Rule = Rule.SIMPLE_MAJORITY
    duration_s: int | None = Field(default=None, ge=10, le=3600)
    item_id: int | None = None

    def draft(self) -> PollDraft:
        """The service's draft."""
        return PollDraft(
            question=self.question,
            kind=self.kind,
            options=tuple(self.options),
            max_choices=self.max_choices,
            eligibility=self.eligibility,
            groups=tuple(self.groups),
            secret=self.secret,
            weighting=self.weighting.value,
            rule=self.rule.value,
            duration_s=self.duration_s,
            item_id=self.item_id,
        )


class PollIdIn(BaseModel):
    """A poll named by id."""

    poll_id: int


class BallotIn(BaseModel):
    """A ballot from a phone: the token, the poll, the choices, and a ballot id made once."""

    token: Token
    poll_id: int
    choices: list[Annotated[str, StringConstraints(max_length=100)]] = Field(max_length=20)
    client_id: Annotated[str, StringConstraints(min_length=8, max_length=64)]


def _run(action: Any, model: type[BaseModel], data: Any) -> dict[str, Any]:
    try:
        wanted = model.model_validate(data)
        view = action(wanted)
    except ValidationError as error:
        return invalid_ack(error)
    except Refusal as refusal:
        return error_ack(refusal)
    return {"ok": True, "poll": view.model_dump(mode="json")}


def create(data: Any) -> dict[str, Any]:
    """Moderator: draft a poll (broadcast as ``poll`` with status draft)."""
    return _run(lambda w: poll_actions.create(w.meeting_id, w.draft()), PollIn, data)


def open_(data: Any) -> dict[str, Any]:
    """Moderator: open a poll; every phone shows the ballot."""
    return _run(lambda w: poll_actions.open_poll(w.poll_id), PollIdIn, data)


def close(data: Any) -> dict[str, Any]:
    """Moderator: close a poll; the projector shows the result."""
    return _run(lambda w: poll_actions.close(w.poll_id), PollIdIn, data)


def publish(data: Any) -> dict[str, Any]:
    """Moderator: publish a closed poll's result."""
    return _run(lambda w: poll_actions.publish(w.poll_id), PollIdIn, data)


def phone_ballot(data: Any) -> dict[str, Any]:
    """Attendee: cast a ballot; answers the receipt code (the same one if resent).

    A hot event (``access.on_hot_event``): a refusal is raised, and answered in words there.
    """
    wanted = BallotIn.model_validate(data)
    cast = poll_actions.cast_from_phone(
        PhoneVote(wanted.token, wanted.poll_id, tuple(wanted.choices), wanted.client_id)
    )
    return {
        "ok": True,
        "receipt": cast.receipt,
        "replaced": cast.replaced,
        "repeated": cast.repeated,
    }


def booth_join(data: Any) -> dict[str, Any]:
    """Booth: follow a meeting's polls; answers the poll in view."""
    try:
        wanted = JoinIn.model_validate(data)
        with transaction() as s:
            poll = current_poll(s, get_meeting(s, wanted.meeting_id))
            view = poll_view(s, poll, now()).model_dump(mode="json") if poll else None
    except ValidationError as error:
        return invalid_ack(error)
    except Refusal as refusal:
        return error_ack(refusal)
    from flask_socketio import join_room

    join_room(meeting_room_name(wanted.meeting_id))
    return {"poll": view}


def poll_state(data: Any) -> dict[str, Any]:
    """Any screen: the current state of one poll (for a resync)."""
    try:
        wanted = PollIdIn.model_validate(data)
        with transaction() as s:
            view = poll_view(s, get_poll(s, wanted.poll_id), now())
    except ValidationError as error:
        return invalid_ack(error)
    except Refusal as refusal:
        return error_ack(refusal)
    return {"poll": view.model_dump(mode="json")}


def register() -> None:
    """Bind the voting handlers on this app's server."""
    for event, handler in (
        ("poll.create", create),
        ("poll.open", open_),
        ("poll.close", close),
        ("poll.publish", publish),
        ("poll.state", poll_state),
    ):
        on_event(event, handler, MODERATOR, [Role.MODERATOR])
    on_hot_event("ballot.cast", phone_ballot, PHONE, [Role.ATTENDEE])
    # The state of a poll is on the wall screen for everyone in the hall; phones ask by id.
    on_event("poll.state", poll_state, PHONE, [Role.ANYONE])
    on_event("join", booth_join, BOOTH, [Role.BOOTH, Role.CLERK])
    on_event("poll.state", poll_state, BOOTH, [Role.BOOTH, Role.CLERK])
