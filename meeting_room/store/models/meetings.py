"""Meetings and who came: attendance in person or by proxy, guests, wrong phone tails, the
clerk desk's alerts, and each meeting's voice settings."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meeting_room.domain.words import MandateStatus, MeetingStatus, Presence, SignInChannel
from meeting_room.store.models.base import Base, UTCDateTime, Word

if TYPE_CHECKING:
    from meeting_room.store.models.roster import Member


class Meeting(Base):
    """A meeting of the hall: when, where, who may take part and its quorum rule."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    venue: Mapped[str] = mapped_column(String(200))
    status: Mapped[MeetingStatus] = mapped_column(Word(MeetingStatus), default=MeetingStatus.DRAFT)
    # When each step of its life happened (``meetings.lifecycle``; who: ``MeetingTransition``).
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    minutes_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The attendance snapshot (quorum clauses) at the opening, as the screens showed it.
    opening_quorum: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Roster groups whose members are eligible; empty means every member.
    eligible_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Shares written as "2/3"; NULL means the clause is not part of the rule.
    quorum_headcount: Mapped[str | None] = mapped_column(String(16))
    quorum_area: Mapped[str | None] = mapped_column(String(16))
    max_proxies_per_person: Mapped[int] = mapped_column(Integer, default=1)
    # Rules of order of the floor discussion (see meeting_room.domain.speakers).
    speech_limit_s: Mapped[int] = mapped_column(Integer, default=120)
    max_speeches: Mapped[int | None] = mapped_column(Integer, default=2)
    first_timers_first: Mapped[bool] = mapped_column(default=True)
    alternate: Mapped[bool] = mapped_column(default=True)
    warning_s: Mapped[int] = mapped_column(Integer, default=30)
    auto_stop: Mapped[bool] = mapped_column(default=False)
    # Bumped by every state change; clients resync when they see a newer one.
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    attendances: Mapped[list[Attendance]] = relationship(back_populates="meeting")


class MeetingTransition(Base):
    """One step of a meeting's life: who moved it, when, and any confirmation or reason (the
    moderator opening without quorum, polls and a speech ended by the close)."""

    __tablename__ = "meeting_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    from_status: Mapped[MeetingStatus] = mapped_column(Word(MeetingStatus))
    to_status: Mapped[MeetingStatus] = mapped_column(Word(MeetingStatus))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    by: Mapped[str] = mapped_column(String(64))
    quorum_met: Mapped[bool | None] = mapped_column()
    reason: Mapped[str] = mapped_column(Text, default="")


class CalendarDay(Base):
    """A day the clerk adds to the holiday calendar (a year the library does not know yet,
    or a local change): a holiday (working False) or a 调休 working day (working True)."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column()
    note: Mapped[str] = mapped_column(String(100), default="")
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Attendance(Base):
    """A member counted at a meeting: in person, or through a proxy with a mandate."""

    __tablename__ = "attendances"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    presence: Mapped[Presence] = mapped_column(Word(Presence), default=Presence.IN_PERSON)
    channel: Mapped[SignInChannel] = mapped_column(Word(SignInChannel), default=SignInChannel.KIOSK)
    signed_in_at: Mapped[datetime] = mapped_column(UTCDateTime())
    signed_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The proxy (代理人): a member of the roster, or a person named on the mandate.
    proxy_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    proxy_name: Mapped[str | None] = mapped_column(String(64))
    mandate_status: Mapped[MandateStatus | None] = mapped_column(Word(MandateStatus))
    mandate_checked_by: Mapped[str | None] = mapped_column(String(64))
    mandate_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # SHA-256 of the personal token; the token itself is shown once and never stored.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # SHA-256 of the kiosk's request id of the last sign-in: its retry is no second sign-in.
    request_hash: Mapped[str | None] = mapped_column(String(64))

    meeting: Mapped[Meeting] = relationship(back_populates="attendances")
    member: Mapped[Member] = relationship(foreign_keys=[member_id])
    proxy_member: Mapped[Member | None] = relationship(foreign_keys=[proxy_member_id])

    @property
    def counts(self) -> bool:
        """Counted towards quorum: signed in, and a proxy's mandate accepted by a clerk."""
        return attendance_counts(self.signed_out_at, self.presence, self.mandate_status)


def attendance_counts(signed_out_at: datetime | None, presence: str, mandate: str | None) -> bool:
    """Whether an attendance with these values counts (``Attendance.counts``)."""
    if signed_out_at is not None:
        return False
    return presence == Presence.IN_PERSON or mandate == MandateStatus.ACCEPTED


class Guest(Base):
    """A walk-in not on the roster: an observer who never counts and never votes."""

    __tablename__ = "guests"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(String(200), default="")
    channel: Mapped[SignInChannel] = mapped_column(Word(SignInChannel), default=SignInChannel.KIOSK)
    signed_in_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # SHA-256 of the kiosk's request id: a retried registration finds this row (migration 0008).
    request_hash: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_guests_meeting_request", "meeting_id", "request_hash", unique=True),
    )


class ConfirmFailure(Base):
    """A wrong phone tail typed at the kiosk for a member (three lock the member for a minute)."""

    __tablename__ = "confirm_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Alert(Base):
    """Something the clerk desk must see (a member locked at the kiosk, ...)."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class VoiceSettings(Base):
    """The moderator's voice settings of a meeting (``voice.settings`` fills in the defaults)."""

    __tablename__ = "voice_settings"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), primary_key=True)
    # Announcement → whether it plays, e.g. {"greeting": true, "poll_closing": false}.
    announcements: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    # Screen → {"volume": 0–100, "rate": words a minute}, e.g. {"booth": {"volume": 90, ...}}.
    screens: Mapped[dict[str, dict[str, int]]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
