"""Follow-up's typed payloads: what the clerk's and residents' HTTP calls take, and the action
items as the board, the minutes and the API show them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from meeting_room.domain.words import ActionStatus
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
    responsible: Party
    co_responsible: Parties = []
    deadline: date
    criterion: Body = ""


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


class RatingIn(BaseModel):
    """A resident's rating of a completed item, with their personal code from signing in."""

    token: Annotated[str, StringConstraints(strip_whitespace=True, min_length=8, max_length=64)]
    stars: int = Field(ge=1, le=5)
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""


class RatingOut(BaseModel):
    """The rating was recorded; ``replaced``: it replaced this member's earlier one."""

    replaced: bool
    rating: RatingSummary


class RatableView(BaseModel):
    """A completed item a resident may rate, and their own stars so far (None: not yet)."""

    action: ActionView
    stars: int | None
