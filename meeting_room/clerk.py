"""The clerk desk (/clerk): attendance with filters, manual sign-in and -out, guests, proxies."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, render_template
from flask_babel import gettext

from meeting_room.api import attendance_out, meeting_rows
from meeting_room.clock import local
from meeting_room.domain.words import MemberGroup
from meeting_room.meetings import get_meeting, summarise_attendance
from meeting_room.screens import meeting_in_view
from meeting_room.snapshots import attendance_snapshot
from meeting_room.storage import transaction

bp = Blueprint("clerk", __name__)


@bp.get("/clerk")
def page() -> str:
    """The clerk's desk for the meeting in view."""
    with transaction() as session:
        meeting = meeting_in_view(session)
        snapshot = attendance_snapshot(summarise_attendance(session, meeting))
        return render_template(
            "clerk.html",
            meeting=meeting,
            snapshot=snapshot.model_dump(mode="json"),
            groups=[g.value for g in MemberGroup],
        )


@bp.get("/clerk/meetings/<int:meeting_id>/attendance.csv")
def attendance_csv(meeting_id: int) -> Response:
    """The attendance list as CSV (UTF-8 with BOM, so Excel opens the Chinese names right)."""
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        rows = [attendance_out(meeting, row) for row in meeting_rows(session, meeting)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([
        gettext("Name"), gettext("Address"), gettext("Group"), gettext("Presence"),
        gettext("Proxy"), gettext("Mandate checked by"), gettext("Signed in"),
        gettext("Signed out"), gettext("Counts for quorum"), gettext("Channel"),
    ])
    presence = {"in_person": gettext("In person"), "proxy": gettext("By proxy")}
    for row in rows:
        writer.writerow([
            row.name, row.address, row.group, presence[row.presence], row.proxy_name or "",
            row.mandate_checked_by or "", local(row.signed_in_at).strftime("%Y-%m-%d %H:%M:%S"),
            local(row.signed_out_at).strftime("%Y-%m-%d %H:%M:%S") if row.signed_out_at else "",
            gettext("yes") if row.counts else gettext("no"), row.channel,
        ])
    filename = f"attendance-meeting-{meeting_id}.csv"
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )
