"""The attendee's personal page (/v/<token>): who they are and the meeting's status."""

from __future__ import annotations

from flask import Blueprint, render_template

from meeting_room.attendance import attendance_by_token
from meeting_room.clock import now
from meeting_room.floor_snapshot import floor_snapshot
from meeting_room.meetings import is_eligible, summarise_attendance
from meeting_room.snapshots import attendance_snapshot
from meeting_room.storage import transaction

bp = Blueprint("phone", __name__)


@bp.get("/v/<token>")
def page(token: str) -> str:
    """The phone page opened from the personal QR code: standing, attendance, the floor."""
    moment = now()
    with transaction() as session:
        row = attendance_by_token(session, token)
        meeting = row.meeting
        return render_template(
            "phone.html",
            token=token,
            now_in_hall=moment,
            floor=floor_snapshot(session, meeting, moment).model_dump(mode="json"),
            attendance=row,
            member=row.member,
            meeting=meeting,
            eligible=is_eligible(meeting, row.member),
            snapshot=attendance_snapshot(summarise_attendance(session, meeting)).model_dump(
                mode="json"
            ),
        )
