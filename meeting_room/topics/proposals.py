"""Proposing a topic and co-signing it (联署), over the roster's households.

The households concerned are the roster's distinct building-unit-room addresses within the
topic's scope; a topic is co-signed by members, counted by household
(``domain.topics.progress``). The proposer's own support is the first signature. A topic
reaching its threshold becomes ``threshold_met`` in the transaction of the signature that
reached it. Functions of the caller's ``Session``; none reads the clock.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.topics import (
    OPEN_STATUSES,
    Household,
    Progress,
    Scope,
    ScopeKind,
    SignChannel,
    TopicSource,
    TopicStatus,
    progress,
)
from meeting_room.store.models.roster import Member
from meeting_room.store.models.topics import Topic, TopicSignature
from meeting_room.topics.library import get_category
from meeting_room.topics.schemas import TopicDraft


def get_topic(session: Session, topic_id: int) -> Topic:
    """The topic with this id, or ``topic_not_found``."""
    topic = session.get(Topic, topic_id)
    if topic is None:
        raise Refusal(Problem.TOPIC_NOT_FOUND)
    return topic


def scope_of(topic: Topic) -> Scope:
    """Whom the topic concerns."""
    return Scope(topic.scope, topic.scope_building, topic.scope_unit)


def scope_words(scope: Scope) -> str:
    """The scope as the roster writes it (3栋 / 3栋2单元); the compound as ``*``."""
    if scope.kind is ScopeKind.COMPOUND:
        return "*"
    return scope.building + (scope.unit if scope.kind is ScopeKind.UNIT else "")


def households(session: Session, scope: Scope) -> list[Household]:
    """The roster's households concerned (distinct addresses with a room)."""
    query = select(Member.building, Member.unit, Member.room).where(Member.room != "").distinct()
    if scope.kind is not ScopeKind.COMPOUND:
        query = query.where(Member.building == scope.building)
    if scope.kind is ScopeKind.UNIT:
        query = query.where(Member.unit == scope.unit)
    return [(b, u, r) for b, u, r in session.execute(query)]


def signer_households(session: Session, topic_id: int) -> list[Household]:
    """The households of a topic's signers (one per signature, repeats included)."""
    rows = session.execute(
        select(Member.building, Member.unit, Member.room)
        .join(TopicSignature, TopicSignature.member_id == Member.id)
        .where(TopicSignature.topic_id == topic_id)
    )
    return [(b, u, r) for b, u, r in rows]


def topic_progress(session: Session, topic: Topic) -> Progress:
    """A topic's co-signing against its threshold."""
    return progress(
        signer_households(session, topic.id),
        households(session, scope_of(topic)),
        Fraction(topic.threshold),
    )


def _scope(session: Session, kind: ScopeKind, building: str, unit: str) -> Scope:
    scope = Scope(
        kind,
        building if kind is not ScopeKind.COMPOUND else "",
        unit if kind is ScopeKind.UNIT else "",
    )
    if kind is not ScopeKind.COMPOUND and not households(session, scope):
        raise Refusal(Problem.TOPIC_SCOPE_UNKNOWN, scope=scope_words(scope))
    return scope


def propose(
    session: Session,
    draft: TopicDraft,
    source: TopicSource,
    proposer: Member | None,
    by: str,
    now: datetime,
    *,
    place: tuple[str, str] = ("", ""),
    threshold_percent: int = 30,
    source_note: str = "",
    scribe: str | None = None,
    channel: SignChannel = SignChannel.CLERK,
) -> Topic:
    """Record a proposed topic, collecting; the proposer (if a member) signs it first.

    ``place`` (building, unit) fixes a building or unit scope: the proposer's own address for
    a resident, as chosen for staff entries. May refuse ``category_not_found``, or
    ``topic_scope_unknown`` for a building or unit without households.
    """
    category = get_category(session, draft.category_id)
    scope = _scope(session, draft.scope, *place)
    topic = Topic(
        title=draft.title,
        body=draft.body,
        category_id=category.id,
        source=source,
        source_note=source_note,
        proposer_member_id=proposer.id if proposer is not None else None,
        scribe=scribe,
        scope=scope.kind,
        scope_building=scope.building,
        scope_unit=scope.unit,
        threshold=Decimal(threshold_percent) / Decimal(100),
        status=TopicStatus.COLLECTING,
        decision_reason="",
        created_at=now,
        created_by=by,
    )
    session.add(topic)
    session.flush()
    if proposer is not None and scope.covers(proposer.building, proposer.unit):
        sign(session, topic, proposer, channel, now, scribe=scribe)
    return topic


def sign(
    session: Session,
    topic: Topic,
    member: Member,
    channel: SignChannel,
    now: datetime,
    *,
    scribe: str | None = None,
) -> Progress:
    """A member co-signs a topic, once; the progress after it.

    Refuses ``topic_decided`` once reviewed, ``topic_outside_scope`` for a household not
    concerned, ``topic_already_signed`` for a second signature (also one carried over from a
    merged duplicate).
    """
    if topic.status not in OPEN_STATUSES:
        raise Refusal(Problem.TOPIC_DECIDED, title=topic.title)
    scope = scope_of(topic)
    if not scope.covers(member.building, member.unit):
        raise Refusal(Problem.TOPIC_OUTSIDE_SCOPE, title=topic.title, scope=scope_words(scope))
    if _signed(session, topic.id, member.id):
        raise Refusal(Problem.TOPIC_ALREADY_SIGNED, name=member.name, title=topic.title)
    session.add(
        TopicSignature(
            topic_id=topic.id, member_id=member.id, signed_at=now, channel=channel, scribe=scribe
        )
    )
    session.flush()
    return update_status(session, topic, now)


def _signed(session: Session, topic_id: int, member_id: int) -> bool:
    return (
        session.scalar(
            select(TopicSignature.id).where(
                TopicSignature.topic_id == topic_id, TopicSignature.member_id == member_id
            )
        )
        is not None
    )


def update_status(session: Session, topic: Topic, now: datetime) -> Progress:
    """Mark a collecting topic ``threshold_met`` once its signatures reach the threshold."""
    reached = topic_progress(session, topic)
    if topic.status is TopicStatus.COLLECTING and reached.met:
        topic.status = TopicStatus.THRESHOLD_MET
        topic.threshold_met_at = now
        session.flush()
    return reached


def signed_topics(session: Session, member_id: int) -> set[int]:
    """The ids of the topics a member has signed."""
    return set(
        session.scalars(
            select(TopicSignature.topic_id).where(TopicSignature.member_id == member_id)
        )
    )
