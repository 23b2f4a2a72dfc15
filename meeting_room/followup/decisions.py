"""Decisions (决议) of a meeting, on an agenda item and usually from a poll.

Functions of the caller's ``Session``; none reads the clock. Rewording a decision is kept as a
correction of the minutes (the ``minutes_corrections`` row records wrote, read back by them).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.domain.problems import Problem, Refusal
from meeting_room.followup.actions import action_view
from meeting_room.followup.schemas import DecisionOut
from meeting_room.store.models.floor import AgendaItem
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.records import Decision, MinutesCorrection
from meeting_room.store.models.voting import Poll


def get_decision(session: Session, decision_id: int) -> Decision:
    """The decision with this id, or a refusal."""
    decision = session.get(Decision, decision_id)
    if decision is None:
        raise Refusal(Problem.DECISION_NOT_FOUND, decision_id=decision_id)
    return decision


def meeting_decisions(session: Session, meeting: Meeting) -> list[Decision]:
    """A meeting's decisions in the order they were taken."""
    return list(
        session.scalars(
            select(Decision).where(Decision.meeting_id == meeting.id).order_by(Decision.id)
        )
    )


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


def decision_view(session: Session, decision: Decision, today: date) -> DecisionOut:
    """A decision with its action list as of ``today``."""
    return DecisionOut(
        id=decision.id,
        meeting_id=decision.meeting_id,
        item_id=decision.item_id,
        poll_id=decision.poll_id,
        text=decision.text,
        created_by=decision.created_by,
        created_at=decision.created_at,
        actions=[action_view(session, a, today) for a in decision.actions],
    )
