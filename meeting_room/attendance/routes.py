"""The roster and attendance in the JSON API (/api/v1): finding members, the attendance list,
sign-in and -out, proxies and their mandates, guests, the clerk desk's alerts.

Thin: spectree validates, ``attendance.service`` writes and broadcasts (the same functions the
kiosk and the booth call, so a projector hears of a change whichever way it came).
"""

from __future__ import annotations

from spectree import Response as Responses

from meeting_room.access.roles import Role, allow
from meeting_room.attendance import service
from meeting_room.attendance.alerts import open_alerts
from meeting_room.attendance.guests import meeting_guests
from meeting_room.attendance.members import find_member, meeting_rows
from meeting_room.attendance.proxies import ProxyRequest
from meeting_room.attendance.roster import find_members, phone_hint
from meeting_room.attendance.schemas import (
    AlertList,
    AlertOut,
    AttendanceList,
    Done,
    GuestIn,
    GuestOut,
    MandateDecisionIn,
    MemberList,
    MemberOut,
    MemberQuery,
    ProxyIn,
    SignInIn,
    SignInOut,
    SignOutIn,
    attendance_out,
)
from meeting_room.domain.words import MemberGroup, SignInChannel
from meeting_room.meetings.meetings import get_meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.storage import transaction
from meeting_room.web.api import ERRORS, bp, spec


def _member_out(member: Member) -> MemberOut:
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
        phone_hint=phone_hint(member),
    )


def _done(meeting_id: int) -> Done:
    with transaction() as session:
        return Done(version=get_meeting(session, meeting_id).version)


@bp.get("/members")
@allow(Role.CLERK, Role.MODERATOR)
@spec.validate(query=MemberQuery, resp=Responses(HTTP_200=MemberList), tags=["roster"])
def list_members(query: MemberQuery) -> MemberList:
    """Find members by name, pinyin (initials or full) or address."""
    with transaction() as session:
        found = find_members(session, query.q, query.building, query.unit, query.room, query.limit)
        return MemberList(members=[_member_out(m) for m in found])


@bp.get("/members/<int:member_id>")
@allow(Role.CLERK, Role.MODERATOR)
@spec.validate(resp=Responses(HTTP_200=MemberOut, **ERRORS), tags=["roster"])
def show_member(member_id: int) -> MemberOut:
    """One member."""
    with transaction() as session:
        return _member_out(find_member(session, member_id))


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
                for g in meeting_guests(session, meeting)
            ],
        )


@bp.post("/meetings/<int:meeting_id>/sign-in")
@allow(Role.CLERK)
@spec.validate(json=SignInIn, resp=Responses(HTTP_200=SignInOut, **ERRORS), tags=["attendance"])
def sign_in(meeting_id: int, json: SignInIn) -> SignInOut:
    """Sign a member in (the phone tail, when given, is checked with the kiosk's lock)."""
    channel = SignInChannel.KIOSK if json.phone_tail is not None else SignInChannel.CLERK
    receipt = service.sign_in_member(meeting_id, json.member_id, channel, json.phone_tail)
    return SignInOut.model_validate(receipt, from_attributes=True)


@bp.post("/meetings/<int:meeting_id>/sign-out")
@allow(Role.CLERK)
@spec.validate(json=SignOutIn, resp=Responses(HTTP_200=Done, **ERRORS), tags=["attendance"])
def sign_out(meeting_id: int, json: SignOutIn) -> Done:
    """Sign a member out."""
    service.sign_out_member(meeting_id, json.member_id)
    return _done(meeting_id)


@bp.post("/meetings/<int:meeting_id>/guests")
@allow(Role.CLERK)
@spec.validate(json=GuestIn, resp=Responses(HTTP_200=Done, **ERRORS), tags=["attendance"])
def add_guest(meeting_id: int, json: GuestIn) -> Done:
    """Register a walk-in guest (an observer)."""
    service.add_guest(meeting_id, json.name, json.note, SignInChannel.CLERK)
    return _done(meeting_id)


@bp.post("/meetings/<int:meeting_id>/proxies")
@allow(Role.CLERK)
@spec.validate(json=ProxyIn, resp=Responses(HTTP_200=SignInOut, **ERRORS), tags=["attendance"])
def add_proxy(meeting_id: int, json: ProxyIn) -> SignInOut:
    """Sign a proxy in for an absent member."""
    receipt = service.sign_in_proxy(
        meeting_id,
        ProxyRequest(
            represented_id=json.represented_id,
            proxy_member_id=json.proxy_member_id,
            proxy_name=json.proxy_name,
            checked_by=json.checked_by,
        ),
        SignInChannel.CLERK,
    )
    return SignInOut.model_validate(receipt, from_attributes=True)


@bp.post("/meetings/<int:meeting_id>/proxies/<int:attendance_id>/decision")
@allow(Role.CLERK)
@spec.validate(json=MandateDecisionIn, resp=Responses(HTTP_200=Done, **ERRORS), tags=["attendance"])
def decide(meeting_id: int, attendance_id: int, json: MandateDecisionIn) -> Done:
    """Accept or refuse a proxy's mandate."""
    service.decide_mandate(meeting_id, attendance_id, json.accept, json.clerk)
    return _done(meeting_id)


@bp.get("/meetings/<int:meeting_id>/alerts")
@allow(Role.CLERK)
@spec.validate(resp=Responses(HTTP_200=AlertList, **ERRORS), tags=["attendance"])
def list_alerts(meeting_id: int) -> AlertList:
    """Unresolved alerts for the clerk desk, newest first."""
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        return AlertList(
            alerts=[
                AlertOut.model_validate(alert, from_attributes=True)
                for alert in open_alerts(session, meeting)
            ]
        )


@bp.post("/meetings/<int:meeting_id>/members/<int:member_id>/unlock")
@allow(Role.CLERK)
@spec.validate(resp=Responses(HTTP_200=Done, **ERRORS), tags=["attendance"])
def unlock_member(meeting_id: int, member_id: int) -> Done:
    """Lift a member's lock after wrong phone digits (the clerk has checked who they are)."""
    service.unlock_member(meeting_id, member_id)
    return _done(meeting_id)


@bp.post("/meetings/<int:meeting_id>/alerts/<int:alert_id>/resolve")
@allow(Role.CLERK)
@spec.validate(resp=Responses(HTTP_200=Done, **ERRORS), tags=["attendance"])
def resolve_alert(meeting_id: int, alert_id: int) -> Done:
    """Mark an alert as dealt with (every clerk desk of the meeting reloads its alerts)."""
    service.resolve_alert(meeting_id, alert_id)
    return _done(meeting_id)
