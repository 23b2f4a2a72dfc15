"""The clerk's records screen (/clerk/records/<meeting>): decisions, the action list with its
statuses and progress notes, item summaries, corrections, the signatories and publishing, the
completeness of the minutes and every export, in the browser.

Server-rendered forms (they work without a script): each posts to one route here, which turns
the form into the same typed payload the JSON API takes, calls the one writer
(``followup.service`` or ``records.service``: each change is audited there) and comes back to
the page with what happened in words. A refusal is said on the page; nothing is half-written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, ValidationError

from meeting_room.access.roles import Role, allow
from meeting_room.clock import today
from meeting_room.domain.action_items import deadline_passed
from meeting_room.domain.completeness import TARGET
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import ActionStatus
from meeting_room.followup import service as followup
from meeting_room.followup.schemas import ActionIn, ActionPatch, DecisionIn, DecisionPatch, NoteIn
from meeting_room.records import service as records
from meeting_room.records.desk import records_desk
from meeting_room.records.document import held, numbering, when
from meeting_room.records.exports import Export
from meeting_room.records.schemas import CorrectionIn, SignatoriesIn, SummaryIn
from meeting_room.records.spreadsheets import FileFormat
from meeting_room.records.words import action_status_name, field_name, option_name, verdict_name
from meeting_room.screens.forms import posted, staff_name
from meeting_room.screens.forms import words as _
from meeting_room.web.messages import describe

bp = Blueprint("records_desk", __name__)

DEFAULT_DEADLINE_DAYS = 30  # what the deadline field offers: a month from the hall's today
M = TypeVar("M", bound=BaseModel)
PARTY_SEPARATORS = re.compile(r"[\n,，、;；]+")
SETTABLE = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.DONE)


def _labels() -> dict[str, str]:
    """The form fields' names as the screen shows them (for refusals of invalid input)."""
    return {
        "text": _("Text"),
        "title": _("Action"),
        "responsible": _("Responsible party"),
        "co_responsible": _("Co-responsible parties"),
        "deadline": _("Deadline"),
        "working_days": _("Working days"),
        "criterion": _("Acceptance criterion"),
        "status": _("Status"),
        "moderator": _("Moderator"),
        "clerk": _("Clerk"),
        "field": _("What to correct"),
        "by": _("Logged in"),
        "item_id": _("Agenda item"),
        "poll_id": _("Vote"),
    }


def _invalid(error: ValidationError) -> str:
    labels = _labels()
    fields = [str(e["loc"][0]) if e["loc"] else "deadline" for e in error.errors()]
    names = dict.fromkeys(labels.get(f, f) for f in fields)
    return _("Please check: %(fields)s.", fields="、".join(names))


def _parties(text: str) -> list[str]:
    return [p.strip() for p in PARTY_SEPARATORS.split(text) if p.strip()]


def _done(meeting_id: int, anchor: str, work: Callable[[], str]) -> ResponseReturnValue:
    """Run one change, say how it went, and go back to the page at ``anchor``."""
    try:
        flash(work(), "done")
    except Refusal as refusal:
        flash(describe(refusal), "refused")
    except ValidationError as error:
        flash(_invalid(error), "refused")
    return redirect(url_for("records_desk.page", meeting_id=meeting_id) + f"#{anchor}")


def _valid(model: type[M], **extra: Any) -> M:
    return model.model_validate(posted(**extra))


@bp.get("/clerk/records/<int:meeting_id>")
@allow(Role.CLERK)
def page(meeting_id: int) -> ResponseReturnValue:
    """The records of a meeting as the clerk completes them."""
    desk = records_desk(meeting_id)
    minutes = desk.minutes
    polls = [p for i in minutes.items for p in i.polls] + minutes.other_polls
    page = render_template(
        "clerk_records.html",
        desk=desk,
        minutes=minutes,
        polls=polls,
        numbers=numbering(minutes),
        item_ids={i.number: i.id for i in minutes.items},
        held=held(minutes),
        when=when,
        target=int(TARGET * 100),
        exports=list(Export),
        formats=list(FileFormat),
        statuses=SETTABLE,
        status_name=action_status_name,
        field_name=field_name,
        option_name=option_name,
        verdict_of=lambda poll: verdict_name(poll.passed, poll.leaders, poll.tied),
        default_deadline=desk.today + timedelta(days=DEFAULT_DEADLINE_DAYS),
        working_days=followup.working_days_on(),
    )
    return page, 200, {"Cache-Control": "no-store"}


@bp.post("/clerk/records/<int:meeting_id>/decisions")
@allow(Role.CLERK)
def add_decision(meeting_id: int) -> ResponseReturnValue:
    """Record a decision (on an item, or from a vote)."""

    def work() -> str:
        decision = followup.add_decision(meeting_id, _valid(DecisionIn))
        return _("Decision recorded: %(text)s", text=decision.text)

    return _done(meeting_id, "decisions", work)


