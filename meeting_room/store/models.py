"""The database tables (SQLAlchemy 2, typed). Schema changes go through Alembic in migrations/."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from meeting_room.domain.words import (
    MandateStatus,
    MeetingStatus,
    Presence,
    SignInChannel,
)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        return value.astimezone(UTC).replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of every table."""


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

    @property
    def address(self) -> str:
        """Building-unit-room as written in the hall: 3栋2单元501."""
        return f"{self.building}{self.unit}{self.room}"


class Meeting(Base):
    """A meeting of the hall: when, where, who may take part and its quorum rule."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    venue: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default=MeetingStatus.SCHEDULED)
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


class Attendance(Base):
    """A member counted at a meeting: in person, or through a proxy with a mandate."""

    __tablename__ = "attendances"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    presence: Mapped[str] = mapped_column(String(16), default=Presence.IN_PERSON)
    channel: Mapped[str] = mapped_column(String(16), default=SignInChannel.KIOSK)
    signed_in_at: Mapped[datetime] = mapped_column(UTCDateTime())
    signed_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The proxy (代理人): a member of the roster, or a person named on the mandate.
    proxy_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    proxy_name: Mapped[str | None] = mapped_column(String(64))
    mandate_status: Mapped[str | None] = mapped_column(String(16))
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
    channel: Mapped[str] = mapped_column(String(16), default=SignInChannel.KIOSK)
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


class RosterImport(Base):
    """One import of the roster; the newest id is the roster's revision (search caches on it)."""

    __tablename__ = "roster_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    rows: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AgendaItem(Base):
    """One item of a meeting's agenda (议题), in order."""

    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(16))
    planned_minutes: Mapped[int] = mapped_column(Integer, default=10)
    status: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SpeechRequest(Base):
    """A request for the floor on an agenda item: waiting, withdrawn or granted."""

    __tablename__ = "speech_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    stance: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())

    member: Mapped[Member] = relationship()


class Speech(Base):
    """A speech given (or being given); its clock is stored as times, never as ticks."""

    __tablename__ = "speeches"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("speech_requests.id"))
    stance: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
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


class Poll(Base):
    """A vote on an agenda item: its question, options, who may vote, secrecy, weight and rule."""

    __tablename__ = "polls"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"), index=True)
    question: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16))
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    max_choices: Mapped[int] = mapped_column(Integer, default=1)
    eligibility: Mapped[str] = mapped_column(String(16))
    groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    secret: Mapped[bool] = mapped_column(default=True)
    weighting: Mapped[str] = mapped_column(String(16))
    rule: Mapped[str] = mapped_column(String(32))
    duration_s: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The result as counted at closing (JSON of the outcome) and the ballot list's final hash.
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    final_hash: Mapped[str | None] = mapped_column(String(64))


class PollVoter(Base):
    """The eligible base of a poll, fixed when it opens: who, their area and weight, present?"""

    __tablename__ = "poll_voters"

    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    area_m2: Mapped[Decimal] = mapped_column(Numeric(12, 2, asdecimal=True))
    weight: Mapped[Decimal] = mapped_column(Numeric(12, 4, asdecimal=True))
    present: Mapped[bool] = mapped_column()


class Participation(Base):
    """That a member took part in a poll, and how; never what they chose (see ``Ballot``).

    Stored without a rowid and keyed by member, so its order says nothing about time.
    """

    __tablename__ = "poll_participation"
    __table_args__ = ({"sqlite_with_rowid": False},)

    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    helper: Mapped[str | None] = mapped_column(String(64))
    by_proxy: Mapped[bool] = mapped_column(default=False)
    # SHA-256 of the client's ballot id, so a resent ballot is answered, not counted twice.
    client_hash: Mapped[str | None] = mapped_column(String(64))


class Ballot(Base):
    """One accepted ballot: a random key, its receipt code and the choice.

    In a secret poll it carries no member, no time and no weight; its key is random and the
    table has no rowid, so nothing stored links a member to a choice. In a named poll the
    member is recorded with the choice.
    """

    __tablename__ = "ballots"
    __table_args__ = (UniqueConstraint("poll_id", "receipt"), {"sqlite_with_rowid": False})

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id"), index=True)
    receipt: Mapped[str] = mapped_column(String(8))
    choices: Mapped[list[str]] = mapped_column(JSON)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))


class PollTally(Base):
    """Running sums per option (people, area, weight), kept with each ballot in one transaction."""

    __tablename__ = "poll_tallies"

    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id"), primary_key=True)
    option: Mapped[str] = mapped_column(String(100), primary_key=True)
    headcount: Mapped[int] = mapped_column(Integer, default=0)
    area_m2: Mapped[Decimal] = mapped_column(Numeric(14, 2, asdecimal=True), default=0)
    weight: Mapped[Decimal] = mapped_column(Numeric(14, 4, asdecimal=True), default=0)


class BallotChange(Base):
    """A named-poll vote changed before closing (the last one counts; the change is recorded)."""

    __tablename__ = "ballot_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    before: Mapped[list[str]] = mapped_column(JSON)
    after: Mapped[list[str]] = mapped_column(JSON)
    channel: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class PublishedEntry(Base):
    """One line of a closed poll's published ballot list, chained by hashes."""

    __tablename__ = "published_entries"

    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(String(300))
    hash: Mapped[str] = mapped_column(String(64))


class CardAssignment(Base):
    """A numbered paper answer card handed to a member for a meeting."""

    __tablename__ = "card_assignments"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))


class CardReading(Base):
    """A card seen in one photo of the room while a poll was open (the latest photo wins)."""

    __tablename__ = "card_readings"

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id"), index=True)
    photo: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    answer: Mapped[str] = mapped_column(String(1))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AuditEntry(Base):
    """One state change, chained to the one before by its hash (see meeting_room.store.audit)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The chain's newest hash and sequence number: one row, locked by each writer."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


# --- records and follow-up: minutes, decisions, the action list --------------------------------


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
    deadline: Mapped[date] = mapped_column(Date)
    criterion: Mapped[str] = mapped_column(Text, default="")
    # not_started / in_progress / done; "overdue" is never stored: it follows from the date.
    status: Mapped[str] = mapped_column(String(16))
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
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class VoiceSettings(Base):
    """The moderator's voice settings of a meeting (``voice.audio`` fills in the defaults)."""

    __tablename__ = "voice_settings"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), primary_key=True)
    # Announcement → whether it plays, e.g. {"greeting": true, "poll_closing": false}.
    announcements: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    # Screen → {"volume": 0–100, "rate": words a minute}, e.g. {"booth": {"volume": 90, ...}}.
    screens: Mapped[dict[str, dict[str, int]]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StaffAccount(Base):
    """A person who runs meetings: administrator, moderator or clerk (password hashed, argon2)."""

    __tablename__ = "staff_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64), default="")
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Sessions carry this moment; a new password (or a deactivation) ends older sessions.
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LoginFailure(Base):
    """A failed staff login or device pairing try, for throttling (kept a day)."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "user:<name>" for a login, "pair" for a pairing code.
    subject: Mapped[str] = mapped_column(String(80), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class RoomDevice(Base):
    """A paired kiosk, projector or booth; trusted by its credential until revoked."""

    __tablename__ = "room_devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(64))
    credential_hash: Mapped[str] = mapped_column(String(64), unique=True)
    paired_at: Mapped[datetime] = mapped_column(UTCDateTime())
    paired_by: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PairingCode(Base):
    """A short code shown on the clerk desk; typed on a new device once, within minutes."""

    __tablename__ = "pairing_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    device_id: Mapped[int | None] = mapped_column(ForeignKey("room_devices.id"))
