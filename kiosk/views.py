"""The lobby sign-in kiosk: its page and its calls (/kiosk, /kiosk/api/...) to find a member,
confirm, sign in a proxy or a guest, and print the personal QR. Thin: validate, call
``attendance.service`` (which stores, then tells the screens), answer."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import format_time, get_locale, gettext
from sqlalchemy.orm import Session

from devices.printing import Slip
from kiosk.schemas import CardIn, ConfirmIn, Found, GuestIn, ProxyIn, SearchIn, SlipIn
from kiosk.topics import topic_notices
from meeting_room.access.roles import Role, allow
from meeting_room.attendance import service as attendance
from meeting_room.attendance.members import attendance_of_many
from meeting_room.attendance.proxies import ProxyRequest
from meeting_room.attendance.roster import (
    buildings,
    find_members,
    member_index,
    members_in_order,
    phone_hint,
)
from meeting_room.attendance.tokens import attendance_by_token
from meeting_room.clock import local
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import SignInChannel
from meeting_room.meetings.meetings import get_meeting, is_eligible, summarise_attendance
from meeting_room.meetings.snapshot import attendance_snapshot
from meeting_room.screens.common import meeting_in_view, meeting_time
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.storage import transaction
from meeting_room.voice.announcements import greet
from meeting_room.web.addresses import devices, kiosk_url, qr_svg

bp = Blueprint("kiosk", __name__)


@bp.get("/kiosk")
@allow(Role.KIOSK, Role.CLERK)
def page() -> str:
    """The kiosk's single page; its steps run in the browser against the calls below."""
    with transaction() as session:
        meeting = meeting_in_view(session)
        keypad = buildings(session)
        present = attendance_snapshot(summarise_attendance(session, meeting))
        return render_template(
            "kiosk/index.html",
            meeting=meeting,
            buildings=keypad,
            attendance=present.model_dump(mode="json"),
            idle_seconds=current_app.config["KIOSK_IDLE_SECONDS"],
            idle_warning_seconds=current_app.config["KIOSK_IDLE_WARNING_SECONDS"],
            qr_seconds=current_app.config["KIOSK_QR_SECONDS"],
            kiosk_url=kiosk_url(),
        )


def _found(session: Session, meeting: Meeting, members: list[Member]) -> list[dict[str, Any]]:
    rows = attendance_of_many(session, meeting, [member.id for member in members])
    result = []
    for member in members:
        row = rows.get(member.id)
        here = row is not None and row.signed_out_at is None
        result.append(
            Found(
                id=member.id,
                name=member.name,
                address=member.address,
                phone_hint=phone_hint(member),
                eligible=is_eligible(meeting, member),
                signed_in_at=format_time(local(row.signed_in_at), "HH:mm")
                if here and row
                else None,
            ).model_dump()
        )
    return result


@bp.get("/kiosk/api/search")
@allow(Role.KIOSK, Role.BOOTH, Role.CLERK)
def search() -> dict[str, Any]:
    """Members matching a name, pinyin (initials or full) or an address from the keypad."""
    wanted = SearchIn.model_validate(request.args.to_dict())
    with transaction() as session:
        meeting = get_meeting(session, wanted.meeting_id)
        found = find_members(session, wanted.q, wanted.building, wanted.unit, wanted.room, 12)
        return {"results": _found(session, meeting, found)}


@bp.post("/kiosk/api/card")
@allow(Role.KIOSK, Role.CLERK)
def card() -> dict[str, Any]:
    """The member on a scanned resident card."""
    wanted = CardIn.model_validate(request.get_json(silent=True) or {})
    with transaction() as session:
        meeting = get_meeting(session, wanted.meeting_id)
        candidate = member_index(session).by_code(wanted.code)
        if candidate is None:
            raise Refusal(Problem.MEMBER_NOT_FOUND, member_id=None)
        return {"results": _found(session, meeting, members_in_order(session, [candidate.id]))}


