"""The clerk desk's alerts (a member locked at the kiosk or the booth): raised, listed, resolved.

The writes are units of work on a ``Session`` the caller commits (``attendance.service``); each
moves the meeting's version, so every clerk desk reloads its alerts on the next snapshot.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import AlertKind
from meeting_room.meetings.meetings import bump_version
from meeting_room.store.models.meetings import Alert, Meeting
from meeting_room.store.models.roster import Member


def raise_alert(
    session: Session, meeting: Meeting, kind: AlertKind, member: Member, now: datetime
) -> Alert:
    """Put an alert about ``member`` on the meeting's clerk desks (stored, not yet pushed)."""
    alert = Alert(
        meeting_id=meeting.id, kind=kind, member_id=member.id, detail=member.name, created_at=now
    )
    session.add(alert)
    bump_version(meeting)
    return alert


def open_alerts(session: Session, meeting: Meeting) -> list[Alert]:
    """The meeting's unresolved alerts, newest first."""
    return list(
        session.scalars(
            select(Alert)
            .where(Alert.meeting_id == meeting.id, Alert.resolved_at.is_(None))
            .order_by(Alert.created_at.desc())
        )
    )


def resolve_alert(session: Session, meeting: Meeting, alert_id: int, now: datetime) -> Alert:
    """Mark an alert as dealt with; ``INVALID_INPUT`` when it is not one of this meeting's."""
    alert = session.get(Alert, alert_id)
    if alert is None or alert.meeting_id != meeting.id:
        raise Refusal(Problem.INVALID_INPUT, detail="alert_id")
    alert.resolved_at = now
    bump_version(meeting)
    return alert
