"""Paper answer cards in the API: handing cards out, printable sheets, photos of the room."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask_babel import gettext
from pydantic import BaseModel, Field
from spectree import Response as Responses
from spectree.model_adapter.pydantic_adapter import BaseFile
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from devices.card_numbers import MAX_CARD_NUMBER
from meeting_room.access.roles import Role, allow
from meeting_room.clock import now
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import PollStatus
from meeting_room.extensions import off_the_loop
from meeting_room.meetings.meetings import get_meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.models.voting import CardAssignment, CardReading, Participation, Poll
from meeting_room.store.storage import transaction
from meeting_room.voting.cards import UNREAD, card_answer, latest_cards
from meeting_room.voting.polls import get_poll
from meeting_room.web.api import ERRORS, bp, spec
from meeting_room.web.limits import Id

MAX_PHOTO_BYTES = 25 * 1024 * 1024


class CardIn(BaseModel):
    """Hand card ``number`` to a member (a member holds one card per meeting)."""

    number: int = Field(ge=1, le=MAX_CARD_NUMBER)
    member_id: Id


class CardRange(BaseModel):
    """The cards to print: ``first`` to ``last`` (at most 500 at once)."""

    first: int = Field(default=1, ge=1, le=MAX_CARD_NUMBER)
    last: int = Field(default=50, ge=1, le=MAX_CARD_NUMBER)


class CardOut(BaseModel):
    """A handed card."""

    number: int
    member_id: int
    name: str
    address: str


class CardList(BaseModel):
    """The meeting's handed cards."""

    cards: list[CardOut]


class PhotoForm(BaseModel):
    """One photo of the room, as a file."""

    photo: BaseFile


class CardSeen(BaseModel):
    """A card as the latest photo shows it."""

    number: int
    answer: str
    choice: str | None
    member_id: int | None
    name: str | None


class CardsSummary(BaseModel):
    """Which handed cards the photos show, which are missing, and what cannot count."""

    photos: int
    seen: list[CardSeen]
    missing: list[CardOut]
    problems: list[dict[str, Any]]


def _holders(session: Session, meeting_id: int) -> dict[int, Member]:
    rows = session.execute(
        select(CardAssignment.number, Member)
        .join(Member, CardAssignment.member_id == Member.id)
        .where(CardAssignment.meeting_id == meeting_id)
    ).all()
    return {number: member for number, member in rows}


@bp.post("/meetings/<int:meeting_id>/cards")
@allow(Role.CLERK)
@spec.validate(json=CardIn, resp=Responses(HTTP_200=CardList, **ERRORS), tags=["cards"])
def hand_card(meeting_id: int, json: CardIn) -> CardList:
    """Record that a member holds a card (a member's earlier card is taken back)."""
    with transaction() as s:
        meeting = get_meeting(s, meeting_id)
        if s.get(Member, json.member_id) is None:
            raise Refusal(Problem.MEMBER_NOT_FOUND, member_id=json.member_id)
        taken = s.get(CardAssignment, (meeting.id, json.number))
        if taken is not None and taken.member_id != json.member_id:
            raise Refusal(Problem.CARD_TAKEN, number=json.number)
        earlier = s.scalars(
            select(CardAssignment).where(
                CardAssignment.meeting_id == meeting.id,
                CardAssignment.member_id == json.member_id,
            )
        ).first()
        if earlier is not None and earlier.number != json.number:
            s.delete(earlier)
            s.flush()
        if taken is None:
            s.add(
                CardAssignment(meeting_id=meeting.id, number=json.number, member_id=json.member_id)
            )
    return _cards(meeting_id)


@bp.get("/meetings/<int:meeting_id>/cards")
@allow(Role.CLERK)
@spec.validate(resp=Responses(HTTP_200=CardList, **ERRORS), tags=["cards"])
def list_cards(meeting_id: int) -> CardList:
    """The cards handed out for a meeting."""
    return _cards(meeting_id)


def _cards(meeting_id: int) -> CardList:
    with transaction() as s:
        get_meeting(s, meeting_id)
        return CardList(
            cards=[
                CardOut(number=n, member_id=m.id, name=m.name, address=m.address)
                for n, m in sorted(_holders(s, meeting_id).items())
            ]
        )


