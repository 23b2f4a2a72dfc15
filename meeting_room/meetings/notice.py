"""A meeting's notice period as the hall configures it: ``NOTICE_DAYS`` (default 7), counted
in working days when ``NOTICE_WORKING_DAYS`` is set, by China's official holiday and 调休
calendar (the ``chinesecalendar`` library) with the days the clerk added (``CalendarDay``:
a year the library does not know yet, or a local change) taking precedence. The rule itself is
``domain.notice``; the board, the clerk's desk, the API and ``yishi create-meeting`` ask here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.clock import local, now
from meeting_room.domain.notice import NoticeCheck, Workday, notice_check
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import MemberGroup
from meeting_room.store.models.meetings import CalendarDay, Meeting

NOTICE_DAYS = 7  # default of the NOTICE_DAYS setting: how long ahead a meeting is announced


def notice_days() -> int:
    """How many days ahead a meeting must be announced (``NOTICE_DAYS``, default 7)."""
    return int(current_app.config.get("NOTICE_DAYS", NOTICE_DAYS))


def in_working_days() -> bool:
    """Whether the hall's rules count the notice in working days (``NOTICE_WORKING_DAYS``)."""
    return bool(current_app.config.get("NOTICE_WORKING_DAYS", False))


def library_workday(day: date) -> Workday:
    """The official calendar's word on ``day``; a year it lacks is guessed Monday–Friday."""
    import chinese_calendar  # imported late: only where notice counts working days

    try:
        return Workday(bool(chinese_calendar.is_workday(day)))
    except NotImplementedError:  # a year the installed library does not cover yet
        return Workday(day.weekday() < 5, known=False)


def working_calendar(session: Session) -> Callable[[date], Workday]:
    """Whether each day is a working day: the clerk's days first, then the library."""
    added = {row.day: row.working for row in session.scalars(select(CalendarDay))}

    def is_working(day: date) -> Workday:
        if day in added:
            return Workday(added[day])
        return library_workday(day)

    return is_working


def is_assembly(meeting: Meeting) -> bool:
    """An owners' assembly (业主大会): the owners are called (物业管理条例 art. 14's 15 days)."""
    return MemberGroup.OWNER in meeting.eligible_groups


def meeting_notice(meeting: Meeting, session: Session | None = None) -> NoticeCheck:
    """The notice ``meeting`` was given from its posting to its start, against what the hall
    requires; an owners' assembly needs 15 days (物业管理条例 art. 14). A draft is measured as
    if posted now (what the clerk would give it). With ``session`` the clerk's calendar days
    count too."""
    posted = meeting.announced_at or now()
    calendar = working_calendar(session) if session is not None and in_working_days() else None
    if calendar is None and in_working_days():
        calendar = library_workday
    return notice_check(
        posted,
        meeting.starts_at,
        notice_days(),
        assembly=is_assembly(meeting),
        is_working=calendar,
        local=local,
    )


def add_calendar_day(
    session: Session, day: date, working: bool, note: str, by: str, now: datetime
) -> CalendarDay:
    """Add (or change) a day of the clerk's calendar: a holiday or a 调休 working day."""
    row = session.get(CalendarDay, day)
    if row is None:
        row = CalendarDay(day=day)
        session.add(row)
    row.working, row.note, row.added_by, row.added_at = working, note.strip()[:100], by[:64], now
    return row


def remove_calendar_day(session: Session, day: date) -> None:
    """Take a day out of the clerk's calendar (the library's word stands again)."""
    row = session.get(CalendarDay, day)
    if row is None:
        raise Refusal(Problem.BAD_CALENDAR_DAY, day=day.isoformat())
    session.delete(row)


def calendar_days(session: Session) -> list[CalendarDay]:
    """The clerk's calendar days, in date order."""
    return list(session.scalars(select(CalendarDay).order_by(CalendarDay.day)))
