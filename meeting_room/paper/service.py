"""Paper ballots' one writer: printing (a random serial per unit), delivery, scans and reviews.

A scan is read outside any transaction (the image work takes a fraction of a second), its image
and each disputed row kept in the instance folder under their SHA-256 first; then one
transaction judges the serial (unknown, of another period, counted before: refused in words and
kept), records the clear matters through ``assembly.service.record_in`` (channel PAPER, the
serial and hash as evidence) and queues the rest for the clerk. A clerk's decision records that
matter the same way, with the clerk's name. Every row here is audited by the store.

A page whose QR code was not read waits for the clerk to type its printed serial
(``enter_serial``); a value the reader read by itself may be disputed by the clerk with a written
reason until the preliminary result is published (``dispute``): the reader's value and the
clerk's are both kept, and the count follows the clerk's (``assembly.service.
correct_paper_reading`` puts the clerk's unit ballot in place of the reader's).

The box's camera is no row: its starts and stops are written to the audit log here
(``camera_switched``), so the record says who counted with it and when.
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
    Unread,
    judge_scan,
)
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.extensions import off_the_loop
from meeting_room.paper.snapshot import in_address_order
from meeting_room.store.audit import append, canonical
from meeting_room.store.files import private_folder
from meeting_room.store.models.assembly import (
    ExclusiveUnit,
    PeriodMatter,
    VotingPeriod,
)
from meeting_room.store.models.paper import BallotDispute, BallotScan, MarkReview, PaperBallot
from meeting_room.store.storage import transaction

if TYPE_CHECKING:
    from devices.ballot_reader import PageReading

CHOICES = tuple(YesNo(choice) for choice in layout.CHOICES)
CAMERA_KIND = "paper.camera"


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
    unread: Unread | None = None  # why a page was not read at all


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


def camera_switched(period_id: int, on: bool, by: str, device: str) -> None:
    """Note in the audit log that ``by`` started (``on``) or stopped the camera ``device`` for
    the period's paper ballots (refused, PERIOD_NOT_FOUND, if there is no such period)."""
    detail = {"camera": "on" if on else "off", "device": device, "by": by}
    with transaction() as s:
        assembly.get_period(s, period_id)
        append(s, [(CAMERA_KIND, f"voting_periods:{period_id}", canonical(detail))])


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
    from devices.ballot_reader import read_ballot  # OpenCV: only where pages are read

    # ValueError for what is no image: nothing is kept. Off the event loop: ~0.3 s of CPU.
    reading = off_the_loop(read_ballot, image)
    digest = _keep(image, folder)
    with transaction() as s:
        _still_counting(assembly.get_period(s, period_id))
        scan = BallotScan(
            period_id=period_id,
            serial=reading.serial,
            sha256=digest,
            image_path=f"{digest}.img",
            source=source[:200],
            scanned_at=clock_now(),
            scanned_by=by,
            result=ScanResult.UNREADABLE,
            readings=_readings(reading),
            unread=Unread(reading.problem.value) if reading.problem else None,
        )
        s.add(scan)
        if reading.serial is None:
            s.flush()
            return ScanOutcome(ScanResult.UNREADABLE, scan.id, None, unread=scan.unread)
        ballot = s.scalar(select(PaperBallot).where(PaperBallot.serial == reading.serial))
        refusal = _judge(s, period_id, ballot, len(reading.matters))
        if refusal is not None or ballot is None:
            scan.result = refusal or ScanResult.UNKNOWN
            scan.ballot_id = ballot.id if ballot else None
            s.flush()
            return ScanOutcome(scan.result, scan.id, reading.serial, _address(s, ballot))
        return _count(s, period_id, scan, ballot, reading, by, folder, "")