@bp.post("/polls/<int:poll_id>/photos")
@allow(Role.CLERK)
@spec.validate(form=PhotoForm, resp=Responses(HTTP_200=CardsSummary, **ERRORS), tags=["cards"])
def add_photo(poll_id: int) -> CardsSummary:
    """A photo of the room while the poll is open: every handed card in it is read."""
    upload = request.files.get("photo")
    if upload is None:
        raise Refusal(Problem.INVALID_INPUT, detail="photo")
    data = upload.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise Refusal(Problem.INVALID_INPUT, detail="photo (too large)")
    with transaction() as s:
        poll = get_poll(s, poll_id)
        if poll.status != PollStatus.OPEN:
            raise Refusal(Problem.POLL_NOT_OPEN)
        issued = set(_holders(s, poll.meeting_id))
    from devices.cards import scan_photo  # here: OpenCV and numpy load with the first photo

    try:
        scan = off_the_loop(scan_photo, data, issued)
    except ValueError as error:
        raise Refusal(Problem.BAD_PHOTO) from error
    with transaction() as s:
        poll = get_poll(s, poll_id)
        number = (
            s.scalar(select(func.max(CardReading.photo)).where(CardReading.poll_id == poll.id)) or 0
        ) + 1
        moment = now()
        for reading in scan.readings:
            s.add(
                CardReading(
                    poll_id=poll.id,
                    photo=number,
                    number=reading.number,
                    answer=reading.answer,
                    taken_at=moment,
                )
            )
        for unread in scan.conflicts | scan.unclear:
            s.add(
                CardReading(
                    poll_id=poll.id, photo=number, number=unread, answer=UNREAD, taken_at=moment
                )
            )
    return _summary(poll_id)


@bp.get("/polls/<int:poll_id>/cards")
@allow(Role.CLERK)
@spec.validate(resp=Responses(HTTP_200=CardsSummary, **ERRORS), tags=["cards"])
def cards_of_poll(poll_id: int) -> CardsSummary:
    """What the photos of this poll show so far."""
    return _summary(poll_id)


def _summary(poll_id: int) -> CardsSummary:
    with transaction() as s:
        poll = get_poll(s, poll_id)
        holders = _holders(s, poll.meeting_id)
        latest = latest_cards(s, poll)
        photos = (
            s.scalar(select(func.max(CardReading.photo)).where(CardReading.poll_id == poll.id)) or 0
        )
        problems = _problems(s, poll, holders, latest)
        return CardsSummary(
            photos=photos,
            seen=[
                CardSeen(
                    number=n,
                    answer=r.answer,
                    choice=card_answer(poll, r.answer),
                    member_id=holders[n].id if n in holders else None,
                    name=holders[n].name if n in holders else None,
                )
                for n, r in sorted(latest.items())
            ],
            missing=[
                CardOut(number=n, member_id=m.id, name=m.name, address=m.address)
                for n, m in sorted(holders.items())
                if n not in latest
            ],
            problems=problems,
        )


def _problems(
    s: Session, poll: Poll, holders: dict[int, Member], latest: dict[int, CardReading]
) -> list[dict[str, Any]]:
    found = []
    for number in sorted(latest):
        member = holders.get(number)
        if member is None:
            continue
        voted = s.get(Participation, (poll.id, member.id))
        if voted is not None and voted.channel != "card":
            found.append(
                {
                    "card": number,
                    "problem": "already_voted",
                    "channel": voted.channel,
                    "name": member.name,
                }
            )
    return found


@allow(Role.CLERK)
def card_sheets(meeting_id: int) -> Response:
    """Printable card sheets (PDF, one A5 page a card) for ``?first=&last=``."""
    wanted = CardRange.model_validate(request.args.to_dict())
    first, last = wanted.first, wanted.last
    if last < first or last - first >= 500:
        raise Refusal(Problem.INVALID_INPUT, detail="first, last")
    with transaction() as s:
        get_meeting(s, meeting_id)
    from devices.card_sheets import CardLegend, card_sheet_pdf  # reportlab, OpenCV: when asked

    legend = CardLegend(
        lines=[
            gettext("A for · B against · C abstain"),
            gettext("Hold your answer's letter on top, facing the front."),
        ],
        sides={
            "A": gettext("A for"),
            "B": gettext("B against"),
            "C": gettext("C abstain"),
            "D": "D",
        },
    )
    pdf = card_sheet_pdf(list(range(first, last + 1)), legend)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f"inline; filename=cards-{first}-{last}.pdf"},
    )
