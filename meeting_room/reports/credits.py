"""A member's participation credit (积分), counted from the records every time it is shown.

Functions of the caller's ``Session``; none reads the clock. The settings row is the only thing
stored (``CreditSettings``, audited like every table); credit is off until staff turn it on.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from meeting_room.domain.credits import DEFAULT_POINTS, Credit, Deed, credit
from meeting_room.domain.words import Presence
from meeting_room.store.models.credits import CreditSettings
from meeting_room.store.models.floor import Speech
from meeting_room.store.models.follow import SurveyAnswer
from meeting_room.store.models.meetings import Attendance
from meeting_room.store.models.records import ActionRating
from meeting_room.store.models.topics import Topic, TopicSignature


def settings_row(session: Session) -> CreditSettings | None:
    """The hall's credit settings, None while staff never set them (credit off)."""
    return session.get(CreditSettings, 1)


def points_of(row: CreditSettings | None) -> dict[Deed, int]:
    """The points of each deed: the hall's, else the defaults."""
    stored = row.points if row is not None else {}
    return {deed: int(stored.get(deed.value, DEFAULT_POINTS[deed])) for deed in Deed}


def _count(session: Session, query: object) -> int:
    return int(session.scalar(query) or 0)  # type: ignore[call-overload]


def deeds(session: Session, member_id: int) -> Mapping[Deed, int]:
    """How many times the member did each deed, as the records hold it."""
    return {
        Deed.SIGN_IN: _count(
            session,
            select(func.count(Attendance.id)).where(
                Attendance.member_id == member_id, Attendance.presence == Presence.IN_PERSON
            ),
        ),
        Deed.SPEECH: _count(
            session, select(func.count(Speech.id)).where(Speech.member_id == member_id)
        ),
        Deed.PROPOSAL: _count(
            session, select(func.count(Topic.id)).where(Topic.proposer_member_id == member_id)
        ),
        # Co-signing someone else's topic; a signature copied onto the topic a duplicate was
        # merged into is the same deed, not a second one.
        Deed.SIGNATURE: _count(
            session,
            select(func.count(TopicSignature.id))
            .join(Topic, Topic.id == TopicSignature.topic_id)
            .where(
                TopicSignature.member_id == member_id,
                TopicSignature.merged_from_id.is_(None),
                (Topic.proposer_member_id.is_(None)) | (Topic.proposer_member_id != member_id),
            ),
        ),
        Deed.RATING: _count(
            session,
            select(func.count(ActionRating.id)).where(ActionRating.member_id == member_id),
        )
        + _count(
            session,
            select(func.count(SurveyAnswer.id)).where(SurveyAnswer.member_id == member_id),
        ),
    }


def member_credit(session: Session, member_id: int) -> Credit | None:
    """The member's credit, or None while the hall has credit switched off."""
    row = settings_row(session)
    if row is None or not row.enabled:
        return None
    return credit(deeds(session, member_id), points_of(row))
