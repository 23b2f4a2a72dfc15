"""Topics' typed payloads: what staff and residents send, and topics as screens show them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from meeting_room.domain.topics import ScopeKind, SignChannel, TopicSource, TopicStatus
from meeting_room.domain.words import ItemKind
from meeting_room.web.limits import Id

Who = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
Body = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
Place = Annotated[str, StringConstraints(strip_whitespace=True, max_length=32)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
Token = Annotated[str, StringConstraints(strip_whitespace=True, min_length=8, max_length=64)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]


class TopicDraft(BaseModel):
    """What a topic says and whom it concerns (the households of a building, a unit, or all)."""

    title: Title
    body: Body = ""
    category_id: Id
    scope: ScopeKind = ScopeKind.COMPOUND


class StaffTopicIn(TopicDraft):
    """A topic entered by staff: gathered on a grid visit, by a representative, from the
    suggestion box, or the community office's own; optionally for a roster member (代笔)."""

    source: TopicSource
    source_note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    proposer_member_id: Id | None = None
    scope_building: Place = ""
    scope_unit: Place = ""
    threshold_percent: int = Field(default=30, ge=1, le=100)
    by: Who


class ResidentTopicIn(TopicDraft):
    """A resident's own topic with their personal code (phone page, board); the scope is
    their own building or unit, or the whole compound."""

    token: Token
    channel: Literal[SignChannel.PHONE, SignChannel.BOARD] = SignChannel.PHONE


class SignIn(BaseModel):
    """A co-signature with a personal code, from the phone page or the board."""

    token: Token
    channel: Literal[SignChannel.PHONE, SignChannel.BOARD] = SignChannel.PHONE


class TopicList(BaseModel):
    """Topics, newest first."""

    topics: list[TopicView]


class CategoryList(BaseModel):
    """The topic library."""

    categories: list[CategoryView]


class DecisionIn(BaseModel):
    """Staff decline a topic (the reason is published)."""

    reason: Reason
    by: Who


class MergeIn(DecisionIn):
    """Staff merge a duplicate into another topic; every signature is kept once."""

    into_id: Id


class AcceptIn(DecisionIn):
    """Staff accept a topic onto a meeting's agenda; below the threshold only when confirmed."""

    meeting_id: Id
    kind: ItemKind = ItemKind.DISCUSSION
    planned_minutes: int = Field(default=15, ge=1, le=600)
    confirmed: bool = False


class CategoryIn(BaseModel):
    """A category of the topic library as staff add or edit it."""

    name: Name
    must_consult: bool = False
    active: bool = True
    by: Who


class CategoryView(BaseModel):
    """A category of the topic library."""

    id: int
    name: str
    must_consult: bool
    active: bool


class TopicProgress(BaseModel):
    """A topic's co-signing as the board shows it live (``topic.progress`` on /board)."""

    id: int
    status: TopicStatus
    signed: int = Field(description="households concerned that signed")
    households: int = Field(description="households concerned")
    needed: int = Field(description="households needed to meet the threshold")
    percent: int = Field(description="share signed, whole per cent rounded down")
    met: bool


class TopicView(TopicProgress):
    """A topic as the screens show it (the proposer's name only on staff screens)."""

    title: str
    body: str
    category: str
    must_consult: bool
    source: TopicSource
    source_note: str
    proposer_id: int | None
    proposer_name: str | None
    proposer_place: str = Field(description="the proposer's building and unit, else empty")
    scribe: str | None
    scope: ScopeKind
    scope_building: str
    scope_unit: str
    threshold_percent: str
    signatures: int = Field(description="members who signed (two of one household count twice)")
    reason: str
    decided_by: str | None
    decided_at: datetime | None
    merged_into_id: int | None
    meeting_id: int | None
    meeting_title: str | None
    agenda_item_id: int | None
    created_at: datetime
    created_by: str


class SignedOut(BaseModel):
    """The answer to a co-signature: whose, and the topic's progress after it."""

    name: str
    topic: TopicView


class Notice(BaseModel):
    """A proposer's topic decided since they last signed in at the kiosk."""

    id: int
    title: str
    status: TopicStatus
    reason: str
    meeting_title: str | None
