"""Follow-up in the JSON API: decisions, the action list with progress notes (clerk), and
residents' ratings of completed work (with their personal code). Writes go through
``followup.service``."""

from __future__ import annotations

from spectree import Response as Responses

from meeting_room.access.roles import Role, allow
from meeting_room.clock import today
from meeting_room.followup import service
from meeting_room.followup.actions import action_list, action_view, get_action
from meeting_room.followup.decisions import decision_view, meeting_decisions
from meeting_room.followup.schemas import (
    ActionIn,
    ActionList,
    ActionPatch,
    ActionQuery,
    ActionView,
    DecisionIn,
    DecisionList,
    DecisionOut,
    DecisionPatch,
    EscalationIn,
    NoteIn,
    RatingIn,
    RatingOut,
    SurveyAnswerIn,
    SurveyAnswerOut,
    SurveyIn,
    SurveyList,
    SurveyView,
)
from meeting_room.meetings.meetings import get_meeting
from meeting_room.store.storage import transaction
from meeting_room.web.api import ERRORS, bp, spec


@bp.get("/meetings/<int:meeting_id>/decisions")
@allow(Role.CLERK, Role.MODERATOR)
@spec.validate(resp=Responses(HTTP_200=DecisionList, **ERRORS), tags=["records"])
def list_decisions(meeting_id: int) -> DecisionList:
    """The meeting's decisions with their action lists."""
    day = today()
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        return DecisionList(
            decisions=[decision_view(session, d, day) for d in meeting_decisions(session, meeting)]
        )


@bp.post("/meetings/<int:meeting_id>/decisions")
@allow(Role.CLERK)
@spec.validate(json=DecisionIn, resp=Responses(HTTP_201=DecisionOut, **ERRORS), tags=["records"])
def add_decision(meeting_id: int, json: DecisionIn) -> tuple[DecisionOut, int]:
    """Record a decision."""
    return service.add_decision(meeting_id, json), 201


@bp.patch("/decisions/<int:decision_id>")
@allow(Role.CLERK)
@spec.validate(json=DecisionPatch, resp=Responses(HTTP_200=DecisionOut, **ERRORS), tags=["records"])
def reword_decision(decision_id: int, json: DecisionPatch) -> DecisionOut:
    """Change a decision's wording."""
    return service.reword_decision(decision_id, json)


@bp.post("/decisions/<int:decision_id>/actions")
@allow(Role.CLERK)
@spec.validate(json=ActionIn, resp=Responses(HTTP_201=ActionView, **ERRORS), tags=["records"])
def add_action(decision_id: int, json: ActionIn) -> tuple[ActionView, int]:
    """Add an item to a decision's action list."""
    return service.add_action(decision_id, json), 201


@bp.get("/actions")
@allow(Role.CLERK, Role.MODERATOR)
@spec.validate(query=ActionQuery, resp=Responses(HTTP_200=ActionList, **ERRORS), tags=["records"])
def list_actions(query: ActionQuery) -> ActionList:
    """The action list, overdue first."""
    day = today()
    with transaction() as session:
        meeting = get_meeting(session, query.meeting_id) if query.meeting_id else None
        return ActionList(actions=action_list(session, day, meeting))


@bp.get("/actions/<int:action_id>")
@allow(Role.CLERK, Role.MODERATOR)
@spec.validate(resp=Responses(HTTP_200=ActionView, **ERRORS), tags=["records"])
def show_action(action_id: int) -> ActionView:
    """One action item with its notes and ratings."""
    day = today()
    with transaction() as session:
        return action_view(session, get_action(session, action_id), day)


@bp.patch("/actions/<int:action_id>")
@allow(Role.CLERK)
@spec.validate(json=ActionPatch, resp=Responses(HTTP_200=ActionView, **ERRORS), tags=["records"])
def update_action(action_id: int, json: ActionPatch) -> ActionView:
    """Change an action item's terms or status."""
    return service.update_action(action_id, json)


@bp.post("/actions/<int:action_id>/notes")
@allow(Role.CLERK)
@spec.validate(json=NoteIn, resp=Responses(HTTP_201=ActionView, **ERRORS), tags=["records"])
def add_note(action_id: int, json: NoteIn) -> tuple[ActionView, int]:
    """Add a dated progress note."""
    return service.add_note(action_id, json), 201


@bp.post("/actions/<int:action_id>/ratings")
@allow(Role.ATTENDEE)
@spec.validate(json=RatingIn, resp=Responses(HTTP_200=RatingOut, **ERRORS), tags=["records"])
def rate_action(action_id: int, json: RatingIn) -> RatingOut:
    """A resident rates a completed item with their personal code, once."""
    return service.rate(action_id, json)


@bp.post("/actions/<int:action_id>/escalations")
@allow(Role.CLERK)
@spec.validate(json=EscalationIn, resp=Responses(HTTP_201=ActionView, **ERRORS), tags=["records"])
def escalate(action_id: int, json: EscalationIn) -> tuple[ActionView, int]:
    """Record the next escalation step on an overdue item (remind, interview, report_street)."""
    return service.escalate(action_id, json), 201


@bp.get("/surveys")
@allow(Role.CLERK)
@spec.validate(resp=Responses(HTTP_200=SurveyList, **ERRORS), tags=["records"])
def list_surveys() -> SurveyList:
    """Every satisfaction survey with its results, newest first."""
    return SurveyList(surveys=service.list_surveys())


@bp.post("/surveys")
@allow(Role.CLERK)
@spec.validate(json=SurveyIn, resp=Responses(HTTP_201=SurveyView, **ERRORS), tags=["records"])
def create_survey(json: SurveyIn) -> tuple[SurveyView, int]:
    """Draft a satisfaction survey."""
    return service.create_survey(json), 201


@bp.post("/surveys/<int:survey_id>/open")
@allow(Role.CLERK)
@spec.validate(resp=Responses(HTTP_200=SurveyView, **ERRORS), tags=["records"])
def open_survey(survey_id: int) -> SurveyView:
    """Open a drafted survey for its days."""
    return service.open_survey(survey_id)


@bp.post("/surveys/<int:survey_id>/close")
@allow(Role.CLERK)
@spec.validate(resp=Responses(HTTP_200=SurveyView, **ERRORS), tags=["records"])
def close_survey(survey_id: int) -> SurveyView:
    """Close an open survey now."""
    return service.close_survey(survey_id)


@bp.post("/surveys/<int:survey_id>/answers")
@allow(Role.ATTENDEE)
@spec.validate(
    json=SurveyAnswerIn, resp=Responses(HTTP_201=SurveyAnswerOut, **ERRORS), tags=["records"]
)
def answer_survey(survey_id: int, json: SurveyAnswerIn) -> tuple[SurveyAnswerOut, int]:
    """A resident answers a survey with their personal code, once."""
    service.answer_survey(survey_id, json)
    return SurveyAnswerOut(recorded=True), 201
