"""Confirming a member by the last four digits of their phone (kiosk, booth, the clerk's API),
and the lock after wrong tries (``domain.lockout`` holds its rules)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from meeting_room.attendance.alerts import open_alerts, raise_alert, resolve_alert
from meeting_room.domain.lockout import LockoutPolicy, lock_state
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import AlertKind
from meeting_room.meetings.meetings import bump_version
from meeting_room.store.models.meetings import ConfirmFailure, Meeting
from meeting_room.store.models.roster import Member


def check_phone_tail(
    session: Session,
    meeting: Meeting,
    member: Member,
    phone_tail: str,
    policy: LockoutPolicy,
    now: datetime,
) -> Refusal | None:
    """Check a phone tail; a wrong one is recorded and the try that reaches the limit locks
    (with an alert for the clerk desk, and ``just_locked`` in the refusal's params).

    The refusal is returned, not raised, so the caller commits the wrong try (and the
    clerk's alert) before refusing: a lock survives a reload.
    """
    failures = session.scalars(
        select(ConfirmFailure.at).where(
            ConfirmFailure.meeting_id == meeting.id, ConfirmFailure.member_id == member.id
        )
    ).all()
    state = lock_state(policy, failures, now)
    if state.is_locked(now):
        return Refusal(Problem.LOCKED, until=state.locked_until, name=member.name)
    if phone_tail.strip() == member.phone_tail:
        session.execute(
            delete(ConfirmFailure).where(
                ConfirmFailure.meeting_id == meeting.id, ConfirmFailure.member_id == member.id
            )
        )
        return None
    session.add(ConfirmFailure(meeting_id=meeting.id, member_id=member.id, at=now))
    after = lock_state(policy, [*failures, now], now)
    if after.is_locked(now):
        raise_alert(session, meeting, AlertKind.KIOSK_LOCKOUT, member, now)
        return Refusal(Problem.LOCKED, until=after.locked_until, name=member.name, just_locked=True)
    return Refusal(Problem.WRONG_PHONE_TAIL, remaining=policy.attempts - after.failures)


def unlock(session: Session, meeting: Meeting, member: Member, now: datetime) -> None:
    """Forget a member's wrong tries at this meeting (the clerk has checked who they are) and
    resolve their lock alerts: the next wrong try starts counting from nothing."""
    session.execute(
        delete(ConfirmFailure).where(
            ConfirmFailure.meeting_id == meeting.id, ConfirmFailure.member_id == member.id
        )
    )
    for alert in open_alerts(session, meeting):
        if alert.kind == AlertKind.KIOSK_LOCKOUT and alert.member_id == member.id:
            resolve_alert(session, meeting, alert.id, now)
    bump_version(meeting)
