"""Records in the JSON API: minutes (names, summaries, corrections, publication), the notice
period, decisions and the action list with progress notes and residents' ratings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints
from spectree import Response as Responses
from sqlalchemy.orm import Session

from meeting_room.access.roles import Role, allow
from meeting_room.attendance.tokens import attendance_by_token
from meeting_room.clock import now
from meeting_room.domain.words import ActionStatus
from meeting_room.followup import decisions as acts
from meeting_room.followup.decisions import ActionView, RatingSummary
from meeting_room.meetings.meetings import get_meeting
from meeting_room.records import corrections as edits
from meeting_room.records.minutes import CorrectionRecord, Minutes
from meeting_room.screens.board import hall_today, meeting_minutes, notice_check, notice_days
from meeting_room.store.models.records import Decision
from meeting_room.store.storage import transaction
from meeting_room.web.api import ERRORS, bp, spec
from meeting_room.web.limits import Id

Who = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Body = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Words = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class SignatoriesIn(BaseModel):
    """Who chaired the meeting and who kept the minutes."""

    moderator: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]
    clerk: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]


class ByIn(BaseModel):
    """Who does it."""

    by: Who


class SummaryIn(BaseModel):
    """The clerk's summary of an item (rewriting one is recorded as a correction)."""

    text: Body
    by: Who


class CorrectionIn(BaseModel):
    """A text of the minutes to correct, e.g. ``item.12.title``, and its right wording."""

    field: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]
    text: Words
    by: Who


class NoticeOut(BaseModel):
    """Whether a meeting was announced on the board far enough ahead."""

    meeting_id: int
    published_at: datetime
    starts_at: datetime
    required_days: int
    days_of_notice: int
    short_notice: bool = Field(description="True: the clerk must be warned.")


class DecisionIn(BaseModel):
    """A decision, on an agenda item or from a poll (the poll's item is then taken)."""

    text: Words
    by: Who
    item_id: Id | None = None
    poll_id: Id | None = None


class DecisionPatch(BaseModel):
    """A decision's new wording (kept as a correction of the minutes)."""

    text: Words
    by: Who


class DecisionOut(BaseModel):
    """A decision with its action list."""

    id: int
    meeting_id: int
    item_id: int | None
    poll_id: int | None
    text: str
    created_by: str
    created_at: datetime
    actions: list[ActionView]


class DecisionList(BaseModel):
    """A meeting's decisions."""

    decisions: list[DecisionOut]


class ActionIn(BaseModel):
    """An item of the action list."""

    title: Line
    responsible: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)
    ]
    deadline: date
    criterion: Body = ""


class ActionPatch(BaseModel):
    """Changes to an action item (status: not_started, in_progress or done)."""

    title: Line | None = None
    responsible: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
        | None
    ) = None
    deadline: date | None = None
    criterion: Body | None = None
    status: ActionStatus | None = None


class NoteIn(BaseModel):
    """A progress note, dated today unless ``day`` is given."""

    text: Words
    by: Who
    day: date | None = None


class ActionQuery(BaseModel):
    """The whole action list, or one meeting's."""

    meeting_id: Id | None = None


class ActionList(BaseModel):
    """Action items, overdue first."""

    actions: list[ActionView]


class RatingIn(BaseModel):
    """A resident's rating of a completed item, with their personal code from signing in."""

    token: Annotated[str, StringConstraints(strip_whitespace=True, min_length=8, max_length=64)]
    stars: int = Field(ge=1, le=5)
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""


class RatingOut(BaseModel):
    """The rating was recorded; ``replaced``: it replaced this member's earlier one."""

    replaced: bool
    rating: RatingSummary


# --- minutes --------------------------------------------------------------------------------


@bp.get("/meetings/<int:meeting_id>/minutes")
@allow(Role.CLERK, Role.MODERATOR)
@spec.validate(resp=Responses(HTTP_200=Minutes, **ERRORS), tags=["records"])
def show_minutes(meeting_id: int) -> Minutes:
    """The minutes as data (shape ``yishi.minutes/1``); HTML and PDF are under /board."""
    return meeting_minutes(meeting_id)


@bp.put("/meetings/<int:meeting_id>/minutes/signatories")
@allow(Role.CLERK)
@spec.validate(json=SignatoriesIn, resp=Responses(HTTP_200=Minutes, **ERRORS), tags=["records"])
def name_signatories(meeting_id: int, json: SignatoriesIn) -> Minutes:
    """Name the moderator and the clerk who sign the minutes."""
    with transaction() as session:
        edits.name_signatories(
            session, get_meeting(session, meeting_id), json.moderator, json.clerk
        )
    return meeting_minutes(meeting_id)


@bp.post("/meetings/<int:meeting_id>/minutes/publish")
@allow(Role.CLERK)
@spec.validate(json=ByIn, resp=Responses(HTTP_200=Minutes, **ERRORS), tags=["records"])
def publish_minutes(meeting_id: int, json: ByIn) -> Minutes:
    """Put the minutes on the notice board."""
    with transaction() as session:
        edits.publish_minutes(session, get_meeting(session, meeting_id), json.by, now())
    return meeting_minutes(meeting_id)


@bp.put("/meetings/<int:meeting_id>/agenda/<int:item_id>/summary")
@allow(Role.CLERK)
@spec.validate(json=SummaryIn, resp=Responses(HTTP_200=Minutes, **ERRORS), tags=["records"])
def write_summary(meeting_id: int, item_id: int, json: SummaryIn) -> Minutes:
    """Write the summary of an item's discussion."""
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        edits.write_summary(session, meeting, item_id, json.text, json.by, now())
    return meeting_minutes(meeting_id)


@bp.post("/meetings/<int:meeting_id>/minutes/corrections")
@allow(Role.CLERK)
@spec.validate(
    json=CorrectionIn, resp=Responses(HTTP_201=CorrectionRecord, **ERRORS), tags=["records"]
)
def correct(meeting_id: int, json: CorrectionIn) -> tuple[CorrectionRecord, int]:
    """Correct a text of the minutes; the correction is listed in them."""
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        c = edits.correct(session, meeting, json.field, json.text, json.by, now())
        return CorrectionRecord(
            field=c.field, before=c.before, after=c.after, by=c.by, at=c.at
        ), 201


@bp.get("/meetings/<int:meeting_id>/notice")
@allow(Role.CLERK, Role.MODERATOR)
@spec.validate(resp=Responses(HTTP_200=NoticeOut, **ERRORS), tags=["records"])
def notice(meeting_id: int) -> NoticeOut:
    """Whether the meeting is announced at least NOTICE_DAYS ahead (else: warn the clerk)."""
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        check = notice_check(meeting.created_at, meeting.starts_at, notice_days())
        return NoticeOut(
            meeting_id=meeting.id,
            published_at=meeting.created_at,
            starts_at=meeting.starts_at,
            required_days=check.required_days,
            days_of_notice=check.days,
            short_notice=check.short,
        )


# --- decisions and the action list ----------------------------------------------------------


def _decision_out(session: Session, decision: Decision) -> DecisionOut:
    today = hall_today()
    return DecisionOut(
        id=decision.id,
        meeting_id=decision.meeting_id,
        item_id=decision.item_id,
        poll_id=decision.poll_id,
        text=decision.text,
        created_by=decision.created_by,
        created_at=decision.created_at,
        actions=[acts.action_view(session, a, today) for a in decision.actions],
    )


@bp.get("/meetings/<int:meeting_id>/decisions")
@allow(Role.CLERK, Role.MODERATOR)
@spec.validate(resp=Responses(HTTP_200=DecisionList, **ERRORS), tags=["records"])
def list_decisions(meeting_id: int) -> DecisionList:
    """The meeting's decisions with their action lists."""
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        return DecisionList(
            decisions=[_decision_out(session, d) for d in acts.meeting_decisions(session, meeting)]
        )


