"""The typed payloads of the meeting routes (/api/v1/meetings), documented in openapi.json."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from meeting_room.domain.words import MeetingStatus, MemberGroup
from meeting_room.meetings.snapshot import AttendanceSnapshot

Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Ratio = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d+/\d+$")]


class MeetingIn(BaseModel):
    """A meeting to create."""

    title: Text200
    starts_at: datetime
    venue: Text200
    eligible_groups: list[MemberGroup] = Field(default_factory=list)
    eligible_buildings: list[Annotated[str, StringConstraints(max_length=32)]] = Field(
        default_factory=list, max_length=200
    )
    quorum_headcount: Ratio | None = "1/2"
    quorum_area: Ratio | None = None
    max_proxies_per_person: int = Field(default=1, ge=1, le=10)


class MeetingOut(BaseModel):
    """A meeting, with its attendance and quorum."""

    id: int
    title: str
    starts_at: datetime
    venue: str
    status: MeetingStatus
    eligible_groups: list[str]
    eligible_buildings: list[str]
    quorum_headcount: str | None
    quorum_area: str | None
    max_proxies_per_person: int
    attendance: AttendanceSnapshot


class MeetingList(BaseModel):
    """Meetings, newest first."""

    meetings: list[MeetingOut]
