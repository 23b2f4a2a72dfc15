"""A meeting's life, its one writer: the clerk posts it, the moderator opens and closes it.

Each step is one committed transaction (the state, its time, who took it: ``meetings.lifecycle``),
then one ``meeting.state`` snapshot to every screen of the meeting and to the notice boards.
Closing first ends what still runs, when the moderator confirmed it: each open poll is closed
and counted by ``voting.service.close`` and the active item (with its speech) finished by
``floor.service.finish_item``, each its own transaction and broadcast as if the moderator had
done it; the close then records what it ended as its reason. A crash between them leaves the
meeting open with those already ended: closing again finds nothing running.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from meeting_room.clock import now
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import MeetingStatus, PollStatus
from meeting_room.extensions import socketio
from meeting_room.floor import service as floor
from meeting_room.floor.agenda import active_item
from meeting_room.floor.timing import current_speech
from meeting_room.meetings import lifecycle
from meeting_room.meetings.meetings import get_meeting
from meeting_room.meetings.snapshot import MeetingState, meeting_state
from meeting_room.store.backups import meeting_closed
from meeting_room.store.models.voting import Poll
from meeting_room.store.storage import transaction
from meeting_room.voice.announcements import announce_meeting_closed, announce_meeting_opened
from meeting_room.voting import service as voting
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
)

SCREENS = (PROJECTOR, MODERATOR, CLERK, KIOSK, BOOTH, PHONE)


@dataclass(frozen=True)
class Running:
    """What still runs in an open meeting, that closing it would end."""

    polls: list[tuple[int, str]]  # (poll id, question)
    item: tuple[int, str] | None  # (item id, title) of the item under discussion
    speaker: str | None  # the name of whoever has the floor on it

    @property
    def anything(self) -> bool:
        """Whether closing would end something."""
        return bool(self.polls or self.item)


def emit_state(state: MeetingState) -> MeetingState:
    """Send ``meeting.state`` to every screen of the meeting and to the notice boards."""
    payload = state.model_dump(mode="json")
    room = meeting_room_name(state.meeting_id)
    for namespace in SCREENS:
        socketio.emit("meeting.state", payload, namespace=namespace, to=room)
    socketio.emit("meeting.state", payload, namespace=BOARD, to=BOARD_ROOM)
    return state


def announce(meeting_id: int, by: str) -> MeetingState:
    """The clerk posts a draft meeting on the board: the notice period counts from now."""
    with transaction() as s:
        meeting = get_meeting(s, meeting_id)
        lifecycle.move(s, meeting, MeetingStatus.ANNOUNCED, by, now())
        state = meeting_state(meeting)
    return emit_state(state)


def open_meeting(meeting_id: int, by: str, confirmed: bool = False) -> MeetingState:
    """The moderator opens a posted meeting, its quorum at this moment recorded; without
    quorum only when ``confirmed`` (``OPEN_WITHOUT_QUORUM`` otherwise), the confirmation
    recorded. The projector shows it (``meeting.state``) and says it."""
    with transaction() as s:
        meeting = get_meeting(s, meeting_id)
        lifecycle.open_meeting(s, meeting, by, now(), confirmed)
        state = meeting_state(meeting)
        title, opening = meeting.title, dict(meeting.opening_quorum or {})
    emit_state(state)
    announce_meeting_opened(
        meeting_id,
        title,
        int(opening.get("in_person", 0)),
        int(opening.get("by_proxy", 0)),
        bool(opening.get("quorum_met")),
    )
    return state


def running(meeting_id: int) -> Running:
    """What closing the meeting now would end: open polls, the item under discussion and
    whoever has the floor (the moderator's confirmation lists them)."""
    with transaction() as s:
        meeting = get_meeting(s, meeting_id)
        polls = [
            (poll.id, poll.question)
            for poll in s.scalars(
                select(Poll)
                .where(Poll.meeting_id == meeting.id, Poll.status == PollStatus.OPEN)
                .order_by(Poll.id)
            )
        ]
        item = active_item(s, meeting)
        speech = current_speech(s, item) if item is not None else None
        return Running(
            polls=polls,
            item=(item.id, item.title) if item is not None else None,
            speaker=speech.member.name if speech is not None else None,
        )


def _reason(ended: Running) -> str:
    parts = [f"poll {pid} «{question}» closed" for pid, question in ended.polls]
    if ended.item is not None:
        speech = f", the speech of {ended.speaker} stopped" if ended.speaker else ""
        parts.append(f"item {ended.item[0]} «{ended.item[1]}» finished{speech}")
    return "ended by closing the meeting (confirmed by the moderator): " + "; ".join(parts)


def close_meeting(meeting_id: int, by: str, confirmed: bool = False) -> MeetingState:
    """The moderator closes an open meeting: its end time is recorded and sign-in stops.
    Open polls and the item under discussion must end first; with ``confirmed`` the close ends
    them (``CLOSE_WITH_RUNNING`` otherwise) and records what it ended as its reason."""
    with transaction() as s:
        lifecycle.check_open(get_meeting(s, meeting_id))
    ended = running(meeting_id)
    if ended.anything and not confirmed:
        raise Refusal(Problem.CLOSE_WITH_RUNNING, count=len(ended.polls) + bool(ended.item))
    for poll_id, _question in ended.polls:
        voting.close(poll_id)
    if ended.item is not None:
        floor.finish_item(meeting_id, ended.item[0])
    with transaction() as s:
        meeting = get_meeting(s, meeting_id)
        reason = _reason(ended) if ended.anything else ""
        lifecycle.move(s, meeting, MeetingStatus.CLOSED, by, now(), reason)
        state = meeting_state(meeting)
    meeting_closed(meeting_id)  # the backup after every meeting (store.backups)
    emit_state(state)
    announce_meeting_closed(meeting_id)
    return state