@bp.post("/kiosk/api/sign-in")
@allow(Role.KIOSK, Role.CLERK)
def sign_in() -> dict[str, Any]:
    """Check the phone tail and sign in; answers the personal QR code (shown once)."""
    wanted = ConfirmIn.model_validate(request.get_json(silent=True) or {})
    receipt = attendance.sign_in_member(
        wanted.meeting_id,
        wanted.member_id,
        SignInChannel.KIOSK,
        wanted.phone_tail,
        wanted.request_id,
    )
    greeting = gettext("%(name)s, you are signed in.", name=receipt.name)
    return _receipt_view(receipt) | {
        "voice": _voice(wanted.meeting_id, greeting, receipt.name),
        "topic_notices": topic_notices(receipt.member_id),
    }


@bp.post("/kiosk/api/proxy")
@allow(Role.KIOSK, Role.CLERK)
def proxy() -> dict[str, Any]:
    """A proxy signs in for an absent member; it counts once a clerk has seen the mandate."""
    wanted = ProxyIn.model_validate(request.get_json(silent=True) or {})
    receipt = attendance.sign_in_proxy(
        wanted.meeting_id,
        ProxyRequest(represented_id=wanted.represented_id, proxy_name=wanted.proxy_name),
        SignInChannel.KIOSK,
        phone_tail=wanted.phone_tail,
        request_id=wanted.request_id,
    )
    greeting = gettext("Proxy sign-in for %(name)s recorded", name=receipt.name)
    return _receipt_view(receipt) | {"voice": _voice(wanted.meeting_id, greeting, receipt.name)}


@bp.post("/kiosk/api/guest")
@allow(Role.KIOSK, Role.CLERK)
def guest() -> dict[str, Any]:
    """A walk-in not on the roster registers as an observer."""
    wanted = GuestIn.model_validate(request.get_json(silent=True) or {})
    name = attendance.add_guest(
        wanted.meeting_id, wanted.name, "", SignInChannel.KIOSK, wanted.request_id
    )
    return {"name": name}


def _voice(meeting_id: int, greeting: str, name: str) -> dict[str, Any] | None:
    """The spoken greeting (its WAV's URL), unless the moderator switched it off."""
    return greet(meeting_id, greeting, str(get_locale()), (name,))


def _receipt_view(receipt: attendance.SignInReceipt) -> dict[str, Any]:
    return {
        "name": receipt.name,
        "address": receipt.address,
        "eligible": receipt.eligible,
        "counts": receipt.counts,
        "proxy_name": receipt.proxy_name,
        "again": receipt.first_signed_in_at is not None,
        "first_signed_in_at": (
            format_time(local(receipt.first_signed_in_at), "HH:mm")
            if receipt.first_signed_in_at
            else None
        ),
        "replaced_proxy": receipt.replaced_proxy,
        "phone_url": receipt.phone_url,
        "qr_svg": qr_svg(receipt.phone_url, scale=10, label=gettext("Your personal QR code")),
    }


@bp.post("/kiosk/slip")
@allow(Role.KIOSK, Role.CLERK)
def slip() -> Response:
    """The printed slip (PDF) of a sign-in just made, from its personal page's address."""
    wanted = SlipIn.model_validate(request.get_json(silent=True) or request.form.to_dict())
    token = wanted.phone_url.rstrip("/").rsplit("/", 1)[-1]
    with transaction() as session:
        row = attendance_by_token(session, token)
        meeting = row.meeting
        slip = Slip(
            meeting_title=meeting.title,
            meeting_time=meeting_time(meeting),
            venue=meeting.venue,
            name=row.member.name,
            address=row.member.address,
            url=wanted.phone_url,
            heading=gettext("Your personal voting code"),
            instructions=[
                gettext("Scan this code with your phone to open your page."),
                gettext("Keep this slip: it is your ballot at the voting booth."),
                gettext("Do not give it to anyone else."),
            ],
            footer=gettext("Yishi · %(meeting)s", meeting=meeting.title),
        )
    pdf = devices().printer.print_slip(slip)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": "inline; filename=slip.pdf", "Cache-Control": "no-store"},
    )
