"""Records' typed payloads: what the clerk's HTTP calls on the minutes take, and the notice
check they answer (the minutes themselves are ``records.minutes``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from meeting_room.followup.schemas import Body, Who, Words

Signatory = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]


class SignatoriesIn(BaseModel):
    """Who chaired the meeting and who kept the minutes."""

    moderator: Signatory
    clerk: Signatory


class ByIn(BaseModel):
    """Who does it."""

    by: Who


class SummaryIn(BaseModel):
    """The clerk's summary of an item (rewriting one is recorded as a correction)."""

    text: Body
    by: Who


class CorrectionIn(BaseModel):
    """A text of the minutes to correct, e.g. ``item.12.title``, and its right wording."""

    field: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]
    text: Words
    by: Who


class NoticeOut(BaseModel):
    """Whether a meeting was announced on the board far enough ahead."""

    meeting_id: int
    published_at: datetime | None = Field(description="The posting; None for a draft.")
    starts_at: datetime
    required_days: int
    working_days: bool = Field(default=False, description="Counted in working days.")
    days_of_notice: int
    short_notice: bool = Field(description="True: the clerk must be warned.")
