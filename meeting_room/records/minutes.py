"""The minutes (会议纪要) of a meeting as one typed, language-neutral document.

The HTML page, the PDF, the JSON API and the anonymous copy a purge seals into the audit log
all carry this one shape (``yishi.minutes/1``; fields are only ever added, so sealed copies
still read). ``records.build`` makes it from the record. Secret polls carry no name; a named
poll carries its list of names and choices.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from meeting_room.domain.assembly import MatterKind
from meeting_room.domain.counting import Comparison, Rule, Stage, Weighting
from meeting_room.domain.topics import TopicSource
from meeting_room.domain.words import (
    ItemKind,
    PollKind,
    PollStatus,
    Presence,
    RequestKind,
    Stance,
)
from meeting_room.followup.schemas import ActionView
from meeting_room.meetings.snapshot import ClauseView
from meeting_room.store.anchors import Anchor


class Header(BaseModel):
    """Title, time, venue and the people who signed the minutes."""

    meeting_id: int
    title: str
    starts_at: datetime
    ended_at: datetime | None = Field(
        description="When the meeting was closed, else when the last item finished, if it did."
    )
    opened_at: datetime | None = Field(default=None, description="When the moderator opened it.")
    closed_at: datetime | None = Field(default=None, description="When the moderator closed it.")
    venue: str
    moderator: str = Field(description="主持人; empty until the clerk names them.")
    clerk: str = Field(description="记录员; empty until named.")


class AttendanceRecord(BaseModel):
    """Attendance by headcount and by exclusive floor area, and the quorum verdict."""

    eligible: int
    present: int = Field(description="Eligible members counted: in person or by proxy.")
    eligible_area: str = Field(description="m², two decimals.")
    present_area: str
    in_person: int
    by_proxy: int
    observers: int
    guests: int
    quorum_met: bool
    quorum: list[ClauseView] = Field(description="Each clause of the meeting's quorum rule.")


class AttendeeRecord(BaseModel):
    """A member who signed in: in person, or represented by a proxy (named on the mandate)."""

    member_no: str
    name: str
    address: str
    presence: Presence
    proxy: str | None = Field(description="Who came for the member (by proxy only).")
    counts: bool = Field(description="Counted towards the quorum when the minutes were made.")
    signed_in_at: datetime


class AssistRecord(BaseModel):
    """A vote cast with help (代填): for whom, by which helper, in which poll (never the choice)."""

    poll_id: int
    name: str
    helper: str


class GuestRecord(BaseModel):
    """A guest, who never counts and never votes."""

    name: str
    note: str


class SpeechRecord(BaseModel):
    """One speech (or point of order), in the order given."""

    order: int
    member_id: int
    name: str
    proxy_name: str | None = Field(
        default=None, description="The proxy who spoke for the member (曹小明（代曹凤）)."
    )
    stance: Stance
    kind: RequestKind
    started_at: datetime
    seconds: int


class OverrideRecord(BaseModel):
    """A rule of order the moderator set aside."""

    rule: str = Field(description="max_speeches_reached, already_waiting or out_of_turn.")
    member_id: int
    name: str
    detail: str
    at: datetime


class TallyRecord(BaseModel):
    """Votes for one option."""

    option: str
    headcount: int
    area: str
    weight: str


class ClauseRecord(BaseModel):
    """One threshold of the poll's rule, checked exactly."""

    stage: Stage
    basis: Weighting
    numerator: str
    denominator: str
    threshold: str
    comparison: Comparison
    met: bool
    percent: str


class NamedBallot(BaseModel):
    """A named poll's ballot: who chose what (never present for a secret poll)."""

    member_no: str
    name: str
    choices: list[str]


class PollRecord(BaseModel):
    """A closed poll: its rule, tallies, verdict, explanation and the ballot list's hash."""

    id: int
    question: str
    kind: PollKind
    secret: bool
    rule: Rule
    matter_kind: MatterKind | None = None  # under art. 278: the matter of para. 1 voted on
    weighting: Weighting
    status: PollStatus
    opened_at: datetime | None
    closed_at: datetime | None
    eligible: int
    eligible_area: str
    present: int
    cast: int
    tallies: list[TallyRecord]
    passed: bool | None = Field(description="None for a choice poll (see leaders).")
    leaders: list[str] = Field(description="A choice poll's options taking its places.")
    tied: list[str] = Field(
        default_factory=list,
        description="A choice poll's options tied for its last places (the hall decides).",
    )
    clauses: list[ClauseRecord]
    explanation: dict[str, str] = Field(description="The verdict in words, by language.")
    final_hash: str | None
    ballots: list[NamedBallot] | None = Field(description="Named polls only; null when secret.")
    anchor: Anchor | None = Field(
        default=None,
        description="The audit log's head when the poll closed (yishi verify --anchor).",
    )


