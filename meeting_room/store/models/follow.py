"""Follow-up (督办) and satisfaction (评价): how an action item's deadline was worked out, the
escalation steps on an overdue item, the follow-up report item of a meeting, and the hall's
periodic satisfaction surveys with residents' answers (one each)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from meeting_room.domain.words import EscalationStep, RatingChannel
from meeting_room.store.models.base import Base, UTCDateTime, Word


class DeadlineBasis(Base):
    """How an action item's deadline was computed: ``working_days`` working days after
    ``counted_from`` by the hall's calendar (China's holidays and 调休 days with the clerk's
    days), or a date the clerk gave (``working_days`` None). One per action item."""

    __tablename__ = "action_deadline_bases"

    action_id: Mapped[int] = mapped_column(ForeignKey("action_items.id"), primary_key=True)
    working_days: Mapped[int | None] = mapped_column(Integer)
    counted_from: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    # Years the calendar did not know (counted Monday–Friday), e.g. "2027"; blank when none.
    guessed_years: Mapped[str] = mapped_column(String(64), default="")
    by: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Escalation(Base):
    """One escalation step on an overdue action item: 提醒 → 约谈 → 上报街道, who and when."""

    __tablename__ = "action_escalations"
    __table_args__ = (UniqueConstraint("action_id", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action_items.id"), index=True)
    step: Mapped[EscalationStep] = mapped_column(Word(EscalationStep))
    note: Mapped[str] = mapped_column(Text, default="")
    by: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class FollowReport(Base):
    """A meeting's follow-up report item (督办事项通报): the agenda item generated for it, and
    the action items it lists, frozen when the meeting opens (live before). One per meeting."""

    __tablename__ = "follow_reports"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"), index=True)
    # The listed action item ids once frozen (at the opening); None while the list is live.
    action_ids: Mapped[list[int] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Survey(Base):
    """A satisfaction survey of the hall (满意度测评), quarterly by default: drafted, opened for
    a set period (``opens_at`` → ``closes_at``), closed early by staff or by its end."""

    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text)
    # The period it covers, e.g. 2026-10-01 … 2026-12-31 (a quarter by default).
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    open_days: Mapped[int] = mapped_column(Integer)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SurveyAnswer(Base):
    """A resident's answer to a survey: 1–5 and a comment, once each, and where it was given."""

    __tablename__ = "survey_answers"
    __table_args__ = (UniqueConstraint("survey_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    stars: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[RatingChannel] = mapped_column(Word(RatingChannel))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
