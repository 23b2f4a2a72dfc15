"""Residents' topics on the staff's screen (/clerk/topics, 议题征集): enter topics gathered on
grid workers' visits, by representatives or from the suggestion box; list and filter every
topic with its co-signing; review it (accept onto a meeting's agenda, merge, decline with a
reason the board publishes); and edit the hall's topic library.

Plain forms (they work without a script): each posts here, becomes the typed payload the JSON
API takes, and calls ``topics.service`` (each change audited there); the page comes back with
what happened in words.
"""

from __future__ import annotations

import re

from flask import Blueprint, flash, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from meeting_room.access.roles import Role, allow
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.topics import OPEN_STATUSES, TopicSource, TopicStatus
from meeting_room.domain.words import ItemKind
from meeting_room.records.document import when
from meeting_room.records.words import item_kind_name
from meeting_room.screens.common import meeting_time
from meeting_room.screens.forms import attempt, posted, staff_name
from meeting_room.screens.forms import words as _
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.storage import transaction
from meeting_room.topics import service
from meeting_room.topics.review import AGENDA_OPEN
from meeting_room.topics.schemas import AcceptIn, CategoryIn, DecisionIn, MergeIn, StaffTopicIn
from meeting_room.topics.words import scope_name, source_name, status_name
from meeting_room.web.messages import describe

bp = Blueprint("clerk_topics", __name__)

NUMBER_SEPARATORS = re.compile(r"[\s,，、;；]+")

# What staff enter for residents (the residents' own channels are the kiosk, phone, board).
STAFF_SOURCES = (
    TopicSource.GRID_VISIT,
    TopicSource.REPRESENTATIVE,
    TopicSource.SUGGESTION_BOX,
    TopicSource.OFFICE,
)


def _labels() -> dict[str, str]:
    return {
        "title": _("Topic"),
        "body": _("What it is about"),
        "category_id": _("Category"),
        "source": _("Source"),
        "source_note": _("Gathered by"),
        "scope_building": _("Building"),
        "scope_unit": _("Unit"),
        "threshold_percent": _("Threshold in per cent"),
        "reason": _("Reason"),
        "meeting_id": _("Meeting"),
        "into_id": _("Merge into"),
        "name": _("Category"),
        "planned_minutes": _("Planned minutes"),
    }


def _back(anchor: str = "") -> str:
    return url_for("clerk_topics.page") + (f"#{anchor}" if anchor else "")


@bp.get("/clerk/topics")
@allow(Role.CLERK)
def page() -> str:
    """Every topic, filtered by status, source or category, with the review's forms."""
    status = request.args.get("status", "")
    source = request.args.get("source", "")
    category = request.args.get("category", "")
    statuses = (TopicStatus(status),) if status in set(TopicStatus) else ()
    found = service.topics(
        statuses=statuses,
        source=TopicSource(source) if source in set(TopicSource) else None,
        category_id=int(category) if category.isdigit() else None,
        named=True,
    )
    with transaction() as session:
        meetings = [
            (m.id, f"{m.title} · {meeting_time(m)}")
            for m in session.scalars(
                select(Meeting)
                .where(Meeting.status.in_(tuple(AGENDA_OPEN)))
                .order_by(Meeting.starts_at)
            )
        ]
    open_topics = [t for t in found if t.status in OPEN_STATUSES]
    return render_template(
        "clerk_topics.html",
        topics=found,
        open_topics=open_topics,
        categories=service.categories(),
        meetings=meetings,
        statuses=list(TopicStatus),
        sources=list(TopicSource),
        staff_sources=STAFF_SOURCES,
        kinds=[ItemKind.DISCUSSION, ItemKind.VOTE, ItemKind.REPORT],
        chosen={"status": status, "source": source, "category": category},
        status_name=status_name,
        source_name=source_name,
        scope_name=scope_name,
        item_kind_name=item_kind_name,
        when=when,
    )


