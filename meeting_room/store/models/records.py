"""Records and follow-up: the minutes' additions, decisions, the action list with its notes
and residents' ratings."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meeting_room.domain.words import ActionStatus
from meeting_room.store.models.base import Base, UTCDateTime, Word


class MinutesRecord(Base):
    """The minutes' own facts: who chaired and who kept them, and when they were published."""

    __tablename__ = "minutes_records"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), primary_key=True)
    moderator: Mapped[str] = mapped_column(String(64), default="")
    clerk: Mapped[str] = mapped_column(String(64), default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_by: Mapped[str | None] = mapped_column(String(64))


class ItemSummary(Base):
    """The clerk's summary of the discussion of one agenda item."""

    __tablename__ = "item_summaries"

    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    written_by: Mapped[str] = mapped_column(String(64))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MinutesCorrection(Base):
    """A text of the minutes corrected by the clerk (a typo, a summary rewritten): kept forever.

    ``field`` names the text, e.g. ``item.12.title``; the minutes show ``after`` in its place
    and list every correction, while the record of what happened stays as it was.
    """

    __tablename__ = "minutes_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    field: Mapped[str] = mapped_column(String(64))
    before: Mapped[str] = mapped_column(Text)
    after: Mapped[str] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Decision(Base):
    """A decision (决议) of a meeting, on an agenda item and usually from a poll."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"), index=True)
    poll_id: Mapped[int | None] = mapped_column(ForeignKey("polls.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    actions: Mapped[list[ActionItem]] = relationship(
        back_populates="decision", order_by="ActionItem.id"
    )


class ActionItem(Base):
    """One line of the action list (责任清单): what, who, by when, how it is accepted."""

    __tablename__ = "action_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    responsible: Mapped[str] = mapped_column(String(100))
    # 配合单位: the parties that help the responsible one (who answers for the work stays one).
    co_responsible: Mapped[list[str]] = mapped_column(JSON, default=list)
    deadline: Mapped[date] = mapped_column(Date)
    criterion: Mapped[str] = mapped_column(Text, default="")
    # not_started / in_progress / done; "overdue" is never stored: it follows from the date.
    status: Mapped[ActionStatus] = mapped_column(Word(ActionStatus))
    completed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    decision: Mapped[Decision] = relationship(back_populates="actions")
    notes: Mapped[list[ActionNote]] = relationship(order_by="(ActionNote.day, ActionNote.id)")


class ActionNote(Base):
    """A dated progress note on an action item."""

    __tablename__ = "action_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action_items.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class ActionRating(Base):
    """A resident's satisfaction (1–5) with a completed action item: one per member."""

    __tablename__ = "action_ratings"
    __table_args__ = (UniqueConstraint("action_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action_items.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    stars: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    # Where it was given (kiosk, booth, phone, board, api); blank for ratings before 0013_follow.
    channel: Mapped[str] = mapped_column(String(16), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime())
