"""Locks after wrong tries: the kiosk's phone tails (3 wrong lock a member for a minute, then
5 minutes, then 30: each lock longer than the last until a right try or the clerk clears
them), staff passwords and pairing codes. Pure, takes ``now``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LockoutPolicy:
    """How many wrong tries lock, and for how long: the first lock lasts ``duration``, each
    later one the next of ``escalation`` (its last repeats)."""

    attempts: int = 3
    duration: timedelta = timedelta(minutes=1)
    escalation: tuple[timedelta, ...] = ()

    def lock_length(self, earlier_locks: int) -> timedelta:
        """How long the lock after ``earlier_locks`` locks lasts."""
        steps = (self.duration, *self.escalation)
        return steps[min(earlier_locks, len(steps) - 1)]


@dataclass(frozen=True)
class LockState:
    """Wrong tries counted towards the next lock, the end of the current lock if any, and how
    many locks there have been (the next one is longer when the policy escalates)."""

    failures: int
    locked_until: datetime | None
    locks: int = 0

    def is_locked(self, now: datetime) -> bool:
        """True while a lock is in force."""
        return self.locked_until is not None and now < self.locked_until


def lock_state(policy: LockoutPolicy, failures: Iterable[datetime], now: datetime) -> LockState:
    """Replay the wrong tries (since the last success) and tell where the member stands at ``now``.

    A lock starts at the try that reaches ``policy.attempts``; tries counted before a lock ends
    are used up by it, so after the lock the member has all their tries again, and the next
    lock lasts ``policy.lock_length(locks so far)``.
    """
    count = 0
    locks = 0
    locked_until: datetime | None = None
    for at in sorted(failures):
        if locked_until is not None:
            if at < locked_until:
                continue
            locked_until = None
        count += 1
        if count >= policy.attempts:
            locked_until = at + policy.lock_length(locks)
            locks += 1
            count = 0
    if locked_until is not None and now >= locked_until:
        locked_until = None
    return LockState(failures=count, locked_until=locked_until, locks=locks)
