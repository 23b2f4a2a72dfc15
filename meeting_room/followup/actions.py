"""The action list (责任清单): who does what by when, and its progress notes.

Functions of the caller's ``Session``; the time comes in as ``now`` (for records) and ``today``
in the hall's calendar (for deadlines); none reads the clock.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.domain import follow_up as rules
from meeting_room.domain.action_items import action_status, shown_order
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import ActionStatus
from meeting_room.followup.follow import basis_view, escalation_views
from meeting_room.followup.ratings import rating_summary, ratings_of
from meeting_room.followup.schemas import (
    ActionIn,
    ActionPatch,
    ActionView,
    NoteView,
    RatableView,
)
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.records import ActionItem, ActionNote, Decision


def unique_parties(parties: list[str]) -> list[str]:
    """The co-responsible parties as given, each once, blanks left out."""
    return list(dict.fromkeys(p.strip() for p in parties if p.strip()))


def get_action(session: Session, action_id: int) -> ActionItem:
    """The action item with this id, or a refusal."""
    action = session.get(ActionItem, action_id)
    if action is None:
        raise Refusal(Problem.ACTION_NOT_FOUND, action_id=action_id)
    return action


REMIND_DAYS = 3  # default of ACTION_REMIND_DAYS: reminders from this many days before a deadline


def add_action(
    session: Session, decision: Decision, draft: ActionIn, deadline: date, now: datetime
) -> ActionItem:
    """Add an item, not started, to a decision's action list, due on ``deadline`` (the date the
    clerk gave, or the one counted in working days: ``follow.record_basis`` says which)."""
    action = ActionItem(
        decision_id=decision.id,
        title=draft.title.strip(),
        responsible=draft.responsible.strip(),
        co_responsible=unique_parties(draft.co_responsible),
        deadline=deadline,
        criterion=draft.criterion.strip(),
        status=ActionStatus.NOT_STARTED,
        created_at=now,
    )
    session.add(action)
    session.flush()
    return action


def update_action(
    session: Session, action: ActionItem, today: date, changes: ActionPatch
) -> ActionItem:
    """Change an item's terms or its status (done: completed today; reopened: not completed).

    Refuses ``invalid_input`` for ``overdue``, which follows from the date and is never set.
    """
    if changes.status is ActionStatus.OVERDUE:
        raise Refusal(Problem.INVALID_INPUT, detail="status")
    for name in ("title", "responsible", "criterion"):
        value = getattr(changes, name)
        if value is not None:
            setattr(action, name, value.strip())
    if changes.co_responsible is not None:
        action.co_responsible = unique_parties(changes.co_responsible)
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


def action_view(
    session: Session, action: ActionItem, today: date, remind_days: int = REMIND_DAYS
) -> ActionView:
    """An action item with its status on ``today``, its notes and its ratings, how its deadline
    was counted, the escalation steps taken and whether a reminder is due."""
    status = action_status(action.status, action.deadline, today)
    escalations = escalation_views(session, action.id)
    taken = [e.step for e in escalations]
    return ActionView(
        id=action.id,
        decision_id=action.decision_id,
        meeting_id=action.decision.meeting_id,
        decision=action.decision.text,
        title=action.title,
        responsible=action.responsible,
        co_responsible=list(action.co_responsible or []),
        deadline=action.deadline,
        criterion=action.criterion,
        status=status,
        completed_on=action.completed_on,
        notes=[NoteView(day=n.day, text=n.text, by=n.by) for n in action.notes],
        rating=rating_summary(session, action),
        basis=basis_view(session, action),
        escalations=escalations,
        step=rules.current_step(taken),
        next_step=rules.next_step(taken) if status is ActionStatus.OVERDUE else None,
        reminder=rules.reminder_due(status, action.deadline, today, remind_days),
        days_left=rules.days_left(action.deadline, today),
    )


def action_list(
    session: Session,
    today: date,
    meeting: Meeting | None = None,
    remind_days: int = REMIND_DAYS,
    ids: list[int] | None = None,
) -> list[ActionView]:
    """Every action item (of one meeting, of the given ids, or all), overdue first, then by
    deadline."""
    query = select(ActionItem).join(Decision)
    if meeting is not None:
        query = query.where(Decision.meeting_id == meeting.id)
    if ids is not None:
        query = query.where(ActionItem.id.in_(ids))
    views = [action_view(session, a, today, remind_days) for a in session.scalars(query)]
    return sorted(views, key=lambda v: shown_order(v.status, v.deadline, v.completed_on, v.id))


def ratable(session: Session, member_id: int, today: date) -> list[RatableView]:
    """The completed items a resident may rate, latest completed first, with their own stars."""
    mine = ratings_of(session, member_id)
    return [
        RatableView(action=view, stars=mine.get(view.id))
        for view in action_list(session, today)
        if view.status is ActionStatus.DONE
    ]
