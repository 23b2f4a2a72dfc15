"""An owners' assembly's voting period (表决期): its matters, the base of exclusive units fixed
at opening, every unit's ballots from every channel (the standing one and any refused or
superseded, all kept), and the objections lodged in the objection window (询异期)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from meeting_room.domain.assembly import (
    Channel,
    MatterKind,
    PeriodState,
    PublishMode,
    SecondBallot,
)
from meeting_room.domain.counting import Rule, YesNo
from meeting_room.store.models.base import Base, UTCDateTime, Word


class VotingPeriod(Base):
    """An assembly decision's voting period: when it runs, its settings, its results."""

    __tablename__ = "voting_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    state: Mapped[PeriodState] = mapped_column(Word(PeriodState))
    objection_days: Mapped[int] = mapped_column(Integer, default=7)
    # 逾期视为同意: a local practice, never the default (see domain.assembly).
    non_voters_agree: Mapped[bool] = mapped_column(Boolean, default=False)
    # The roster had no owner key for some units and the clerk confirmed counting each of them
    # as its own owner (the result says so: a buyer's several units may be counted apart).
    owners_assumed: Mapped[int] = mapped_column(Integer, default=0)
    second_ballot: Mapped[SecondBallot] = mapped_column(Word(SecondBallot))
    publish_mode: Mapped[PublishMode] = mapped_column(Word(PublishMode))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(64))
    base_fixed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    preliminary_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    objection_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    final_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The count at closing (preliminary) and at the final notice, as data (``assembly.results``).
    preliminary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    final: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class PeriodMatter(Base):
    """One matter put to the owners: its art. 278 kind, and the rule that follows from it."""

    __tablename__ = "period_matters"
    __table_args__ = (UniqueConstraint("period_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("voting_periods.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[MatterKind] = mapped_column(Word(MatterKind, length=32))
    rule: Mapped[Rule] = mapped_column(Word(Rule, length=32))
    # The poll in the room that puts this matter to those present (its ballots count here); a
    # poll is put to one matter at the most.
    poll_id: Mapped[int | None] = mapped_column(ForeignKey("polls.id"), index=True, unique=True)


class ExclusiveUnit(Base):
    """One exclusive unit (专有部分) of the base, fixed when the period opens (法释〔2009〕7号
    arts. 8-9): its registered area, its owner's key, whether the developer holds it, and the
    roster members who own it (co-owners cast one ballot, the unit's)."""

    __tablename__ = "exclusive_units"
    __table_args__ = (
        UniqueConstraint("period_id", "unit_key"),
        UniqueConstraint("period_id", "receipt"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("voting_periods.id"), index=True)
    unit_key: Mapped[str] = mapped_column(String(64))
    building: Mapped[str] = mapped_column(String(32))
    unit: Mapped[str] = mapped_column(String(32))
    room: Mapped[str] = mapped_column(String(32))
    area_m2: Mapped[Decimal] = mapped_column(Numeric(12, 2, asdecimal=True))
    owner_key: Mapped[str] = mapped_column(String(64))
    is_developer: Mapped[bool] = mapped_column(Boolean, default=False)
    member_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    # A random code the unit is told when its ballot is recorded (the receipts-only list).
    receipt: Mapped[str] = mapped_column(String(8))

    @property
    def address(self) -> str:
        """Building-unit-room as written in the hall: 3栋2单元501."""
        return f"{self.building}{self.unit}{self.room}"


class UnitBallot(Base):
    """A unit's ballot on one matter, from any channel. Every ballot is kept; exactly one per
    unit and matter stands (``standing``), which one is the period's ``second_ballot`` rule."""

    __tablename__ = "unit_ballots"
    __table_args__ = (
        Index(
            "uq_unit_ballots_standing",
            "unit_id",
            "matter_id",
            unique=True,
            sqlite_where=text("standing"),
            postgresql_where=text("standing"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("voting_periods.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("exclusive_units.id"), index=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("period_matters.id"))
    choice: Mapped[YesNo] = mapped_column(Word(YesNo))
    channel: Mapped[Channel] = mapped_column(Word(Channel))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    by: Mapped[str] = mapped_column(String(64))  # the staff member or the member who cast it
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    evidence: Mapped[str] = mapped_column(String(200), default="")  # a serial, a scan's hash
    standing: Mapped[bool] = mapped_column(Boolean)
    # Why it does not stand: refused as a second ballot, or superseded by a later one.
    note: Mapped[str] = mapped_column(String(32), default="")


class Objection(Base):
    """An objection lodged in the objection window (询异期), and the clerk's written answer."""

    __tablename__ = "period_objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("voting_periods.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("exclusive_units.id"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    text: Mapped[str] = mapped_column(Text)
    lodged_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lodged_by: Mapped[str] = mapped_column(String(64))  # the clerk, or "board" (personal code)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(64))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
