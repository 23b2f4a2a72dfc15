"""The box's start page (/): what this box is, its screens, the staff login, the notice board,
and, for a phone that scanned a QR code in the room, the way on (/join)."""

from __future__ import annotations

from flask import Blueprint, render_template

from meeting_room.access.roles import Role, allow
from meeting_room.clock import now
from meeting_room.meetings.meetings import current_meeting
from meeting_room.store.storage import transaction

bp = Blueprint("start", __name__)


@bp.get("/")
@allow(Role.ANYONE)
def page() -> str:
    """The start page; names the meeting in progress or coming next, if any."""
    with transaction() as session:
        meeting = current_meeting(session, now())
        return render_template("start.html", meeting=meeting)
