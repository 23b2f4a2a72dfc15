"""The clerk's follow-up screens (督办): /clerk/follow lists the whole action list with its
reminders (deadline near), its overdue items with their escalation step (提醒 → 约谈 → 上报街道)
and a form to record the next step with a note; /clerk/surveys drafts, opens and closes the
hall's satisfaction surveys and shows their results as tables.

Server-rendered forms (they work without a script): each posts to one route here, which calls
the one writer (``followup.service``: each change audited there, the boards and desks told)
and comes back with what happened in words. ``static/js/follow-live.js`` refreshes the lists
when another desk changes them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from pydantic import ValidationError

from meeting_room.access.roles import Role, allow
from meeting_room.clock import now, today
from meeting_room.domain.follow_up import SATISFACTION_TARGET, quarter_of
from meeting_room.domain.problems import Refusal
from meeting_room.domain.words import ActionStatus, RatingChannel
from meeting_room.followup import service as followup
from meeting_room.followup.schemas import EscalationIn, SurveyIn
from meeting_room.records.words import action_status_name
from meeting_room.screens.clerk import follow_counts
from meeting_room.screens.forms import posted, staff_name
from meeting_room.screens.forms import words as _
from meeting_room.web.messages import describe, escalation_name

bp = Blueprint("follow", __name__)


def _done(endpoint: str, anchor: str, work: Callable[[], str]) -> ResponseReturnValue:
    """Run one change, say how it went, and go back to the page at ``anchor``."""
    try:
        flash(work(), "done")
    except Refusal as refusal:
        flash(describe(refusal), "refused")
    except ValidationError:
        flash(_("Please check the form: something is missing or out of range."), "refused")
    return redirect(url_for(endpoint) + f"#{anchor}")


def channel_name(channel: str) -> str:
    """Where an answer was given, as the screens say it."""
    names = {
        RatingChannel.KIOSK: _("Kiosk"),
        RatingChannel.BOOTH: _("Voting booth"),
        RatingChannel.PHONE: _("Phone"),
        RatingChannel.BOARD: _("Notice board"),
        RatingChannel.API: _("Other"),
    }
    return names.get(RatingChannel(channel), channel) if channel in set(RatingChannel) else channel


def _no_store(page: str) -> ResponseReturnValue:
    return page, 200, {"Cache-Control": "no-store"}


@bp.get("/clerk/follow")
@allow(Role.CLERK)
def page() -> ResponseReturnValue:
    """The action list as the follow-up sees it: reminders, overdue items and their steps."""
    views = followup.follow_list()
    return _no_store(
        render_template(
            "clerk_follow.html",
            actions=views,
            due=[v for v in views if v.reminder],
            overdue=[v for v in views if v.status is ActionStatus.OVERDUE],
            steps=followup.escalation_steps(),
            step_name=escalation_name,
            status_name=action_status_name,
            remind_days=followup.remind_days(),
            working_days=followup.working_days_on(),
            today=today(),
        )
    )


@bp.get("/clerk/follow/summary")
@allow(Role.CLERK)
def summary() -> dict[str, Any]:
    """How many items are near their deadline and how many overdue (the clerk desk's badge)."""
    return follow_counts()


@bp.post("/clerk/follow/actions/<int:action_id>/escalate")
@allow(Role.CLERK)
def escalate(action_id: int) -> ResponseReturnValue:
    """Record the next escalation step on an overdue item, with a note."""

    def work() -> str:
        wanted = EscalationIn.model_validate(
            {
                "step": request.form.get("step", ""),
                "note": request.form.get("note", ""),
                "by": staff_name(),
            }
        )
        action = followup.escalate(action_id, wanted)
        return _(
            "“%(title)s”: %(step)s recorded.",
            title=action.title,
            step=escalation_name(wanted.step.value),
        )

    return _done("follow.page", f"follow-action-{action_id}", work)


@bp.get("/clerk/surveys")
@allow(Role.CLERK)
def surveys() -> ResponseReturnValue:
    """The satisfaction surveys: a form for the next, each with its state and results."""
    start, end = quarter_of(today())
    year, quarter = start.year, (start.month - 1) // 3 + 1
    return _no_store(
        render_template(
            "clerk_surveys.html",
            surveys=followup.list_surveys(),
            default_title=_(
                "Satisfaction survey of the hall, %(year)s Q%(quarter)s",
                year=year,
                quarter=quarter,
            ),
            default_question=_(
                "How satisfied are you with the hall's deliberation and the follow-up of its "
                "decisions this quarter?"
            ),
            period_start=start,
            period_end=end,
            open_days=followup.survey_open_days(),
            next_periodic=followup.next_periodic_day(),
            target=int(SATISFACTION_TARGET * 100),
            channel_name=channel_name,
            closes_soon=lambda s: (
                s.closes_at is not None and s.closes_at - now() < timedelta(days=1)
            ),
        )
    )


@bp.post("/clerk/surveys")
@allow(Role.CLERK)
def create_survey() -> ResponseReturnValue:
    """Draft a survey."""

    def work() -> str:
        survey = followup.create_survey(SurveyIn.model_validate(posted()))
        return _("Survey drafted: %(title)s. Open it when the hall is ready.", title=survey.title)

    return _done("follow.surveys", "surveys", work)


@bp.post("/clerk/surveys/<int:survey_id>/open")
@allow(Role.CLERK)
def open_survey(survey_id: int) -> ResponseReturnValue:
    """Open a drafted survey for its days."""

    def work() -> str:
        survey = followup.open_survey(survey_id)
        return _(
            "“%(title)s” is open for %(num)s days: residents answer at the kiosk, the booth "
            "or on their phone.",
            title=survey.title,
            num=survey.open_days,
        )

    return _done("follow.surveys", f"survey-{survey_id}", work)


@bp.post("/clerk/surveys/<int:survey_id>/close")
@allow(Role.CLERK)
def close_survey(survey_id: int) -> ResponseReturnValue:
    """Close an open survey now."""

    def work() -> str:
        survey = followup.close_survey(survey_id)
        return _("“%(title)s” is closed.", title=survey.title)

    return _done("follow.surveys", f"survey-{survey_id}", work)
