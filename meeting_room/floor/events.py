"""Socket.IO events of the floor discussion (see docs/events.md).

/moderator: the moderator console (staff only) runs the agenda, the list and the clock.
/phone: an attendee asks for the floor or withdraws with their personal token.
Each handler calls ``floor.service`` (one committed transaction, then a ``floor`` snapshot to
projectors, moderators and phones) and answers the floor as the change left it.
"""

from __future__ import annotations

from typing import Any

from flask_socketio import join_room

from meeting_room.access.roles import Role
from meeting_room.access.sockets import on_event, socket_principal
from meeting_room.clock import now
from meeting_room.floor import service, statistics
from meeting_room.floor.schemas import (
    AddItemIn,
    AddSpeakerIn,
    FloorAck,
    FloorState,
    ItemIn,
    NextIn,
    PhoneFloorIn,
    PhoneWithdrawIn,
    ReorderIn,
    RequestAck,
    StartItemIn,
    StatsIn,
    StatsOut,
    TimerIn,
    UndoIn,
    WithdrawIn,
)
from meeting_room.floor.snapshot import committed_floor
from meeting_room.meetings.meetings import get_meeting
from meeting_room.store.storage import transaction
from meeting_room.web.rooms import MODERATOR, PHONE, meeting_room_name
from meeting_room.web.sockets import Handler, MeetingIn


def moderator_join(wanted: MeetingIn) -> FloorState:
    """Sent by the console on (re)connect; answers the floor snapshot."""
    with transaction() as s:
        snapshot = committed_floor(s, get_meeting(s, wanted.meeting_id), now())
    join_room(meeting_room_name(wanted.meeting_id))
    return FloorState(floor=snapshot)


def start_item(wanted: StartItemIn) -> FloorAck:
    """Moderator: open an agenda item for discussion; refused (``confirm_no_quorum``,
    ``confirm_restart``) until sent again with ``confirm`` after the console's warning."""
    by = staff_name() if wanted.confirm else None
    return FloorAck(floor=service.start_item(wanted.meeting_id, wanted.item_id, by))


def undo_end(wanted: UndoIn) -> FloorAck:
    """Moderator: give back the speech that ended moments ago (the console's 撤销)."""
    return FloorAck(floor=service.undo_end(wanted.meeting_id, wanted.speech_id, staff_name()))


def staff_name() -> str:
    """Who acts on this socket, for the record: the account, else the paired device."""
    principal = socket_principal()
    return principal.username or principal.device_name


def finish_item(wanted: ItemIn) -> FloorAck:
    """Moderator: close an agenda item."""
    return FloorAck(floor=service.finish_item(wanted.meeting_id, wanted.item_id))


def reorder(wanted: ReorderIn) -> FloorAck:
    """Moderator: reorder the agenda."""
    return FloorAck(floor=service.reorder(wanted.meeting_id, wanted.item_ids))


def add_item(wanted: AddItemIn) -> FloorAck:
    """Moderator: add an agenda item at the end."""
    return FloorAck(floor=service.add_item(wanted.meeting_id, wanted))


def add_speaker(wanted: AddSpeakerIn) -> FloorAck:
    """Moderator: add a hand raised in the room to the list."""
    snapshot = service.add_speaker(
        wanted.meeting_id, wanted.member_id, wanted.stance, wanted.kind, wanted.override
    )
    return FloorAck(floor=snapshot)


def next_speaker(wanted: NextIn) -> FloorAck:
    """Moderator: give the floor to the next speaker (or a chosen one, recorded)."""
    return FloorAck(floor=service.next_speaker(wanted.meeting_id, wanted.request_id))


def withdraw(wanted: WithdrawIn) -> FloorAck:
    """Moderator: take a request off the list."""
    return FloorAck(floor=service.withdraw(wanted.meeting_id, wanted.request_id))


def timer(wanted: TimerIn) -> FloorAck:
    """Moderator: pause, resume, add time to or stop the speech under way."""
    return FloorAck(floor=service.change_clock(wanted.meeting_id, wanted.action, wanted.seconds))


def speaking_statistics(wanted: StatsIn) -> StatsOut:
    """Moderator: the live statistics (sent again at every floor change the console sees)."""
    with transaction() as s:
        meeting = get_meeting(s, wanted.meeting_id)
        return statistics.speaking_statistics(s, meeting, now(), wanted.item_id)


def phone_request(wanted: PhoneFloorIn) -> RequestAck:
    """Attendee: ask for the floor on the item under discussion; answers the request's id."""
    request_id, snapshot = service.request_from_phone(wanted.token, wanted.stance, wanted.kind)
    return RequestAck(request_id=request_id, floor=snapshot)


def phone_withdraw(wanted: PhoneWithdrawIn) -> FloorAck:
    """Attendee: withdraw their own waiting request."""
    return FloorAck(floor=service.withdraw_from_phone(wanted.token))


MODERATOR_EVENTS: dict[str, Handler[Any]] = {
    "join": moderator_join,
    "agenda.start": start_item,
    "agenda.finish": finish_item,
    "agenda.reorder": reorder,
    "agenda.add": add_item,
    "speaker.add": add_speaker,
    "speaker.next": next_speaker,
    "speaker.withdraw": withdraw,
    "timer": timer,
    "speech.undo": undo_end,
    "statistics": speaking_statistics,
}


def register() -> None:
    """Bind the floor's handlers on this app's server."""
    for event, handler in MODERATOR_EVENTS.items():
        on_event(event, handler, MODERATOR, [Role.MODERATOR])
    on_event("floor.request", phone_request, PHONE, [Role.ATTENDEE])
    on_event("floor.withdraw", phone_withdraw, PHONE, [Role.ATTENDEE])