def enter_serial(period_id: int, scan_id: int, typed: str, by: str, folder: Path) -> ScanOutcome:
    """Count a page whose markers were found but whose QR code was not read, under the serial
    the clerk typed from its printed line (checked: a serial, its check character, a ballot of
    this period not counted yet; refused in words otherwise, the page still waiting). The
    scan is kept with the serial and the clerk's name; its matters are counted as a read
    page's are."""
    from devices.ballot_reader import read_with_serial  # OpenCV: only where pages are read

    said = layout.typed_serial(typed)
    if said is None:
        raise Refusal(Problem.PAPER_SERIAL_TYPED, typed=typed.strip()[:40])
    serial, check = said
    if check is False:
        raise Refusal(Problem.PAPER_SERIAL_CHECK, typed=typed.strip()[:40])
    with transaction() as s:
        scan = _waiting_for_serial(s, period_id, scan_id)
        image = (folder / scan.image_path).read_bytes()
        matters = len(matters_of(s, period_id))
    reading = off_the_loop(read_with_serial, image, serial, matters)
    if reading.problem is not None:
        raise Refusal(Problem.PAPER_NO_MARKERS)
    with transaction() as s:
        _still_counting(assembly.get_period(s, period_id))
        scan = _waiting_for_serial(s, period_id, scan_id)
        ballot = s.scalar(select(PaperBallot).where(PaperBallot.serial == serial))
        refusal = _judge(s, period_id, ballot, matters)
        if refusal is not None or ballot is None:
            raise Refusal(
                Problem.PAPER_SERIAL_REFUSED, result=(refusal or ScanResult.UNKNOWN).value
            )
        scan.serial = serial
        scan.serial_typed_by = by
        scan.serial_typed_at = clock_now()
        scan.readings = _readings(reading)
        return _count(s, period_id, scan, ballot, reading, by, folder, " typed")


def _waiting_for_serial(s: Session, period_id: int, scan_id: int) -> BallotScan:
    """The scan ``scan_id`` of the period, if it still waits for a typed serial."""
    scan = s.get(BallotScan, scan_id)
    if scan is None or scan.period_id != period_id:
        raise Refusal(Problem.PAPER_SCAN_NOT_FOUND)
    if scan.result is not ScanResult.UNREADABLE or scan.unread is not Unread.NO_SERIAL:
        raise Refusal(Problem.PAPER_SCAN_NOT_WAITING)
    return scan


def _keep(image: bytes, folder: Path) -> str:
    """Keep ``image`` in ``folder`` under its SHA-256 (once); the digest."""
    digest = hashlib.sha256(image).hexdigest()
    private_folder(folder)
    stored = folder / f"{digest}.img"
    if not stored.exists():
        stored.write_bytes(image)
    return digest


def _judge(
    s: Session, period_id: int, ballot: PaperBallot | None, page_matters: int
) -> ScanResult | None:
    """Why a page with ``ballot``'s serial may not be counted now (``judge_scan``), or None."""
    return judge_scan(
        ballot_period=ballot.period_id if ballot else None,
        period=period_id,
        counted_before=ballot is not None and ballot.counted_scan_id is not None,
        page_matters=page_matters,
        period_matters=len(matters_of(s, period_id)),
    )


def _address(s: Session, ballot: PaperBallot | None) -> str:
    unit = s.get(ExclusiveUnit, ballot.unit_id) if ballot else None
    return unit.address if unit else ""


def _count(
    s: Session,
    period_id: int,
    scan: BallotScan,
    ballot: PaperBallot,
    reading: PageReading,
    by: str,
    folder: Path,
    how: str,
) -> ScanOutcome:
    """Record the clear matters of ``reading`` as ``ballot``'s unit's (channel PAPER, the serial
    and hash as evidence, ``how`` after them) and queue the rest for the clerk."""
    import cv2

    matters = matters_of(s, period_id)
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
            evidence=f"{ballot.serial} {scan.sha256[:16]}{how}",
            from_box=True,
        )
        titles = {m.id: m.title for m in matters}
        refused = [titles[m] for m in recorded.refused]
    for m in unclear:
        crop = reading.crop(m.matter)
        crop_path = folder / crop_name(scan.sha256, m.matter)
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
        scan.result,
        scan.id,
        ballot.serial,
        _address(s, ballot),
        len(clear),
        len(unclear),
        refused,
    )


