"""The `attendance` snapshot screens receive: a meeting's attendance and quorum at one state
version, numbers only (each page words them). It lives with the quorum it shows, so the meeting
API (below attendance) can answer it too; attendance/service broadcasts it."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from pydantic import BaseModel

from meeting_room.domain.quorum import Clause, Measure
from meeting_room.domain.shares import shown
from meeting_room.domain.words import MeetingStatus
from meeting_room.meetings.meetings import AttendanceSummary
from meeting_room.store.models.meetings import Meeting


class ClauseView(BaseModel):
    """One quorum clause as a screen shows it."""

    measure: Measure
    present: str
    total: str
    required: str
    percent: str
    met: bool
    shortfall: str


class AttendanceSnapshot(BaseModel):
    """Attendance and quorum of a meeting at one state version."""

    meeting_id: int
    version: int
    quorum_met: bool
    clauses: list[ClauseView]
    in_person: int
    by_proxy: int
    proxies_pending: int
    observers: int
    guests: int


def _amount(value: Fraction, measure: Measure) -> str:
    if measure == Measure.HEADCOUNT:
        return str(int(value)) if value.denominator == 1 else str(value)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _shortfall(clause: Clause) -> str:
    if clause.measure == Measure.HEADCOUNT:
        needed = clause.shortfall
        whole = needed.numerator // needed.denominator
        return str(whole + (1 if needed.denominator != 1 else 0))
    return _amount(clause.shortfall, clause.measure)


def clause_view(clause: Clause) -> ClauseView:
    """A clause with exact amounts written out (people as whole numbers, area to 0.01 m²)."""
    return ClauseView(
        measure=clause.measure,
        present=_amount(clause.present, clause.measure),
        total=_amount(clause.total, clause.measure),
        required=f"{clause.required.numerator}/{clause.required.denominator}",
        # One decimal, unless it would read as the threshold's own figure (domain.shares).
        percent=shown(clause.share, [clause.required]).percent,
        met=clause.met,
        shortfall=_shortfall(clause),
    )


def attendance_snapshot(summary: AttendanceSummary) -> AttendanceSnapshot:
    """What projectors, clerk desks and kiosks receive as ``attendance`` (and find in their page
    and their join), and the meeting API answers."""
    return AttendanceSnapshot(
        meeting_id=summary.meeting.id,
        version=summary.meeting.version,
        quorum_met=summary.quorum.met,
        clauses=[clause_view(c) for c in summary.quorum.clauses],
        in_person=summary.in_person,
        by_proxy=summary.by_proxy,
        proxies_pending=summary.proxies_pending,
        observers=summary.observers,
        guests=summary.guests,
    )


class MeetingState(BaseModel):
    """Where a meeting is in its life, as every screen shows it (``meeting.state``): the
    state, the times of its steps, and the quorum recorded at the opening."""

    meeting_id: int
    version: int
    status: MeetingStatus
    announced_at: datetime | None
    opened_at: datetime | None
    closed_at: datetime | None
    opening_quorum_met: bool | None


def meeting_state(meeting: Meeting) -> MeetingState:
    """The state snapshot of ``meeting`` (pages embed it; ``life.service`` broadcasts it)."""
    opening = meeting.opening_quorum
    return MeetingState(
        meeting_id=meeting.id,
        version=meeting.version,
        status=MeetingStatus(meeting.status),
        announced_at=meeting.announced_at,
        opened_at=meeting.opened_at,
        closed_at=meeting.closed_at,
        opening_quorum_met=None if opening is None else bool(opening.get("quorum_met")),
    )
