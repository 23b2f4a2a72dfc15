"""Topics as screens show them: the staff list with names, the board's without them.

The board and the phone page never show a proposer's name (personal data): only their
building and unit. Read-only: functions of the caller's ``Session``.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from meeting_room.domain.topics import TopicSource, TopicStatus
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.models.topics import Topic, TopicCategory, TopicSignature
from meeting_room.topics.proposals import topic_progress
from meeting_room.topics.schemas import TopicProgress, TopicView


def progress_view(session: Session, topic: Topic) -> TopicProgress:
    """What the board's bar shows, sent live as ``topic.progress``."""
    reached = topic_progress(session, topic)
    return TopicProgress(
        id=topic.id,
        status=topic.status,
        signed=reached.signed,
        households=reached.households,
        needed=reached.needed,
        percent=reached.percent,
        met=reached.met,
    )


def topic_view(session: Session, topic: Topic, named: bool = False) -> TopicView:
    """A topic with its progress; ``named`` (staff screens) adds the proposer's name."""
    category = session.get(TopicCategory, topic.category_id)
    proposer = session.get(Member, topic.proposer_member_id) if topic.proposer_member_id else None
    meeting = session.get(Meeting, topic.meeting_id) if topic.meeting_id else None
    signatures = session.scalar(
        select(func.count()).select_from(TopicSignature).where(TopicSignature.topic_id == topic.id)
    )
    return TopicView(
        **progress_view(session, topic).model_dump(),
        title=topic.title,
        body=topic.body,
        category=category.name if category else "",
        must_consult=bool(category and category.must_consult),
        source=topic.source,
        source_note=topic.source_note if named else "",
        proposer_id=proposer.id if proposer and named else None,
        proposer_name=proposer.name if proposer and named else None,
        proposer_place=f"{proposer.building}{proposer.unit}" if proposer else "",
        scribe=topic.scribe if named else None,
        scope=topic.scope,
        scope_building=topic.scope_building,
        scope_unit=topic.scope_unit,
        threshold_percent=f"{(topic.threshold * 100).normalize():f}",
        signatures=signatures or 0,
        reason=topic.decision_reason,
        decided_by=topic.decided_by if named else None,
        decided_at=topic.decided_at,
        merged_into_id=topic.merged_into_id,
        meeting_id=topic.meeting_id,
        meeting_title=meeting.title if meeting else None,
        agenda_item_id=topic.agenda_item_id,
        created_at=topic.created_at,
        created_by=topic.created_by if named else "",
    )


def list_topics(
    session: Session,
    *,
    statuses: Iterable[TopicStatus] = (),
    source: TopicSource | None = None,
    category_id: int | None = None,
    named: bool = False,
) -> list[TopicView]:
    """Topics newest first, filtered by status, source or category."""
    query = select(Topic).order_by(Topic.created_at.desc(), Topic.id.desc())
    wanted = list(statuses)
    if wanted:
        query = query.where(Topic.status.in_(wanted))
    if source is not None:
        query = query.where(Topic.source == source)
    if category_id is not None:
        query = query.where(Topic.category_id == category_id)
    return [topic_view(session, t, named) for t in session.scalars(query)]


def topic_of_item(session: Session, item_id: int) -> Topic | None:
    """The topic accepted onto this agenda item, if any (the minutes carry its origin)."""
    return session.scalar(select(Topic).where(Topic.agenda_item_id == item_id))
