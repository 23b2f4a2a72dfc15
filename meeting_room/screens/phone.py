"""The attendee's personal page (/v/<token>): who they are, the meeting's status, the ballot."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from meeting_room.access.roles import Role, allow
from meeting_room.attendance.tokens import attendance_by_token
from meeting_room.clock import now, today
from meeting_room.floor.snapshot import committed_floor, phone_floor
from meeting_room.followup import surveys
from meeting_room.followup.actions import ratable
from meeting_room.followup.periodic import ensure_periodic_survey
from meeting_room.meetings.meetings import is_eligible, summarise_attendance
from meeting_room.meetings.snapshot import attendance_snapshot
from meeting_room.reports.credits import member_credit
from meeting_room.reports.words import deed_name
from meeting_room.screens.common import spoken_privately
from meeting_room.store.models.voting import Participation
from meeting_room.store.storage import transaction
from meeting_room.voice.schemas import SayIn
from meeting_room.voting.snapshot import counted_ballot, current_poll, poll_view

bp = Blueprint("phone", __name__)


@bp.get("/v/<token>")
@allow(Role.ATTENDEE)
def page(token: str) -> str:
    """The phone page opened from the personal QR code: standing, attendance, the floor, and
    the ballot of the poll in view (whether this attendee has voted in it)."""
    ensure_periodic_survey()  # the quarter's survey, made by itself if due
    moment = now()
    with transaction() as session:
        row = attendance_by_token(session, token)
        meeting = row.meeting
        poll = current_poll(session, meeting)
        return render_template(
            "phone.html",
            token=token,
            now_in_hall=moment,
            floor=phone_floor(committed_floor(session, meeting, moment)).model_dump(mode="json"),
            attendance=row,
            member=row.member,
            meeting=meeting,
            eligible=is_eligible(meeting, row.member),
            poll=poll_view(session, poll, moment).model_dump(mode="json") if poll else None,
            voted=poll is not None
            and session.get(Participation, (poll.id, row.member_id)) is not None,
            counted=counted.model_dump(mode="json")
            if poll is not None and (counted := counted_ballot(session, poll, row.member_id))
            else None,
            to_rate=ratable(session, row.member_id, today()),
            credit=member_credit(session, row.member_id),
            deed_name=deed_name,
            survey=(survey := surveys.open_now(session, moment)),
            survey_stars=surveys.answered(session, survey.id, row.member_id) if survey else None,
            snapshot=attendance_snapshot(summarise_attendance(session, meeting)).model_dump(
                mode="json"
            ),
        )


@bp.post("/v/<token>/speech")
@allow(Role.ATTENDEE)
def speech(token: str) -> Response:
    """The phone page's words as speech (elder mode: the ballot's steps, the choice, the
    receipt) for its attendee only: made in memory, never written to disk."""
    with transaction() as session:
        attendance_by_token(session, token)  # refused unless the token is an attendee's
    return spoken_privately(SayIn.model_validate(request.get_json(silent=True) or {}))
