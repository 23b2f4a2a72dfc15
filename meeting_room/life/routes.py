"""A meeting's life in the JSON API: the clerk posts it, the moderator opens and closes it
(their screens call these), and the clerk's calendar days for the notice in working days.
Thin: spectree validates, ``life.service`` and ``life.calendar`` write."""

from __future__ import annotations

from datetime import date

from spectree import Response as Responses

from meeting_room.access.principal import current_principal
from meeting_room.access.roles import Role, allow
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.life import calendar, service
from meeting_room.life.schemas import (
    CalendarDayIn,
    CalendarDayOut,
    CalendarDays,
    CloseIn,
    OpenIn,
    RunningOut,
    RunningPoll,
)
from meeting_room.meetings.snapshot import MeetingState
from meeting_room.web.api import ERRORS, bp, spec


def _who() -> str:
    principal = current_principal()
    return principal.username or principal.device_name or "?"


@bp.post("/meetings/<int:meeting_id>/announce")
@allow(Role.CLERK)
@spec.validate(resp=Responses(HTTP_200=MeetingState, **ERRORS), tags=["meetings"])
def announce(meeting_id: int) -> MeetingState:
    """Post a draft meeting on the notice board (the notice period counts from now)."""
    return service.announce(meeting_id, _who())


@bp.post("/meetings/<int:meeting_id>/open")
@allow(Role.MODERATOR)
@spec.validate(json=OpenIn, resp=Responses(HTTP_200=MeetingState, **ERRORS), tags=["meetings"])
def open_meeting(meeting_id: int, json: OpenIn) -> MeetingState:
    """Open a posted meeting; without quorum only when confirmed (the confirmation recorded)."""
    return service.open_meeting(meeting_id, _who(), json.confirm_without_quorum)


@bp.get("/meetings/<int:meeting_id>/running")
@allow(Role.MODERATOR)
@spec.validate(resp=Responses(HTTP_200=RunningOut, **ERRORS), tags=["meetings"])
def running(meeting_id: int) -> RunningOut:
    """What closing the meeting now would end (open polls, the item under discussion)."""
    found = service.running(meeting_id)
    return RunningOut(
        polls=[RunningPoll(id=pid, question=question) for pid, question in found.polls],
        item_title=found.item[1] if found.item else None,
        speaker=found.speaker,
    )


@bp.post("/meetings/<int:meeting_id>/close")
@allow(Role.MODERATOR)
@spec.validate(json=CloseIn, resp=Responses(HTTP_200=MeetingState, **ERRORS), tags=["meetings"])
def close_meeting(meeting_id: int, json: CloseIn) -> MeetingState:
    """Close an open meeting: sign-in stops; what still runs is ended only when confirmed."""
    return service.close_meeting(meeting_id, _who(), json.confirm_ending)


@bp.get("/calendar-days")
@allow(Role.CLERK)
@spec.validate(resp=Responses(HTTP_200=CalendarDays), tags=["meetings"])
def list_days() -> CalendarDays:
    """The days the clerk added to the holiday calendar."""
    return calendar.days()


@bp.post("/calendar-days")
@allow(Role.CLERK)
@spec.validate(
    json=CalendarDayIn, resp=Responses(HTTP_201=CalendarDayOut, **ERRORS), tags=["meetings"]
)
def add_day(json: CalendarDayIn) -> tuple[CalendarDayOut, int]:
    """Add a holiday or a 调休 working day (a year the library lacks, or a local change)."""
    return calendar.add(json, _who()), 201


@bp.delete("/calendar-days/<day>")
@allow(Role.CLERK)
@spec.validate(resp=Responses(HTTP_200=CalendarDays, **ERRORS), tags=["meetings"])
def remove_day(day: str) -> CalendarDays:
    """Take a day out of the clerk's calendar."""
    try:
        wanted = date.fromisoformat(day)
    except ValueError as error:
        raise Refusal(Problem.BAD_CALENDAR_DAY, day=day[:20]) from error
    return calendar.remove(wanted)
