"""A poll as the screens get it: question, options, state, live count, and the result."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from meeting_room.domain.words import PollStatus
from meeting_room.store.anchors import Anchor
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.voting import Ballot, Participation, Poll, PollVoter
from meeting_room.voting.polls import ballots_cast, options_of
from meeting_room.voting.seals import poll_anchor
from meeting_room.voting.words import explanations

# What the room may be looking at: the open poll first, else the latest closed or published.
IN_VIEW = (PollStatus.OPEN, PollStatus.CLOSED, PollStatus.PUBLISHED)
CLOSED = (PollStatus.CLOSED, PollStatus.PUBLISHED)


class PollView(BaseModel):
    """Everything a phone, booth, projector or console shows about one poll."""

    id: int
    meeting_id: int
    item_id: int | None
    question: str
    kind: str
    options: list[str]
    max_choices: int
    secret: bool
    rule: str
    matter_kind: str | None = None  # under an art. 278 rule: the matter of para. 1 put to the vote
    weighting: str
    eligibility: str
    groups: list[str]
    duration_s: int | None
    status: str
    opened_at: datetime | None
    closes_at: datetime | None
    closed_at: datetime | None
    server_now: datetime
    cast: int
    eligible: int
    present: int
    result: dict[str, Any] | None
    explanation: dict[str, str] | None
    final_hash: str | None
    anchor: Anchor | None = None  # the chain's head at closing, shown with the result


class CountedBallot(BaseModel):
    """A voter's own ballot as counted now, in a named poll: what their receipt stands for
    (a later ballot on another channel, such as a card photographed after it, replaces it)."""

    poll_id: int
    receipt: str
    choices: list[str]
    channel: str


class PollCount(BaseModel):
    """The throttled live count while a poll is open."""

    poll_id: int
    cast: int
    eligible: int
    present: int


def _base_size(session: Session, poll: Poll) -> tuple[int, int]:
    total = session.scalar(
        select(func.count()).select_from(PollVoter).where(PollVoter.poll_id == poll.id)
    )
    present = session.scalar(
        select(func.count())
        .select_from(PollVoter)
        .where(PollVoter.poll_id == poll.id, PollVoter.present)
    )
    return int(total or 0), int(present or 0)


def poll_view(session: Session, poll: Poll, now: datetime) -> PollView:
    """The snapshot of one poll."""
    eligible, present = _base_size(session, poll)
    return PollView(
        id=poll.id,
        meeting_id=poll.meeting_id,
        item_id=poll.item_id,
        question=poll.question,
        kind=poll.kind,
        options=list(options_of(poll)),
        max_choices=poll.max_choices,
        secret=poll.secret,
        rule=poll.rule,
        matter_kind=poll.matter_kind,
        weighting=poll.weighting,
        eligibility=poll.eligibility,
        groups=list(poll.groups),
        duration_s=poll.duration_s,
        status=poll.status,
        opened_at=poll.opened_at,
        closes_at=poll.closes_at,
        closed_at=poll.closed_at,
        server_now=now,
        cast=ballots_cast(session, poll),
        eligible=eligible,
        present=present,
        result=poll.result,
        explanation=explanations(poll.result),
        final_hash=poll.final_hash,
        anchor=poll_anchor(session, poll.id) if poll.status in CLOSED else None,
    )


def poll_count(session: Session, poll: Poll) -> PollCount:
    """The live count."""
    eligible, present = _base_size(session, poll)
    return PollCount(
        poll_id=poll.id, cast=ballots_cast(session, poll), eligible=eligible, present=present
    )


def counted_ballot(session: Session, poll: Poll, member_id: int) -> CountedBallot | None:
    """The member's ballot as counted now in a named poll (None in a secret poll: nothing
    there links a member to a ballot, and the first ballot is the one counted)."""
    if poll.secret:
        return None
    found = session.execute(
        select(Ballot.receipt, Ballot.choices, Participation.channel)
        .join(
            Participation,
            (Participation.poll_id == Ballot.poll_id)
            & (Participation.member_id == Ballot.member_id),
        )
        .where(Ballot.poll_id == poll.id, Ballot.member_id == member_id)
    ).first()
    if found is None:
        return None
    receipt, choices, channel = found
    return CountedBallot(poll_id=poll.id, receipt=receipt, choices=choices, channel=channel)


def meeting_polls(session: Session, meeting: Meeting) -> list[Poll]:
    """The meeting's polls, newest first."""
    return list(
        session.scalars(select(Poll).where(Poll.meeting_id == meeting.id).order_by(Poll.id.desc()))
    )


def current_poll(session: Session, meeting: Meeting) -> Poll | None:
    """The poll the room is looking at: the open one, else the latest closed or published."""
    return session.scalars(
        select(Poll)
        .where(Poll.meeting_id == meeting.id, Poll.status.in_(IN_VIEW))
        .order_by((Poll.status == PollStatus.OPEN).desc(), Poll.id.desc())
        .limit(1)
    ).first()
