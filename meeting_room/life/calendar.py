"""The clerk's calendar days, their one writer: holidays and 调休 working days added where
the ``chinesecalendar`` library lacks a year (or for a local change). One committed
transaction each (audited); nothing is broadcast: the notice is worked out when a page loads."""

from __future__ import annotations

from datetime import date

from meeting_room.clock import now
from meeting_room.life.schemas import CalendarDayIn, CalendarDayOut, CalendarDays
from meeting_room.meetings import notice
from meeting_room.store.storage import transaction


def days() -> CalendarDays:
    """The clerk's days, in date order."""
    with transaction() as s:
        return CalendarDays(
            days=[
                CalendarDayOut.model_validate(row, from_attributes=True)
                for row in notice.calendar_days(s)
            ]
        )


def add(wanted: CalendarDayIn, by: str) -> CalendarDayOut:
    """Add or change one day."""
    with transaction() as s:
        row = notice.add_calendar_day(s, wanted.day, wanted.working, wanted.note, by, now())
        s.flush()
        return CalendarDayOut.model_validate(row, from_attributes=True)


def remove(day: date) -> CalendarDays:
    """Remove one day (``BAD_CALENDAR_DAY`` when it is not there); the days left."""
    with transaction() as s:
        notice.remove_calendar_day(s, day)
    return days()
