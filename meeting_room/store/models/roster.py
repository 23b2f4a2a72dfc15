"""The roster: the hall's members, one row of the community office's list each, and each
import of that list."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    Integer,
    Numeric,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from meeting_room.store.models.base import Base, UTCDateTime


class Member(Base):
    """A person on the hall's roster (one row of the community office's list)."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_no: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    building: Mapped[str] = mapped_column(String(32))
    unit: Mapped[str] = mapped_column(String(32))
    room: Mapped[str] = mapped_column(String(32))
    floor: Mapped[int] = mapped_column(Integer)
    area_m2: Mapped[Decimal] = mapped_column(Numeric(12, 2, asdecimal=True))
    phone_tail: Mapped[str] = mapped_column(String(4))
    group: Mapped[str] = mapped_column(String(16), index=True)
    birth_year: Mapped[int | None] = mapped_column(Integer)
    # An optional weight column of the roster, for polls weighted by it (else 1).
    weight: Mapped[Decimal | None] = mapped_column(Numeric(12, 4, asdecimal=True))
    # For an owners' assembly's count (法释〔2009〕7号 art. 9): who owns the unit (several
    # units of one buyer share it), which exclusive unit (co-owners share it), and whether
    # the developer holds it unsold or undelivered. Empty when the roster does not say.
    owner_key: Mapped[str | None] = mapped_column(String(64))
    unit_key: Mapped[str | None] = mapped_column(String(64))
    is_developer: Mapped[bool] = mapped_column(default=False)

    @property
    def address(self) -> str:
        """Building-unit-room as written in the hall: 3栋2单元501."""
        return f"{self.building}{self.unit}{self.room}"


class RosterImport(Base):
    """One import of the roster; the newest id is the roster's revision (search caches on it)."""

    __tablename__ = "roster_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    rows: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())
