"""The projector (/projector): attendance and quorum for the whole room, live."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import gettext

from meeting_room.clock import now
from meeting_room.devices_access import kiosk_url, qr_svg
from meeting_room.floor_snapshot import floor_snapshot
from meeting_room.meetings import summarise_attendance
from meeting_room.screens import meeting_in_view
from meeting_room.snapshots import attendance_snapshot
from meeting_room.storage import transaction

bp = Blueprint("projector", __name__)


@bp.get("/projector")
def page() -> str:
    """The wall screen: attendance and quorum with the kiosk's QR code; the floor (speaker,
    countdown, queue) while an item is under discussion; its statistics once it is done."""
    moment = now()
    with transaction() as session:
        meeting = meeting_in_view(session)
        snapshot = attendance_snapshot(summarise_attendance(session, meeting))
        return render_template(
            "projector.html",
            meeting=meeting,
            snapshot=snapshot.model_dump(mode="json"),
            floor=floor_snapshot(session, meeting, moment).model_dump(mode="json"),
            kiosk_qr=qr_svg(kiosk_url(), label=gettext("QR code of the sign-in page")),
            kiosk_url=kiosk_url(),
            server_now=moment,
        )
