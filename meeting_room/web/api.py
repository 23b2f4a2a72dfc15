"""The JSON API under /api/v1: roster, meetings, attendance and sign-in; openapi.json beside it."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Flask, Response, jsonify
from pydantic import ValidationError
from spectree import Response as Responses
from spectree import SpecTree
from spectree.model_adapter.pydantic_adapter import PydanticModelAdapter
from sqlalchemy import select

from meeting_room.access.roles import Role, allow
from meeting_room.attendance import service as actions
from meeting_room.attendance.attendance import ProxyRequest
from meeting_room.attendance.roster import member_index, members_in_order
from meeting_room.attendance.snapshot import attendance_snapshot
from meeting_room.clock import now
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import MemberGroup, Presence, SignInChannel
from meeting_room.meetings.meetings import (
    MeetingDraft,
    create_meeting,
    get_meeting,
    is_eligible,
    summarise_attendance,
)
from meeting_room.store.models.meetings import Alert, Attendance, Guest, Meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.storage import transaction
from meeting_room.web.api_models import (
    AlertList,
    AlertOut,
    AttendanceList,
    AttendanceOut,
    Done,
    GuestIn,
    GuestOut,
    MandateDecisionIn,
    MeetingIn,
    MeetingList,
    MeetingOut,
    MemberList,
    MemberOut,
    MemberQuery,
    ProxyIn,
    SignInIn,
    SignInOut,
    SignOutIn,
)
from meeting_room.web.errors import ErrorResponse, envelope, invalid_input


def _problem_body(request: Any, response: Any, error: Any, _instance: Any, _adapter: Any) -> None:
    """Spectree's validation errors in the one error envelope."""
    if error is None or response is None:
        return
    response.set_data(json.dumps(envelope(invalid_input(error.errors())), ensure_ascii=False))
    response.mimetype = "application/json"


class _ErrorsWithoutInput(PydanticModelAdapter):
    """Spectree's validation errors without the input they echo (a file, a personal token,
    form fields without a name), which ``_problem_body`` replaces anyway."""

    def validation_errors(self, err: Exception) -> Any:
        assert isinstance(err, ValidationError)
        return err.errors(include_url=False, include_context=False, include_input=False)


