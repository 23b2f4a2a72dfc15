"""The typed payloads of a meeting's life in the JSON API (/api/v1/meetings/<id>/…) and of
the clerk's calendar days (/api/v1/calendar-days)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, StringConstraints

Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]


class OpenIn(BaseModel):
    """The moderator opens the meeting; ``confirm_without_quorum`` after the warning."""

    confirm_without_quorum: bool = False


class CloseIn(BaseModel):
    """The moderator closes the meeting; ``confirm_ending`` ends what still runs (listed by
    ``/running``) with the reason recorded."""

    confirm_ending: bool = False


class RunningPoll(BaseModel):
    """An open poll that closing would close and count."""

    id: int
    question: str


class RunningOut(BaseModel):
    """What closing the meeting now would end."""

    polls: list[RunningPoll]
    item_title: str | None
    speaker: str | None


class CalendarDayIn(BaseModel):
    """A day the clerk adds: a holiday (``working`` false) or a 调休 working day."""

    day: date
    working: bool
    note: Note = ""


class CalendarDayOut(BaseModel):
    """A day of the clerk's calendar."""

    day: date
    working: bool
    note: str
    added_by: str
    added_at: datetime


class CalendarDays(BaseModel):
    """The clerk's calendar days, in date order."""

    days: list[CalendarDayOut]
