"""The speaking timer (发言计时), stored as deadlines and never ticking. Pure, takes ``now``.

A clock is fully described by its fields, so a server restarted mid-speech reloads them from
the database and shows the same remaining time: ``elapsed_before`` is the time spoken before
the current running stretch, which began at ``resumed_at`` (None while paused or stopped).

Decisions:
- A clock runs once. ``start`` on a clock that has started (even a stopped one) is refused;
  the next speech takes a fresh ``SpeechClock()``.
- ``add_time`` works running or paused and may be negative (to undo a mistaken click), but
  never so far that ``remaining(now)`` would fall below zero: added time can end an overrun,
  removed time can never create one.
- A paused clock past its limit reads OVERRUN; only a running clock auto-stops.
- If the server's clock steps back before ``resumed_at``, the stretch counts as zero.

Screens count down on their own from ``to_wire()``. The snapshot carrying it also carries
the server's ``now``; a client keeps ``offset = server_now - client_clock()`` taken when the
snapshot arrives, and shows::

    remaining = deadline - (client_clock() + offset)    while phase == "running"
    remaining = paused_remaining_ms                       while phase is "paused" or "stopped"

formatted as ``format_clock`` does (ceiling of seconds left; floor of seconds over).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TypedDict

ZERO = timedelta(0)
_MS = timedelta(milliseconds=1)
_US = timedelta(microseconds=1)


class TimerState(StrEnum):
    """What the projector shows: the clock's phase, refined by the time left."""

    IDLE = "idle"
    RUNNING = "running"
    WARNING = "warning"
    OVERRUN = "overrun"
    PAUSED = "paused"
    STOPPED = "stopped"


class TimerErrorCode(StrEnum):
    """Why a transition was refused (translated where errors become messages)."""

    NOT_STARTED = "not_started"
    ALREADY_STARTED = "already_started"
    STOPPED = "stopped"
    ALREADY_PAUSED = "already_paused"
    ALREADY_RUNNING = "already_running"
    LIMIT_NOT_POSITIVE = "limit_not_positive"
    CUTS_INTO_SPOKEN_TIME = "cuts_into_spoken_time"


class TimerError(Exception):
    """A transition the clock's phase does not allow."""

    def __init__(self, code: TimerErrorCode) -> None:
        super().__init__(code)
        self.code = code


class ClockWire(TypedDict):
    """The clock as sent to screens: moments as ISO 8601 with offset, durations in whole ms."""

    phase: str
    limit_ms: int
    started_at: str | None
    deadline: str | None
    paused_remaining_ms: int | None