spec = SpecTree(
    "flask",
    # spectree's own pydantic adapter does not match its protocol's attribute types either
    model_adapter=_ErrorsWithoutInput(),  # type: ignore[arg-type]
    path="apidoc",  # spectree leaves out routes under its own path; /api/v1/openapi.json is ours
    mode="strict",
    title="Yishi API",
    version="1",
    page_templates={},
    before=_problem_body,
    validation_error_model=ErrorResponse,
)
bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Every operation can also be refused for its roles (401 not logged in or not paired, 403 the
# wrong role; see docs/access.md) and by a full (507) or unwritable (503) database.
ERRORS = {
    "HTTP_401": ErrorResponse,
    "HTTP_403": ErrorResponse,
    "HTTP_404": ErrorResponse,
    "HTTP_409": ErrorResponse,
    "HTTP_423": ErrorResponse,
    "HTTP_503": ErrorResponse,
    "HTTP_507": ErrorResponse,
}


def phone_hint(tail: str) -> str:
    """The phone tail as a result list shows it: only its last digit."""
    return "•••" + tail[-1:]


def member_out(member: Member) -> MemberOut:
    """A member for the API."""
    return MemberOut(
        id=member.id,
        member_no=member.member_no,
        name=member.name,
        building=member.building,
        unit=member.unit,
        room=member.room,
        address=member.address,
        floor=member.floor,
        area_m2=str(member.area_m2),
        group=MemberGroup(member.group),
        phone_hint=phone_hint(member.phone_tail),
    )


def meeting_out(session: Any, meeting: Meeting) -> MeetingOut:
    """A meeting with its live attendance."""
    return MeetingOut(
        id=meeting.id,
        title=meeting.title,
        starts_at=meeting.starts_at,
        venue=meeting.venue,
        status=meeting.status,
        eligible_groups=list(meeting.eligible_groups),
        quorum_headcount=meeting.quorum_headcount,
        quorum_area=meeting.quorum_area,
        max_proxies_per_person=meeting.max_proxies_per_person,
        attendance=attendance_snapshot(summarise_attendance(session, meeting)),
    )


@bp.get("/members")
@allow(Role.CLERK, Role.MODERATOR)
@spec.validate(query=MemberQuery, resp=Responses(HTTP_200=MemberList), tags=["roster"])
def list_members(query: MemberQuery) -> MemberList:
    """Find members by name, pinyin (initials or full) or address."""
    with transaction() as session:
        index = member_index(session)
        if query.q:
            found = index.search(query.q, limit=query.limit)
        elif query.building or query.unit or query.room:
            found = index.by_address(query.building, query.unit, query.room)[: query.limit]
        else:
            found = []
        members = members_in_order(session, [c.id for c in found])
        return MemberList(members=[member_out(m) for m in members])


@bp.get("/members/<int:member_id>")
@allow(Role.CLERK, Role.MODERATOR)
@spec.validate(resp=Responses(HTTP_200=MemberOut, **ERRORS), tags=["roster"])
def show_member(member_id: int) -> MemberOut:
    """One member."""
    with transaction() as session:
        member = session.get(Member, member_id)
        if member is None:
            raise Refusal(Problem.MEMBER_NOT_FOUND, member_id=member_id)
        return member_out(member)


@bp.get("/meetings")
@allow(Role.CLERK, Role.MODERATOR)
@spec.validate(resp=Responses(HTTP_200=MeetingList), tags=["meetings"])
def list_meetings() -> MeetingList:
    """Every meeting, newest first."""
    with transaction() as session:
        meetings = session.scalars(select(Meeting).order_by(Meeting.starts_at.desc())).all()
        return MeetingList(meetings=[meeting_out(session, m) for m in meetings])


@bp.post("/meetings")
@allow(Role.CLERK)
@spec.validate(json=MeetingIn, resp=Responses(HTTP_201=MeetingOut, **ERRORS), tags=["meetings"])
def add_meeting(json: MeetingIn) -> tuple[MeetingOut, int]:
    """Create a meeting."""
    with transaction() as session:
        meeting = create_meeting(
            session,
            MeetingDraft(
                title=json.title,
                starts_at=json.starts_at,
                venue=json.venue,
                eligible_groups=tuple(json.eligible_groups),
                quorum_headcount=json.quorum_headcount,
                quorum_area=json.quorum_area,
                max_proxies_per_person=json.max_proxies_per_person,
            ),
            now(),
        )
        return meeting_out(session, meeting), 201


@bp.get("/meetings/<int:meeting_id>")
@allow(Role.CLERK, Role.MODERATOR)
@spec.validate(resp=Responses(HTTP_200=MeetingOut, **ERRORS), tags=["meetings"])
def show_meeting(meeting_id: int) -> MeetingOut:
    """A meeting with its attendance and quorum."""
    with transaction() as session:
        return meeting_out(session, get_meeting(session, meeting_id))


@bp.get("/meetings/<int:meeting_id>/attendance")
@allow(Role.CLERK, Role.MODERATOR)
@spec.validate(resp=Responses(HTTP_200=AttendanceList, **ERRORS), tags=["attendance"])
def list_attendance(meeting_id: int) -> AttendanceList:
    """Everyone who signed in (members, proxies) and the guests."""
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        return AttendanceList(
            attendance=[attendance_out(meeting, row) for row in meeting_rows(session, meeting)],
            guests=[
                GuestOut(name=g.name, note=g.note, signed_in_at=g.signed_in_at)
                for g in session.scalars(
                    select(Guest).where(Guest.meeting_id == meeting.id).order_by(Guest.signed_in_at)
                )
            ],
        )


def meeting_rows(session: Any, meeting: Meeting) -> list[Attendance]:
    """The meeting's attendance rows in sign-in order."""
    return list(
        session.scalars(
            select(Attendance)
            .where(Attendance.meeting_id == meeting.id)
            .order_by(Attendance.signed_in_at)
        )
    )


def attendance_out(meeting: Meeting, row: Attendance) -> AttendanceOut:
    """An attendance row for the API and the clerk desk."""
    eligible = is_eligible(meeting, row.member)
    return AttendanceOut(
        attendance_id=row.id,
        member_id=row.member_id,
        name=row.member.name,
        address=row.member.address,
        group=row.member.group,
        presence=Presence(row.presence),
        channel=SignInChannel(row.channel),
        signed_in_at=row.signed_in_at,
        signed_out_at=row.signed_out_at,
        proxy_name=row.proxy_name,
        mandate_status=row.mandate_status,
        mandate_checked_by=row.mandate_checked_by,
        eligible=eligible,
        counts=eligible and row.counts,
    )


@bp.post("/meetings/<int:meeting_id>/sign-in")
@allow(Role.CLERK)
@spec.validate(json=SignInIn, resp=Responses(HTTP_200=SignInOut, **ERRORS), tags=["attendance"])
def sign_in(meeting_id: int, json: SignInIn) -> SignInOut:
    """Sign a member in (the phone tail, when given, is checked with the kiosk's lock)."""
    channel = SignInChannel.KIOSK if json.phone_tail is not None else SignInChannel.CLERK
    receipt = actions.sign_in_member(meeting_id, json.member_id, channel, json.phone_tail)
    return SignInOut(**{k: v for k, v in vars(receipt).items() if k != "meeting_id"})


@bp.post("/meetings/<int:meeting_id>/sign-out")
@allow(Role.CLERK)
@spec.validate(json=SignOutIn, resp=Responses(HTTP_200=Done, **ERRORS), tags=["attendance"])
def sign_out(meeting_id: int, json: SignOutIn) -> Done:
    """Sign a member out."""
    actions.sign_out_member(meeting_id, json.member_id)
    return _done(meeting_id)


@bp.post("/meetings/<int:meeting_id>/guests")
@allow(Role.CLERK)
@spec.validate(json=GuestIn, resp=Responses(HTTP_200=Done, **ERRORS), tags=["attendance"])
def add_guest(meeting_id: int, json: GuestIn) -> Done:
    """Register a walk-in guest (an observer)."""
    actions.add_guest(meeting_id, json.name, json.note, SignInChannel.CLERK)
    return _done(meeting_id)


@bp.post("/meetings/<int:meeting_id>/proxies")
@allow(Role.CLERK)
@spec.validate(json=ProxyIn, resp=Responses(HTTP_200=SignInOut, **ERRORS), tags=["attendance"])
def add_proxy(meeting_id: int, json: ProxyIn) -> SignInOut:
    """Sign a proxy in for an absent member."""
    receipt = actions.sign_in_proxy(
        meeting_id,
        ProxyRequest(
            represented_id=json.represented_id,
            proxy_member_id=json.proxy_member_id,
            proxy_name=json.proxy_name,
            checked_by=json.checked_by,
        ),
        SignInChannel.CLERK,
    )
    return SignInOut(**{k: v for k, v in vars(receipt).items() if k != "meeting_id"})


@bp.post("/meetings/<int:meeting_id>/proxies/<int:attendance_id>/decision")
@allow(Role.CLERK)
@spec.validate(json=MandateDecisionIn, resp=Responses(HTTP_200=Done, **ERRORS), tags=["attendance"])
def decide(meeting_id: int, attendance_id: int, json: MandateDecisionIn) -> Done:
    """Accept or refuse a proxy's mandate."""
    actions.decide_mandate(meeting_id, attendance_id, json.accept, json.clerk)
    return _done(meeting_id)


@bp.get("/meetings/<int:meeting_id>/alerts")
@allow(Role.CLERK)
@spec.validate(resp=Responses(HTTP_200=AlertList, **ERRORS), tags=["attendance"])
def list_alerts(meeting_id: int) -> AlertList:
    """Unresolved alerts for the clerk desk."""
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        rows = session.scalars(
            select(Alert)
            .where(Alert.meeting_id == meeting.id, Alert.resolved_at.is_(None))
            .order_by(Alert.created_at.desc())
        )
        return AlertList(
            alerts=[
                AlertOut(
                    id=a.id,
                    kind=a.kind,
                    member_id=a.member_id,
                    detail=a.detail,
                    created_at=a.created_at,
                )
                for a in rows
            ]
        )


@bp.post("/meetings/<int:meeting_id>/alerts/<int:alert_id>/resolve")
@allow(Role.CLERK)
@spec.validate(resp=Responses(HTTP_200=Done, **ERRORS), tags=["attendance"])
def resolve_alert(meeting_id: int, alert_id: int) -> Done:
    """Mark an alert as dealt with."""
    with transaction() as session:
        alert = session.get(Alert, alert_id)
        if alert is None or alert.meeting_id != meeting_id:
            raise Refusal(Problem.INVALID_INPUT, detail="alert_id")
        alert.resolved_at = now()
    return _done(meeting_id)


def _done(meeting_id: int) -> Done:
    with transaction() as session:
        return Done(version=get_meeting(session, meeting_id).version)


def init_app(app: Flask) -> None:
    """Register the API and its OpenAPI document."""
    # Importing the features' routes adds them to the blueprint.
    from meeting_room.floor import routes as api_floor  # noqa: F401
    from meeting_room.voting import card_routes as api_cards
    from meeting_room.voting import routes as api_polls  # noqa: F401

    app.register_blueprint(bp)
    spec.register(app)

    app.add_url_rule(
        "/clerk/meetings/<int:meeting_id>/cards.pdf", "card_sheets", api_cards.card_sheets
    )

    @app.get("/api/v1/openapi.json")
    @allow(Role.ANYONE)
    def openapi() -> Response:
        """The OpenAPI document of this API."""
        return jsonify(spec.spec)

    @app.after_request
    def no_cache_for_api(response: Response) -> Response:
        if response.mimetype == "application/json":
            response.headers.setdefault("Cache-Control", "no-store")
        return response
