"""Paper ballots' one writer: printing (a random serial per unit), delivery, scans and reviews.

A scan is read outside any transaction (the image work takes a fraction of a second), its image
and each disputed row kept in the instance folder under their SHA-256 first; then one
transaction judges the serial (unknown, of another period, counted before: refused in words and
kept), records the clear matters through ``assembly.service.record_in`` (channel PAPER, the
serial and hash as evidence) and queues the rest for the clerk. A clerk's decision records that
matter the same way, with the clerk's name. Every row here is audited by the store.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from devices import ballot_layout as layout
from meeting_room.assembly import service as assembly
from meeting_room.clock import now as clock_now
from meeting_room.domain.assembly import Channel, ballot_refused
from meeting_room.domain.counting import YesNo
from meeting_room.domain.paper import (
    Delivery,
    ReviewDecision,
    ReviewReason,
    ScanResult,
    judge_scan,
)
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.extensions import off_the_loop
from meeting_room.paper.snapshot import in_address_order
from meeting_room.store.files import private_folder
from meeting_room.store.models.assembly import ExclusiveUnit, PeriodMatter, VotingPeriod
from meeting_room.store.models.paper import BallotScan, MarkReview, PaperBallot
from meeting_room.store.storage import transaction

if TYPE_CHECKING:
    from devices.ballot_reader import PageReading

CHOICES = tuple(YesNo(choice) for choice in layout.CHOICES)


@dataclass(frozen=True)
class ScanOutcome:
    """What one page came to, for the clerk's message."""

    result: ScanResult
    scan_id: int
    serial: str | None
    address: str = ""
    read: int = 0  # matters recorded from the page
    review: int = 0  # matters left to the clerk
    refused_matters: Sequence[str] = ()  # matters the unit had voted on already (kept, refused)


def new_serial() -> str:
    """A random serial: 12 characters a clerk can type, never guessed (about 2^59 of them)."""
    return "".join(secrets.choice(layout.SERIAL_ALPHABET) for _ in range(layout.SERIAL_LENGTH))


def matters_of(session: Session, period_id: int) -> list[PeriodMatter]:
    """The period's matters in their printed order."""
    return list(
        session.scalars(
            select(PeriodMatter)
            .where(PeriodMatter.period_id == period_id)
            .order_by(PeriodMatter.position)
        )
    )


def print_batch(period_id: int, by: str) -> list[tuple[PaperBallot, ExclusiveUnit]]:
    """Every unit's ballot, a serial given to each unit that has none (a reprint keeps it).

    Refused unless the period's base is fixed (open or later), or it has more matters than a page.
    """
    with transaction() as s:
        period = assembly.get_period(s, period_id)
        if period.base_fixed_at is None:
            raise Refusal(Problem.PERIOD_STATE, state=period.state.value)
        if len(matters_of(s, period_id)) > layout.MAX_MATTERS:
            raise Refusal(Problem.PAPER_TOO_MANY_MATTERS, most=layout.MAX_MATTERS)
        units = in_address_order(
            s.scalars(select(ExclusiveUnit).where(ExclusiveUnit.period_id == period_id))
        )
        ballots = {
            b.unit_id: b
            for b in s.scalars(select(PaperBallot).where(PaperBallot.period_id == period_id))
        }
        moment = clock_now()
        for unit in units:
            if unit.id not in ballots:
                ballots[unit.id] = PaperBallot(
                    period_id=period_id,
                    unit_id=unit.id,
                    serial=new_serial(),
                    printed_at=moment,
                    printed_by=by,
                )
                s.add(ballots[unit.id])
        s.flush()
        s.expunge_all()
        return [(ballots[unit.id], unit) for unit in units]


def record_delivery(
    period_id: int, ballot_id: int, delivery: Delivery, delivered_by: str, at: datetime, by: str
) -> str:
    """Record how a unit's ballot was delivered (who took it, when); returns the address."""
    if not delivered_by.strip():
        raise Refusal(Problem.INVALID_INPUT, detail="delivered_by")
    with transaction() as s:
        ballot = s.get(PaperBallot, ballot_id)
        if ballot is None or ballot.period_id != period_id:
            raise Refusal(Problem.PAPER_BALLOT_NOT_FOUND)
        ballot.delivery = delivery
        ballot.delivered_by = delivered_by.strip()
        ballot.delivered_at = at
        ballot.delivery_recorded_by = by
        unit = s.get(ExclusiveUnit, ballot.unit_id)
        assert unit is not None
        return unit.address


