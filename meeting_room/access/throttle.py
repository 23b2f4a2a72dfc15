"""Throttling of failed tries: staff logins and device pairing codes.

Five wrong passwords lock an account name for five minutes, ten wrong pairing codes lock
pairing for five minutes, and thirty wrong tries of either kind from one address within five
minutes lock that address out of both. The tries are rows of ``login_failures`` (kept a day),
so a lock holds across workers and restarts, provided the caller commits a failure before it
refuses (``access.service`` does).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from meeting_room.domain.lockout import LockoutPolicy, lock_state
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.store.models.access import LoginFailure

ACCOUNT_POLICY = LockoutPolicy(attempts=5, duration=timedelta(minutes=5))
PAIRING_POLICY = LockoutPolicy(attempts=10, duration=timedelta(minutes=5))
ADDRESS_LIMIT = 30
PAIRING = "pair"  # the subject of every pairing try (a code names no account)
KEPT = timedelta(days=1)


def login_subject(username: str) -> str:
    """The subject a login's failures are counted under: the name tried, known or not."""
    return f"user:{username.strip()}"[:80]


def refuse_if_locked(
    session: Session, subject: str, policy: LockoutPolicy, address: str, now: datetime
) -> None:
    """Refuse (TOO_MANY_TRIES) while ``subject`` or ``address`` is locked out."""
    failures = session.scalars(
        select(LoginFailure.at).where(
            LoginFailure.subject == subject, LoginFailure.at >= now - policy.duration * 2
        )
    )
    state = lock_state(policy, list(failures), now)
    from_address = session.scalar(
        select(func.count())
        .select_from(LoginFailure)
        .where(LoginFailure.address == address, LoginFailure.at >= now - ACCOUNT_POLICY.duration)
    )
    if state.is_locked(now) or (from_address or 0) >= ADDRESS_LIMIT:
        minutes = max(1, round(policy.duration.total_seconds() / 60))
        raise Refusal(Problem.TOO_MANY_TRIES, minutes=minutes)


def record_failure(session: Session, subject: str, address: str, now: datetime) -> None:
    """Count a wrong try (and forget those older than a day)."""
    session.add(LoginFailure(subject=subject, address=address[:64], at=now))
    session.execute(delete(LoginFailure).where(LoginFailure.at < now - KEPT))


def forget_failures(session: Session, subject: str) -> None:
    """A right try: the wrong ones before it no longer count towards a lock."""
    session.execute(delete(LoginFailure).where(LoginFailure.subject == subject))
