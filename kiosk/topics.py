"""The kiosk's topics screen (/kiosk/topics, 议题征集): a resident scans their resident card
(confirmed with the phone's last digits) or their sign-in slip, as for rating
(``kiosk.rating``), then co-signs open topics of their household with one large button, or
proposes one. A clerk at the kiosk may write it for them: the topic is then recorded as
written for them (代笔) with the clerk's name. Each call says again who it is for (the page
keeps nothing on the server). Thin: the writing is ``topics.service``'s.
"""

from __future__ import annotations

from typing import Annotated, Any

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext
from pydantic import StringConstraints

from kiosk.rating import WhoIn, recognise
from meeting_room.access.principal import current_principal
from meeting_room.access.roles import Role, allow
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.topics import OPEN_STATUSES, Scope, ScopeKind, SignChannel, TopicStatus
from meeting_room.screens.common import meeting_in_view
from meeting_room.store.models.roster import Member
from meeting_room.store.storage import transaction
from meeting_room.topics import service
from meeting_room.topics.schemas import Body, Notice, Title, TopicDraft
from meeting_room.topics.words import scope_name
from meeting_room.web.limits import Id

bp = Blueprint("kiosk_topics", __name__)

Scribe = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]


def _(message: str, **values: object) -> str:
    return str(gettext(message, **values))


class SignKioskIn(WhoIn):
    """A co-signature by the resident scanned."""

    topic_id: Id


class ProposeKioskIn(WhoIn):
    """A topic proposed by the resident scanned; ``scribe`` when a clerk wrote it for them."""

    title: Title
    body: Body = ""
    category_id: Id
    scope: ScopeKind = ScopeKind.UNIT
    scribe: Scribe = ""


def _member_id(wanted: WhoIn) -> int:
    rater = recognise(wanted)
    if rater.member_id is None:
        raise Refusal(Problem.INVALID_INPUT, detail="phone_tail")
    return rater.member_id


def _scribe(typed: str) -> str | None:
    """The staff member who wrote the topic for the resident, as they typed their name (the
    kiosk's field is empty when the resident writes it themselves)."""
    return typed or None


def notice_words(notice: Notice) -> str:
    """A proposer's answer in words, as the kiosk greets them."""
    if notice.status is TopicStatus.ACCEPTED:
        return _(
            "Your topic “%(title)s” was accepted onto the agenda of %(meeting)s.",
            title=notice.title,
            meeting=notice.meeting_title or "",
        )
    if notice.status is TopicStatus.MERGED:
        return _(
            "Your topic “%(title)s” was merged into a similar topic; your support counts "
            "there. %(reason)s",
            title=notice.title,
            reason=notice.reason,
        )
    return _(
        "Your topic “%(title)s” was declined. Reason: %(reason)s",
        title=notice.title,
        reason=notice.reason,
    )


def topic_notices(member_id: int) -> list[str]:
    """The answers to the member's topics since last shown, in words, now marked shown (the
    kiosk's greeting after signing in)."""
    return [notice_words(n) for n in service.take_notices(member_id)]


@bp.get("/kiosk/topics")
@allow(Role.KIOSK, Role.CLERK)
def page() -> str:
    """The topics screen of the kiosk (for the meeting in view: a card's tries count there)."""
    with transaction() as session:
        meeting = meeting_in_view(session)
        who = current_principal()
        return render_template(
            "kiosk/topics.html",
            meeting=meeting,
            categories=service.categories(active_only=True),
            back_url=url_for("kiosk.page", meeting=meeting.id),
            clerk_name=who.username if Role.CLERK in who.roles and who.username else "",
            idle_seconds=current_app.config["KIOSK_IDLE_SECONDS"],
        )


def _topics_for(member_id: int) -> list[dict[str, Any]]:
    """The open topics concerning the member's household, with whether they signed."""
    with transaction() as session:
        member = session.get(Member, member_id)
        assert member is not None
        place = (member.building, member.unit)
    signed = service.signed_by(member_id)
    return [
        {
            "id": t.id,
            "title": t.title,
            "category": t.category,
            "scope": scope_name(t.scope, t.scope_building, t.scope_unit),
            "signed": t.signed,
            "households": t.households,
            "needed": t.needed,
            "percent": t.percent,
            "met": t.met,
            "threshold": t.threshold_percent,
            "mine": t.id in signed,
        }
        for t in service.topics()
        if t.status in OPEN_STATUSES
        and Scope(t.scope, t.scope_building, t.scope_unit).covers(*place)
    ]


@bp.post("/kiosk/api/topics/who")
@allow(Role.KIOSK, Role.CLERK)
def who() -> dict[str, Any]:
    """Who was scanned, whether a card still needs the phone's digits; once recognised the
    open topics of their household and the answers to their own topics since last time."""
    rater = recognise(WhoIn.model_validate(request.get_json(silent=True) or {}))
    if rater.member_id is None:
        return {"name": rater.name, "needs_tail": True, "topics": [], "notices": []}
    return {
        "name": rater.name,
        "needs_tail": False,
        "topics": _topics_for(rater.member_id),
        "notices": topic_notices(rater.member_id),
    }


@bp.post("/kiosk/api/topics/sign")
@allow(Role.KIOSK, Role.CLERK)
def sign() -> dict[str, Any]:
    """The resident scanned co-signs a topic (a second time is refused in words)."""
    wanted = SignKioskIn.model_validate(request.get_json(silent=True) or {})
    out = service.sign_as_member(wanted.topic_id, _member_id(wanted), SignChannel.KIOSK)
    return out.model_dump(mode="json")


@bp.post("/kiosk/api/topics")
@allow(Role.KIOSK, Role.CLERK)
def propose() -> dict[str, Any]:
    """The resident scanned proposes a topic (written for them by a clerk if named)."""
    wanted = ProposeKioskIn.model_validate(request.get_json(silent=True) or {})
    member_id = _member_id(wanted)
    scribe = _scribe(wanted.scribe)
    topic = service.propose_as_member(
        member_id,
        TopicDraft(
            title=wanted.title,
            body=wanted.body,
            category_id=wanted.category_id,
            scope=wanted.scope,
        ),
        SignChannel.KIOSK,
        by=scribe or f"member:{member_id}",
        scribe=scribe,
    )
    return topic.model_dump(mode="json")
