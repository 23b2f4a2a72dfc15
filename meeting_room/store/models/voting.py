"""Polls and ballots: who may vote, who took part, ballots (unlinkable in secret polls),
running tallies, the published ballot list and the paper cards."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from meeting_room.domain.assembly import MatterKind
from meeting_room.domain.counting import Rule, Weighting
from meeting_room.domain.words import BallotChannel, Eligibility, PollKind, PollStatus
from meeting_room.store.models.base import Base, UTCDateTime, Word


class Poll(Base):
    """A vote on an agenda item: its question, options, who may vote, secrecy, weight and rule."""

    __tablename__ = "polls"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"), index=True)
    question: Mapped[str] = mapped_column(String(300))
    kind: Mapped[PollKind] = mapped_column(Word(PollKind))
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    max_choices: Mapped[int] = mapped_column(Integer, default=1)
    eligibility: Mapped[Eligibility] = mapped_column(Word(Eligibility))
    groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    secret: Mapped[bool] = mapped_column(default=True)
    weighting: Mapped[Weighting] = mapped_column(Word(Weighting))
    rule: Mapped[Rule] = mapped_column(Word(Rule, length=32))
    # Under an art. 278 rule: which matter of art. 278 para. 1 the moderator picked (the rule
    # follows from it); an owners' assembly's matter is put to the room only by a poll of its kind.
    matter_kind: Mapped[MatterKind | None] = mapped_column(Word(MatterKind, length=32))
    duration_s: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[PollStatus] = mapped_column(Word(PollStatus))
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
    channel: Mapped[BallotChannel] = mapped_column(Word(BallotChannel))
    helper: Mapped[str | None] = mapped_column(String(64))
    by_proxy: Mapped[bool] = mapped_column(default=False)
    # SHA-256 of the client's ballot id, so a resent ballot is answered, not counted twice.
    client_hash: Mapped[str | None] = mapped_column(String(64))


class Ballot(Base):
    """One accepted ballot: a random key, its receipt code and the choice.

    In a secret poll it carries no member, no time and no weight; its key is random and the
    table has no rowid, so nothing stored links a member to a choice. In a named poll the
    member is recorded with the choice, and when it was cast: the latest ballot counts.
    """

    __tablename__ = "ballots"
    __table_args__ = (UniqueConstraint("poll_id", "receipt"), {"sqlite_with_rowid": False})

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id"), index=True)
    receipt: Mapped[str] = mapped_column(String(8))
    choices: Mapped[list[str]] = mapped_column(JSON)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    # Named polls only: when the ballot counted now was cast (a card: when it was photographed).
    cast_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


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
    channel: Mapped[BallotChannel] = mapped_column(Word(BallotChannel))
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
