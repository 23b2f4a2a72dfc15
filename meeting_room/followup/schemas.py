"""Follow-up's typed payloads: what the clerk's and residents' HTTP calls take, and the action
items as the board, the minutes and the API show them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, model_validator

from meeting_room.domain.follow_up import MAX_WORKING_DAYS
from meeting_room.domain.words import ActionStatus, EscalationStep, RatingChannel
from meeting_room.web.limits import Id

Who = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Body = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Words = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Party = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Parties = Annotated[list[Party], Field(max_length=10)]


class NoteView(BaseModel):
    """A dated progress note."""

    day: date
    text: str
    by: str


class RatingSummary(BaseModel):
    """Residents' satisfaction with a completed item: how many rated, the mean, the comments."""

    count: int
    average: str | None
    comments: list[str]


class BasisView(BaseModel):
    """How a deadline was computed: ``working_days`` working days after ``counted_from``."""

    working_days: int
    counted_from: date
    guessed_years: list[int] = Field(
        default_factory=list, description="Years the calendar did not know (Monday–Friday)."
    )


class EscalationView(BaseModel):
    """An escalation step taken on an overdue item: 提醒, 约谈 or 上报街道, who and when."""

    step: EscalationStep
    note: str
    by: str
    at: datetime


class ActionView(BaseModel):
    """An action item as the board, the minutes and the API show it."""

    id: int
    decision_id: int
    meeting_id: int
    decision: str
    title: str
    responsible: str
    co_responsible: list[str] = Field(
        default_factory=list, description="配合单位: the parties that help the responsible one."
    )
    deadline: date
    criterion: str
    status: ActionStatus
    completed_on: date | None
    notes: list[NoteView]
    rating: RatingSummary
    basis: BasisView | None = Field(
        default=None, description="Set when the deadline was counted in working days."
    )
    escalations: list[EscalationView] = Field(default_factory=list)
    step: EscalationStep | None = Field(default=None, description="The furthest step taken.")
    next_step: EscalationStep | None = Field(
        default=None, description="The step that may be taken next (overdue items only)."
    )
    reminder: bool = Field(default=False, description="Unfinished, its deadline near.")
    days_left: int = Field(default=0, description="Calendar days to the deadline.")


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
    """An item of the action list; its deadline a date, or ``working_days`` working days from
    today by the hall's calendar (one of the two)."""

    title: Line
    responsible: Party
    co_responsible: Parties = []
    deadline: date | None = None
    working_days: int | None = Field(default=None, ge=1, le=MAX_WORKING_DAYS)
    criterion: Body = ""

    @model_validator(mode="after")
    def _one_deadline(self) -> ActionIn:
        if (self.deadline is None) == (self.working_days is None):
            raise ValueError("give a deadline date or a number of working days")
        return self


class ActionPatch(BaseModel):
    """Changes to an action item (status: not_started, in_progress or done); None leaves a
    term as it is."""

    title: Line | None = None
    responsible: Party | None = None
    co_responsible: Parties | None = None
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


Token = Annotated[str, StringConstraints(strip_whitespace=True, min_length=8, max_length=64)]
Comment = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


class RatingIn(BaseModel):
    """A resident's rating of a completed item, with their personal code from signing in."""

    token: Token
    stars: int = Field(ge=1, le=5)
    comment: Comment = ""
    channel: RatingChannel = RatingChannel.API


class EscalationIn(BaseModel):
    """The next escalation step on an overdue item, with a note."""

    step: EscalationStep
    note: Body = ""
    by: Who


class SurveyIn(BaseModel):
    """A satisfaction survey to draft: the period it covers (a quarter by default) and how many
    days it stays open once opened."""

    title: Line
    question: Words
    period_start: date
    period_end: date
    open_days: int = Field(default=14, ge=1, le=92)
    by: Who

    @model_validator(mode="after")
    def _period(self) -> SurveyIn:
        if self.period_end < self.period_start:
            raise ValueError("the period ends before it starts")
        return self


class SurveyAnswerIn(BaseModel):
    """A resident's answer to a survey, with their personal code."""

    token: Token
    stars: int = Field(ge=1, le=5)
    comment: Comment = ""
    channel: RatingChannel = RatingChannel.API


class SurveyView(BaseModel):
    """A survey with its state and its results (figures: each also shown as a table)."""

    id: int
    title: str
    question: str
    period_start: date
    period_end: date
    open_days: int
    state: str
    opens_at: datetime | None
    closes_at: datetime | None
    closed_at: datetime | None
    count: int
    by_stars: list[int]
    average: str | None
    satisfied: int
    share_percent: str | None
    meets_target: bool
    comments: list[str]
    by_channel: dict[str, int]


class RatingOut(BaseModel):
    """The rating was recorded; ``replaced``: it replaced this member's earlier one."""

    replaced: bool
    rating: RatingSummary


class RatableView(BaseModel):
    """A completed item a resident may rate, and their own stars so far (None: not yet)."""

    action: ActionView
    stars: int | None


class SurveyList(BaseModel):
    """Satisfaction surveys, newest first."""

    surveys: list[SurveyView]


class SurveyAnswerOut(BaseModel):
    """The answer was recorded (a resident sees no one else's answers)."""

    recorded: bool
