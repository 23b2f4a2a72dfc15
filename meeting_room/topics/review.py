"""Review (审核) of residents' topics: accept onto a meeting's agenda, merge into another
topic, or decline; each with a reason that the board publishes and the proposer is shown
at their next kiosk sign-in.

Merging keeps every signature once: each signer of the duplicate not yet on the target is
copied onto it (``merged_from_id`` says from where); the duplicate's own rows stay. Accepting
appends an agenda item (``floor.agenda.add_item``) in the same transaction, so a topic is
never accepted without its item, nor an item made for a topic left undecided.
Functions of the caller's ``Session``; none reads the clock.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.topics import OPEN_STATUSES, TopicStatus, merged_signers
from meeting_room.domain.words import MeetingStatus
from meeting_room.floor import agenda
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.topics import Topic, TopicSignature
from meeting_room.topics.proposals import topic_progress, update_status
from meeting_room.topics.schemas import AcceptIn

# Meetings whose agenda can still take an item.
AGENDA_OPEN = frozenset({MeetingStatus.DRAFT, MeetingStatus.ANNOUNCED, MeetingStatus.OPEN})


def _undecided(topic: Topic) -> None:
    if topic.status not in OPEN_STATUSES:
        raise Refusal(Problem.TOPIC_DECIDED, title=topic.title)


def _reason(reason: str) -> str:
    if not reason.strip():
        raise Refusal(Problem.TOPIC_REASON_REQUIRED)
    return reason.strip()


def _decide(topic: Topic, status: TopicStatus, reason: str, by: str, now: datetime) -> None:
    topic.status = status
    topic.decision_reason = reason
    topic.decided_by = by
    topic.decided_at = now
    topic.proposer_notified_at = None


def decline(session: Session, topic: Topic, reason: str, by: str, now: datetime) -> None:
    """Decline an undecided topic with a published reason."""
    _undecided(topic)
    _decide(topic, TopicStatus.DECLINED, _reason(reason), by, now)
    session.flush()


def merge(
    session: Session, duplicate: Topic, target: Topic, reason: str, by: str, now: datetime
) -> int:
    """Merge an undecided duplicate into an undecided topic; how many signatures were copied.

    Refuses ``topic_merge_itself`` for the same topic, ``topic_decided`` for a decided one.
    Signers outside the target's scope are copied too (they supported the matter), but only
    households concerned count toward its threshold.
    """
    if duplicate.id == target.id:
        raise Refusal(Problem.TOPIC_MERGE_ITSELF)
    _undecided(duplicate)
    _undecided(target)
    rows = {
        s.member_id: s
        for s in session.scalars(
            select(TopicSignature)
            .where(TopicSignature.topic_id == duplicate.id)
            .order_by(TopicSignature.signed_at, TopicSignature.id)
        )
    }
    on_target = session.scalars(
        select(TopicSignature.member_id).where(TopicSignature.topic_id == target.id)
    )
    copied = merged_signers(on_target, rows)
    for member_id in copied:
        row = rows[member_id]
        session.add(
            TopicSignature(
                topic_id=target.id,
                member_id=member_id,
                signed_at=row.signed_at,
                channel=row.channel,
                scribe=row.scribe,
                merged_from_id=duplicate.id,
            )
        )
    _decide(duplicate, TopicStatus.MERGED, reason.strip(), by, now)
    duplicate.merged_into_id = target.id
    session.flush()
    update_status(session, target, now)
    return len(copied)


def accept(
    session: Session, topic: Topic, meeting: Meeting, wanted: AcceptIn, now: datetime
) -> None:
    """Accept an undecided topic onto a meeting's agenda (an item with its title and text).

    Refuses ``meeting_closed`` for a meeting whose agenda is over, and ``topic_below_threshold``
    for a topic short of its threshold unless staff ``confirmed`` (a must-consult matter, the
    office's own): the reason then says why.
    """
    _undecided(topic)
    if meeting.status not in AGENDA_OPEN:
        raise Refusal(Problem.MEETING_CLOSED, title=meeting.title)
    if not topic_progress(session, topic).met and not wanted.confirmed:
        raise Refusal(Problem.TOPIC_BELOW_THRESHOLD, title=topic.title)
    item = agenda.add_item(
        session, meeting, topic.title, wanted.kind, wanted.planned_minutes, topic.body
    )
    _decide(topic, TopicStatus.ACCEPTED, wanted.reason.strip(), wanted.by, now)
    topic.meeting_id = meeting.id
    topic.agenda_item_id = item.id
    session.flush()


def notices(session: Session, member_id: int) -> list[Topic]:
    """The member's own topics decided since they were last shown (oldest first)."""
    return list(
        session.scalars(
            select(Topic)
            .where(
                Topic.proposer_member_id == member_id,
                Topic.decided_at.is_not(None),
                Topic.proposer_notified_at.is_(None),
            )
            .order_by(Topic.decided_at, Topic.id)
        )
    )
