"""The floor in the JSON API: agenda editing (clerk), the floor's state, speaking statistics."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints
from spectree import Response as Responses

from meeting_room.access.guard import Role, allow
from meeting_room.attendance.snapshot import percent
from meeting_room.clock import now
from meeting_room.domain.speakers import (
    NANTANG,
    THREE_MINUTES_ONCE,
    RulesOfOrder,
    statistics,
)
from meeting_room.domain.words import ItemKind
from meeting_room.floor import floor
from meeting_room.floor.snapshot import FloorSnapshot, ItemView, floor_snapshot
from meeting_room.meetings.meetings import get_meeting
from meeting_room.store.models import Meeting, Member
from meeting_room.store.storage import transaction
from meeting_room.web.api import ERRORS, bp, spec
from meeting_room.web.limits import Id

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class ItemIn(BaseModel):
    """A new agenda item."""

    title: Title
    kind: ItemKind = ItemKind.DISCUSSION
    planned_minutes: int = Field(default=10, ge=1, le=600)
    description: str = Field(default="", max_length=2000)


class ItemPatch(BaseModel):
    """Corrections to an agenda item."""

    title: Title | None = None
    kind: ItemKind | None = None
    planned_minutes: int | None = Field(default=None, ge=1, le=600)
    description: str | None = Field(default=None, max_length=2000)


class AgendaOut(BaseModel):
    """The agenda in order."""

    items: list[ItemView]


class RulesIn(BaseModel):
    """The meeting's rules of order: a preset, or ``custom`` with its own values."""

    preset: Literal["nantang", "three_minutes_once", "custom"] = "nantang"
    speech_limit_s: int = Field(default=120, ge=10, le=3600)
    max_speeches: int | None = Field(default=2, ge=1, le=20)
    first_timers_first: bool = True
    alternate: bool = True
    warning_s: int = Field(default=30, ge=0, le=600)
    auto_stop: bool = False

    def rules(self) -> RulesOfOrder:
        """The rules this asks for."""
        if self.preset == "nantang":
            return NANTANG
        if self.preset == "three_minutes_once":
            return THREE_MINUTES_ONCE
        return RulesOfOrder(
            timedelta(seconds=self.speech_limit_s),
            max_speeches=self.max_speeches,
            first_timers_first=self.first_timers_first,
            alternate=self.alternate,
        )


class RulesOut(BaseModel):
    """The rules of order in force."""

    speech_limit_s: int
    max_speeches: int | None
    first_timers_first: bool
    alternate: bool
    warning_s: int
    auto_stop: bool


class StatsQuery(BaseModel):
    """Statistics of the whole meeting, or of one item."""

    item_id: Id | None = None


class PersonStats(BaseModel):
    """How often and how long one person spoke."""

    member_id: int
    name: str
    group: str
    speeches: int
    seconds: int


class Share(BaseModel):
    """A part of the speaking time."""

    key: str
    seconds: int
    percent: str


class StatsOut(BaseModel):
    """Speaking statistics: per person, share of time by group and by stance."""

    total_seconds: int
    people: list[PersonStats]
    by_group: list[Share]
    by_stance: list[Share]


@bp.get("/meetings/<int:meeting_id>/agenda")
@allow(Role.CLERK, Role.MODERATOR, Role.PROJECTOR)
@spec.validate(resp=Responses(HTTP_200=AgendaOut, **ERRORS), tags=["floor"])
def list_agenda(meeting_id: int) -> AgendaOut:
    """The meeting's agenda."""
    return _agenda(meeting_id)


def _agenda(meeting_id: int) -> AgendaOut:
    with transaction() as session:
        snapshot = floor_snapshot(session, get_meeting(session, meeting_id), now())
        return AgendaOut(items=snapshot.agenda)


@bp.post("/meetings/<int:meeting_id>/agenda")
@allow(Role.CLERK, Role.MODERATOR)
@spec.validate(json=ItemIn, resp=Responses(HTTP_201=AgendaOut, **ERRORS), tags=["floor"])
def add_item(meeting_id: int, json: ItemIn) -> tuple[AgendaOut, int]:
    """Add an item at the end of the agenda."""
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        floor.add_item(
            session, meeting, json.title, json.kind, json.planned_minutes, json.description
        )
    return _agenda(meeting_id), 201


