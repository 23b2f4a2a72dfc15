"""The kiosk's lock: three wrong phone tails lock a member for a minute. Pure, takes ``now``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LockoutPolicy:
    """How many wrong tries lock a member, and for how long."""

    attempts: int = 3
    duration: timedelta = timedelta(minutes=1)


@dataclass(frozen=True)
class LockState:
    """Wrong tries counted towards the next lock, and the end of the current lock if any."""

    failures: int
    locked_until: datetime | None

    def is_locked(self, now: datetime) -> bool:
        """True while a lock is in force."""
        return self.locked_until is not None and now < self.locked_until


def lock_state(policy: LockoutPolicy, failures: Iterable[datetime], now: datetime) -> LockState:
    """Replay the wrong tries (since the last success) and tell where the member stands at ``now``.

    A lock starts at the try that reaches ``policy.attempts``; tries counted before a lock ends
    are used up by it, so after the minute the member has all their tries again.
    """
    count = 0
    locked_until: datetime | None = None
    for at in sorted(failures):
        if locked_until is not None:
            if at < locked_until:
                continue
            locked_until = None
        count += 1
        if count >= policy.attempts:
            locked_until = at + policy.duration
            count = 0
    if locked_until is not None and now >= locked_until:
        locked_until = None
    return LockState(failures=count, locked_until=locked_until)
