"""Residents' topics for residents: on the notice board (/board/topics) and on their own phone
page (/v/<token>/topics). Each topic with its co-signing bar (moving live on
``topic.progress``), the review's answers with their reasons, a form to propose a topic and
a button to co-sign; the board asks for the personal code, the phone page has it.

The pages are rendered here; the proposals and signatures go through the JSON API
(``topics.routes``), so the same refusals in words reach every channel.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from meeting_room.access.roles import Role, allow
from meeting_room.attendance.tokens import attendance_by_token
from meeting_room.domain.topics import OPEN_STATUSES, Scope, TopicStatus
from meeting_room.records.document import when
from meeting_room.store.storage import transaction
from meeting_room.topics import service
from meeting_room.topics.schemas import TopicView
from meeting_room.topics.words import scope_name, source_name, status_name

bp = Blueprint("board_topics", __name__)

DECIDED_SHOWN = 20  # the latest answers the board keeps on show


def _split(topics: list[TopicView]) -> tuple[list[TopicView], list[TopicView]]:
    open_ = [t for t in topics if t.status in OPEN_STATUSES]
    decided = [t for t in topics if t.status not in OPEN_STATUSES]
    decided.sort(key=lambda t: t.decided_at or t.created_at, reverse=True)
    return open_, decided[:DECIDED_SHOWN]


def _render(
    token: str | None, place: tuple[str, str] | None, signed: frozenset[int] = frozenset()
) -> str:
    open_, decided = _split(service.topics())
    return render_template(
        "topics_public.html",
        open_topics=open_,
        decided=decided,
        categories=service.categories(active_only=True),
        token=token,
        place=place,
        signed=signed,
        concerns=lambda t: (
            place is None or Scope(t.scope, t.scope_building, t.scope_unit).covers(*place)
        ),
        status_name=status_name,
        source_name=source_name,
        scope_name=scope_name,
        accepted=TopicStatus.ACCEPTED,
        when=when,
    )


@bp.get("/board/topics")
@allow(Role.ANYONE)
def page() -> str:
    """The board's topics: co-sign or propose with the personal code."""
    return _render(None, None)


@bp.get("/v/<token>/topics")
@allow(Role.ATTENDEE)
def phone(token: str) -> str:
    """The resident's own phone page of topics: those concerning their household can be
    co-signed with one tap."""
    with transaction() as session:
        member = attendance_by_token(session, token).member
        place = (member.building, member.unit)
    return _render(token, place, frozenset(service.signed_by(member.id)))
