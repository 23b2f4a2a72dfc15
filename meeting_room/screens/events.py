"""Socket.IO events of the room's screens (see docs/events.md for the contract).

Namespaces: /projector, /clerk and /kiosk follow a meeting's attendance; /phone follows one
attendee by their personal token.
"""

from __future__ import annotations

from typing import Any

from flask_socketio import join_room
from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from meeting_room.access.guard import Role, namespace, on_event
from meeting_room.attendance.snapshot import attendance_snapshot
from meeting_room.clock import now
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.tokens import token_hash
from meeting_room.floor.snapshot import committed_floor, phone_floor
from meeting_room.meetings.meetings import get_meeting, summarise_attendance
from meeting_room.store.models import Attendance, Participation, Poll
from meeting_room.store.storage import transaction
from meeting_room.voting.snapshot import current_poll, poll_view
from meeting_room.web.broadcast import (
    BOOTH,
    CLERK,
    KIOSK,
    MODERATOR,
    PHONE,
    PROJECTOR,
    meeting_room_name,
)
from meeting_room.web.messages import describe

# Who may connect to each namespace; each event then states its own roles.
NAMESPACE_ROLES = {
    PROJECTOR: [Role.PROJECTOR, Role.MODERATOR, Role.CLERK],
    CLERK: [Role.CLERK],
    KIOSK: [Role.KIOSK, Role.CLERK],
    BOOTH: [Role.BOOTH, Role.CLERK],
    MODERATOR: [Role.MODERATOR],
    # Phones connect freely; every event of theirs carries the attendee's personal token.
    PHONE: [Role.ATTENDEE],
}


class JoinIn(BaseModel):
    """A screen asks to follow a meeting."""

    meeting_id: int


class PhoneJoinIn(BaseModel):
    """A phone asks to follow its attendee's meeting."""

    token: str


def error_ack(refusal: Refusal) -> dict[str, Any]:
    return {"error": {"code": refusal.problem.value, "message": describe(refusal)}}


def invalid_ack(error: ValidationError) -> dict[str, Any]:
    fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in error.errors())
    return error_ack(Refusal(Problem.INVALID_INPUT, detail=fields or "payload"))


def join_meeting(data: Any) -> dict[str, Any]:
    """Sent by a projector, clerk desk or kiosk on (re)connect; answers the current snapshot.

    The screen then receives ``attendance`` and ``floor`` snapshots, each with the meeting's
    version.
    """
    try:
        wanted = JoinIn.model_validate(data)
        with transaction() as session:
            meeting = get_meeting(session, wanted.meeting_id)
            snapshot = attendance_snapshot(summarise_attendance(session, meeting))
            floor = committed_floor(session, meeting, now())
            poll = current_poll(session, meeting)
            poll_state = poll_view(session, poll, now()).model_dump(mode="json") if poll else None
    except ValidationError as error:
        return invalid_ack(error)
    except Refusal as refusal:
        return error_ack(refusal)
    join_room(meeting_room_name(wanted.meeting_id))
    return {
        "attendance": snapshot.model_dump(mode="json"),
        "floor": floor.model_dump(mode="json"),
        "poll": poll_state,
    }


# The poll a phone shows (``current_poll``: the open one, else the latest closed or
# published), as a column of the join's one query.
CURRENT_POLL = (
    select(Poll.id)
    .where(
        Poll.meeting_id == Attendance.meeting_id,
        Poll.status.in_(("open", "closed", "published")),
    )
    .order_by((Poll.status == "open").desc(), Poll.id.desc())
    .limit(1)
    .correlate(Attendance)
    .scalar_subquery()
)


def _phone_attendance(session: Session, token: str) -> tuple[Attendance, Poll | None]:
    """``attendance_by_token``, its meeting and ``current_poll`` in one query (the
    thousand phones of a hall all join within seconds)."""
    found = session.execute(
        select(Attendance, CURRENT_POLL)
        .options(joinedload(Attendance.meeting))
        .where(Attendance.token_hash == token_hash(token))
    ).first()
    if found is None or found[0].signed_out_at is not None:
        raise Refusal(Problem.TOKEN_UNKNOWN)
    row, poll_id = found
    return row, None if poll_id is None else session.get(Poll, poll_id)


def join_phone(data: Any) -> dict[str, Any]:
    """Sent by a phone page on (re)connect with its token; answers the attendee's state."""
    try:
        wanted = PhoneJoinIn.model_validate(data)
        with transaction() as session:
            row, poll = _phone_attendance(session, wanted.token)
            meeting = row.meeting
            meeting_id, status, version = row.meeting_id, meeting.status, meeting.version
            floor = committed_floor(session, meeting, now())
            mine = [w.request_id for w in floor.queue if w.member_id == row.member_id]
            poll_state = poll_view(session, poll, now()).model_dump(mode="json") if poll else None
            voted = poll is not None and (
                session.get(Participation, (poll.id, row.member_id)) is not None
            )
    except ValidationError as error:
        return invalid_ack(error)
    except Refusal as refusal:
        return error_ack(refusal)
    join_room(meeting_room_name(meeting_id))
    return {
        "meeting_id": meeting_id,
        "status": status,
        "version": version,
        "member_id": row.member_id,
        "my_request_ids": mine,
        "floor": phone_floor(floor).model_dump(mode="json"),
        "poll": poll_state,
        "voted": voted,
    }


def register() -> None:
    """Bind the handlers to the server ``socketio.init_app`` just made for this app."""
    for name, roles in NAMESPACE_ROLES.items():
        namespace(name, roles)
    on_event("join", join_meeting, PROJECTOR, NAMESPACE_ROLES[PROJECTOR])
    on_event("join", join_meeting, CLERK, NAMESPACE_ROLES[CLERK])
    on_event("join", join_meeting, KIOSK, NAMESPACE_ROLES[KIOSK])
    on_event("join", join_phone, PHONE, [Role.ATTENDEE])
