"""The agenda of a meeting on the database: its items in order, adding, correcting and
reordering them, the item under discussion, and the meeting's rules of order.

Each function is one unit of work on the caller's ``Session``; ``floor.service`` owns the
transaction and the broadcast.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from meeting_room.domain import speakers as rules
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import ItemKind, ItemStatus, PollStatus
from meeting_room.meetings.meetings import bump_version
from meeting_room.store.models.floor import AgendaItem, RuleOverride, Speech, SpeechRequest
from meeting_room.store.models.follow import FollowReport
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.records import Decision, ItemSummary
from meeting_room.store.models.voting import Poll


def rules_of(meeting: Meeting) -> rules.RulesOfOrder:
    """The meeting's rules of order."""
    return rules.RulesOfOrder(
        speech_limit=timedelta(seconds=meeting.speech_limit_s),
        max_speeches=meeting.max_speeches,
        first_timers_first=meeting.first_timers_first,
        alternate=meeting.alternate,
    )


def items_in_order(session: Session, meeting: Meeting) -> list[AgendaItem]:
    """The meeting's items in order."""
    return list(
        session.scalars(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting.id)
            .order_by(AgendaItem.position, AgendaItem.id)
        )
    )


def add_item(
    session: Session,
    meeting: Meeting,
    title: str,
    kind: ItemKind,
    planned_minutes: int,
    description: str = "",
) -> AgendaItem:
    """Append an item to the agenda."""
    last = session.scalar(
        select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)
    )
    item = AgendaItem(
        meeting_id=meeting.id,
        position=(last or 0) + 1,
        title=title.strip(),
        description=description.strip(),
        kind=kind,
        planned_minutes=planned_minutes,
        status=ItemStatus.PENDING,
    )
    session.add(item)
    bump_version(meeting)
    session.flush()
    return item


def item_of(session: Session, meeting: Meeting, item_id: int) -> AgendaItem:
    item = session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        raise Refusal(Problem.ITEM_NOT_FOUND, item_id=item_id)
    return item


def reorder(session: Session, meeting: Meeting, item_ids: list[int]) -> None:
    """Put the items in the given order (every item of the meeting, once)."""
    items = {item.id: item for item in items_in_order(session, meeting)}
    if sorted(item_ids) != sorted(items):
        raise Refusal(Problem.INVALID_INPUT, detail="item_ids")
    for position, item_id in enumerate(item_ids, start=1):
        items[item_id].position = position
    bump_version(meeting)


# What the record holds of an item once it has been on the floor: it can no longer be removed.
_RECORDS_OF_AN_ITEM = (
    SpeechRequest.item_id,
    Speech.item_id,
    RuleOverride.item_id,
    ItemSummary.item_id,
    Decision.item_id,
)


def remove_item(session: Session, meeting: Meeting, item_id: int) -> None:
    """Take an item off the agenda before it is discussed, with its draft polls; the items
    after it move up (``ITEM_STARTED`` once it has been under discussion, ``POLL_NOT_DRAFT``
    when one of its polls has opened: both are part of the record)."""
    item = item_of(session, meeting, item_id)
    if session.scalar(select(FollowReport.meeting_id).where(FollowReport.item_id == item.id)):
        # Overdue and lately completed work is reported at the next meeting by rule (督办).
        raise Refusal(Problem.REPORT_ITEM_STAYS, title=item.title)
    recorded = any(
        session.scalar(select(column).where(column == item.id).limit(1)) is not None
        for column in _RECORDS_OF_AN_ITEM
    )
    if item.status != ItemStatus.PENDING or recorded:
        raise Refusal(Problem.ITEM_STARTED, title=item.title)
    polls = list(session.scalars(select(Poll).where(Poll.item_id == item.id)))
    if any(poll.status != PollStatus.DRAFT for poll in polls):
        raise Refusal(Problem.POLL_NOT_DRAFT)
    for poll in polls:
        session.delete(poll)
    session.delete(item)
    session.flush()
    for position, left in enumerate(items_in_order(session, meeting), start=1):
        left.position = position
    bump_version(meeting)


def active_item(session: Session, meeting: Meeting) -> AgendaItem | None:
    """The item under discussion, if any."""
    return session.scalars(
        select(AgendaItem).where(
            AgendaItem.meeting_id == meeting.id, AgendaItem.status == ItemStatus.ACTIVE
        )
    ).first()


def active_or_refuse(session: Session, meeting: Meeting) -> AgendaItem:
    item = active_item(session, meeting)
    if item is None:
        raise Refusal(Problem.NO_ACTIVE_ITEM)
    return item


def edit_item(
    session: Session,
    meeting: Meeting,
    item_id: int,
    title: str | None = None,
    description: str | None = None,
    kind: ItemKind | None = None,
    planned_minutes: int | None = None,
) -> AgendaItem:
    """The clerk corrects an item's title, description, kind or planned time."""
    item = item_of(session, meeting, item_id)
    if title is not None:
        item.title = title.strip()
    if description is not None:
        item.description = description.strip()
    if kind is not None:
        item.kind = kind
    if planned_minutes is not None:
        item.planned_minutes = planned_minutes
    bump_version(meeting)
    return item


def set_rules(
    session: Session,
    meeting: Meeting,
    chosen: rules.RulesOfOrder,
    warning_s: int,
    auto_stop: bool,
) -> Meeting:
    """Give the meeting its rules of order (a preset or its own), its warning and auto-stop."""
    meeting.speech_limit_s = int(chosen.speech_limit.total_seconds())
    meeting.max_speeches = chosen.max_speeches
    meeting.first_timers_first = chosen.first_timers_first
    meeting.alternate = chosen.alternate
    meeting.warning_s = warning_s
    meeting.auto_stop = auto_stop
    bump_version(meeting)
    return meeting
