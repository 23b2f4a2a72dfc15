"""The moderator console (/moderator): the agenda, the list of speakers and the clock, polls and
the voice settings of the meeting in view; every change goes over its socket. Staff only."""

from __future__ import annotations

from flask import Blueprint, render_template

from meeting_room.access.roles import Role, allow
from meeting_room.clock import now
from meeting_room.floor.snapshot import floor_snapshot
from meeting_room.meetings.meetings import summarise_attendance
from meeting_room.meetings.snapshot import attendance_snapshot
from meeting_room.screens.common import meeting_in_view
from meeting_room.store.storage import transaction

bp = Blueprint("moderator", __name__)


@bp.get("/moderator")
@allow(Role.MODERATOR)
def page() -> str:
    """The console for the meeting in view."""
    moment = now()
    with transaction() as session:
        meeting = meeting_in_view(session)
        return render_template(
            "moderator.html",
            meeting=meeting,
            server_now=moment,
            floor=floor_snapshot(session, meeting, moment).model_dump(mode="json"),
            snapshot=attendance_snapshot(summarise_attendance(session, meeting)).model_dump(
                mode="json"
            ),
        )
