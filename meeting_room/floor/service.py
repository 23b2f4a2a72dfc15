"""The floor's one writer: the agenda, the list of speakers and the speaking clock.

Every change is one committed transaction, then one ``floor`` snapshot to the meeting's
projectors, moderator consoles and phones; nothing is broadcast before it is stored. The
moderator's socket events, the clerk's HTTP routes and the deadline watcher all call these
functions, so a change reaches every screen whichever way it came.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from meeting_room.attendance.tokens import attendance_by_token
from meeting_room.clock import now
from meeting_room.domain.words import ClockAction, RequestKind, RequestSource, RequestStatus, Stance
from meeting_room.extensions import socketio
from meeting_room.floor import agenda, discussion, ending, timing, undo
from meeting_room.floor.schemas import ItemDraft, ItemPatch, RulesIn
from meeting_room.floor.snapshot import (
    FloorSnapshot,
    committed_floor,
    floor_snapshot,
    phone_floor,
    remember,
)
from meeting_room.meetings.meetings import get_meeting
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.storage import transaction
from meeting_room.voice.announcements import announce_speaker
from meeting_room.web.rooms import MODERATOR, PHONE, PROJECTOR, meeting_room_name

Change = Callable[[Session, Meeting], object]


def changed_floor(meeting_id: int, change: Change) -> FloorSnapshot:
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


def emit_floor(meeting_id: int, snapshot: FloorSnapshot | None = None) -> FloorSnapshot:
    """Send the floor (``snapshot``, or the committed one read now) to every projector,
    moderator and phone of the meeting; the phones get ``phone_floor``'s smaller one.

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
    return snapshot


def _change(meeting_id: int, change: Change) -> FloorSnapshot:
    return emit_floor(meeting_id, changed_floor(meeting_id, change))


# --- the agenda and the rules of order ------------------------------------------------------


def add_item(meeting_id: int, draft: ItemDraft) -> FloorSnapshot:
    """Append an item to the agenda."""
    return _change(
        meeting_id,
        lambda s, m: agenda.add_item(
            s, m, draft.title, draft.kind, draft.planned_minutes, draft.description
        ),
    )


def edit_item(meeting_id: int, item_id: int, patch: ItemPatch) -> FloorSnapshot:
    """Correct an agenda item's title, description, kind or planned time."""
    return _change(
        meeting_id,
        lambda s, m: agenda.edit_item(
            s, m, item_id, patch.title, patch.description, patch.kind, patch.planned_minutes
        ),
    )


def remove_item(meeting_id: int, item_id: int) -> FloorSnapshot:
    """Take a pending item (and its draft polls) off the agenda."""
    return _change(meeting_id, lambda s, m: agenda.remove_item(s, m, item_id))


def reorder(meeting_id: int, item_ids: list[int]) -> FloorSnapshot:
    """Put the agenda in a new order (every item once)."""
    return _change(meeting_id, lambda s, m: agenda.reorder(s, m, item_ids))


def set_rules(meeting_id: int, wanted: RulesIn) -> FloorSnapshot:
    """Give the meeting its rules of order, warning and automatic stop."""
    return _change(
        meeting_id,
        lambda s, m: agenda.set_rules(s, m, wanted.rules(), wanted.warning_s, wanted.auto_stop),
    )


def start_item(meeting_id: int, item_id: int, confirmed_by: str | None = None) -> FloorSnapshot:
    """Open an agenda item for discussion (the one before it is finished first); without the
    quorum, or for a finished item, only once confirmed (recorded with ``confirmed_by``)."""
    return _change(
        meeting_id, lambda s, m: discussion.start_item(s, m, item_id, now(), confirmed_by)
    )


def finish_item(meeting_id: int, item_id: int) -> FloorSnapshot:
    """Close an agenda item: its speech stops, waiting requests lapse; the last one ends the
    meeting (the audit log's anchor is sealed, and the wall shows it)."""

    def finish(s: Session, m: Meeting) -> None:
        discussion.finish_item(s, m, item_id, now())
        ending.seal_if_ended(s, m, agenda.items_in_order(s, m))

    return _change(meeting_id, finish)


# --- the list of speakers and the clock -----------------------------------------------------


def add_speaker(
    meeting_id: int, member_id: int, stance: Stance, kind: RequestKind, override: bool
) -> FloorSnapshot:
    """A hand raised in the room, added by the moderator (an override is recorded)."""
    return _change(
        meeting_id,
        lambda s, m: discussion.request_floor(
            s, m, member_id, stance, kind, RequestSource.MODERATOR, now(), override=override
        ),
    )


def next_speaker(meeting_id: int, request_id: int | None = None) -> FloorSnapshot:
    """Give the floor to the head of the queue (or a chosen request, recorded); the wall says
    who speaks and for how long."""
    snapshot = _change(meeting_id, lambda s, m: discussion.give_floor(s, m, now(), request_id))
    # Let the floor's packets go out to every phone first (under gevent, the writers run
    # now): an announcement takes a few ms, and far longer the first time (a voice and the
    # pinyin tables load), during which nothing else would be sent.
    socketio.sleep(0)
    if snapshot.speaker is not None:
        limit_s = snapshot.speaker.clock.limit_ms // 1000
        # The voice calls the person who stands up: a proxy by their own name.
        speaker = snapshot.speaker
        announce_speaker(meeting_id, speaker.proxy_name or speaker.name, limit_s)
    return snapshot


def withdraw(meeting_id: int, request_id: int) -> FloorSnapshot:
    """Take a request off the list."""
    return _change(meeting_id, lambda s, m: discussion.withdraw(s, m, request_id))


def change_clock(meeting_id: int, action: ClockAction, seconds: int) -> FloorSnapshot:
    """Pause, resume, add time to or stop the speech under way."""
    return _change(meeting_id, lambda s, m: timing.change_clock(s, m, action, now(), seconds))


def undo_end(meeting_id: int, speech_id: int, by: str) -> FloorSnapshot:
    """Give back a speech ended moments ago (its clock runs on; the speech started in its
    place returns to the list); recorded with ``by``."""
    return _change(meeting_id, lambda s, m: undo.undo_end(s, m, speech_id, by, now()))


def stop_overruns() -> list[int]:
    """Stop every speech past its time in meetings that chose automatic stop; the meetings
    whose floor changed."""
    with transaction() as s:
        changed = timing.stop_overrun_speeches(s, now())
    for meeting_id in changed:
        emit_floor(meeting_id)
    return changed


# --- an attendee's own requests -------------------------------------------------------------


def request_from_phone(token: str, stance: Stance, kind: RequestKind) -> tuple[int, FloorSnapshot]:
    """An attendee asks for the floor on the item under discussion; the request's id."""
    with transaction() as s:
        row = attendance_by_token(s, token)
        meeting_id = row.meeting_id
        request = discussion.request_floor(
            s, row.meeting, row.member_id, stance, kind, RequestSource.PHONE, now()
        )
        request_id = request.id
    return request_id, emit_floor(meeting_id)


def withdraw_from_phone(token: str) -> FloorSnapshot:
    """An attendee withdraws their own waiting request (nothing to withdraw is no error)."""
    with transaction() as s:
        row = attendance_by_token(s, token)
        meeting_id = row.meeting_id
        item = agenda.active_item(s, row.meeting)
        mine = [
            r
            for r in (discussion.waiting_requests(s, item) if item else [])
            if r.member_id == row.member_id and r.status == RequestStatus.WAITING
        ]
        if mine:
            discussion.withdraw(s, row.meeting, mine[0].id, row.member_id)
    return emit_floor(meeting_id)
