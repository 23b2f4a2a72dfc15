"""Socket.IO events of the floor discussion (see docs/events.md).

/moderator: the moderator console (staff only) runs the agenda, the list and the clock.
/phone: an attendee asks for the floor or withdraws with their personal token.
Every change is committed, then a ``floor`` snapshot goes to projectors, moderators and phones.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated, Any, Literal

from flask import Flask
from flask_socketio import join_room
from pydantic import BaseModel, Field, StringConstraints, ValidationError
from sqlalchemy.orm import Session

from meeting_room.access.guard import Role, on_event
from meeting_room.attendance.attendance import attendance_by_token
from meeting_room.clock import now
from meeting_room.domain.problems import Refusal
from meeting_room.domain.words import ItemKind, RequestKind, RequestStatus, Stance
from meeting_room.extensions import socketio
from meeting_room.floor import floor
from meeting_room.floor.snapshot import (
    FloorSnapshot,
    committed_floor,
    floor_snapshot,
    phone_floor,
    remember,
)
from meeting_room.meetings.meetings import get_meeting
from meeting_room.screens.events import JoinIn, error_ack, invalid_ack
from meeting_room.store.models import Meeting, SpeechRequest
from meeting_room.store.storage import transaction
from meeting_room.voice.announcements import announce_speaker
from meeting_room.web.broadcast import MODERATOR, PHONE, PROJECTOR, meeting_room_name

log = logging.getLogger(__name__)


class ItemIn(BaseModel):
    """An agenda item named by id."""

    meeting_id: int
    item_id: int


class ReorderIn(BaseModel):
    """The agenda's new order."""

    meeting_id: int
    item_ids: list[int] = Field(max_length=200)


class AddItemIn(BaseModel):
    """A new agenda item."""

    meeting_id: int
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    kind: ItemKind = ItemKind.DISCUSSION
    planned_minutes: int = Field(default=10, ge=1, le=600)
    description: str = Field(default="", max_length=2000)


class AddSpeakerIn(BaseModel):
    """A hand raised in the room, added by the moderator (``override`` sets a rule aside)."""

    meeting_id: int
    member_id: int
    stance: Stance = Stance.NEUTRAL
    kind: RequestKind = RequestKind.SPEECH
    override: bool = False


class NextIn(BaseModel):
    """Give the floor to the head of the queue, or to a chosen request."""

    meeting_id: int
    request_id: int | None = None


class WithdrawIn(BaseModel):
    """Take a request off the list."""

    meeting_id: int
    request_id: int


class TimerIn(BaseModel):
    """A clock action on the speech under way."""

    meeting_id: int
    action: Literal["pause", "resume", "toggle", "add", "stop"]
    seconds: int = Field(default=30, ge=-600, le=600)


class PhoneFloorIn(BaseModel):
    """An attendee asks for the floor from their phone."""

    token: Annotated[str, StringConstraints(max_length=64)]
    stance: Stance = Stance.NEUTRAL
    kind: RequestKind = RequestKind.SPEECH


class PhoneWithdrawIn(BaseModel):
    """An attendee withdraws their waiting request."""

    token: Annotated[str, StringConstraints(max_length=64)]


def changed_floor(meeting_id: int, change: Callable[[Session, Meeting], object]) -> FloorSnapshot:
    """Apply ``change`` to the meeting in one committed transaction; the floor as committed.

    The snapshot is read in the change's own transaction (what it loaded is at hand), and
    kept for ``committed_floor`` only after the commit.
    """
    with transaction() as s:
        meeting = get_meeting(s, meeting_id)
        change(s, meeting)
        s.flush()
        snapshot = floor_snapshot(s, meeting, now())
    return remember(snapshot)


def emit_floor(meeting_id: int, snapshot: FloorSnapshot | None = None) -> dict[str, Any]:
    """Send the floor snapshot (``snapshot``, or the committed one read now) to every
    projector, moderator and phone of the meeting (the phones get ``phone_floor``'s smaller
    one); answers the whole snapshot.

    Each payload is built and encoded once, whatever the number of screens.
    """
    if snapshot is None:
        with transaction() as s:
            snapshot = committed_floor(s, get_meeting(s, meeting_id), now())
    payload = snapshot.model_dump(mode="json")
    room = meeting_room_name(meeting_id)
    for namespace in (PROJECTOR, MODERATOR):  # the wall first: a few screens, all watched
        socketio.emit("floor", payload, namespace=namespace, to=room)
    socketio.emit("floor", phone_floor(snapshot).model_dump(mode="json"), namespace=PHONE, to=room)
    return payload


def _act(
    model: type[BaseModel], change: Callable[[Session, Meeting, Any], object], data: Any
) -> dict[str, Any]:
    """Validate, apply ``change`` in one committed transaction, broadcast; answer an ack."""
    try:
        wanted = model.model_validate(data)
        meeting_id: int = wanted.meeting_id  # type: ignore[attr-defined]
        snapshot = changed_floor(meeting_id, lambda s, m: change(s, m, wanted))
    except ValidationError as error:
        return invalid_ack(error)
    except Refusal as refusal:
        return error_ack(refusal)
    return {"ok": True, "floor": emit_floor(meeting_id, snapshot)}


def moderator_join(data: Any) -> dict[str, Any]:
    """Sent by the console on (re)connect; answers the floor snapshot."""
    try:
        wanted = JoinIn.model_validate(data)
        with transaction() as s:
            snapshot = committed_floor(s, get_meeting(s, wanted.meeting_id), now())
    except ValidationError as error:
        return invalid_ack(error)
    except Refusal as refusal:
        return error_ack(refusal)
    join_room(meeting_room_name(wanted.meeting_id))
    return {"floor": snapshot.model_dump(mode="json")}


