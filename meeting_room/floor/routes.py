"""The floor in the JSON API: agenda editing (clerk), the floor's state, speaking statistics."""

from __future__ import annotations

from spectree import Response as Responses

from meeting_room.access.roles import Role, allow
from meeting_room.clock import now
from meeting_room.floor import service, statistics
from meeting_room.floor.schemas import (
    AgendaOut,
    ItemDraft,
    ItemPatch,
    RulesIn,
    RulesOut,
    StatsOut,
    StatsQuery,
)
from meeting_room.floor.snapshot import FloorSnapshot, floor_snapshot
from meeting_room.meetings.meetings import get_meeting
from meeting_room.store.storage import transaction
from meeting_room.web.api import ERRORS, bp, spec


@bp.get("/meetings/<int:meeting_id>/agenda")
@allow(Role.CLERK, Role.MODERATOR, Role.PROJECTOR)
@spec.validate(resp=Responses(HTTP_200=AgendaOut, **ERRORS), tags=["floor"])
def list_agenda(meeting_id: int) -> AgendaOut:
    """The meeting's agenda."""
    with transaction() as session:
        snapshot = floor_snapshot(session, get_meeting(session, meeting_id), now())
    return AgendaOut(items=snapshot.agenda)


@bp.post("/meetings/<int:meeting_id>/agenda")
@allow(Role.CLERK, Role.MODERATOR)
@spec.validate(json=ItemDraft, resp=Responses(HTTP_201=AgendaOut, **ERRORS), tags=["floor"])
def add_item(meeting_id: int, json: ItemDraft) -> tuple[AgendaOut, int]:
    """Add an item at the end of the agenda (every screen of the meeting hears of it)."""
    return AgendaOut(items=service.add_item(meeting_id, json).agenda), 201


@bp.patch("/meetings/<int:meeting_id>/agenda/<int:item_id>")
@allow(Role.CLERK, Role.MODERATOR)
@spec.validate(json=ItemPatch, resp=Responses(HTTP_200=AgendaOut, **ERRORS), tags=["floor"])
def edit_item(meeting_id: int, item_id: int, json: ItemPatch) -> AgendaOut:
    """Correct an agenda item."""
    return AgendaOut(items=service.edit_item(meeting_id, item_id, json).agenda)


@bp.put("/meetings/<int:meeting_id>/rules")
@allow(Role.CLERK, Role.MODERATOR)
@spec.validate(json=RulesIn, resp=Responses(HTTP_200=RulesOut, **ERRORS), tags=["floor"])
def put_rules(meeting_id: int, json: RulesIn) -> RulesOut:
    """Choose the meeting's rules of order (南塘议事规则, three minutes once, or custom)."""
    service.set_rules(meeting_id, json)
    return _rules(meeting_id)


@bp.get("/meetings/<int:meeting_id>/rules")
@allow(Role.CLERK, Role.MODERATOR, Role.PROJECTOR)
@spec.validate(resp=Responses(HTTP_200=RulesOut, **ERRORS), tags=["floor"])
def get_rules(meeting_id: int) -> RulesOut:
    """The meeting's rules of order."""
    return _rules(meeting_id)


def _rules(meeting_id: int) -> RulesOut:
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
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
    """Speeches and time per person; shares of time by group and by stance; points of order."""
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        return statistics.speaking_statistics(session, meeting, now(), query.item_id)