def _member_id(member_no: str) -> int | None:
    if not member_no.strip():
        return None
    with transaction() as session:
        found = session.scalar(select(Member.id).where(Member.member_no == member_no.strip()))
    if found is None:
        raise Refusal(Problem.MEMBER_NOT_FOUND, member_id=None)
    return found


@bp.post("/clerk/topics/new")
@allow(Role.CLERK)
def enter() -> Response:
    """Enter a topic gathered for residents (or the office's own)."""

    def add() -> str:
        fields = posted()
        fields["proposer_member_id"] = _member_id(request.form.get("proposer_no", ""))
        topic = service.propose_by_staff(StaffTopicIn.model_validate(fields))
        return _("The topic “%(title)s” is entered and open for co-signing.", title=topic.title)

    return attempt(add, _back("new-topic"), _labels())


@bp.post("/clerk/topics/<int:topic_id>/paper")
@allow(Role.CLERK)
def paper(topic_id: int) -> Response:
    """Enter a paper co-signing sheet: the roster numbers of those who signed it."""

    def run() -> str:
        numbers = [n for n in NUMBER_SEPARATORS.split(request.form.get("numbers", "")) if n]
        signed, refused = service.sign_on_paper(topic_id, numbers, staff_name())
        for number, refusal in refused:
            flash(f"{number}: {describe(refusal)}", "error")
        return _("%(num)s signatures from the paper sheet are entered.", num=signed)

    return attempt(run, _back(f"topic-{topic_id}"), _labels())


@bp.post("/clerk/topics/<int:topic_id>/accept")
@allow(Role.CLERK)
def accept(topic_id: int) -> Response:
    """Accept a topic onto a meeting's agenda."""

    def run() -> str:
        fields = posted(confirmed=request.form.get("confirmed") == "on")
        fields.setdefault("reason", "")
        topic = service.accept(topic_id, AcceptIn.model_validate(fields))
        return _(
            "“%(title)s” is accepted onto the agenda of %(meeting)s.",
            title=topic.title,
            meeting=topic.meeting_title or "",
        )

    return attempt(run, _back(f"topic-{topic_id}"), _labels())


@bp.post("/clerk/topics/<int:topic_id>/merge")
@allow(Role.CLERK)
def merge(topic_id: int) -> Response:
    """Merge a duplicate into another topic, keeping every signature once."""

    def run() -> str:
        fields = posted()
        fields.setdefault("reason", "")
        target = service.merge(topic_id, MergeIn.model_validate(fields))
        return _(
            "Merged into “%(title)s”: it now has the support of %(signed)s households.",
            title=target.title,
            signed=target.signed,
        )

    return attempt(run, _back(f"topic-{topic_id}"), _labels())


@bp.post("/clerk/topics/<int:topic_id>/decline")
@allow(Role.CLERK)
def decline(topic_id: int) -> Response:
    """Decline a topic with a reason the board publishes."""

    def run() -> str:
        fields = posted()
        fields.setdefault("reason", "")
        topic = service.decline(topic_id, DecisionIn.model_validate(fields))
        return _("“%(title)s” is declined; the reason is on the notice board.", title=topic.title)

    return attempt(run, _back(f"topic-{topic_id}"), _labels())


@bp.post("/clerk/topics/categories/new")
@allow(Role.CLERK)
def add_category() -> Response:
    """Add a category to the topic library."""

    def run() -> str:
        fields = posted(must_consult=request.form.get("must_consult") == "on")
        category = service.add_category(CategoryIn.model_validate(fields))
        return _("The category “%(name)s” is added.", name=category.name)

    return attempt(run, _back("library"), _labels())


@bp.post("/clerk/topics/categories/<int:category_id>")
@allow(Role.CLERK)
def edit_category(category_id: int) -> Response:
    """Rename a category, mark it a matter to consult on, retire or restore it."""

    def run() -> str:
        fields = posted(
            must_consult=request.form.get("must_consult") == "on",
            active=request.form.get("active") == "on",
        )
        category = service.edit_category(category_id, CategoryIn.model_validate(fields))
        return _("The category “%(name)s” is saved.", name=category.name)

    return attempt(run, _back("library"), _labels())
