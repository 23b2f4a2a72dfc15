"""Residents' topics (议题征集): the hall's topic library, each topic proposed, and its
co-signatures (联署). A topic accepted onto an agenda points at its agenda item, so the
minutes can carry its source and signatures."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from meeting_room.domain.topics import ScopeKind, SignChannel, TopicSource, TopicStatus
from meeting_room.store.models.base import Base, UTCDateTime, Word


class TopicCategory(Base):
    """One category of the hall's topic library (停车, 电梯, ...), edited by staff."""

    __tablename__ = "topic_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    # A matter that must be consulted on (必须协商的事项) before anything is done about it.
    must_consult: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Topic(Base):
    """A topic proposed for deliberation, from its proposal to its review (审核)."""

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    category_id: Mapped[int] = mapped_column(ForeignKey("topic_categories.id"), index=True)
    source: Mapped[TopicSource] = mapped_column(Word(TopicSource))
    # Who gathered it, in words, for staff-entered sources (e.g. "网格员王芳 3月走访").
    source_note: Mapped[str] = mapped_column(String(200), default="")
    proposer_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    # The staff member who wrote it for the resident (代笔), else None.
    scribe: Mapped[str | None] = mapped_column(String(64))
    scope: Mapped[ScopeKind] = mapped_column(Word(ScopeKind))
    scope_building: Mapped[str] = mapped_column(String(32), default="")
    scope_unit: Mapped[str] = mapped_column(String(32), default="")
    # The share of households concerned whose signatures take it up (default 30 %).
    threshold: Mapped[Decimal] = mapped_column(Numeric(5, 4, asdecimal=True))
    status: Mapped[TopicStatus] = mapped_column(Word(TopicStatus), index=True)
    threshold_met_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id"), index=True)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"), index=True)
    # When the proposer was shown the decision at the kiosk's greeting (shown once).
    proposer_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(64))


class TopicSignature(Base):
    """A member's co-signature (联署) of a topic: one per member and topic.

    When a duplicate is merged into a topic, each of its signers not yet on the target gets a
    row on the target with ``merged_from_id`` set; the duplicate's own rows stay as they were.
    """

    __tablename__ = "topic_signatures"
    __table_args__ = (UniqueConstraint("topic_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    channel: Mapped[SignChannel] = mapped_column(Word(SignChannel))
    scribe: Mapped[str | None] = mapped_column(String(64))
    merged_from_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id"))
