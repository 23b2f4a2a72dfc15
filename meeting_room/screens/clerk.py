"""The clerk desk (/clerk): attendance with filters, manual sign-in and -out, guests, proxies."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select
from werkzeug.wrappers import Response as Redirect

from meeting_room.access.roles import Role, allow, device_kinds
from meeting_room.attendance.guests import meeting_guests
from meeting_room.attendance.members import meeting_rows
from meeting_room.attendance.roster import natural_key
from meeting_room.attendance.schemas import attendance_out
from meeting_room.attendance.words import channel_name, presence_name
from meeting_room.clock import local, now
from meeting_room.domain.words import ActionStatus, MemberGroup
from meeting_room.followup import service as followup
from meeting_room.meetings.meetings import current_meeting, get_meeting, summarise_attendance
from meeting_room.meetings.notice import meeting_notice, notice_days
from meeting_room.meetings.snapshot import attendance_snapshot
from meeting_room.records.spreadsheets import safe_cell
from meeting_room.screens.common import meeting_in_view
from meeting_room.store.models.roster import Member
from meeting_room.store.storage import transaction

bp = Blueprint("clerk", __name__)


def follow_counts() -> dict[str, int]:
    """Action items near their deadline and overdue (the desk's follow-up button shows them)."""
    views = followup.follow_list()
    return {
        "due": sum(1 for v in views if v.reminder),
        "overdue": sum(1 for v in views if v.status is ActionStatus.OVERDUE),
    }


@bp.get("/clerk")
@allow(Role.CLERK)
def page() -> str | Redirect:
    """The clerk's desk for the meeting in view; on a box with no meeting to come, the
    preparation workspace (where the clerk creates one)."""
    with transaction() as session:
        if "meeting" not in request.args and current_meeting(session, now()) is None:
            return redirect(url_for("prepare.index"))
        meeting = meeting_in_view(session)
        snapshot = attendance_snapshot(summarise_attendance(session, meeting))
        buildings = sorted(set(session.scalars(select(Member.building))), key=natural_key)
        return render_template(
            "clerk.html",
            meeting=meeting,
            snapshot=snapshot.model_dump(mode="json"),
            groups=[g.value for g in MemberGroup],
            buildings=buildings,
            notice=meeting_notice(meeting, session),
            notice_required=notice_days(),
            device_kinds=device_kinds(),
            follow=follow_counts(),
        )


def _when(moment: datetime | None) -> str:
    return local(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


@bp.get("/clerk/meetings/<int:meeting_id>/attendance.csv")
@allow(Role.CLERK)
def attendance_csv(meeting_id: int) -> Response:
    """The attendance list and the guests as CSV (UTF-8 with BOM, so Excel reads the names)."""
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        rows = [attendance_out(meeting, row) for row in meeting_rows(session, meeting)]
        guests = meeting_guests(session, meeting)
        table = [
            [
                gettext("Name"),
                gettext("Address"),
                gettext("Group"),
                gettext("Presence"),
                gettext("Proxy"),
                gettext("Mandate checked by"),
                gettext("Signed in"),
                gettext("Signed out"),
                gettext("Counts for quorum"),
                gettext("Channel"),
                gettext("Note"),
            ]
        ]
        for row in rows:
            table.append(
                [
                    row.name,
                    row.address,
                    row.group,
                    presence_name(row.presence),
                    row.proxy_name or "",
                    row.mandate_checked_by or "",
                    _when(row.signed_in_at),
                    _when(row.signed_out_at),
                    gettext("yes") if row.counts else gettext("no"),
                    channel_name(row.channel),
                    "",
                ]
            )
        for guest in guests:
            table.append(
                [
                    guest.name,
                    "",
                    "",
                    gettext("Guest"),
                    "",
                    "",
                    _when(guest.signed_in_at),
                    "",
                    gettext("no"),
                    channel_name(guest.channel),
                    guest.note,
                ]
            )
    out = io.StringIO()
    csv.writer(out).writerows([safe_cell(str(cell)) for cell in line] for line in table)
    filename = f"attendance-meeting-{meeting_id}.csv"
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )
