"""Decisions and the action list (责任清单): who does what by when, its progress, its ratings.

Each function is one unit of work on the caller's ``Session`` and takes the time it needs
(``now`` for records, ``today`` in the hall's time zone for deadlines); none reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import ActionStatus
from meeting_room.store.models.floor import AgendaItem
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.records import (
    ActionItem,
    ActionNote,
    ActionRating,
    Decision,
    MinutesCorrection,
)
from meeting_room.store.models.voting import Poll


def action_status(stored: ActionStatus, deadline: date, today: date) -> ActionStatus:
    """The status shown on ``today``: unfinished work is overdue from the day after its deadline."""
    if stored is not ActionStatus.DONE and today > deadline:
        return ActionStatus.OVERDUE
    return stored


# Overdue first, then work under way, then work not started, then what is done.
SHOWN_ORDER = {
    ActionStatus.OVERDUE: 0,
    ActionStatus.IN_PROGRESS: 1,
    ActionStatus.NOT_STARTED: 2,
    ActionStatus.DONE: 3,
}


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
    deadline: date
    criterion: str
    status: ActionStatus
    completed_on: date | None
    notes: list[NoteView]
    rating: RatingSummary


@dataclass(frozen=True)
class ActionDraft:
    """What the clerk fills in for an action item."""

    title: str
    responsible: str
    deadline: date
    criterion: str = ""


@dataclass(frozen=True)
class ActionChanges:
    """Changes to an action item; None leaves a term as it is."""

    title: str | None = None
    responsible: str | None = None
    deadline: date | None = None
    criterion: str | None = None
    status: ActionStatus | None = None


def get_decision(session: Session, decision_id: int) -> Decision:
    """The decision with this id, or a refusal."""
    decision = session.get(Decision, decision_id)
    if decision is None:
        raise Refusal(Problem.DECISION_NOT_FOUND, decision_id=decision_id)
    return decision


def get_action(session: Session, action_id: int) -> ActionItem:
    """The action item with this id, or a refusal."""
    action = session.get(ActionItem, action_id)
    if action is None:
        raise Refusal(Problem.ACTION_NOT_FOUND, action_id=action_id)
    return action


def create_decision(
    session: Session,
    meeting: Meeting,
    text: str,
    by: str,
    now: datetime,
    item_id: int | None = None,
    poll_id: int | None = None,
) -> Decision:
    """Record a decision on an item of this meeting (from a poll: on the poll's item)."""
    if poll_id is not None:
        poll = session.get(Poll, poll_id)
        if poll is None or poll.meeting_id != meeting.id:
            raise Refusal(Problem.POLL_NOT_FOUND, poll_id=poll_id)
        item_id = item_id if item_id is not None else poll.item_id
    if item_id is not None:
        item = session.get(AgendaItem, item_id)
        if item is None or item.meeting_id != meeting.id:
            raise Refusal(Problem.ITEM_NOT_FOUND, item_id=item_id)
    decision = Decision(
        meeting_id=meeting.id,
        item_id=item_id,
        poll_id=poll_id,
        text=text.strip(),
        created_by=by.strip(),
        created_at=now,
    )
    session.add(decision)
    session.flush()
    return decision


def reword_decision(
    session: Session, decision: Decision, text: str, by: str, now: datetime
) -> Decision:
    """Change a decision's wording; the change is kept as a correction of the minutes."""
    wanted = text.strip()
    if wanted == decision.text:
        raise Refusal(Problem.NOTHING_CHANGED)
    session.add(
        MinutesCorrection(
            meeting_id=decision.meeting_id,
            field=f"decision.{decision.id}.text",
            before=decision.text,
            after=wanted,
            by=by.strip(),
            at=now,
        )
    )
    decision.text = wanted
    return decision


def add_action(
    session: Session, decision: Decision, draft: ActionDraft, now: datetime
) -> ActionItem:
    """Add an item, not started, to a decision's action list."""
    action = ActionItem(
        decision_id=decision.id,
        title=draft.title.strip(),
        responsible=draft.responsible.strip(),
        deadline=draft.deadline,
        criterion=draft.criterion.strip(),
        status=ActionStatus.NOT_STARTED,
        created_at=now,
    )
    session.add(action)
    session.flush()
    return action


def update_action(
    session: Session,
    action: ActionItem,
    today: date,
    changes: ActionChanges,
) -> ActionItem:
    """Change an item's terms or its status (done: completed today; reopened: not completed)."""
    if changes.status is ActionStatus.OVERDUE:
        raise Refusal(Problem.INVALID_INPUT, detail="status")
    for name in ("title", "responsible", "criterion"):
        value = getattr(changes, name)
        if value is not None:
            setattr(action, name, value.strip())
    if changes.deadline is not None:
        action.deadline = changes.deadline
    if changes.status is not None and changes.status != action.status:
        action.status = changes.status
        action.completed_on = today if changes.status is ActionStatus.DONE else None
    session.flush()
    return action


def add_note(
    session: Session, action: ActionItem, text: str, by: str, day: date, now: datetime
) -> ActionNote:
    """Add a dated progress note."""
    note = ActionNote(action_id=action.id, day=day, text=text.strip(), by=by.strip(), at=now)
    session.add(note)
    session.flush()
    session.refresh(action, ["notes"])
    return note


def rate(
    session: Session, action: ActionItem, member_id: int, stars: int, comment: str, now: datetime
) -> bool:
    """A member rates a completed item 1–5; rating again replaces their earlier rating.

    Returns True when an earlier rating was replaced.
    """
    if action.status != ActionStatus.DONE:
        raise Refusal(Problem.ACTION_NOT_DONE, title=action.title)
    if not 1 <= stars <= 5:
        raise Refusal(Problem.INVALID_INPUT, detail="stars")
    earlier = session.scalars(
        select(ActionRating).where(
            ActionRating.action_id == action.id, ActionRating.member_id == member_id
        )
    ).first()
    if earlier is not None:
        earlier.stars, earlier.comment, earlier.at = stars, comment.strip(), now
        return True
    session.add(
        ActionRating(
            action_id=action.id, member_id=member_id, stars=stars, comment=comment.strip(), at=now
        )
    )
    session.flush()
    return False


def rating_summary(session: Session, action: ActionItem) -> RatingSummary:
    """How residents rated an item (comments without names, newest first)."""
    ratings = session.scalars(
        select(ActionRating)
        .where(ActionRating.action_id == action.id)
        .order_by(ActionRating.at.desc(), ActionRating.id.desc())
    ).all()
    if not ratings:
        return RatingSummary(count=0, average=None, comments=[])
    mean = Decimal(sum(r.stars for r in ratings)) / Decimal(len(ratings))
    return RatingSummary(
        count=len(ratings),
        average=str(mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)),
        comments=[r.comment for r in ratings if r.comment],
    )


def action_view(session: Session, action: ActionItem, today: date) -> ActionView:
    """An action item with its status on ``today``, its notes and its ratings."""
    return ActionView(
        id=action.id,
        decision_id=action.decision_id,
        meeting_id=action.decision.meeting_id,
        decision=action.decision.text,
        title=action.title,
        responsible=action.responsible,
        deadline=action.deadline,
        criterion=action.criterion,
        status=action_status(ActionStatus(action.status), action.deadline, today),
        completed_on=action.completed_on,
        notes=[NoteView(day=n.day, text=n.text, by=n.by) for n in action.notes],
        rating=rating_summary(session, action),
    )


def action_list(session: Session, today: date, meeting: Meeting | None = None) -> list[ActionView]:
    """Every action item (of one meeting, or of all), overdue first, then by deadline."""
    query = select(ActionItem).join(Decision)
    if meeting is not None:
        query = query.where(Decision.meeting_id == meeting.id)
    views = [action_view(session, a, today) for a in session.scalars(query)]
    return sorted(
        views,
        key=lambda v: (
            SHOWN_ORDER[v.status],
            # Done: the latest completed first; otherwise the nearest deadline first.
            -(v.completed_on or v.deadline).toordinal()
            if v.status is ActionStatus.DONE
            else v.deadline.toordinal(),
            v.id,
        ),
    )


def meeting_decisions(session: Session, meeting: Meeting) -> list[Decision]:
    """A meeting's decisions in the order they were taken."""
    return list(
        session.scalars(
            select(Decision).where(Decision.meeting_id == meeting.id).order_by(Decision.id)
        )
    )
