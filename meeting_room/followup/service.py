"""Follow-up's one writer: decisions, the action list, its progress notes, deadlines counted in
working days, escalation steps (督办), the meeting's follow-up report item, residents' ratings
and the hall's satisfaction surveys (评价).

Each function is one committed transaction (audited: ``store.audit`` logs every row), then at
most one broadcast: ``follow.changed`` to the clerk desks and the notice boards, which refresh
their follow-up lists (reminders, overdue steps). The clerk's and the residents' HTTP routes
call these functions.

The hall's settings: ``ACTION_WORKING_DAYS`` (default on: a deadline may be given as N working
days, by China's holidays and 调休 days as in the meeting notice), ``ACTION_REMIND_DAYS``
(default 3: reminders from this many days before a deadline), ``FOLLOW_RECENT_DAYS`` (default
30: the report lists items completed this recently), ``SURVEY_OPEN_DAYS`` (default 14) and
``SURVEY_PERIODIC`` (default on: when a quarter begins, by the app's clock, the box makes the
quarter's survey and opens it for ``SURVEY_OPEN_DAYS``, once, as made by "system"; it closes by
itself at the end of those days). The box does it lazily: the first time anyone reads the
surveys in the quarter (the clerk's screen, the kiosk, the booth, the phone page, the API) and
in the server's background round (``ops.backup_schedule``), whichever comes first.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy.orm import Session

from meeting_room.attendance.tokens import attendance_by_token
from meeting_room.clock import now, today
from meeting_room.domain.follow_up import ESCALATION_ORDER
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import EscalationStep, RatingChannel
from meeting_room.followup import actions, decisions, follow, ratings, surveys
from meeting_room.followup.periodic import CHANGED as CHANGED
from meeting_room.followup.periodic import announce_change, ensure_periodic_survey
from meeting_room.followup.periodic import next_periodic_day as next_periodic_day
from meeting_room.followup.periodic import periodic_on as periodic_on
from meeting_room.followup.periodic import survey_open_days as survey_open_days
from meeting_room.followup.schemas import (
    ActionIn,
    ActionPatch,
    ActionView,
    DecisionIn,
    DecisionOut,
    DecisionPatch,
    EscalationIn,
    NoteIn,
    RatableView,
    RatingIn,
    RatingOut,
    SurveyAnswerIn,
    SurveyIn,
    SurveyView,
)
from meeting_room.meetings.meetings import get_meeting
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.storage import transaction


def working_days_on() -> bool:
    """Whether the hall counts action deadlines in working days (``ACTION_WORKING_DAYS``)."""
    return bool(current_app.config.get("ACTION_WORKING_DAYS", True))


def remind_days() -> int:
    """How many days before a deadline reminders start (``ACTION_REMIND_DAYS``, default 3)."""
    return int(current_app.config.get("ACTION_REMIND_DAYS", actions.REMIND_DAYS))


def recent_days() -> int:
    """How recently completed an item is listed at the next meeting (``FOLLOW_RECENT_DAYS``)."""
    return int(current_app.config.get("FOLLOW_RECENT_DAYS", 30))


def add_decision(meeting_id: int, wanted: DecisionIn) -> DecisionOut:
    """Record a decision; may refuse ``meeting_not_found``, ``poll_not_found`` or
    ``item_not_found`` (a poll or an item of another meeting)."""
    with transaction() as session:
        decision = decisions.create_decision(
            session,
            get_meeting(session, meeting_id),
            wanted.text,
            wanted.by,
            now(),
            item_id=wanted.item_id,
            poll_id=wanted.poll_id,
        )
        return decisions.decision_view(session, decision, today())


def reword_decision(decision_id: int, wanted: DecisionPatch) -> DecisionOut:
    """Change a decision's wording, kept as a correction of the minutes; may refuse
    ``decision_not_found`` or ``nothing_changed``."""
    with transaction() as session:
        decision = decisions.get_decision(session, decision_id)
        decisions.reword_decision(session, decision, wanted.text, wanted.by, now())
        return decisions.decision_view(session, decision, today())


def add_action(decision_id: int, wanted: ActionIn, by: str = "api") -> ActionView:
    """Add an item, not started, to a decision's action list, due on the date given or
    ``working_days`` working days from today by the hall's calendar (how it was computed is
    recorded beside it); may refuse ``decision_not_found``, or ``invalid_input`` for working
    days where the hall does not count them."""
    day = today()
    with transaction() as session:
        decision = decisions.get_decision(session, decision_id)
        counted = None
        if wanted.working_days is not None:
            if not working_days_on():
                raise Refusal(Problem.INVALID_INPUT, detail="working_days")
            counted = follow.working_deadline(session, day, wanted.working_days)
        deadline = counted.deadline if counted else wanted.deadline
        assert deadline is not None  # ActionIn holds a date or a number of working days
        action = actions.add_action(session, decision, wanted, deadline, now())
        follow.record_basis(session, action, counted, day, by, now())
        view = actions.action_view(session, action, day, remind_days())
    announce_change(view.id, "added")
    return view


def update_action(action_id: int, patch: ActionPatch) -> ActionView:
    """Change an action item's terms or status (done today, by the hall's calendar); may refuse
    ``action_not_found`` or ``invalid_input`` (overdue is never set)."""
    day = today()
    with transaction() as session:
        action = actions.get_action(session, action_id)
        actions.update_action(session, action, day, patch)
        view = actions.action_view(session, action, day, remind_days())
    announce_change(view.id, "updated")
    return view


def add_note(action_id: int, wanted: NoteIn) -> ActionView:
    """Add a progress note, dated today unless the clerk gives a day; may refuse
    ``action_not_found``."""
    day = today()
    with transaction() as session:
        action = actions.get_action(session, action_id)
        actions.add_note(session, action, wanted.text, wanted.by, wanted.day or day, now())
        return actions.action_view(session, action, day)


def rate(action_id: int, wanted: RatingIn) -> RatingOut:
    """A resident rates a completed item with their personal code, once; may refuse
    ``token_unknown``, ``action_not_found``, ``action_not_done`` or ``already_rated``."""
    with transaction() as session:
        member_id = attendance_by_token(session, wanted.token).member_id
        return _rate(session, action_id, member_id, wanted.stars, wanted.comment, wanted.channel)


def rate_as_member(
    action_id: int,
    member_id: int,
    stars: int,
    comment: str = "",
    channel: RatingChannel = RatingChannel.KIOSK,
) -> RatingOut:
    """A resident the caller has recognised (a card confirmed with the phone's digits at the
    kiosk, a slip scanned) rates a completed item, once; may refuse ``action_not_found``,
    ``action_not_done`` or ``already_rated``."""
    with transaction() as session:
        return _rate(session, action_id, member_id, stars, comment, channel)


def _rate(
    session: Session,
    action_id: int,
    member_id: int,
    stars: int,
    comment: str,
    channel: RatingChannel,
) -> RatingOut:
    action = actions.get_action(session, action_id)
    replaced = ratings.rate(session, action, member_id, stars, comment, now(), channel.value)
    return RatingOut(replaced=replaced, rating=ratings.rating_summary(session, action))


def escalate(action_id: int, wanted: EscalationIn) -> ActionView:
    """Take the next escalation step on an overdue item (提醒 → 约谈 → 上报街道), who and when
    recorded; may refuse ``action_not_found``, ``not_overdue`` or ``escalation_out_of_order``."""
    day = today()
    with transaction() as session:
        action = actions.get_action(session, action_id)
        follow.escalate(session, action, wanted.step, wanted.note, wanted.by, day, now())
        view = actions.action_view(session, action, day, remind_days())
    announce_change(view.id, "escalated")
    return view


def follow_list() -> list[ActionView]:
    """The whole action list as the follow-up screen shows it (overdue first)."""
    day = today()
    with transaction() as session:
        return actions.action_list(session, day, remind_days=remind_days())


def ensure_report(session: Session, meeting: Meeting) -> None:
    """Generate the meeting's follow-up report item if there is something to report (the hook
    run when a meeting is announced or opened, in that step's own transaction)."""
    follow.ensure_report(session, meeting, today(), now(), recent_days())