def crop_name(digest: str, matter: int) -> str:
    """The file of a page's straightened row ``matter`` (0-based), beside its image."""
    return f"{digest}-{matter + 1}.png"


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


def dispute(
    period_id: int, scan_id: int, matter: int, decision: ReviewDecision, reason: str, by: str
) -> str:
    """The clerk's decision against the value the reader read by itself on matter ``matter``
    (1-based) of a counted page, with a written reason; returns the unit's address.

    Both are kept: the reader's value (in the scan's readings, a ``BallotDispute`` row, and its
    unit ballot, standing no longer) and the clerk's (the dispute, and a unit ballot of channel
    PAPER in its place, standing where the reader's stood; none for "no valid choice"). The
    count follows the decision. Allowed only until the preliminary result is published: after
    it, an owner's objection in the objection window (询异期) is the way, answered in writing.
    """
    if not reason.strip():
        raise Refusal(Problem.PAPER_DISPUTE_REASON)
    with transaction() as s:
        period = assembly.get_period(s, period_id)
        refused = ballot_refused(period.state, True, clock_now(), period.closes_at)
        if refused is not None:
            published = period.preliminary_at is not None
            raise Refusal(
                Problem.PAPER_DISPUTE_CLOSED if published else Problem.PERIOD_STATE, state=refused
            )
        scan = s.get(BallotScan, scan_id)
        if scan is None or scan.period_id != period_id or scan.ballot_id is None:
            raise Refusal(Problem.PAPER_SCAN_NOT_FOUND)
        read = next((r.get("choice") for r in scan.readings if r.get("matter") == matter), None)
        matters = matters_of(s, period_id)
        if read is None or scan.result not in (ScanResult.COUNTED, ScanResult.REVIEW):
            raise Refusal(Problem.PAPER_DISPUTE_NOT_READ)
        matter_row = matters[matter - 1]
        earlier = disputes_of(s, scan.id).get(matter_row.id)
        if decision.value == (earlier.decision.value if earlier else read):
            raise Refusal(Problem.PAPER_DISPUTE_SAME)
        ballot = s.get(PaperBallot, scan.ballot_id)
        assert ballot is not None
        moment = clock_now()
        assembly.correct_paper_reading(
            s,
            period,
            ballot.unit_id,
            matter_row.id,
            f"{ballot.serial} {scan.sha256[:16]}",
            None if decision is ReviewDecision.INVALID else YesNo(decision.value),
            by,
            moment,
        )
        s.add(
            BallotDispute(
                period_id=period_id,
                scan_id=scan.id,
                ballot_id=ballot.id,
                matter_id=matter_row.id,
                read_choice=YesNo(read),
                decision=decision,
                reason=reason.strip(),
                decided_by=by,
                decided_at=moment,
            )
        )
        s.flush()
        return _address(s, ballot)


def disputes_of(s: Session, scan_id: int) -> dict[int, BallotDispute]:
    """The latest dispute of each matter (by id) of a scan."""
    rows = s.scalars(
        select(BallotDispute).where(BallotDispute.scan_id == scan_id).order_by(BallotDispute.id)
    )
    return {d.matter_id: d for d in rows}


def matter_crop(folder: Path, digest: str, image_path: str, matter: int, matters: int) -> bytes:
    """The straightened row ``matter`` (0-based) of a kept page, as PNG: made from its image
    the first time it is asked for, then kept beside it. Raises ValueError when the page
    cannot be straightened."""
    import cv2

    from devices.ballot_reader import read_with_serial

    kept = folder / crop_name(digest, matter)
    if not kept.is_file():
        reading = off_the_loop(read_with_serial, (folder / image_path).read_bytes(), "", matters)
        crop = reading.crop(matter)
        if crop is None:
            raise ValueError("the page's corner markers are not found")
        ok, png = cv2.imencode(".png", crop)
        if not ok:
            raise ValueError("the row could not be encoded")
        kept.write_bytes(png.tobytes())
    return kept.read_bytes()
