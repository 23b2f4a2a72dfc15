"""Paper ballots of a voting period: each unit's printed ballot and its delivery, every page
put to the reader (its image kept in the instance folder, its SHA-256 here), and the matters
left to the clerk with the clerk's decision."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from meeting_room.domain.counting import YesNo
from meeting_room.domain.paper import Delivery, ReviewDecision, ReviewReason, ScanResult, Unread
from meeting_room.store.models.base import Base, UTCDateTime, Word


class PaperBallot(Base):
    """One unit's printed ballot: its random serial (the QR code), its delivery, its count."""

    __tablename__ = "paper_ballots"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("voting_periods.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("exclusive_units.id"), unique=True)
    serial: Mapped[str] = mapped_column(String(16), unique=True)
    printed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    printed_by: Mapped[str] = mapped_column(String(64))
    delivery: Mapped[Delivery | None] = mapped_column(Word(Delivery))
    delivered_by: Mapped[str | None] = mapped_column(String(64))  # who took it to the door
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivery_recorded_by: Mapped[str | None] = mapped_column(String(64))  # the clerk
    # The scan that counted this ballot: a second page with its serial is refused.
    # (No foreign key: ballot_scans points here, and a cycle would stop tables being sorted.)
    counted_scan_id: Mapped[int | None] = mapped_column(Integer)


class BallotScan(Base):
    """One page put to the reader, whatever became of it; its image is in the instance folder."""

    __tablename__ = "ballot_scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("voting_periods.id"), index=True)
    ballot_id: Mapped[int | None] = mapped_column(ForeignKey("paper_ballots.id"), index=True)
    serial: Mapped[str | None] = mapped_column(String(16))  # as read, even when refused
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    image_path: Mapped[str] = mapped_column(String(200))  # relative to the instance folder
    source: Mapped[str] = mapped_column(String(200))  # the file's name, or "camera"
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime())
    scanned_by: Mapped[str] = mapped_column(String(64))
    result: Mapped[ScanResult] = mapped_column(Word(ScanResult))
    # Per matter position: the choice read or the reason left to the clerk, and the darkness
    # of each box (for the record of a dispute).
    readings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    unread: Mapped[Unread | None] = mapped_column(Word(Unread))  # why a page was not read
    # A serial the clerk typed from the page's printed line (its QR code unread), and who.
    serial_typed_by: Mapped[str | None] = mapped_column(String(64))
    serial_typed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MarkReview(Base):
    """A matter of a scanned ballot the reader left to the clerk, and the clerk's decision."""

    __tablename__ = "mark_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("voting_periods.id"), index=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("ballot_scans.id"), index=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("paper_ballots.id"))
    matter_id: Mapped[int] = mapped_column(ForeignKey("period_matters.id"))
    reason: Mapped[ReviewReason] = mapped_column(Word(ReviewReason))
    crop_path: Mapped[str] = mapped_column(String(200))  # the row's image, instance folder
    decision: Mapped[ReviewDecision | None] = mapped_column(Word(ReviewDecision))
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class BallotDispute(Base):
    """The clerk's decision against a value the reader read by itself, with a written reason.

    Both stay on record: the reader's value here and in its scan's readings (and its unit
    ballot, no longer standing), the clerk's decision here and as the unit ballot that stands.
    """

    __tablename__ = "ballot_disputes"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("voting_periods.id"), index=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("ballot_scans.id"), index=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("paper_ballots.id"))
    matter_id: Mapped[int] = mapped_column(ForeignKey("period_matters.id"))
    read_choice: Mapped[YesNo] = mapped_column(Word(YesNo))  # what the reader read
    decision: Mapped[ReviewDecision] = mapped_column(Word(ReviewDecision))
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())
