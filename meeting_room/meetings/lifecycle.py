"""The steps of a meeting's life on the database: each step sets the meeting's state and its
time, and adds a ``MeetingTransition`` naming who took it (the audit log holds both rows, in the
step's own transaction). ``domain.lifecycle`` says which step may follow which.

Functions of (session, meeting, …, now): the services (``life.service``, the minutes'
publishing in ``records``) call them inside their one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.domain.lifecycle import check_move
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import MeetingStatus
from meeting_room.meetings.meetings import bump_version, summarise_attendance
from meeting_room.meetings.snapshot import attendance_snapshot
from meeting_room.store.models.meetings import Meeting, MeetingTransition

# The hook point for a higher layer: ``app.extensions[AFTER_MOVE]`` lists functions of
# (session, meeting) run inside the step's transaction once a meeting is announced or opened
# (the composition root registers follow-up's report item: ``followup.service.ensure_report``).
AFTER_MOVE = "yishi.after_move"
HOOKED = (MeetingStatus.ANNOUNCED, MeetingStatus.OPEN)

STEP_TIME = {
    MeetingStatus.ANNOUNCED: "announced_at",
    MeetingStatus.OPEN: "opened_at",
    MeetingStatus.CLOSED: "closed_at",
    MeetingStatus.MINUTES_PUBLISHED: "minutes_published_at",
}


def move(
    session: Session,
    meeting: Meeting,
    wanted: MeetingStatus,
    by: str,
    now: datetime,
    reason: str = "",
    quorum_met: bool | None = None,
) -> MeetingTransition:
    """Take the meeting one step on (``MEETING_STATE`` unless it is the next one), recorded
    with who and when; the meeting's version moves so every screen redraws."""
    current = MeetingStatus(meeting.status)
    check_move(current, wanted)
    meeting.status = wanted
    setattr(meeting, STEP_TIME[wanted], now)
    step = MeetingTransition(
        meeting_id=meeting.id,
        from_status=current,
        to_status=wanted,
        at=now,
        by=by[:64],
        quorum_met=quorum_met,
        reason=reason,
    )
    session.add(step)
    bump_version(meeting)
    if wanted in HOOKED and has_app_context():
        hooks: list[Callable[[Session, Meeting], None]] = current_app.extensions.get(AFTER_MOVE, [])
        for hook in hooks:
            hook(session, meeting)
    return step


def open_meeting(
    session: Session, meeting: Meeting, by: str, now: datetime, confirmed: bool
) -> MeetingTransition:
    """The moderator opens the meeting: the quorum at this moment is recorded on the meeting.
    Without quorum it is refused (``OPEN_WITHOUT_QUORUM``) unless the moderator confirmed,
    and the confirmation is recorded as the step's reason."""
    check_move(MeetingStatus(meeting.status), MeetingStatus.OPEN)
    snapshot = attendance_snapshot(summarise_attendance(session, meeting))
    met = snapshot.quorum_met
    if not met and not confirmed:
        raise Refusal(Problem.OPEN_WITHOUT_QUORUM)
    meeting.opening_quorum = snapshot.model_dump(mode="json", exclude={"version"})
    reason = "" if met else "opened without quorum: confirmed by the moderator"
    return move(session, meeting, MeetingStatus.OPEN, by, now, reason, quorum_met=met)


def transitions(session: Session, meeting: Meeting) -> list[MeetingTransition]:
    """The meeting's steps so far, oldest first."""
    return list(
        session.scalars(
            select(MeetingTransition)
            .where(MeetingTransition.meeting_id == meeting.id)
            .order_by(MeetingTransition.id)
        )
    )


def check_open(meeting: Meeting) -> None:
    """Refuse (``MEETING_STATE``) closing a meeting that is not open."""
    check_move(MeetingStatus(meeting.status), MeetingStatus.CLOSED)
