"""Paper answer cards in the API: handing cards out, photos of the room, printable sheets.

The writes call ``voting.service``; the answers are what the clerk desk shows next (the cards
handed, or what the photos of the poll read so far).
"""

from __future__ import annotations

from flask import Response, request
from flask_babel import gettext
from spectree import Response as Responses

from meeting_room.access.roles import Role, allow
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.meetings.meetings import get_meeting
from meeting_room.store.storage import transaction
from meeting_room.voting import service
from meeting_room.voting.cards import card_list, cards_summary
from meeting_room.voting.polls import get_poll
from meeting_room.voting.schemas import CardIn, CardList, CardRange, CardsSummary, PhotoForm
from meeting_room.web.api import ERRORS, bp, spec

MAX_PHOTO_BYTES = 25 * 1024 * 1024


@bp.post("/meetings/<int:meeting_id>/cards")
@allow(Role.CLERK)
@spec.validate(json=CardIn, resp=Responses(HTTP_200=CardList, **ERRORS), tags=["cards"])
def hand_card(meeting_id: int, json: CardIn) -> CardList:
    """Record that a member holds a card (a member's earlier card is taken back)."""
    service.hand_card(meeting_id, json.number, json.member_id)
    return _cards(meeting_id)


@bp.get("/meetings/<int:meeting_id>/cards")
@allow(Role.CLERK)
@spec.validate(resp=Responses(HTTP_200=CardList, **ERRORS), tags=["cards"])
def list_cards(meeting_id: int) -> CardList:
    """The cards handed out for a meeting."""
    return _cards(meeting_id)


def _cards(meeting_id: int) -> CardList:
    with transaction() as s:
        return card_list(s, get_meeting(s, meeting_id))


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
    service.add_photo(poll_id, data)
    return _summary(poll_id)


@bp.get("/polls/<int:poll_id>/cards")
@allow(Role.CLERK)
@spec.validate(resp=Responses(HTTP_200=CardsSummary, **ERRORS), tags=["cards"])
def cards_of_poll(poll_id: int) -> CardsSummary:
    """What the photos of this poll show so far."""
    return _summary(poll_id)


def _summary(poll_id: int) -> CardsSummary:
    with transaction() as s:
        return cards_summary(s, get_poll(s, poll_id))


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
