"""Follow-up's one writer: decisions, the action list, its progress notes and residents' ratings.

Each function is one committed transaction and answers the decision or the action item as
committed. Nothing is broadcast: no screen holds the action list live (the notice board reads
it when it loads, and its lobby slideshow reloads itself). The clerk's and the residents' HTTP
routes call these functions.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from meeting_room.attendance.tokens import attendance_by_token
from meeting_room.clock import now, today
from meeting_room.followup import actions, decisions, ratings
from meeting_room.followup.schemas import (
    ActionIn,
    ActionPatch,
    ActionView,
    DecisionIn,
    DecisionOut,
    DecisionPatch,
    NoteIn,
    RatableView,
    RatingIn,
    RatingOut,
)
from meeting_room.meetings.meetings import get_meeting
from meeting_room.store.storage import transaction


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


def add_action(decision_id: int, wanted: ActionIn) -> ActionView:
    """Add an item, not started, to a decision's action list; may refuse
    ``decision_not_found``."""
    with transaction() as session:
        decision = decisions.get_decision(session, decision_id)
        action = actions.add_action(session, decision, wanted, now())
        return actions.action_view(session, action, today())


def update_action(action_id: int, patch: ActionPatch) -> ActionView:
    """Change an action item's terms or status (done today, by the hall's calendar); may refuse
    ``action_not_found`` or ``invalid_input`` (overdue is never set)."""
    day = today()
    with transaction() as session:
        action = actions.get_action(session, action_id)
        actions.update_action(session, action, day, patch)
        return actions.action_view(session, action, day)


def add_note(action_id: int, wanted: NoteIn) -> ActionView:
    """Add a progress note, dated today unless the clerk gives a day; may refuse
    ``action_not_found``."""
    day = today()
    with transaction() as session:
        action = actions.get_action(session, action_id)
        actions.add_note(session, action, wanted.text, wanted.by, wanted.day or day, now())
        return actions.action_view(session, action, day)


def rate(action_id: int, wanted: RatingIn) -> RatingOut:
    """A resident rates a completed item with their personal code (a second rating replaces
    the first); may refuse ``token_unknown``, ``action_not_found`` or ``action_not_done``."""
    with transaction() as session:
        member_id = attendance_by_token(session, wanted.token).member_id
        return _rate(session, action_id, member_id, wanted.stars, wanted.comment)


def rate_as_member(action_id: int, member_id: int, stars: int, comment: str = "") -> RatingOut:
    """A resident the caller has recognised (a card confirmed with the phone's digits at the
    kiosk, a slip scanned) rates a completed item; may refuse ``action_not_found`` or
    ``action_not_done``."""
    with transaction() as session:
        return _rate(session, action_id, member_id, stars, comment)


def _rate(session: Session, action_id: int, member_id: int, stars: int, comment: str) -> RatingOut:
    action = actions.get_action(session, action_id)
    replaced = ratings.rate(session, action, member_id, stars, comment, now())
    return RatingOut(replaced=replaced, rating=ratings.rating_summary(session, action))


def to_rate(member_id: int) -> list[RatableView]:
    """The completed items a resident may rate, latest completed first, with their own stars."""
    day = today()
    with transaction() as session:
        return actions.ratable(session, member_id, day)
