"""Attendance's one writer: sign-ins (members, proxies, guests), mandates and sign-outs.

The kiosk, the clerk desk, the booth and the API all call these. Each is one committed
transaction, then a broadcast: nothing is announced before it is stored. Attendance moves the
projector's quorum by the hundred at the door, so its ``attendance`` snapshot is coalesced
(one per ``BROADCAST_DELAY`` window, however many sign-ins).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy.orm import Session

from meeting_room.attendance import attendance as service
from meeting_room.attendance.snapshot import attendance_snapshot
from meeting_room.clock import now
from meeting_room.domain.lockout import LockoutPolicy
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import SignInChannel
from meeting_room.extensions import socketio
from meeting_room.meetings.meetings import get_meeting, is_eligible, summarise_attendance
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.storage import transaction
from meeting_room.web.addresses import public_url
from meeting_room.web.coalescer import Coalescer
from meeting_room.web.rooms import CLERK, KIOSK, PROJECTOR, meeting_room_name

COALESCER_KEY = "yishi.attendance"


@dataclass(frozen=True)
class SignInReceipt:
    """What a screen shows after a sign-in."""

    meeting_id: int
    member_id: int
    name: str
    address: str
    eligible: bool
    counts: bool
    signed_in_at: datetime
    first_signed_in_at: datetime | None
    replaced_proxy: bool
    proxy_name: str | None
    phone_url: str


def lockout_policy() -> LockoutPolicy:
    """The kiosk's lock from the config."""
    config = current_app.config
    return LockoutPolicy(config["LOCKOUT_ATTEMPTS"], timedelta(seconds=config["LOCKOUT_SECONDS"]))


def phone_url(token: str) -> str:
    """The attendee's personal page, at the address phones on the hall's Wi-Fi reach."""
    return public_url("phone.page", token=token)


def _receipt(result: service.SignedIn, member: Member, eligible: bool) -> SignInReceipt:
    row = result.attendance
    return SignInReceipt(
        meeting_id=row.meeting_id,
        member_id=member.id,
        name=member.name,
        address=member.address,
        eligible=eligible,
        counts=eligible and row.counts,
        signed_in_at=row.signed_in_at,
        first_signed_in_at=result.first_signed_in_at,
        replaced_proxy=result.replaced_proxy,
        proxy_name=row.proxy_name,
        phone_url=phone_url(result.token),
    )


def _checked(
    session: Session, meeting: Meeting, member_id: int, phone_tail: str | None, moment: datetime
) -> tuple[Member, Refusal | None]:
    member = session.get(Member, member_id)
    if member is None:
        raise Refusal(Problem.MEMBER_NOT_FOUND, member_id=member_id)
    if phone_tail is None:
        return member, None
    return member, service.check_phone_tail(
        session, meeting, member, phone_tail, lockout_policy(), moment
    )


def _refuse_after_commit(meeting_id: int, member_id: int, refusal: Refusal) -> None:
    if refusal.params.get("just_locked"):
        alert_clerks(
            meeting_id,
            {"kind": "kiosk_lockout", "member_id": member_id, "name": refusal.params["name"]},
        )
    raise refusal


def sign_in_member(
    meeting_id: int,
    member_id: int,
    channel: SignInChannel,
    phone_tail: str | None,
    request_id: str | None = None,
) -> SignInReceipt:
    """Sign a member in; with ``phone_tail`` the digits are checked first (kiosk, phone).

    A wrong try is committed before it is refused, so three of them lock across reloads.
    """
    moment = now()
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        member, refusal = _checked(session, meeting, member_id, phone_tail, moment)
        if refusal is None:
            result = service.sign_in(session, meeting, member_id, channel, moment, request_id)
            receipt = _receipt(result, member, is_eligible(meeting, member))
    if refusal is not None:
        _refuse_after_commit(meeting_id, member_id, refusal)
    attendance_changed(meeting_id)
    return receipt


def sign_in_proxy(
    meeting_id: int,
    request: service.ProxyRequest,
    channel: SignInChannel,
    phone_tail: str | None = None,
    request_id: str | None = None,
) -> SignInReceipt:
    """Sign a proxy in for an absent member (pending until a clerk checks the mandate).

    At the kiosk the proxy confirms with the represented member's phone tail.
    """
    moment = now()
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        member, refusal = _checked(session, meeting, request.represented_id, phone_tail, moment)
        if refusal is None:
            result = service.sign_in_proxy(session, meeting, request, channel, moment, request_id)
            receipt = _receipt(result, member, is_eligible(meeting, member))
    if refusal is not None:
        _refuse_after_commit(meeting_id, request.represented_id, refusal)
    attendance_changed(meeting_id)
    return receipt


def decide_mandate(meeting_id: int, attendance_id: int, accept: bool, clerk: str) -> None:
    """A clerk accepts or refuses a proxy's mandate."""
    with transaction() as session:
        service.decide_mandate(
            session, get_meeting(session, meeting_id), attendance_id, accept, clerk, now()
        )
    attendance_changed(meeting_id)


def sign_out_member(meeting_id: int, member_id: int) -> None:
    """Record that a member left."""
    with transaction() as session:
        service.sign_out(session, get_meeting(session, meeting_id), member_id, now())
    attendance_changed(meeting_id)


def add_guest(
    meeting_id: int, name: str, note: str, channel: SignInChannel, request_id: str | None = None
) -> str:
    """Register a walk-in guest; returns the name as recorded (a retry: the first one's)."""
    with transaction() as session:
        guest = service.register_guest(
            session, get_meeting(session, meeting_id), name, note, channel, now(), request_id
        )
        recorded = guest.name
    attendance_changed(meeting_id)
    return recorded


# --- broadcasts ---------------------------------------------------------------------------


def emit_attendance(meeting_id: int) -> None:
    """Send the meeting's attendance snapshot to its projectors, clerk desks and kiosks."""
    with transaction() as session:
        snapshot = attendance_snapshot(
            summarise_attendance(session, get_meeting(session, meeting_id))
        )
    payload = snapshot.model_dump(mode="json")
    for namespace in (PROJECTOR, CLERK, KIOSK):
        socketio.emit("attendance", payload, namespace=namespace, to=meeting_room_name(meeting_id))


def init_app(app: Flask) -> None:
    """Create the app's attendance coalescer."""
    app.extensions[COALESCER_KEY] = Coalescer(app, app.config["BROADCAST_DELAY"], emit_attendance)


def attendance_changed(meeting_id: int) -> None:
    """Tell the screens (soon, coalesced) that a meeting's attendance changed."""
    coalescer: Coalescer = current_app.extensions[COALESCER_KEY]
    coalescer.request(meeting_id)


def alert_clerks(meeting_id: int, payload: dict[str, object]) -> None:
    """Push an alert (a member locked at the kiosk, ...) to the meeting's clerk desks at once."""
    socketio.emit("alert", payload, namespace=CLERK, to=meeting_room_name(meeting_id))