@bp.post("/meetings/<int:meeting_id>/decisions")
@allow(Role.CLERK)
@spec.validate(json=DecisionIn, resp=Responses(HTTP_201=DecisionOut, **ERRORS), tags=["records"])
def add_decision(meeting_id: int, json: DecisionIn) -> tuple[DecisionOut, int]:
    """Record a decision."""
    with transaction() as session:
        decision = acts.create_decision(
            session,
            get_meeting(session, meeting_id),
            json.text,
            json.by,
            now(),
            item_id=json.item_id,
            poll_id=json.poll_id,
        )
        return _decision_out(session, decision), 201


@bp.patch("/decisions/<int:decision_id>")
@allow(Role.CLERK)
@spec.validate(json=DecisionPatch, resp=Responses(HTTP_200=DecisionOut, **ERRORS), tags=["records"])
def reword_decision(decision_id: int, json: DecisionPatch) -> DecisionOut:
    """Change a decision's wording."""
    with transaction() as session:
        decision = acts.get_decision(session, decision_id)
        acts.reword_decision(session, decision, json.text, json.by, now())
        return _decision_out(session, decision)


@bp.post("/decisions/<int:decision_id>/actions")
@allow(Role.CLERK)
@spec.validate(json=ActionIn, resp=Responses(HTTP_201=ActionView, **ERRORS), tags=["records"])
def add_action(decision_id: int, json: ActionIn) -> tuple[ActionView, int]:
    """Add an item to a decision's action list."""
    with transaction() as session:
        draft = acts.ActionDraft(json.title, json.responsible, json.deadline, json.criterion)
        action = acts.add_action(session, acts.get_decision(session, decision_id), draft, now())
        return acts.action_view(session, action, hall_today()), 201


@bp.get("/actions")
@allow(Role.CLERK, Role.MODERATOR)
@spec.validate(query=ActionQuery, resp=Responses(HTTP_200=ActionList, **ERRORS), tags=["records"])
def list_actions(query: ActionQuery) -> ActionList:
    """The action list, overdue first."""
    with transaction() as session:
        meeting = get_meeting(session, query.meeting_id) if query.meeting_id else None
        return ActionList(actions=acts.action_list(session, hall_today(), meeting))


@bp.get("/actions/<int:action_id>")
@allow(Role.CLERK, Role.MODERATOR)
@spec.validate(resp=Responses(HTTP_200=ActionView, **ERRORS), tags=["records"])
def show_action(action_id: int) -> ActionView:
    """One action item with its notes and ratings."""
    with transaction() as session:
        return acts.action_view(session, acts.get_action(session, action_id), hall_today())


@bp.patch("/actions/<int:action_id>")
@allow(Role.CLERK)
@spec.validate(json=ActionPatch, resp=Responses(HTTP_200=ActionView, **ERRORS), tags=["records"])
def update_action(action_id: int, json: ActionPatch) -> ActionView:
    """Change an action item's terms or status."""
    today = hall_today()
    with transaction() as session:
        action = acts.get_action(session, action_id)
        acts.update_action(session, action, today, acts.ActionChanges(**json.model_dump()))
        return acts.action_view(session, action, today)


@bp.post("/actions/<int:action_id>/notes")
@allow(Role.CLERK)
@spec.validate(json=NoteIn, resp=Responses(HTTP_201=ActionView, **ERRORS), tags=["records"])
def add_note(action_id: int, json: NoteIn) -> tuple[ActionView, int]:
    """Add a dated progress note."""
    today = hall_today()
    with transaction() as session:
        action = acts.get_action(session, action_id)
        acts.add_note(session, action, json.text, json.by, json.day or today, now())
        return acts.action_view(session, action, today), 201


@bp.post("/actions/<int:action_id>/ratings")
@allow(Role.ATTENDEE)
@spec.validate(json=RatingIn, resp=Responses(HTTP_200=RatingOut, **ERRORS), tags=["records"])
def rate_action(action_id: int, json: RatingIn) -> RatingOut:
    """A resident rates a completed item with their personal code; a second rating replaces."""
    with transaction() as session:
        member_id = attendance_by_token(session, json.token).member_id
        action = acts.get_action(session, action_id)
        replaced = acts.rate(session, action, member_id, json.stars, json.comment, now())
        return RatingOut(replaced=replaced, rating=acts.rating_summary(session, action))