@bp.post("/clerk/records/<int:meeting_id>/decisions/<int:decision_id>")
@allow(Role.CLERK)
def reword_decision(meeting_id: int, decision_id: int) -> ResponseReturnValue:
    """Change a decision's wording (kept as a correction)."""

    def work() -> str:
        followup.reword_decision(decision_id, _valid(DecisionPatch))
        return _("The decision's new wording is recorded as a correction.")

    return _done(meeting_id, f"decision-{decision_id}", work)


@bp.post("/clerk/records/<int:meeting_id>/decisions/<int:decision_id>/actions")
@allow(Role.CLERK)
def add_action(meeting_id: int, decision_id: int) -> ResponseReturnValue:
    """Add an item to a decision's action list (its deadline today or later)."""

    def work() -> str:
        extra: dict[str, Any] = {"co_responsible": _parties(request.form.get("co_responsible", ""))}
        if request.form.get("deadline_kind") == "working":
            extra["deadline"] = None  # counted: the date field is left aside
        else:
            extra["working_days"] = None
        wanted = _valid(ActionIn, **extra)
        if wanted.deadline is not None and deadline_passed(wanted.deadline, today()):
            raise Refusal(Problem.DEADLINE_PASSED, deadline=wanted.deadline.isoformat())
        action = followup.add_action(decision_id, wanted, staff_name())
        if action.basis is not None:
            return _(
                "Action added: %(title)s, due %(deadline)s (%(num)s working days from %(day)s).",
                title=action.title,
                deadline=action.deadline.isoformat(),
                num=action.basis.working_days,
                day=action.basis.counted_from.isoformat(),
            )
        return _("Action added: %(title)s", title=action.title)

    return _done(meeting_id, f"decision-{decision_id}", work)


@bp.post("/clerk/records/<int:meeting_id>/actions/<int:action_id>")
@allow(Role.CLERK)
def update_action(meeting_id: int, action_id: int) -> ResponseReturnValue:
    """Change an action item's status or terms (a deadline moved: to today or later; one left
    as it was may have passed)."""

    def work() -> str:
        extra = {}
        if "co_responsible" in request.form:
            extra["co_responsible"] = _parties(request.form["co_responsible"])
        fields = posted(**extra)
        was = fields.pop("deadline_was", None)
        if was is not None and fields.get("deadline") == was:
            del fields["deadline"]  # unchanged: an overdue item keeps its passed deadline
        patch = ActionPatch.model_validate({k: v for k, v in fields.items() if k != "by"})
        if patch.deadline is not None and deadline_passed(patch.deadline, today()):
            raise Refusal(Problem.DEADLINE_PASSED, deadline=patch.deadline.isoformat())
        action = followup.update_action(action_id, patch)
        return _(
            "“%(title)s” saved: %(status)s.",
            title=action.title,
            status=action_status_name(action.status),
        )

    return _done(meeting_id, f"action-{action_id}", work)


@bp.post("/clerk/records/<int:meeting_id>/actions/<int:action_id>/notes")
@allow(Role.CLERK)
def add_note(meeting_id: int, action_id: int) -> ResponseReturnValue:
    """Add a progress note, dated today by the hall's calendar."""

    def work() -> str:
        action = followup.add_note(action_id, _valid(NoteIn))
        return _("Progress note added to “%(title)s”.", title=action.title)

    return _done(meeting_id, f"action-{action_id}", work)


@bp.post("/clerk/records/<int:meeting_id>/items/<int:item_id>/summary")
@allow(Role.CLERK)
def write_summary(meeting_id: int, item_id: int) -> ResponseReturnValue:
    """Write an item's summary (rewriting it is kept as a correction)."""

    def work() -> str:
        records.write_summary(meeting_id, item_id, _valid(SummaryIn))
        return _("Summary saved.")

    return _done(meeting_id, f"item-{item_id}", work)


@bp.post("/clerk/records/<int:meeting_id>/corrections")
@allow(Role.CLERK)
def correct(meeting_id: int) -> ResponseReturnValue:
    """Correct a text of the minutes; the correction is listed in them."""

    def work() -> str:
        records.correct(meeting_id, _valid(CorrectionIn))
        return _("Correction recorded; the minutes list it.")

    return _done(meeting_id, "corrections", work)


@bp.post("/clerk/records/<int:meeting_id>/signatories")
@allow(Role.CLERK)
def name_signatories(meeting_id: int) -> ResponseReturnValue:
    """Name the moderator and the clerk who sign the minutes."""

    def work() -> str:
        wanted = SignatoriesIn.model_validate(
            {"moderator": request.form.get("moderator", ""), "clerk": request.form.get("clerk", "")}
        )
        records.name_signatories(meeting_id, wanted)
        return _("Signatories saved.")

    return _done(meeting_id, "publish", work)


@bp.post("/clerk/records/<int:meeting_id>/publish")
@allow(Role.CLERK)
def publish(meeting_id: int) -> ResponseReturnValue:
    """Put the minutes on the notice board (once; later corrections stay listed)."""

    def work() -> str:
        minutes = records.publish_minutes(meeting_id, staff_name())
        return _(
            "The minutes are on the notice board (published %(time)s).",
            time=when(minutes.published_at),
        )

    return _done(meeting_id, "publish", work)
