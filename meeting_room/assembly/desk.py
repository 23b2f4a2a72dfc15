"""What the organisers see of a period, read in one transaction: the live participation by
area and by head against 2/3, by building and by channel, the units not yet voted (with their
paper ballot's delivery) so the committee knows where to knock, every unit's ballots (standing,
refused, superseded), the objections, and the published per-unit list."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.assembly.deliveries import delivery_status
from meeting_room.assembly.results import (
    domain_unit,
    matters_of,
    units_of,
)
from meeting_room.assembly.service import get_period
from meeting_room.domain.assembly import PeriodState, PublishMode, Turnout, turnout
from meeting_room.domain.words import PollKind, PollStatus
from meeting_room.store.models.assembly import (
    ExclusiveUnit,
    Objection,
    PeriodMatter,
    UnitBallot,
    VotingPeriod,
)
from meeting_room.store.models.audit import AuditHead
from meeting_room.store.models.voting import Poll
from meeting_room.store.storage import transaction


@dataclass(frozen=True)
class UnitLine:
    """One unit as the organisers' list shows it."""

    unit: ExclusiveUnit
    ballots: list[UnitBallot]  # every ballot, in order of arrival
    delivery: str | None

    @property
    def standing(self) -> dict[int, UnitBallot]:
        """Each matter's standing ballot."""
        return {b.matter_id: b for b in self.ballots if b.standing}


@dataclass(frozen=True)
class Desk:
    """A period as the clerk's screen shows it."""

    period: VotingPeriod
    matters: list[PeriodMatter]
    units: list[UnitLine]
    turnout: Turnout
    by_building: list[tuple[str, Turnout]]
    by_channel: list[tuple[str, int]]
    objections: list[Objection]
    polls: list[Poll] = field(default_factory=list)  # named art. 278 polls of its meeting
    version: int = 0  # the audit log's head as read: the live view's snapshots are newer

    def polls_for(self, matter: PeriodMatter) -> list[Poll]:
        """The named polls that could put this matter to the room: a yes/no poll under its
        rule and of its kind (where the poll names one), not closed, not put to another matter
        already."""
        linked = {m.poll_id for m in self.matters}
        return [
            p
            for p in self.polls
            if p.rule == matter.rule
            and p.matter_kind in (None, matter.kind)
            and p.kind == PollKind.YES_NO
            and p.status in (PollStatus.DRAFT, PollStatus.OPEN)
            and p.id not in linked
        ]

    @property
    def not_voted(self) -> list[UnitLine]:
        """The units with no standing ballot yet."""
        return [line for line in self.units if not line.standing]

    @property
    def not_voted_by_building(self) -> list[tuple[str, list[UnitLine]]]:
        """The units not voted yet, building by building (in the order of ``by_building``)."""
        waiting = self.not_voted
        groups = [(b, [x for x in waiting if x.unit.building == b]) for b, _ in self.by_building]
        return [(b, lines) for b, lines in groups if lines]

    @property
    def refused(self) -> list[tuple[UnitLine, UnitBallot]]:
        """Every ballot kept beside the standing one (refused, or superseded)."""
        return [(line, b) for line in self.units for b in line.ballots if not b.standing]

    @property
    def result(self) -> dict[str, Any] | None:
        """The count to show: the final one, else the preliminary."""
        return self.period.final or self.period.preliminary


def read_desk(session: Session, period: VotingPeriod) -> Desk:
    units = units_of(session, period.id)
    ballots = list(
        session.scalars(
            select(UnitBallot).where(UnitBallot.period_id == period.id).order_by(UnitBallot.id)
        )
    )
    delivered = delivery_status(session, period.id)
    by_unit: dict[int, list[UnitBallot]] = {}
    for ballot in ballots:
        by_unit.setdefault(ballot.unit_id, []).append(ballot)
    lines = [UnitLine(u, by_unit.get(u.id, []), delivered.get(u.id)) for u in units]
    voted = {str(b.unit_id) for b in ballots if b.standing}
    counted = [domain_unit(u) for u in units]
    # 2栋 before 10栋: by the building's number where it has one.
    buildings = sorted({u.building for u in units}, key=lambda b: (len(b), b))
    # A unit counts under the channel of its first standing ballot.
    first_channel = Counter(
        min(line.standing.values(), key=lambda b: b.id).channel.value
        for line in lines
        if line.standing
    )
    polls: list[Poll] = []
    if period.meeting_id is not None:
        polls = list(
            session.scalars(
                select(Poll)
                .where(Poll.meeting_id == period.meeting_id, Poll.secret.is_(False))
                .order_by(Poll.id)
            )
        )
    return Desk(
        period=period,
        matters=matters_of(session, period.id),
        units=lines,
        turnout=turnout(counted, voted),
        by_building=[
            (b, turnout([u for u in counted if u.building == b], voted)) for b in buildings
        ],
        by_channel=sorted(first_channel.items()),
        objections=list(
            session.scalars(
                select(Objection).where(Objection.period_id == period.id).order_by(Objection.id)
            )
        ),
        polls=polls,
        version=audit_version(session),
    )


def audit_version(session: Session) -> int:
    """The audit log's head now: it grows with every committed change of a period."""
    return session.scalar(select(AuditHead.seq).where(AuditHead.id == 1)) or 0


def period_desk(period_id: int) -> Desk:
    """The organisers' view of a period now."""
    with transaction() as s:
        desk = read_desk(s, get_period(s, period_id))
        s.expunge_all()
        return desk


def periods() -> list[VotingPeriod]:
    """Every period, the newest first."""
    with transaction() as s:
        found = list(s.scalars(select(VotingPeriod).order_by(VotingPeriod.id.desc())))
        s.expunge_all()
        return found


def published_periods(session: Session) -> list[VotingPeriod]:
    """The periods whose preliminary or final result is published (for the notice board)."""
    return list(
        session.scalars(
            select(VotingPeriod)
            .where(VotingPeriod.state.in_((PeriodState.PRELIMINARY, PeriodState.FINAL)))
            .order_by(VotingPeriod.id.desc())
        )
    )


@dataclass(frozen=True)
class PublicLine:
    """One line of the published per-unit list: the address (named) or the receipt, and each
    matter's choice. Never a name or a phone number."""

    label: str
    choices: dict[int, str]


def public_lines(desk: Desk) -> list[PublicLine]:
    """The per-unit list as the hall chose to publish it (named: address; else receipts)."""
    named = desk.period.publish_mode is PublishMode.NAMED
    lines = [
        PublicLine(
            line.unit.address if named else line.unit.receipt,
            {m: b.choice.value for m, b in line.standing.items()},
        )
        for line in desk.units
        if line.standing
    ]
    return lines if named else sorted(lines, key=lambda line: line.label)
