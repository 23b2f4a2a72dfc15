"""What the hall prints, as pages made for paper (@media print in static/css/print.css): the
residents' QR cards, the agenda notice for the paper notice board (公示), and a personal slip for
someone signed in at the clerk desk. The paper cards' sheets are a PDF (``voting.card_routes``).

A resident card carries ``YISHI:<member id>`` (the roster's member_id), the code the kiosk's
scanner reads (``domain.search.MemberIndex.by_code``); it holds no phone digits, so a lost card
signs nobody in without the owner's phone tail.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext
from sqlalchemy import select

from meeting_room.access.roles import Role, allow
from meeting_room.attendance.roster import natural_key
from meeting_room.attendance.tokens import attendance_by_token
from meeting_room.clock import local, now
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.floor.agenda import items_in_order, rules_of
from meeting_room.meetings.meetings import get_meeting
from meeting_room.meetings.notice import meeting_notice
from meeting_room.store.models.roster import Member
from meeting_room.store.models.voting import Poll
from meeting_room.store.storage import transaction
from meeting_room.web.addresses import public_url, qr_svg

bp = Blueprint("printing", __name__)
CARDS_PER_PAGE = 10  # two columns of five on A4
# The kiosk folds case and strips this prefix (domain.search.CODE_PREFIX); capitals make the
# smallest QR code (alphanumeric mode) and read plainly on the card.
CARD_PREFIX = "YISHI:"


def card_code(member: Member) -> str:
    """What a resident card's QR holds."""
    return f"{CARD_PREFIX}{member.member_no}"


@bp.get("/clerk/print/cards")
@allow(Role.CLERK)
def cards() -> str:
    """Resident QR cards of one building (the roster is printed building by building)."""
    with transaction() as session:
        buildings = sorted(set(session.scalars(select(Member.building))), key=natural_key)
        building = request.args.get("building") or (buildings[0] if buildings else "")
        members = sorted(
            session.scalars(select(Member).where(Member.building == building)),
            key=lambda m: (natural_key(m.unit), natural_key(m.room), m.member_no),
        )
        printed = [
            {
                "member": member,
                "code": card_code(member),
                "qr": qr_svg(card_code(member), scale=4),
            }
            for member in members
        ]
        return render_template(
            "print_cards.html",
            buildings=buildings,
            building=building,
            cards=printed,
            per_page=CARDS_PER_PAGE,
        )


@bp.get("/clerk/meetings/<int:meeting_id>/notice")
@allow(Role.CLERK)
def notice(meeting_id: int) -> str:
    """The meeting's notice (公示) for the paper board: agenda, votes, rules, posting date."""
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        # The notice runs from the posting (announced_at); a draft is printed as if posted now
        # (the clerk posts it on the board and pins the paper the same day).
        notice = meeting_notice(meeting, session)
        posted = local(meeting.announced_at or now())
        return render_template(
            "print_notice.html",
            meeting=meeting,
            items=items_in_order(session, meeting),
            polls=session.scalars(select(Poll).where(Poll.meeting_id == meeting.id)).all(),
            rules=rules_of(meeting),
            posted=posted,
            notice=notice,
            draft=meeting.announced_at is None,
            board_qr=qr_svg(public_url("board.page"), scale=3),
            printed=local(now()),
        )


@bp.post("/clerk/slip")
@allow(Role.CLERK)
def slip() -> str:
    """A personal slip for someone the clerk signed in: the QR of their page (the booth reads it
    too) and its address to type. The token travels in the form's body, never in a logged URL."""
    phone_url = request.form.get("phone_url", "")
    token = phone_url.rstrip("/").rsplit("/", 1)[-1]
    if not token:
        raise Refusal(Problem.TOKEN_UNKNOWN)
    with transaction() as session:
        row = attendance_by_token(session, token)
        return render_template(
            "print_slip.html",
            meeting=row.meeting,
            member=row.member,
            proxy_name=row.proxy_name,
            qr=qr_svg(phone_url, scale=6, label=gettext("Your personal QR code")),
            phone_url=phone_url,
        )