class SummaryRecord(BaseModel):
    """The clerk's summary of an item."""

    text: str
    by: str
    at: datetime


class TopicOrigin(BaseModel):
    """Where an agenda item came from when it was a residents' topic accepted onto the
    agenda (议题征集): its source and its co-signatures, as they stood when the minutes were
    made."""

    topic_id: int
    source: TopicSource
    proposer_place: str = Field(description="the proposer's building and unit, else empty")
    signatures: int
    signed_households: int
    households: int
    needed: int
    threshold_percent: str


class ItemRecord(BaseModel):
    """An agenda item and everything that happened on it."""

    id: int
    number: int
    title: str
    description: str
    kind: ItemKind
    started_at: datetime | None
    finished_at: datetime | None
    summary: SummaryRecord | None
    speeches: list[SpeechRecord]
    overrides: list[OverrideRecord]
    polls: list[PollRecord]
    origin: TopicOrigin | None = None


class DecisionRecord(BaseModel):
    """A decision with its action list."""

    id: int
    number: int
    item_id: int | None
    poll_id: int | None
    text: str
    actions: list[ActionView]


class CorrectionRecord(BaseModel):
    """A text corrected by the clerk: what it said, what it says, who changed it and when."""

    field: str = Field(description="e.g. meeting.title, item.12.title, decision.3.text.")
    before: str
    after: str
    by: str
    at: datetime


class DeliveryLine(BaseModel):
    """One unit's paper ballot delivered (入户送达): how, who took it, when, who recorded it."""

    address: str
    delivery: str = Field(description="handed, left (at the door) or refused.")
    by: str | None = Field(description="Who took it to the door.")
    at: datetime | None
    recorded_by: str | None = Field(description="The clerk who recorded the delivery.")


class BuildingDeliveries(BaseModel):
    """One building's deliveries, and its units with none on record."""

    building: str
    handed: int
    left: int
    refused: int
    none: int = Field(description="Its units with no delivery on record.")
    not_delivered: list[str] = Field(
        default_factory=list, description="Their addresses (where the hall names units)."
    )


class DeliveryRecord(BaseModel):
    """The delivery of a voting period's paper ballots, part of the meeting's minutes when the
    meeting is tied to the period (the owners' assembly's record)."""

    period_id: int
    period_title: str
    units: int = Field(description="Exclusive units of the period's base.")
    printed: int
    handed: int
    left: int
    refused: int
    none: int = Field(description="Units with no delivery on record.")
    by_address: bool = Field(
        default=True,
        description="The hall publishes units by address; when not (receipts only), the "
        "minutes carry the counts and leave the addresses to the clerk's own record.",
    )
    buildings: list[BuildingDeliveries]
    delivered: list[DeliveryLine] = Field(description="Each delivery, in the hall's order.")


class Minutes(BaseModel):
    """The minutes of one meeting (stable shape ``yishi.minutes/1``)."""

    format: Literal["yishi.minutes/1"] = Field(
        default="yishi.minutes/1", description="The shape's name; fields are only ever added."
    )
    generated_at: datetime
    published_at: datetime | None
    published_by: str | None
    header: Header
    attendance: AttendanceRecord
    attendees: list[AttendeeRecord] = Field(default_factory=list)
    assisted: list[AssistRecord] = Field(default_factory=list)
    guests: list[GuestRecord] = Field(default_factory=list)
    items: list[ItemRecord]
    other_polls: list[PollRecord] = Field(description="Closed polls on no agenda item.")
    decisions: list[DecisionRecord]
    corrections: list[CorrectionRecord]
    deliveries: list[DeliveryRecord] = Field(
        default_factory=list,
        description="The paper ballots' delivery of each voting period tied to the meeting.",
    )
    ended: Anchor | None = Field(
        default=None,
        description="The audit log's head at the meeting's end (yishi verify --anchor).",
    )
