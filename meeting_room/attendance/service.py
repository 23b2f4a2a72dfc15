"""Attendance's one writer: sign-ins (members, proxies, guests), mandates, sign-outs, the phone
tail check and the clerk desk's alerts.

The kiosk (``kiosk.views``), the booth, the JSON API (``attendance.routes``) and the commands
all call these. Each is one committed transaction, then a broadcast: nothing is announced before
it is stored. Attendance moves the projector's quorum by the hundred at the door, so its
``attendance`` snapshot (to projectors, clerk desks and kiosks) is coalesced: one per
``BROADCAST_DELAY`` window, however many sign-ins. A lock at the kiosk or the booth is pushed
to the clerk desks at once as an ``alert``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy.orm import Session

from meeting_room.attendance import alerts, guests, members, proxies
from meeting_room.attendance.confirmation import check_phone_tail, unlock
from meeting_room.attendance.proxies import ProxyRequest
from meeting_room.clock import now
from meeting_room.domain.lockout import LockoutPolicy
from meeting_room.domain.problems import Refusal
from meeting_room.domain.words import AlertKind, SignInChannel
from meeting_room.extensions import socketio
from meeting_room.meetings.meetings import get_meeting, is_eligible, summarise_attendance
from meeting_room.meetings.snapshot import attendance_snapshot
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.storage import transaction
from meeting_room.web.addresses import public_url
from meeting_room.web.coalescer import Coalescer
from meeting_room.web.rooms import CLERK, KIOSK, PROJECTOR, meeting_room_name

COALESCER_KEY = "yishi.attendance"


@dataclass(frozen=True)
class SignInReceipt:
    """What a screen shows after a sign-in; ``phone_url`` carries the token, shown once."""

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


def _lockout_policy() -> LockoutPolicy:
    config = current_app.config
    return LockoutPolicy(
        config["LOCKOUT_ATTEMPTS"],
        timedelta(seconds=config["LOCKOUT_SECONDS"]),
        tuple(timedelta(seconds=s) for s in config.get("LOCKOUT_ESCALATION_SECONDS") or ()),
    )


def _receipt(result: members.SignedIn, member: Member, eligible: bool) -> SignInReceipt:
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
        # The attendee's personal page, at the address phones on the hall's Wi-Fi reach.
        phone_url=public_url("phone.page", token=result.token),
    )


def _checked(
    session: Session, meeting: Meeting, member_id: int, phone_tail: str | None, moment: datetime
) -> tuple[Member, Refusal | None]:
    member = members.find_member(session, member_id)
    if phone_tail is None:
        return member, None
    return member, check_phone_tail(session, meeting, member, phone_tail, _lockout_policy(), moment)


def _reissued(
    session: Session, meeting: Meeting, member: Member, result: members.SignedIn, now: datetime
) -> bool:
    """A sign-in that voided a personal code someone holds (the member's own, from their first
    sign-in, or a proxy's) goes on the clerk desks: who and when (``TOKEN_REISSUED``)."""
    if result.voided_code:
        alerts.raise_alert(session, meeting, AlertKind.TOKEN_REISSUED, member, now)
    return result.voided_code


def _tell_of_reissue(meeting_id: int, receipt: SignInReceipt) -> None:
    payload = {"kind": AlertKind.TOKEN_REISSUED, "member_id": receipt.member_id}
    _alert_clerks(meeting_id, payload | {"name": receipt.name})


def _refuse_after_commit(meeting_id: int, member_id: int, refusal: Refusal) -> None:
    if refusal.params.get("just_locked"):
        payload = {"kind": AlertKind.KIOSK_LOCKOUT, "member_id": member_id}
        _alert_clerks(meeting_id, payload | {"name": refusal.params["name"]})
        attendance_changed(meeting_id)  # the stored alert moved the meeting's version
    raise refusal


def sign_in_member(
    meeting_id: int,
    member_id: int,
    channel: SignInChannel,
    phone_tail: str | None,
    request_id: str | None = None,
) -> SignInReceipt:
    """Sign a member in; with ``phone_tail`` the digits are checked first (kiosk, the API).

    A wrong try is committed before it is refused, so three of them lock across reloads. A
    member already in the room gets a new personal code (the old one stops working): the
    clerk desks are told who and when.
    """
    moment = now()
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        member, refusal = _checked(session, meeting, member_id, phone_tail, moment)
        if refusal is None:
            result = members.sign_in(session, meeting, member_id, channel, moment, request_id)
            receipt = _receipt(result, member, is_eligible(meeting, member))
            reissued = _reissued(session, meeting, member, result, moment)
    if refusal is not None:
        _refuse_after_commit(meeting_id, member_id, refusal)
    if reissued:
        _tell_of_reissue(meeting_id, receipt)
    attendance_changed(meeting_id)
    return receipt


def sign_in_proxy(
    meeting_id: int,
    request: ProxyRequest,
    channel: SignInChannel,
    phone_tail: str | None = None,
    request_id: str | None = None,
) -> SignInReceipt:
    """Sign a proxy in for an absent member (pending until a clerk checks the mandate).

    At the kiosk the proxy confirms with the represented member's phone tail. A proxy signed
    in again, or in another's place, voids the earlier code: the clerk desks are told.
    """
    moment = now()
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        member, refusal = _checked(session, meeting, request.represented_id, phone_tail, moment)
        if refusal is None:
            result = proxies.sign_in_proxy(session, meeting, request, channel, moment, request_id)
            receipt = _receipt(result, member, is_eligible(meeting, member))
            reissued = _reissued(session, meeting, member, result, moment)
    if refusal is not None:
        _refuse_after_commit(meeting_id, request.represented_id, refusal)
    if reissued:
        _tell_of_reissue(meeting_id, receipt)
    attendance_changed(meeting_id)
    return receipt


def confirm_member(meeting_id: int, member_id: int, phone_tail: str) -> None:
    """The booth's check of who is voting, without signing in: the same tail, lock and alert
    as at the kiosk (a wrong try is committed before it is refused)."""
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        _member, refusal = _checked(session, meeting, member_id, phone_tail, now())
    if refusal is not None:
        _refuse_after_commit(meeting_id, member_id, refusal)


def decide_mandate(meeting_id: int, attendance_id: int, accept: bool, clerk: str) -> None:
    """A clerk accepts or refuses a proxy's mandate."""
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        proxies.decide_mandate(session, meeting, attendance_id, accept, clerk, now())
    attendance_changed(meeting_id)


def sign_out_member(meeting_id: int, member_id: int) -> None:
    """Record that a member (or their proxy) left."""
    with transaction() as session:
        members.sign_out(session, get_meeting(session, meeting_id), member_id, now())
    attendance_changed(meeting_id)


def add_guest(
    meeting_id: int, name: str, note: str, channel: SignInChannel, request_id: str | None = None
) -> str:
    """Register a walk-in guest; returns the name as recorded (a retry: the first one's)."""
    with transaction() as session:
        guest = guests.register_guest(
            session, get_meeting(session, meeting_id), name, note, channel, now(), request_id
        )
        recorded = guest.name
    attendance_changed(meeting_id)
    return recorded


def unlock_member(meeting_id: int, member_id: int) -> None:
    """The clerk lifts a member's lock at the kiosk and the booth (after checking who they are):
    their wrong tries are forgotten, the next lock starts short again, and the member's lock
    alerts are resolved."""
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        unlock(session, meeting, members.find_member(session, member_id), now())
    attendance_changed(meeting_id)


def resolve_alert(meeting_id: int, alert_id: int) -> None:
    """A clerk marks an alert as dealt with; the snapshot's newer version tells the other
    clerk desks to reload their alerts."""
    with transaction() as session:
        alerts.resolve_alert(session, get_meeting(session, meeting_id), alert_id, now())
    attendance_changed(meeting_id)


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


def _alert_clerks(meeting_id: int, payload: dict[str, object]) -> None:
    """Push an alert to the meeting's clerk desks at once (not coalesced: one per lock)."""
    socketio.emit("alert", payload, namespace=CLERK, to=meeting_room_name(meeting_id))