def scan_page(period_id: int, image: bytes, source: str, by: str, folder: Path) -> ScanOutcome:
    """Read one page and count it (see the module). Raises ValueError if it is not an image."""
    import cv2  # OpenCV loads only where pages are read (a phone's page never needs it)

    from devices.ballot_reader import read_ballot

    # ValueError for what is no image: nothing is kept. Off the event loop: ~0.3 s of CPU.
    reading = off_the_loop(read_ballot, image)
    digest = hashlib.sha256(image).hexdigest()
    private_folder(folder)
    stored = folder / f"{digest}.img"
    if not stored.exists():
        stored.write_bytes(image)
    with transaction() as s:
        _still_counting(assembly.get_period(s, period_id))
        scan = BallotScan(
            period_id=period_id,
            serial=reading.serial,
            sha256=digest,
            image_path=stored.name,
            source=source[:200],
            scanned_at=clock_now(),
            scanned_by=by,
            result=ScanResult.UNREADABLE,
            readings=_readings(reading),
        )
        s.add(scan)
        if reading.serial is None:
            s.flush()
            return ScanOutcome(ScanResult.UNREADABLE, scan.id, None)
        ballot = s.scalar(select(PaperBallot).where(PaperBallot.serial == reading.serial))
        matters = matters_of(s, period_id)
        refusal = judge_scan(
            ballot_period=ballot.period_id if ballot else None,
            period=period_id,
            counted_before=ballot is not None and ballot.counted_scan_id is not None,
            page_matters=len(reading.matters),
            period_matters=len(matters),
        )
        unit = s.get(ExclusiveUnit, ballot.unit_id) if ballot else None
        address = unit.address if unit else ""
        if refusal is not None or ballot is None:
            scan.result = refusal or ScanResult.UNKNOWN
            scan.ballot_id = ballot.id if ballot else None
            s.flush()
            return ScanOutcome(scan.result, scan.id, reading.serial, address)
        scan.ballot_id = ballot.id
        clear = {
            matters[m.matter].id: CHOICES[m.choice] for m in reading.matters if m.choice is not None
        }
        unclear = [m for m in reading.matters if m.choice is None]
        scan.result = ScanResult.REVIEW if unclear else ScanResult.COUNTED
        s.flush()
        ballot.counted_scan_id = scan.id
        refused: list[str] = []
        if clear:
            recorded = assembly.record_in(
                s,
                period_id,
                ballot.unit_id,
                clear,
                Channel.PAPER,
                by,
                evidence=f"{reading.serial} {digest[:16]}",
                from_box=True,
            )
            titles = {m.id: m.title for m in matters}
            refused = [titles[m] for m in recorded.refused]
        for m in unclear:
            crop = reading.crop(m.matter)
            crop_path = folder / f"{digest}-{m.matter + 1}.png"
            if crop is not None and not crop_path.exists():
                cv2.imwrite(str(crop_path), crop)
            assert m.unclear is not None
            s.add(
                MarkReview(
                    period_id=period_id,
                    scan_id=scan.id,
                    ballot_id=ballot.id,
                    matter_id=matters[m.matter].id,
                    reason=ReviewReason(m.unclear.value),
                    crop_path=crop_path.name,
                )
            )
        s.flush()
        return ScanOutcome(
            scan.result, scan.id, reading.serial, address, len(clear), len(unclear), refused
        )


def _still_counting(period: VotingPeriod) -> None:
    """Refuse a page or a decision once paper is no longer counted: paper ballots are counted
    while the period is open and, after the close, in the counting stage (唱票、计票) until the
    preliminary result is published (``domain.assembly.ballot_refused``)."""
    refused = ballot_refused(period.state, True, clock_now(), period.closes_at)
    if refused is not None:
        raise Refusal(Problem.PERIOD_STATE, state=refused)


def _readings(reading: PageReading) -> list[dict[str, object]]:
    return [
        {
            "matter": m.matter + 1,
            "choice": CHOICES[m.choice].value if m.choice is not None else None,
            "unclear": m.unclear.value if m.unclear else None,
            "darkness": [round(d, 4) for d in m.darkness],
        }
        for m in reading.matters
    ]


def decide_review(period_id: int, review_id: int, decision: ReviewDecision, by: str) -> str:
    """The clerk's decision on a disputed mark, recorded with their name; a choice is counted as
    the unit's ballot on that matter (channel PAPER). Returns the unit's address."""
    with transaction() as s:
        review = s.get(MarkReview, review_id)
        if review is None or review.period_id != period_id:
            raise Refusal(Problem.PAPER_REVIEW_NOT_FOUND)
        if review.decision is not None:
            raise Refusal(Problem.PAPER_REVIEW_DECIDED, by=review.decided_by or "")
        _still_counting(assembly.get_period(s, period_id))
        ballot = s.get(PaperBallot, review.ballot_id)
        scan = s.get(BallotScan, review.scan_id)
        assert ballot is not None and scan is not None
        review.decision = decision
        review.decided_by = by
        review.decided_at = clock_now()
        if decision is not ReviewDecision.INVALID:
            assembly.record_in(
                s,
                period_id,
                ballot.unit_id,
                {review.matter_id: YesNo(decision.value)},
                Channel.PAPER,
                by,
                evidence=f"{ballot.serial} {scan.sha256[:16]} review",
                from_box=True,
            )
        unit = s.get(ExclusiveUnit, ballot.unit_id)
        assert unit is not None
        return unit.address
