"""Giving an ended speech back: one stray key (N, E) or click must not cut a speaker off for
good.

For ``domain.timer.UNDO_WINDOW`` after a speech ended, the moderator may restore it: its
clock runs on from the time it had used (the seconds in between are not counted), and the
speech the same key started in its place is taken back, its request waiting again at its
place in the list. The undo is recorded (``FloorConfirmation``) beside the audited rows.
One unit of work on the caller's ``Session``; takes ``now``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.timer import undo_open
from meeting_room.domain.words import Confirmed, RequestStatus
from meeting_room.floor.agenda import active_or_refuse
from meeting_room.floor.discussion import speeches
from meeting_room.floor.timing import clock_of, store_clock
from meeting_room.meetings.meetings import bump_version
from meeting_room.store.models.floor import FloorConfirmation, Speech, SpeechRequest
from meeting_room.store.models.meetings import Meeting


def undo_end(session: Session, meeting: Meeting, speech_id: int, by: str, now: datetime) -> Speech:
    """Restore the speech ``speech_id`` ended moments ago on the item under discussion.

    Refused in words (``UNDO_EXPIRED``) once the window has passed, or when someone has spoken
    since (only the speech the same key started is taken back).
    """
    item = active_or_refuse(session, meeting)
    given = speeches(session, item)
    speech = next((s for s in given if s.id == speech_id), None)
    if speech is None or speech.stopped_at is None or not undo_open(speech.stopped_at, now):
        raise Refusal(Problem.UNDO_EXPIRED)
    later = [s for s in given if s.id != speech.id and s.started_at >= speech.stopped_at]
    if any(s.started_at != speech.stopped_at or s.stopped_at is not None for s in later):
        raise Refusal(Problem.UNDO_EXPIRED)
    for started in later:  # given the floor by the same key: back to the list
        request = session.get(SpeechRequest, started.request_id) if started.request_id else None
        if request is not None:
            request.status = RequestStatus.WAITING
        session.delete(started)
    store_clock(speech, clock_of(speech).reopen(now))
    session.add(
        FloorConfirmation(
            meeting_id=meeting.id,
            item_id=item.id,
            what=Confirmed.SPEECH_END_UNDONE,
            detail=f"speech={speech.id}",
            by=by,
            at=now,
        )
    )
    bump_version(meeting)
    session.flush()
    return speech