@bp.patch("/meetings/<int:meeting_id>/agenda/<int:item_id>")
@allow(Role.CLERK, Role.MODERATOR)
@spec.validate(json=ItemPatch, resp=Responses(HTTP_200=AgendaOut, **ERRORS), tags=["floor"])
def edit_item(meeting_id: int, item_id: int, json: ItemPatch) -> AgendaOut:
    """Correct an agenda item."""
    with transaction() as session:
        floor.edit_item(
            session,
            get_meeting(session, meeting_id),
            item_id,
            json.title,
            json.description,
            json.kind,
            json.planned_minutes,
        )
    return _agenda(meeting_id)


@bp.put("/meetings/<int:meeting_id>/rules")
@allow(Role.CLERK, Role.MODERATOR)
@spec.validate(json=RulesIn, resp=Responses(HTTP_200=RulesOut, **ERRORS), tags=["floor"])
def put_rules(meeting_id: int, json: RulesIn) -> RulesOut:
    """Choose the meeting's rules of order (南塘议事规则, three minutes once, or custom)."""
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        floor.set_rules(session, meeting, json.rules(), json.warning_s, json.auto_stop)
        return _rules(meeting)


@bp.get("/meetings/<int:meeting_id>/rules")
@allow(Role.CLERK, Role.MODERATOR, Role.PROJECTOR)
@spec.validate(resp=Responses(HTTP_200=RulesOut, **ERRORS), tags=["floor"])
def get_rules(meeting_id: int) -> RulesOut:
    """The meeting's rules of order."""
    with transaction() as session:
        return _rules(get_meeting(session, meeting_id))


def _rules(meeting: Meeting) -> RulesOut:
    return RulesOut(
        speech_limit_s=meeting.speech_limit_s,
        max_speeches=meeting.max_speeches,
        first_timers_first=meeting.first_timers_first,
        alternate=meeting.alternate,
        warning_s=meeting.warning_s,
        auto_stop=meeting.auto_stop,
    )


@bp.get("/meetings/<int:meeting_id>/floor")
@allow(Role.CLERK, Role.MODERATOR, Role.PROJECTOR)
@spec.validate(resp=Responses(HTTP_200=FloorSnapshot, **ERRORS), tags=["floor"])
def show_floor(meeting_id: int) -> FloorSnapshot:
    """The floor now: the item, the speaker and their clock, the queue."""
    with transaction() as session:
        return floor_snapshot(session, get_meeting(session, meeting_id), now())


@bp.get("/meetings/<int:meeting_id>/statistics")
@allow(Role.CLERK, Role.MODERATOR, Role.PROJECTOR)
@spec.validate(query=StatsQuery, resp=Responses(HTTP_200=StatsOut, **ERRORS), tags=["floor"])
def speaking_statistics(meeting_id: int, query: StatsQuery) -> StatsOut:
    """Speeches and time per person; shares of time by group and by stance."""
    moment = now()
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        stats = statistics(floor.speech_records(session, meeting, moment, query.item_id))
        names = {
            m.id: (m.name, m.group)
            for m in session.query(Member).filter(Member.id.in_(list(stats.by_person)))
        }
    total = stats.total.total_seconds()
    return StatsOut(
        total_seconds=round(total),
        people=sorted(
            (
                PersonStats(
                    member_id=pid,
                    name=names[pid][0],
                    group=names[pid][1],
                    speeches=t.count,
                    seconds=round(t.total.total_seconds()),
                )
                for pid, t in stats.by_person.items()
            ),
            key=lambda p: (-p.seconds, p.name),
        ),
        by_group=[
            Share(key=g, seconds=round(float(share) * total), percent=percent(share))
            for g, share in sorted(stats.group_share.items(), key=lambda kv: -kv[1])
        ],
        by_stance=[
            Share(key=str(s), seconds=round(float(share) * total), percent=percent(share))
            for s, share in stats.stance_share.items()
        ],
    )
