"""The speaking clock on the database: a speech's stored clock, changing it, and the
automatic stop at the deadline. The arithmetic is pure (``domain.timer``); this loads and
stores. Each function is one unit of work on the caller's ``Session``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.timer import SpeechClock, TimerError
from meeting_room.domain.words import ClockAction
from meeting_room.floor.agenda import active_or_refuse
from meeting_room.meetings.meetings import bump_version
from meeting_room.store.models.floor import AgendaItem, Speech
from meeting_room.store.models.meetings import Meeting


def clock_of(speech: Speech) -> SpeechClock:
    """The stored clock of a speech."""
    return SpeechClock(
        limit=timedelta(milliseconds=speech.limit_ms),
        started_at=speech.started_at,
        resumed_at=speech.resumed_at,
        elapsed_before=timedelta(milliseconds=speech.elapsed_before_ms),
        stopped_at=speech.stopped_at,
    )


def store_clock(speech: Speech, clock: SpeechClock) -> None:
    speech.limit_ms = ms(clock.limit)
    speech.resumed_at = clock.resumed_at
    speech.elapsed_before_ms = ms(clock.elapsed_before)
    speech.stopped_at = clock.stopped_at


def ms(delta: timedelta) -> int:
    return round(delta / timedelta(milliseconds=1))


def current_speech(session: Session, item: AgendaItem) -> Speech | None:
    """The speech under way on an item (running or paused)."""
    return session.scalars(
        select(Speech).where(Speech.item_id == item.id, Speech.stopped_at.is_(None))
    ).first()


def under_way(given: list[Speech]) -> Speech | None:
    """The speech under way among an item's speeches (``speeches``), if any."""
    return next((s for s in reversed(given) if s.stopped_at is None), None)


def change_clock(
    session: Session, meeting: Meeting, action: ClockAction, now: datetime, seconds: int = 30
) -> Speech:
    """Pause, resume, add time to or stop the speech under way."""
    item = active_or_refuse(session, meeting)
    speech = current_speech(session, item)
    if speech is None:
        raise Refusal(Problem.NO_SPEECH)
    clock = clock_of(speech)
    try:
        match action:
            case ClockAction.PAUSE:
                clock = clock.pause(now)
            case ClockAction.RESUME:
                clock = clock.resume(now)
            case ClockAction.TOGGLE:
                clock = clock.pause(now) if clock.running else clock.resume(now)
            case ClockAction.ADD:
                clock = clock.add_time(timedelta(seconds=seconds), now)
            case ClockAction.STOP:
                clock = clock.stop(now)
    except TimerError as error:
        raise Refusal(Problem.TIMER_REFUSED, code=error.code.value) from error
    store_clock(speech, clock)
    bump_version(meeting)
    return speech


def stop_overrun_speeches(session: Session, now: datetime) -> list[int]:
    """Stop every running speech past its time in meetings that chose automatic stop.

    Returns the ids of the meetings whose floor changed.
    """
    changed = []
    running = session.execute(
        select(Speech, Meeting)
        .join(AgendaItem, Speech.item_id == AgendaItem.id)
        .join(Meeting, AgendaItem.meeting_id == Meeting.id)
        .where(Speech.stopped_at.is_(None), Speech.resumed_at.is_not(None), Meeting.auto_stop)
    ).all()
    for speech, meeting in running:
        clock = clock_of(speech)
        if clock.should_auto_stop(now, auto_stop=True):
            store_clock(speech, clock.stop(now))
            bump_version(meeting)
            changed.append(meeting.id)
    return changed
