"""The kiosk's rating screen (/kiosk/rate, 评价): a resident scans their resident card or their
sign-in slip and rates completed work of the action list, with no code to type. The voting
booth offers the same screen while no vote is open (its scanner reads slips and cards alike).

A slip's QR code carries their personal code, which is proof enough; a card's code is printed
and guessable, so a card is confirmed with the last four digits of the phone, with the same
count of wrong tries and lock as signing in (``attendance.service.confirm_member``). Each call
says again who is rating (the page keeps nothing on the server). Thin: the ratings are written
by ``followup.service``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from flask import Blueprint, Response, current_app, render_template, request, url_for
from pydantic import BaseModel, Field, StringConstraints

from meeting_room.access.principal import current_principal
from meeting_room.access.roles import Role, allow
from meeting_room.attendance import service as attendance
from meeting_room.attendance.roster import member_index
from meeting_room.attendance.tokens import attendance_by_token
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.scanned import read_scan
from meeting_room.domain.words import RatingChannel
from meeting_room.followup import service as followup
from meeting_room.meetings.meetings import get_meeting
from meeting_room.reports import service as reports
from meeting_room.reports.documents import credit_slip_pdf
from meeting_room.screens.common import meeting_in_view
from meeting_room.store.storage import transaction
from meeting_room.web.limits import Id

bp = Blueprint("kiosk_rating", __name__)

Tail = Annotated[str, StringConstraints(strip_whitespace=True, max_length=8)]


class WhoIn(BaseModel):
    """What the scanner read (a card or a slip) and, for a card, the phone's last digits."""

    meeting_id: Id
    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    phone_tail: Tail | None = None


class RateIn(WhoIn):
    """A rating of one completed item (``action_id``), or an answer to the hall's open
    satisfaction survey (``survey_id``), by the resident scanned: 1–5 and a comment."""

    action_id: Id | None = None
    survey_id: Id | None = None
    stars: int = Field(ge=1, le=5)
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""


def _channel() -> RatingChannel:
    """The kiosk or the booth (the booth offers this screen while no vote is open)."""
    return (
        RatingChannel.BOOTH if current_principal().device_kind == "booth" else RatingChannel.KIOSK
    )


@dataclass(frozen=True)
class Rater:
    """Who is rating, once recognised (``member_id`` is None while a card awaits its digits)."""

    name: str
    member_id: int | None


def recognise(wanted: WhoIn) -> Rater:
    """The resident a card or slip names; a card counts once its phone digits are confirmed."""
    scanned = read_scan(wanted.code)
    if scanned is None:
        raise Refusal(Problem.NOT_A_CARD)
    with transaction() as session:
        get_meeting(session, wanted.meeting_id)
        if scanned.token is not None:
            row = attendance_by_token(session, scanned.token)
            return Rater(row.member.name, row.member_id)
        candidate = member_index(session).by_code(scanned.card or "")
    if candidate is None:
        raise Refusal(Problem.MEMBER_NOT_FOUND, member_id=None)
    if not wanted.phone_tail:
        return Rater(candidate.name, None)
    attendance.confirm_member(wanted.meeting_id, candidate.id, wanted.phone_tail)
    return Rater(candidate.name, candidate.id)


@bp.get("/kiosk/rate")
@allow(Role.KIOSK, Role.BOOTH, Role.CLERK)
def page() -> str:
    """The rating screen of the kiosk (for the meeting in view: a card's wrong tries count
    there)."""
    with transaction() as session:
        meeting = meeting_in_view(session)
        at_booth = current_principal().device_kind == "booth"
        return render_template(
            "kiosk/rate.html",
            meeting=meeting,
            back_url=url_for("booth.page" if at_booth else "kiosk.page", meeting=meeting.id),
            idle_seconds=current_app.config["KIOSK_IDLE_SECONDS"],
            voice_screen="booth" if at_booth else "kiosk",  # its volume and rate
        )


@bp.post("/kiosk/api/rate/who")
@allow(Role.KIOSK, Role.BOOTH, Role.CLERK)
def who() -> dict[str, Any]:
    """Who was scanned, whether a card still needs the phone's digits, and once recognised the
    completed items they may rate (with their own stars so far)."""
    rater = recognise(WhoIn.model_validate(request.get_json(silent=True) or {}))
    items = followup.to_rate(rater.member_id) if rater.member_id is not None else []
    credit = reports.member_credit(rater.member_id) if rater.member_id is not None else None
    survey = followup.open_survey_for(rater.member_id) if rater.member_id is not None else None
    return {
        "name": rater.name,
        "needs_tail": rater.member_id is None,
        "credit": {"total": credit.total} if credit else None,
        "survey": {
            "id": survey[0].id,
            "title": survey[0].title,
            "question": survey[0].question,
            "closes_at": survey[0].closes_at.isoformat() if survey[0].closes_at else "",
            "stars": survey[1],
        }
        if survey is not None
        else None,
        "actions": [
            {
                "id": item.action.id,
                "title": item.action.title,
                "decision": item.action.decision,
                "responsible": item.action.responsible,
                "completed_on": item.action.completed_on.isoformat()
                if item.action.completed_on
                else "",
                "stars": item.stars,
            }
            for item in items
        ],
    }


@bp.post("/kiosk/api/rate")
@allow(Role.KIOSK, Role.BOOTH, Role.CLERK)
def rate() -> dict[str, Any]:
    """Record the rating of the resident scanned, once per item (``already_rated`` again), or
    their answer to the open survey, once (``already_answered`` again)."""
    wanted = RateIn.model_validate(request.get_json(silent=True) or {})
    rater = recognise(wanted)
    if rater.member_id is None:
        raise Refusal(Problem.INVALID_INPUT, detail="phone_tail")
    if wanted.survey_id is not None:
        followup.answer_as_member(
            wanted.survey_id, rater.member_id, wanted.stars, wanted.comment, _channel()
        )
        return {"replaced": False, "survey": True}
    if wanted.action_id is None:
        raise Refusal(Problem.INVALID_INPUT, detail="action_id")
    answer = followup.rate_as_member(
        wanted.action_id, rater.member_id, wanted.stars, wanted.comment, _channel()
    )
    return answer.model_dump(mode="json")


@bp.post("/kiosk/credit/slip")
@allow(Role.KIOSK, Role.BOOTH, Role.CLERK)
def credit_slip() -> Response:
    """The participation credit slip (PDF) of the resident scanned: their own points only;
    refused while the hall has credit off."""
    rater = recognise(WhoIn.model_validate(request.get_json(silent=True) or {}))
    if rater.member_id is None:
        raise Refusal(Problem.INVALID_INPUT, detail="phone_tail")
    credit = reports.member_credit(rater.member_id)
    if credit is None:
        raise Refusal(Problem.INVALID_INPUT, detail="credit")
    return Response(
        credit_slip_pdf(rater.name, credit),
        mimetype="application/pdf",
        headers={"Content-Disposition": "inline; filename=credit.pdf", "Cache-Control": "no-store"},
    )