@dataclass(frozen=True)
class SpeechClock:
    """One speech's clock; ``SpeechClock()`` is idle. ``limit`` includes added time."""

    limit: timedelta = ZERO
    started_at: datetime | None = None
    resumed_at: datetime | None = None
    elapsed_before: timedelta = ZERO
    stopped_at: datetime | None = None

    def __post_init__(self) -> None:
        for moment in (self.started_at, self.resumed_at, self.stopped_at):
            if moment is not None and moment.utcoffset() is None:
                raise ValueError("a clock's moments must be aware datetimes")
        if self.started_at is None and (self.resumed_at, self.stopped_at) != (None, None):
            raise ValueError("a clock that never started can be neither running nor stopped")
        if self.resumed_at is not None and self.stopped_at is not None:
            raise ValueError("a stopped clock cannot be running")

    @property
    def phase(self) -> TimerState:
        """IDLE, RUNNING, PAUSED or STOPPED: the part of the state that does not need ``now``."""
        if self.started_at is None:
            return TimerState.IDLE
        if self.stopped_at is not None:
            return TimerState.STOPPED
        return TimerState.RUNNING if self.resumed_at is not None else TimerState.PAUSED

    @property
    def running(self) -> bool:
        """True while time is being counted."""
        return self.resumed_at is not None

    @property
    def deadline(self) -> datetime | None:
        """When a running clock reaches zero (in the past once overrun); None otherwise."""
        if self.resumed_at is None:
            return None
        return self.resumed_at + self.limit - self.elapsed_before

    def start(self, limit: timedelta, now: datetime) -> SpeechClock:
        """Start an idle clock with ``limit`` to speak."""
        if self.phase is not TimerState.IDLE:
            raise TimerError(TimerErrorCode.ALREADY_STARTED)
        if limit <= ZERO:
            raise TimerError(TimerErrorCode.LIMIT_NOT_POSITIVE)
        return SpeechClock(limit=limit, started_at=now, resumed_at=now)

    def pause(self, now: datetime) -> SpeechClock:
        """Stop counting, keeping the time spoken."""
        self._require(TimerState.RUNNING)
        return replace(self, resumed_at=None, elapsed_before=self.elapsed(now))

    def resume(self, now: datetime) -> SpeechClock:
        """Count again from ``now``."""
        self._require(TimerState.PAUSED)
        return replace(self, resumed_at=now)

    def add_time(self, delta: timedelta, now: datetime) -> SpeechClock:
        """Give (or, to undo a mistake, take back) time, running or paused."""
        self._require(None)
        if delta < ZERO and self.remaining(now) + delta < ZERO:
            raise TimerError(TimerErrorCode.CUTS_INTO_SPOKEN_TIME)
        return replace(self, limit=self.limit + delta)

    def stop(self, now: datetime) -> SpeechClock:
        """End the speech, running or paused; the time spoken is kept for the minutes."""
        self._require(None)
        return replace(self, resumed_at=None, elapsed_before=self.elapsed(now), stopped_at=now)

    def reopen(self, now: datetime) -> SpeechClock:
        """Give an ended speech back (``undo_open``): it runs on from the time it had used;
        the moments in between are not counted."""
        if self.phase is not TimerState.STOPPED:
            raise TimerError(TimerErrorCode.ALREADY_RUNNING)
        return replace(self, resumed_at=now, stopped_at=None)

    def elapsed(self, now: datetime) -> timedelta:
        """Time spoken so far."""
        if self.resumed_at is None:
            return self.elapsed_before
        return self.elapsed_before + max(now - self.resumed_at, ZERO)

    def remaining(self, now: datetime) -> timedelta:
        """Time left; negative once overrun."""
        return self.limit - self.elapsed(now)

    def state(self, now: datetime, warning: timedelta) -> TimerState:
        """The phase, with WARNING for 0 < remaining ≤ ``warning`` and OVERRUN for ≤ 0."""
        phase = self.phase
        if phase in (TimerState.IDLE, TimerState.STOPPED):
            return phase
        left = self.remaining(now)
        if left <= ZERO:
            return TimerState.OVERRUN
        if phase is TimerState.RUNNING and left <= warning:
            return TimerState.WARNING
        return phase

    def should_auto_stop(self, now: datetime, auto_stop: bool) -> bool:
        """True when the rules stop speeches at the limit and this running one has reached it."""
        return auto_stop and self.running and self.remaining(now) <= ZERO

    def to_wire(self) -> ClockWire:
        """What screens need to count down by themselves (see the module's formula)."""
        frozen = self.phase in (TimerState.PAUSED, TimerState.STOPPED)
        return {
            "phase": self.phase.value,
            "limit_ms": self.limit // _MS,
            "started_at": _iso(self.started_at),
            "deadline": _iso(self.deadline),
            "paused_remaining_ms": (self.limit - self.elapsed_before) // _MS if frozen else None,
        }

    def _require(self, phase: TimerState | None) -> None:
        """Refuse unless the clock is live (running or paused) and, if given, in ``phase``."""
        if self.phase is TimerState.IDLE:
            raise TimerError(TimerErrorCode.NOT_STARTED)
        if self.phase is TimerState.STOPPED:
            raise TimerError(TimerErrorCode.STOPPED)
        if phase is TimerState.RUNNING and not self.running:
            raise TimerError(TimerErrorCode.ALREADY_PAUSED)
        if phase is TimerState.PAUSED and self.running:
            raise TimerError(TimerErrorCode.ALREADY_RUNNING)


def format_clock(remaining: timedelta) -> str:
    """``1:45`` left, or ``+0:12`` over.

    Time left is shown by the ceiling of its seconds (0.3 s left shows ``0:01``, exactly zero
    ``0:00``), so ``0:00`` appears only when time is up; time over by the floor of its seconds
    (12.7 s over shows ``+0:12``, the first second over ``+0:00``).
    """
    micro = remaining // _US
    if micro >= 0:
        sign, seconds = "", -(-micro // 1_000_000)
    else:
        sign, seconds = "+", -micro // 1_000_000
    minutes, seconds = divmod(seconds, 60)
    return f"{sign}{minutes}:{seconds:02d}"


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


# An ended speech can be given back for this long (the console shows "撤销" as long); the
# grace covers the ack's trip and a late click, so the button never fails while it shows.
UNDO_WINDOW = timedelta(seconds=10)
UNDO_GRACE = timedelta(seconds=5)


def undo_open(stopped_at: datetime, now: datetime) -> bool:
    """Whether a speech that ended at ``stopped_at`` may still be given back at ``now``."""
    return stopped_at <= now <= stopped_at + UNDO_WINDOW + UNDO_GRACE