def report_of(meeting_id: int) -> tuple[int | None, list[ActionView]]:
    """A meeting's follow-up report item (its agenda item id, None without one) and the action
    items it lists (frozen at the opening, live before)."""
    day = today()
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        report = follow.follow_report(session, meeting_id)
        if report is None:
            return None, []
        ids = follow.report_action_ids(session, meeting, day, recent_days())
        views = actions.action_list(session, day, remind_days=remind_days(), ids=ids)
        return report.item_id, views


def escalation_steps() -> tuple[EscalationStep, ...]:
    """The escalation steps in their order."""
    return ESCALATION_ORDER


def to_rate(member_id: int) -> list[RatableView]:
    """The completed items a resident may rate, latest completed first, with their own stars."""
    day = today()
    with transaction() as session:
        return actions.ratable(session, member_id, day)


def create_survey(wanted: SurveyIn) -> SurveyView:
    """Draft a satisfaction survey."""
    with transaction() as session:
        survey = surveys.create(session, wanted, now())
        return surveys.survey_view(session, survey, now())


def open_survey(survey_id: int) -> SurveyView:
    """Open a drafted survey for its days; may refuse ``survey_not_found`` or
    ``survey_not_open`` (not a draft)."""
    moment = now()
    with transaction() as session:
        survey = surveys.open_survey(session, surveys.get_survey(session, survey_id), moment)
        view = surveys.survey_view(session, survey, moment)
    announce_change(0, "survey")
    return view


