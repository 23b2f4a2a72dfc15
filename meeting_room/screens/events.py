"""Socket.IO events of the room's screens (see docs/events.md for the contract).

Namespaces: /projector, /clerk and /kiosk follow a meeting's attendance; /phone follows one
attendee by their personal token.
"""

from __future__ import annotations

from flask import current_app, request
from flask_socketio import join_room
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from meeting_room.access.connections import count_phone_socket
from meeting_room.access.roles import Role
from meeting_room.access.sockets import namespace, on_event
from meeting_room.clock import now
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.tokens import token_hash
from meeting_room.domain.words import MeetingStatus, PollStatus
from meeting_room.floor.snapshot import FloorSnapshot, committed_floor, phone_floor
from meeting_room.meetings.meetings import get_meeting, summarise_attendance
from meeting_room.meetings.snapshot import (
    AttendanceSnapshot,
    MeetingState,
    attendance_snapshot,
    meeting_state,
)
from meeting_room.store.models.meetings import Attendance, Meeting
from meeting_room.store.models.voting import Participation, Poll
from meeting_room.store.storage import transaction
from meeting_room.voting.snapshot import (
    CountedBallot,
    PollView,
    counted_ballot,
    current_poll,
    poll_view,
)
from meeting_room.web.rooms import (
    BOARD,
    BOARD_ROOM,
    BOOTH,
    CLERK,
    KIOSK,
    MODERATOR,
    PHONE,
    PROJECTOR,
    meeting_room_name,
    voter_room,
)
from meeting_room.web.sockets import MeetingIn

# Who may connect to each namespace; each event then states its own roles.
NAMESPACE_ROLES = {
    PROJECTOR: [Role.PROJECTOR, Role.MODERATOR, Role.CLERK],
    CLERK: [Role.CLERK],
    KIOSK: [Role.KIOSK, Role.CLERK],
    BOOTH: [Role.BOOTH, Role.CLERK],
    MODERATOR: [Role.MODERATOR],
    # Phones connect freely; every event of theirs carries the attendee's personal token.
    PHONE: [Role.ATTENDEE],
    # Notice boards show what is posted for everyone: they only listen.
    BOARD: [Role.ANYONE],
}


class PhoneJoinIn(BaseModel):
    """A phone asks to follow its attendee's meeting."""

    token: str


class ScreenJoined(BaseModel):
    """What a projector, clerk desk or kiosk starts from: the three snapshots."""

    attendance: AttendanceSnapshot
    floor: FloorSnapshot
    poll: PollView | None
    state: MeetingState


class BoardJoinIn(BaseModel):
    """A notice board asks to follow the meetings it shows."""

    meeting_ids: list[int] = Field(default_factory=list, max_length=20)


class BoardJoined(BaseModel):
    """The states of the meetings a board shows (then ``meeting.state`` as they change)."""

    meetings: list[MeetingState]


class PhoneJoined(BaseModel):
    """What a phone starts from: its attendee, the meeting's state, the floor and the poll."""

    meeting_id: int
    status: MeetingStatus
    version: int
    member_id: int
    my_request_ids: list[int]
    floor: FloorSnapshot
    poll: PollView | None
    voted: bool
    counted: CountedBallot | None = None
    state: MeetingState | None = None


def join_meeting(wanted: MeetingIn) -> ScreenJoined:
    """Sent by a projector, clerk desk or kiosk on (re)connect; answers the current snapshot.

    The screen then receives ``attendance``, ``floor`` and ``poll`` snapshots, each with the
    meeting's version.
    """
    with transaction() as session:
        meeting = get_meeting(session, wanted.meeting_id)
        poll = current_poll(session, meeting)
        joined = ScreenJoined(
            attendance=attendance_snapshot(summarise_attendance(session, meeting)),
            floor=committed_floor(session, meeting, now()),
            poll=poll_view(session, poll, now()) if poll else None,
            state=meeting_state(meeting),
        )
    join_room(meeting_room_name(wanted.meeting_id))
    return joined


def join_board(wanted: BoardJoinIn) -> BoardJoined:
    """Sent by a notice board on (re)connect: the states of the meetings it shows; it then
    hears ``meeting.state`` of every meeting (one it does not show yet, newly posted, too)."""
    with transaction() as session:
        found = [session.get(Meeting, meeting_id) for meeting_id in wanted.meeting_ids]
        joined = BoardJoined(
            meetings=[
                meeting_state(m) for m in found if m is not None and m.status != MeetingStatus.DRAFT
            ]
        )
    join_room(BOARD_ROOM)
    return joined


# The poll a phone shows (``current_poll``: the open one, else the latest closed or
# published), as a column of the join's one query.
CURRENT_POLL = (
    select(Poll.id)
    .where(
        Poll.meeting_id == Attendance.meeting_id,
        Poll.status.in_((PollStatus.OPEN, PollStatus.CLOSED, PollStatus.PUBLISHED)),
    )
    .order_by((Poll.status == PollStatus.OPEN).desc(), Poll.id.desc())
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


def join_phone(wanted: PhoneJoinIn) -> PhoneJoined:
    """Sent by a phone page on (re)connect with its token; answers the attendee's state.

    Refused (``too_many_connections``, in words the page shows) when the token already has
    its share of phone sockets open (``SOCKETS_PER_TOKEN``)."""
    with transaction() as session:
        row, poll = _phone_attendance(session, wanted.token)
        count_phone_socket(current_app, request.sid, token_hash(wanted.token))  # type: ignore[attr-defined]
        meeting = row.meeting
        floor = committed_floor(session, meeting, now())
        joined = PhoneJoined(
            meeting_id=row.meeting_id,
            status=MeetingStatus(meeting.status),
            version=meeting.version,
            member_id=row.member_id,
            my_request_ids=[w.request_id for w in floor.queue if w.member_id == row.member_id],
            floor=phone_floor(floor),
            poll=poll_view(session, poll, now()) if poll else None,
            voted=poll is not None
            and session.get(Participation, (poll.id, row.member_id)) is not None,
            counted=counted_ballot(session, poll, row.member_id) if poll else None,
            state=meeting_state(meeting),
        )
    join_room(meeting_room_name(joined.meeting_id))
    join_room(voter_room(joined.meeting_id, joined.member_id))
    return joined


def register() -> None:
    """Bind the handlers to the server ``socketio.init_app`` just made for this app."""
    for name, roles in NAMESPACE_ROLES.items():
        namespace(name, roles)
    on_event("join", join_meeting, PROJECTOR, NAMESPACE_ROLES[PROJECTOR])
    on_event("join", join_meeting, CLERK, NAMESPACE_ROLES[CLERK])
    on_event("join", join_meeting, KIOSK, NAMESPACE_ROLES[KIOSK])
    on_event("join", join_phone, PHONE, [Role.ATTENDEE])
    on_event("join", join_board, BOARD, [Role.ANYONE])
