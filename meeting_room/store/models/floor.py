"""The floor discussion: agenda items, requests for the floor, speeches with their stored
clocks, and rule overrides for the minutes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meeting_room.domain.words import (
    Confirmed,
    ItemKind,
    ItemStatus,
    RequestKind,
    RequestSource,
    RequestStatus,
    Stance,
)
from meeting_room.store.models.base import Base, UTCDateTime, Word

if TYPE_CHECKING:
    from meeting_room.store.models.roster import Member


class AgendaItem(Base):
    """One item of a meeting's agenda (议题), in order."""

    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[ItemKind] = mapped_column(Word(ItemKind))
    planned_minutes: Mapped[int] = mapped_column(Integer, default=10)
    status: Mapped[ItemStatus] = mapped_column(Word(ItemStatus))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SpeechRequest(Base):
    """A request for the floor on an agenda item: waiting, withdrawn or granted."""

    __tablename__ = "speech_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    stance: Mapped[Stance] = mapped_column(Word(Stance))
    kind: Mapped[RequestKind] = mapped_column(Word(RequestKind))
    source: Mapped[RequestSource] = mapped_column(Word(RequestSource))
    status: Mapped[RequestStatus] = mapped_column(Word(RequestStatus))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())

    member: Mapped[Member] = relationship()


class Speech(Base):
    """A speech given (or being given); its clock is stored as times, never as ticks."""

    __tablename__ = "speeches"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("speech_requests.id"))
    stance: Mapped[Stance] = mapped_column(Word(Stance))
    kind: Mapped[RequestKind] = mapped_column(Word(RequestKind))
    limit_ms: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    resumed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    elapsed_before_ms: Mapped[int] = mapped_column(Integer, default=0)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    member: Mapped[Member] = relationship()


class RuleOverride(Base):
    """A rule of order the moderator set aside, kept for the minutes."""

    __tablename__ = "rule_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    rule: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class FloorConfirmation(Base):
    """A step the moderator confirmed after a warning (an item started without the quorum, a
    finished item reopened) or an ended speech given back: who, when, on which item."""

    __tablename__ = "floor_confirmations"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"))
    what: Mapped[Confirmed] = mapped_column(Word(Confirmed, 32))
    detail: Mapped[str] = mapped_column(String(200), default="")
    by: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime())