def close_survey(survey_id: int) -> SurveyView:
    """Close an open survey early; may refuse ``survey_not_found`` or ``survey_not_open``."""
    moment = now()
    with transaction() as session:
        survey = surveys.close_survey(session, surveys.get_survey(session, survey_id), moment)
        view = surveys.survey_view(session, survey, moment)
    announce_change(0, "survey")
    return view


def list_surveys() -> list[SurveyView]:
    """Every survey with its results, newest first (the quarter's made first if due)."""
    ensure_periodic_survey()
    with transaction() as session:
        return surveys.all_surveys(session, now())


def show_survey(survey_id: int) -> SurveyView:
    """One survey with its results; may refuse ``survey_not_found``."""
    with transaction() as session:
        return surveys.survey_view(session, surveys.get_survey(session, survey_id), now())


def open_survey_for(member_id: int | None) -> tuple[SurveyView, int | None] | None:
    """The survey open now, and the stars this member gave it (None: not yet); None when no
    survey is open (the quarter's made first if due)."""
    ensure_periodic_survey()
    moment = now()
    with transaction() as session:
        survey = surveys.open_now(session, moment)
        if survey is None:
            return None
        mine = surveys.answered(session, survey.id, member_id) if member_id is not None else None
        return surveys.survey_view(session, survey, moment), mine


def answer_survey(survey_id: int, wanted: SurveyAnswerIn) -> None:
    """A resident answers with their personal code, once; may refuse ``token_unknown``,
    ``survey_not_found``, ``survey_not_open`` or ``already_answered``."""
    with transaction() as session:
        member_id = attendance_by_token(session, wanted.token).member_id
    answer_as_member(survey_id, member_id, wanted.stars, wanted.comment, wanted.channel)


def answer_as_member(
    survey_id: int, member_id: int, stars: int, comment: str, channel: RatingChannel
) -> None:
    """A resident the caller recognised answers the survey, once; the staff screen follows."""
    with transaction() as session:
        survey = surveys.get_survey(session, survey_id)
        surveys.answer(session, survey, member_id, stars, comment, channel, now())
    announce_change(0, "survey")
