"""Residents' ratings (满意度) of completed action items: 1–5 stars and a comment, one per member.

Functions of the caller's ``Session``; none reads the clock.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import ActionStatus
from meeting_room.followup.schemas import RatingSummary
from meeting_room.store.models.records import ActionItem, ActionRating


def rate(
    session: Session,
    action: ActionItem,
    member_id: int,
    stars: int,
    comment: str,
    now: datetime,
    channel: str = "",
) -> bool:
    """A member rates a completed item 1–5, once (``already_rated`` a second time); refuses
    ``action_not_done`` for an item not completed. Returns False (nothing was replaced)."""
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
        raise Refusal(Problem.ALREADY_RATED, title=action.title)
    session.add(
        ActionRating(
            action_id=action.id,
            member_id=member_id,
            stars=stars,
            comment=comment.strip(),
            channel=channel,
            at=now,
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


def ratings_of(session: Session, member_id: int) -> dict[int, int]:
    """A member's own stars, by action item."""
    rows = session.execute(
        select(ActionRating.action_id, ActionRating.stars).where(
            ActionRating.member_id == member_id
        )
    )
    return {action_id: stars for action_id, stars in rows}
