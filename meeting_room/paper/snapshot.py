"""What the paper-ballot screens show, read in one session: units by building with their ballot
and delivery, the report of scans (like the cards'), and the marks waiting for the clerk."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from meeting_room.attendance.roster import natural_key
from meeting_room.domain.paper import Delivery, ReviewDecision, ReviewReason, ScanResult
from meeting_room.store.models.assembly import ExclusiveUnit, PeriodMatter
from meeting_room.store.models.paper import BallotScan, MarkReview, PaperBallot


@dataclass(frozen=True)
class UnitLine:
    """One unit on the delivery screen."""

    unit_id: int
    address: str
    area: str
    ballot_id: int | None
    serial: str | None
    delivery: Delivery | None
    delivered_by: str | None
    delivered_at: datetime | None
    counted: bool


@dataclass(frozen=True)
class ScanReport:
    """Pages and marks read, like the cards' report."""

    pages: int = 0  # every page put to the reader
    pages_read: int = 0  # counted, or read with some matters left to the clerk
    marks_read: int = 0  # matters read by the reader alone
    sent_to_review: int = 0
    decided: int = 0
    refused: dict[ScanResult, int] = field(default_factory=dict)

    @property
    def read_without_review(self) -> int:
        """Per cent of the matters on pages read that needed no clerk (0 with none)."""
        total = self.marks_read + self.sent_to_review
        return round(100 * self.marks_read / total) if total else 0


@dataclass(frozen=True)
class ReviewLine:
    """A mark waiting for (or decided by) the clerk, with what the clerk needs beside it."""

    review_id: int
    address: str
    serial: str
    matter: str
    position: int
    reason: ReviewReason
    scan_id: int
    decision: ReviewDecision | None
    decided_by: str | None
    decided_at: datetime | None


def in_address_order(units: Iterable[ExclusiveUnit]) -> list[ExclusiveUnit]:
    """Units as a hall walks them: building, unit, room, numbers in number order (2栋 before
    10栋)."""
    return sorted(
        units, key=lambda u: (natural_key(u.building), natural_key(u.unit), natural_key(u.room))
    )


def units_by_building(session: Session, period_id: int) -> list[tuple[str, list[UnitLine]]]:
    """Each building's units in order, with their ballot, delivery and whether it was counted."""
    ballots = {
        b.unit_id: b
        for b in session.scalars(select(PaperBallot).where(PaperBallot.period_id == period_id))
    }
    units = in_address_order(
        session.scalars(select(ExclusiveUnit).where(ExclusiveUnit.period_id == period_id))
    )
    buildings: dict[str, list[UnitLine]] = {}
    for unit in units:
        b = ballots.get(unit.id)
        buildings.setdefault(unit.building, []).append(
            UnitLine(
                unit.id,
                unit.address,
                f"{unit.area_m2:.2f}",
                b.id if b else None,
                b.serial if b else None,
                b.delivery if b else None,
                b.delivered_by if b else None,
                b.delivered_at if b else None,
                bool(b and b.counted_scan_id),
            )
        )
    return list(buildings.items())


def scan_report(session: Session, period_id: int) -> ScanReport:
    """The period's scans and marks so far."""
    results = Counter(
        dict(
            session.execute(
                select(BallotScan.result, func.count())
                .where(BallotScan.period_id == period_id)
                .group_by(BallotScan.result)
            ).all()
        )
    )
    read_pages = session.scalars(
        select(BallotScan.readings).where(
            BallotScan.period_id == period_id,
            BallotScan.result.in_((ScanResult.COUNTED, ScanResult.REVIEW)),
        )
    )
    marks_read = sum(1 for readings in read_pages for r in readings if r.get("choice"))
    reviews = session.scalars(select(MarkReview).where(MarkReview.period_id == period_id)).all()
    counted = results[ScanResult.COUNTED] + results[ScanResult.REVIEW]
    return ScanReport(
        pages=sum(results.values()),
        pages_read=counted,
        marks_read=marks_read,
        sent_to_review=len(reviews),
        decided=sum(1 for r in reviews if r.decision is not None),
        refused={
            r: n for r, n in results.items() if r not in (ScanResult.COUNTED, ScanResult.REVIEW)
        },
    )


def review_lines(session: Session, period_id: int) -> list[ReviewLine]:
    """The period's disputed marks, waiting ones first, each beside its unit and matter."""
    rows = session.execute(
        select(MarkReview, PaperBallot, ExclusiveUnit, PeriodMatter)
        .join(PaperBallot, PaperBallot.id == MarkReview.ballot_id)
        .join(ExclusiveUnit, ExclusiveUnit.id == PaperBallot.unit_id)
        .join(PeriodMatter, PeriodMatter.id == MarkReview.matter_id)
        .where(MarkReview.period_id == period_id)
        .order_by(MarkReview.decision.is_not(None), MarkReview.id)
    ).all()
    return [
        ReviewLine(
            r.id,
            unit.address,
            ballot.serial,
            matter.title,
            matter.position,
            r.reason,
            r.scan_id,
            r.decision,
            r.decided_by,
            r.decided_at,
        )
        for r, ballot, unit, matter in rows
    ]


@dataclass(frozen=True)
class ScanLine:
    """One page put to the reader, for the list that shows any ballot again later."""

    scan_id: int
    scanned_at: datetime
    scanned_by: str
    source: str
    serial: str | None
    address: str
    result: ScanResult
    sha256: str


def scan_lines(session: Session, period_id: int) -> list[ScanLine]:
    """Every page put to the reader for the period, the latest first."""
    rows = session.execute(
        select(BallotScan, ExclusiveUnit.building, ExclusiveUnit.unit, ExclusiveUnit.room)
        .outerjoin(PaperBallot, PaperBallot.id == BallotScan.ballot_id)
        .outerjoin(ExclusiveUnit, ExclusiveUnit.id == PaperBallot.unit_id)
        .where(BallotScan.period_id == period_id)
        .order_by(BallotScan.id.desc())
    ).all()
    return [
        ScanLine(
            scan.id,
            scan.scanned_at,
            scan.scanned_by,
            scan.source,
            scan.serial,
            f"{building}{unit}{room}" if building is not None else "",
            scan.result,
            scan.sha256,
        )
        for scan, building, unit, room in rows
    ]