def start_item(data: Any) -> dict[str, Any]:
    """Moderator: open an agenda item for discussion."""
    return _act(ItemIn, lambda s, m, w: floor.start_item(s, m, w.item_id, now()), data)


def finish_item(data: Any) -> dict[str, Any]:
    """Moderator: close an agenda item."""
    return _act(ItemIn, lambda s, m, w: floor.finish_item(s, m, w.item_id, now()), data)


def reorder(data: Any) -> dict[str, Any]:
    """Moderator: reorder the agenda."""
    return _act(ReorderIn, lambda s, m, w: floor.reorder(s, m, w.item_ids), data)


def add_item(data: Any) -> dict[str, Any]:
    """Moderator: add an agenda item."""
    return _act(
        AddItemIn,
        lambda s, m, w: floor.add_item(s, m, w.title, w.kind, w.planned_minutes, w.description),
        data,
    )


def add_speaker(data: Any) -> dict[str, Any]:
    """Moderator: add a hand raised in the room to the list."""
    return _act(
        AddSpeakerIn,
        lambda s, m, w: floor.request_floor(
            s, m, w.member_id, w.stance, w.kind, "moderator", now(), override=w.override
        ),
        data,
    )


def next_speaker(data: Any) -> dict[str, Any]:
    """Moderator: give the floor to the next speaker (or a chosen one, recorded); the wall says
    who speaks and for how long."""
    answer = _act(NextIn, lambda s, m, w: floor.give_floor(s, m, now(), w.request_id), data)
    if answer.get("ok"):
        # Let the floor's packets go out to every phone first (under gevent, the writers
        # run now): an announcement takes a few ms, and far longer the first time (a voice
        # and the pinyin tables load), during which nothing else would be sent.
        socketio.sleep(0)
        announce_speaker(answer["floor"])
    return answer


def withdraw(data: Any) -> dict[str, Any]:
    """Moderator: take a request off the list."""
    return _act(WithdrawIn, lambda s, m, w: floor.withdraw(s, m, w.request_id), data)


def timer(data: Any) -> dict[str, Any]:
    """Moderator: pause, resume, add time to or stop the speech under way."""
    return _act(TimerIn, lambda s, m, w: floor.change_clock(s, m, w.action, now(), w.seconds), data)


def _own_request(s: Session, meeting: Meeting, member_id: int) -> SpeechRequest | None:
    item = floor.active_item(s, meeting)
    if item is None:
        return None
    mine = [r for r in floor.waiting_requests(s, item) if r.member_id == member_id]
    return mine[0] if mine else None


def phone_request(data: Any) -> dict[str, Any]:
    """Attendee: ask for the floor on the item under discussion; answers the request's id."""
    try:
        wanted = PhoneFloorIn.model_validate(data)
        with transaction() as s:
            row = attendance_by_token(s, wanted.token)
            meeting_id = row.meeting_id
            request = floor.request_floor(
                s, row.meeting, row.member_id, wanted.stance, wanted.kind, "phone", now()
            )
            request_id = request.id
    except ValidationError as error:
        return invalid_ack(error)
    except Refusal as refusal:
        return error_ack(refusal)
    return {"ok": True, "request_id": request_id, "floor": emit_floor(meeting_id)}


def phone_withdraw(data: Any) -> dict[str, Any]:
    """Attendee: withdraw their own waiting request."""
    try:
        wanted = PhoneWithdrawIn.model_validate(data)
        with transaction() as s:
            row = attendance_by_token(s, wanted.token)
            meeting_id = row.meeting_id
            mine = _own_request(s, row.meeting, row.member_id)
            if mine is not None and mine.status == RequestStatus.WAITING:
                floor.withdraw(s, row.meeting, mine.id, row.member_id)
    except ValidationError as error:
        return invalid_ack(error)
    except Refusal as refusal:
        return error_ack(refusal)
    return {"ok": True, "floor": emit_floor(meeting_id)}


def watch_overruns(app: Flask, period: float = 0.5) -> None:
    """Stop speeches at their deadline where the meeting asked for it, and close polls whose
    countdown ran out (runs while serving).

    It reads the stored deadlines, so a restarted server still acts on time.
    """
    from meeting_room.voice.announcements import announce_closing
    from meeting_room.voting.service import close_expired

    while True:
        try:
            with app.app_context():
                with transaction() as s:
                    changed = floor.stop_overrun_speeches(s, now())
                for meeting_id in changed:
                    emit_floor(meeting_id)
            close_expired(app)
            announce_closing(app)
        except Exception as error:  # a full disk, a lost database: try again next round
            log.error("the deadline watcher could not act this round: %s", type(error).__name__)
        socketio.sleep(period)


MODERATOR_EVENTS = {
    "join": moderator_join,
    "agenda.start": start_item,
    "agenda.finish": finish_item,
    "agenda.reorder": reorder,
    "agenda.add": add_item,
    "speaker.add": add_speaker,
    "speaker.next": next_speaker,
    "speaker.withdraw": withdraw,
    "timer": timer,
}


def register() -> None:
    """Bind the floor's handlers on this app's server."""
    for event, handler in MODERATOR_EVENTS.items():
        on_event(event, handler, MODERATOR, [Role.MODERATOR])
    on_event("floor.request", phone_request, PHONE, [Role.ATTENDEE])
    on_event("floor.withdraw", phone_withdraw, PHONE, [Role.ATTENDEE])
