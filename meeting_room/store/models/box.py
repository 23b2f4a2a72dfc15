"""The box itself: where its automatic backups go, and every backup it made (``store.backups``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from meeting_room.domain.box import BackupReason
from meeting_room.store.models.base import Base, UTCDateTime, Word


class BoxSettings(Base):
    """The administrator's backup settings: one row (id 1); missing means the defaults."""

    __tablename__ = "box_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A folder such as a USB stick's mount point; empty: the instance folder's backups/.
    backup_folder: Mapped[str] = mapped_column(Text, default="")
    backup_keep: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class BackupRun(Base):
    """One automatic or requested backup: where it went, and whether it was verified."""

    __tablename__ = "backup_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    reason: Mapped[BackupReason] = mapped_column(Word(BackupReason))
    meeting_id: Mapped[int | None] = mapped_column(Integer)  # the meeting whose close made it
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    path: Mapped[str] = mapped_column(Text, default="")
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    audit_entries: Mapped[int] = mapped_column(Integer, default=0)
    ok: Mapped[bool] = mapped_column(Boolean, default=False)
    error: Mapped[str] = mapped_column(String(500), default="")
