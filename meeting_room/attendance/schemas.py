"""The typed payloads of the roster and attendance routes (/api/v1), validated on the way in
and documented in openapi.json; ``attendance_out`` also fills the clerk's CSV and the exports."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from meeting_room.domain.words import AlertKind, MandateStatus, MemberGroup, Presence, SignInChannel
from meeting_room.meetings.meetings import is_eligible
from meeting_room.store.models.meetings import Attendance, Meeting
from meeting_room.web.limits import Id

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
PhoneTail = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{4}$")]


class MemberQuery(BaseModel):
    """Find members: by name or pinyin (q), or by address."""

    q: str | None = Field(default=None, max_length=64)
    building: str | None = Field(default=None, max_length=32)
    unit: str | None = Field(default=None, max_length=32)
    room: str | None = Field(default=None, max_length=32)
    limit: int = Field(default=20, ge=1, le=200)


class MemberOut(BaseModel):
    """A member as the hall's staff see them (phone: a masked hint only)."""

    id: int
    member_no: str
    name: str
    building: str
    unit: str
    room: str
    address: str
    floor: int
    area_m2: str
    group: MemberGroup
    phone_hint: str


class MemberList(BaseModel):
    """Members found."""

    members: list[MemberOut]


class AttendanceOut(BaseModel):
    """One member counted at a meeting."""

    member_id: int
    name: str
    address: str
    group: str
    presence: Presence
    channel: SignInChannel
    signed_in_at: datetime
    signed_out_at: datetime | None
    proxy_name: str | None
    mandate_status: MandateStatus | None
    mandate_checked_by: str | None
    attendance_id: int
    eligible: bool
    counts: bool


def attendance_out(meeting: Meeting, row: Attendance) -> AttendanceOut:
    """An attendance row for the API, the clerk's CSV and the records' exports; an ineligible
    member (an observer) never counts."""
    eligible = is_eligible(meeting, row.member)
    return AttendanceOut(
        attendance_id=row.id,
        member_id=row.member_id,
        name=row.member.name,
        address=row.member.address,
        group=row.member.group,
        presence=row.presence,
        channel=row.channel,
        signed_in_at=row.signed_in_at,
        signed_out_at=row.signed_out_at,
        proxy_name=row.proxy_name,
        mandate_status=row.mandate_status,
        mandate_checked_by=row.mandate_checked_by,
        eligible=eligible,
        counts=eligible and row.counts,
    )


class GuestOut(BaseModel):
    """A walk-in observer."""

    name: str
    note: str
    signed_in_at: datetime


class AttendanceList(BaseModel):
    """Everyone at a meeting."""

    attendance: list[AttendanceOut]
    guests: list[GuestOut]


class SignInIn(BaseModel):
    """Sign a member in; with ``phone_tail`` the last four digits are checked."""

    member_id: Id
    phone_tail: PhoneTail | None = None


class SignInOut(BaseModel):
    """A sign-in: who, when, whether it counts, and the personal page (shown once)."""

    member_id: int
    name: str
    address: str
    eligible: bool
    counts: bool
    signed_in_at: datetime
    first_signed_in_at: datetime | None
    replaced_proxy: bool
    proxy_name: str | None
    phone_url: str


class SignOutIn(BaseModel):
    """Sign a member out."""

    member_id: Id


class GuestIn(BaseModel):
    """Register a walk-in guest."""

    name: Name
    note: str = Field(default="", max_length=200)


class ProxyIn(BaseModel):
    """A proxy for an absent member: a roster member or a named person, checked by a clerk."""

    represented_id: Id
    proxy_member_id: Id | None = None
    proxy_name: Name | None = None
    checked_by: Name | None = None


class MandateDecisionIn(BaseModel):
    """A clerk's decision on a proxy's mandate."""

    accept: bool
    clerk: Name


class AlertOut(BaseModel):
    """Something for the clerk desk."""

    id: int
    kind: AlertKind
    member_id: int | None
    detail: str
    created_at: datetime


class AlertList(BaseModel):
    """Unresolved alerts."""

    alerts: list[AlertOut]


class Done(BaseModel):
    """An action was recorded; ``version`` is the meeting's state version after it."""

    ok: bool = True
    version: int
