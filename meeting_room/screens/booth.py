"""The voting booth (/booth): a shared large-button tablet for voters without a phone.

A voter shows their slip (its QR carries their personal token) or finds themselves and types
their phone tail as at the kiosk; the booth then holds a short-lived signed ticket for that
one voter, votes, and forgets them.
"""

from __future__ import annotations

from typing import Annotated, Any

from flask import Blueprint, Response, current_app, render_template, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from pydantic import BaseModel, Field, StringConstraints

from meeting_room.access.roles import Role, allow
from meeting_room.attendance import service as attendance
from meeting_room.attendance.members import attendance_of, find_member
from meeting_room.attendance.roster import buildings
from meeting_room.attendance.tokens import attendance_by_token
from meeting_room.clock import now
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import BallotChannel, Presence
from meeting_room.meetings.meetings import get_meeting
from meeting_room.screens.common import meeting_in_view, spoken_privately
from meeting_room.store.models.meetings import Attendance
from meeting_room.store.models.voting import Participation
from meeting_room.store.storage import transaction
from meeting_room.voice.schemas import SayIn
from meeting_room.voting import service as poll_actions
from meeting_room.voting.ballots import Vote
from meeting_room.voting.snapshot import current_poll, poll_view
from meeting_room.web.messages import describe

bp = Blueprint("booth", __name__)
TICKET_SECONDS = 300


class IdentifyIn(BaseModel):
    """A slip's token, or a member and their phone tail."""

    meeting_id: int
    token: Annotated[str, StringConstraints(max_length=300)] | None = None
    member_id: int | None = None
    phone_tail: Annotated[str, StringConstraints(max_length=8)] | None = None


class BoothBallotIn(BaseModel):
    """The booth's ballot for the voter its ticket names."""

    ticket: Annotated[str, StringConstraints(max_length=300)]
    poll_id: int
    choices: list[Annotated[str, StringConstraints(max_length=100)]] = Field(max_length=20)
    client_id: Annotated[str, StringConstraints(min_length=8, max_length=64)]


def _tickets() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="yishi-booth")


@bp.get("/booth")
@allow(Role.BOOTH, Role.CLERK)
def page() -> str:
    """The booth's page for the meeting in view."""
    with transaction() as s:
        meeting = meeting_in_view(s)
        poll = current_poll(s, meeting)
        return render_template(
            "booth.html",
            meeting=meeting,
            buildings=buildings(s),
            poll=poll_view(s, poll, now()).model_dump(mode="json") if poll else None,
            idle_seconds=current_app.config["KIOSK_IDLE_SECONDS"],
            idle_warning_seconds=current_app.config["KIOSK_IDLE_WARNING_SECONDS"],
        )


@bp.post("/booth/api/identify")
@allow(Role.BOOTH, Role.CLERK)
def identify() -> dict[str, Any]:
    """Who is voting: from a slip's token, or a member confirmed by their phone tail."""
    wanted = IdentifyIn.model_validate(request.get_json(silent=True) or {})
    member_id: int | None = None
    if not wanted.token and wanted.member_id is not None and wanted.phone_tail is not None:
        # A wrong tail is committed and refused here, and the try that locks alerts the clerks.
        attendance.confirm_member(wanted.meeting_id, wanted.member_id, wanted.phone_tail)
        member_id = wanted.member_id
    with transaction() as s:
        meeting = get_meeting(s, wanted.meeting_id)
        row: Attendance | None
        if wanted.token:
            row = attendance_by_token(s, wanted.token.rstrip("/").rsplit("/", 1)[-1])
            name = row.member.name
        elif member_id is not None:
            member = find_member(s, member_id)
            name = member.name
            row = attendance_of(s, meeting, member)
        else:
            raise Refusal(Problem.INVALID_INPUT, detail="token")
        if row is None or row.meeting_id != meeting.id or not row.counts:
            raise Refusal(Problem.NOT_SIGNED_IN, name=name)
        poll = current_poll(s, meeting)
        earlier = s.get(Participation, (poll.id, row.member_id)) if poll else None
        return {
            "ticket": _tickets().dumps(
                {"m": row.member_id, "p": row.presence == Presence.PROXY, "g": meeting.id}
            ),
            "name": row.member.name,
            "address": row.member.address,
            "proxy_name": row.proxy_name,
            "voted": earlier is not None,
            # Said at once, before a choice is made: in a secret poll this voter is done.
            "voted_message": describe(Refusal(Problem.ALREADY_VOTED, channel=earlier.channel))
            if earlier is not None
            else None,
            "poll": poll_view(s, poll, now()).model_dump(mode="json") if poll else None,
        }


@bp.post("/booth/api/speech")
@allow(Role.BOOTH, Role.CLERK)
def speech() -> Response:
    """The booth's words as speech for the voter in its headphones (their name, the choice
    they are confirming, their receipt): made in memory, never written to disk."""
    return spoken_privately(SayIn.model_validate(request.get_json(silent=True) or {}))


@bp.post("/booth/api/ballot")
@allow(Role.BOOTH, Role.CLERK)
def ballot() -> dict[str, Any]:
    """Cast the ticket holder's ballot; answers the receipt code."""
    wanted = BoothBallotIn.model_validate(request.get_json(silent=True) or {})
    try:
        holder = _tickets().loads(wanted.ticket, max_age=TICKET_SECONDS)
    except BadSignature as error:
        raise Refusal(Problem.TICKET_EXPIRED) from error
    cast = poll_actions.cast(
        wanted.poll_id,
        Vote(
            int(holder["m"]),
            tuple(wanted.choices),
            BallotChannel.BOOTH,
            client_id=wanted.client_id,
            by_proxy=bool(holder["p"]),
        ),
    )
    return {
        "receipt": cast.receipt,
        "replaced": cast.replaced,
        "repeated": cast.repeated,
        "unit_note": cast.unit_note,
    }
