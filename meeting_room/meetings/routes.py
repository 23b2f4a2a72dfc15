"""Meetings in the JSON API (/api/v1/meetings): listing, creating, one meeting with its live
attendance and quorum. Thin: spectree validates, ``meetings.service`` writes."""

from __future__ import annotations

from spectree import Response as Responses
from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.access.roles import Role, allow
from meeting_room.meetings import service
from meeting_room.meetings.meetings import MeetingDraft, get_meeting, summarise_attendance
from meeting_room.meetings.schemas import MeetingIn, MeetingList, MeetingOut
from meeting_room.meetings.snapshot import attendance_snapshot
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.storage import transaction
from meeting_room.web.api import ERRORS, bp, spec


def _meeting_out(session: Session, meeting: Meeting) -> MeetingOut:
    return MeetingOut(
        id=meeting.id,
        title=meeting.title,
        starts_at=meeting.starts_at,
        venue=meeting.venue,
        status=meeting.status,
        eligible_groups=list(meeting.eligible_groups),
        eligible_buildings=list(meeting.eligible_buildings),
        quorum_headcount=meeting.quorum_headcount,
        quorum_area=meeting.quorum_area,
        max_proxies_per_person=meeting.max_proxies_per_person,
        attendance=attendance_snapshot(summarise_attendance(session, meeting)),
    )


@bp.get("/meetings")
@allow(Role.CLERK, Role.MODERATOR)
@spec.validate(resp=Responses(HTTP_200=MeetingList), tags=["meetings"])
def list_meetings() -> MeetingList:
    """Every meeting, newest first."""
    with transaction() as session:
        meetings = session.scalars(select(Meeting).order_by(Meeting.starts_at.desc())).all()
        return MeetingList(meetings=[_meeting_out(session, m) for m in meetings])


@bp.post("/meetings")
@allow(Role.CLERK)
@spec.validate(json=MeetingIn, resp=Responses(HTTP_201=MeetingOut, **ERRORS), tags=["meetings"])
def add_meeting(json: MeetingIn) -> tuple[MeetingOut, int]:
    """Create a meeting."""
    created = service.create_meeting(
        MeetingDraft(
            title=json.title,
            starts_at=json.starts_at,
            venue=json.venue,
            eligible_groups=tuple(json.eligible_groups),
            eligible_buildings=tuple(json.eligible_buildings),
            quorum_headcount=json.quorum_headcount,
            quorum_area=json.quorum_area,
            max_proxies_per_person=json.max_proxies_per_person,
        )
    )
    with transaction() as session:
        return _meeting_out(session, get_meeting(session, created.id)), 201


@bp.get("/meetings/<int:meeting_id>")
@allow(Role.CLERK, Role.MODERATOR)
@spec.validate(resp=Responses(HTTP_200=MeetingOut, **ERRORS), tags=["meetings"])
def show_meeting(meeting_id: int) -> MeetingOut:
    """A meeting with its attendance and quorum."""
    with transaction() as session:
        return _meeting_out(session, get_meeting(session, meeting_id))
