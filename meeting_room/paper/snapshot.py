"""What the paper-ballot screens show, read in one session: units by building with their ballot
and delivery, the report of scans (like the cards'), the marks and unread pages waiting for the
clerk, and a page read matter by matter with the clerk's disputes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from meeting_room.attendance.roster import natural_key
from meeting_room.domain.paper import Delivery, ReviewDecision, ReviewReason, ScanResult, Unread
from meeting_room.store.models.assembly import ExclusiveUnit, PeriodMatter
from meeting_room.store.models.paper import BallotDispute, BallotScan, MarkReview, PaperBallot


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
    counted_scan_id: int | None  # the page that counted the unit's ballot, if returned

    @property
    def counted(self) -> bool:
        """Whether the unit's ballot was returned and counted."""
        return self.counted_scan_id is not None


@dataclass(frozen=True)
class ScanReport:
    """Pages and marks read, like the cards' report."""

    pages: int = 0  # every page put to the reader
    pages_read: int = 0  # counted, or read with some matters left to the clerk
    marks_read: int = 0  # matters read by the reader alone
    sent_to_review: int = 0
    decided: int = 0
    changed: int = 0  # matters read by the reader whose value the clerk changed: read wrongly
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
                b.counted_scan_id if b else None,
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
        changed=len(
            set(
                session.execute(
                    select(BallotDispute.scan_id, BallotDispute.matter_id).where(
                        BallotDispute.period_id == period_id
                    )
                ).all()
            )
        ),
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
    unread: Unread | None = None
    disputed: int = 0  # the clerk's decisions against values read on this page


def scan_lines(session: Session, period_id: int) -> list[ScanLine]:
    """Every page put to the reader for the period, the latest first."""
    rows = session.execute(
        select(BallotScan, ExclusiveUnit.building, ExclusiveUnit.unit, ExclusiveUnit.room)
        .outerjoin(PaperBallot, PaperBallot.id == BallotScan.ballot_id)
        .outerjoin(ExclusiveUnit, ExclusiveUnit.id == PaperBallot.unit_id)
        .where(BallotScan.period_id == period_id)
        .order_by(BallotScan.id.desc())
    ).all()
    disputed = dict(
        session.execute(
            select(BallotDispute.scan_id, func.count())
            .where(BallotDispute.period_id == period_id)
            .group_by(BallotDispute.scan_id)
        ).all()
    )
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
            scan.unread,
            disputed.get(scan.id, 0),
        )
        for scan, building, unit, room in rows
    ]


@dataclass(frozen=True)
class UnreadPage:
    """A page put to the reader and not read: its QR code (the clerk may type the serial) or
    its corner markers (photograph it again) not found."""

    scan_id: int
    scanned_at: datetime
    scanned_by: str
    source: str
    unread: Unread | None


def unread_pages(session: Session, period_id: int) -> list[UnreadPage]:
    """The period's pages left unread, those waiting for a typed serial first."""
    scans = session.scalars(
        select(BallotScan)
        .where(BallotScan.period_id == period_id, BallotScan.result == ScanResult.UNREADABLE)
        .order_by(BallotScan.id)
    )
    pages = [UnreadPage(s.id, s.scanned_at, s.scanned_by, s.source, s.unread) for s in scans]
    return sorted(pages, key=lambda p: p.unread is not Unread.NO_SERIAL)


@dataclass(frozen=True)
class DisputeLine:
    """One decision of the clerk against the reader's value."""

    read: ReviewDecision
    decision: ReviewDecision
    reason: str
    decided_by: str
    decided_at: datetime


@dataclass(frozen=True)
class MatterLine:
    """One matter of a page read: what the reader read, what the clerk decided, what counts."""

    position: int  # 1-based, as printed
    title: str
    read: ReviewDecision | None  # the reader's value (a choice); None when left to the clerk
    unclear: ReviewReason | None
    reviewed: ReviewDecision | None  # the clerk's decision on a mark left to them
    disputes: list[DisputeLine]  # the clerk's decisions against the value read, in order

    @property
    def counted(self) -> ReviewDecision | None:
        """The value that counts now: the last dispute's, else the reader's, else the review's."""
        if self.disputes:
            return self.disputes[-1].decision
        return self.read if self.read is not None else self.reviewed


@dataclass(frozen=True)
class PageDetail:
    """A page read, matter by matter, for the clerk who may dispute a value."""

    scan: ScanLine
    serial_typed_by: str | None
    matters: list[MatterLine]


def page_detail(session: Session, period_id: int, scan_id: int) -> PageDetail | None:
    """The page ``scan_id`` of the period with each matter's values, or None."""
    scan = session.get(BallotScan, scan_id)
    if scan is None or scan.period_id != period_id:
        return None
    line = next(x for x in scan_lines(session, period_id) if x.scan_id == scan_id)
    matters = list(
        session.scalars(
            select(PeriodMatter)
            .where(PeriodMatter.period_id == period_id)
            .order_by(PeriodMatter.position)
        )
    )
    reviews = {
        r.matter_id: r
        for r in session.scalars(select(MarkReview).where(MarkReview.scan_id == scan_id))
    }
    disputes: dict[int, list[DisputeLine]] = {}
    for d in session.scalars(
        select(BallotDispute).where(BallotDispute.scan_id == scan_id).order_by(BallotDispute.id)
    ):
        disputes.setdefault(d.matter_id, []).append(
            DisputeLine(
                ReviewDecision(d.read_choice.value),
                d.decision,
                d.reason,
                d.decided_by,
                d.decided_at,
            )
        )
    lines = []
    for reading in scan.readings:
        if not 1 <= int(reading["matter"]) <= len(matters):  # a page of another layout
            continue
        matter = matters[int(reading["matter"]) - 1]
        review = reviews.get(matter.id)
        choice, unclear = reading.get("choice"), reading.get("unclear")
        lines.append(
            MatterLine(
                int(reading["matter"]),
                matter.title,
                ReviewDecision(choice) if choice else None,
                ReviewReason(unclear) if unclear else None,
                review.decision if review else None,
                disputes.get(matter.id, []),
            )
        )
    return PageDetail(line, scan.serial_typed_by, lines)
