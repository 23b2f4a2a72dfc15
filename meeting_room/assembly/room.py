"""The room's ballots in the period: a named poll put to one of the period's matters records,
when it closes, each voter's ballot as their UNIT's ballot on the matter (phone, booth, card,
assisted; a proxy's ballot for the one they carry, with its checked mandate).

Called by ``voting.service.close`` inside the poll's closing transaction (the composition root
adds it to ``CLOSE_HOOKS_KEY``), so the poll and the units' ballots commit together. Only a
named poll can be linked (``link_poll``): a secret poll keeps nothing that says whose ballot
is whose. A unit that already voted (on paper, at the office, a co-owner in the room) keeps the
ballot the period's rule says, the other kept beside it. A member of no unit of the base (the
roster changed after the period opened) is left out of the period's count, as the base says.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.assembly.service import get_period, record_in
from meeting_room.domain.assembly import Channel, PeriodState
from meeting_room.domain.counting import YesNo
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import BallotChannel, PollKind, PollStatus
from meeting_room.store.models.assembly import ExclusiveUnit, PeriodMatter
from meeting_room.store.models.roster import Member
from meeting_room.store.models.voting import Ballot, Participation, Poll

CHANNELS = {
    BallotChannel.PHONE: Channel.PHONE,
    BallotChannel.BOOTH: Channel.BOOTH,
    BallotChannel.CARD: Channel.CARD,
    BallotChannel.ASSISTED: Channel.ASSISTED,
}


def link_poll(session: Session, matter: PeriodMatter, poll: Poll) -> None:
    """Put a matter to the room through this poll: a named yes/no poll under the matter's rule,
    of the period's meeting, not yet closed."""
    period = get_period(session, matter.period_id)
    if (
        poll.secret
        or poll.kind != PollKind.YES_NO
        or poll.rule != matter.rule
        or (period.meeting_id is not None and poll.meeting_id != period.meeting_id)
        or poll.status not in (PollStatus.DRAFT, PollStatus.OPEN)
    ):
        raise Refusal(Problem.INVALID_INPUT, detail="poll")
    matter.poll_id = poll.id


def record_closed_poll(session: Session, poll: Poll) -> None:
    """Record the closed poll's named ballots as their units' ballots (see the module)."""
    matter = session.scalar(select(PeriodMatter).where(PeriodMatter.poll_id == poll.id))
    if matter is None or poll.secret:
        return
    period = get_period(session, matter.period_id)
    if period.state is not PeriodState.OPEN:
        return
    unit_of: dict[int, ExclusiveUnit] = {}
    for held in session.scalars(select(ExclusiveUnit).where(ExclusiveUnit.period_id == period.id)):
        for member_id in held.member_ids:
            unit_of[member_id] = held
    how = {
        p.member_id: p
        for p in session.scalars(select(Participation).where(Participation.poll_id == poll.id))
    }
    ballots = session.scalars(
        select(Ballot).where(Ballot.poll_id == poll.id, Ballot.member_id.is_not(None))
    )
    for ballot in sorted(ballots, key=lambda b: (b.cast_at or poll.closed_at, b.member_id)):
        assert ballot.member_id is not None
        unit = unit_of.get(ballot.member_id)
        at = ballot.cast_at or poll.closed_at
        if unit is None or len(ballot.choices) != 1 or at is None or at >= period.closes_at:
            continue
        took_part = how.get(ballot.member_id)
        channel = Channel.PROXY if took_part and took_part.by_proxy else None
        if channel is None and took_part is not None:
            channel = CHANNELS.get(BallotChannel(took_part.channel), Channel.PHONE)
        member = session.get(Member, ballot.member_id)
        record_in(
            session,
            period.id,
            unit.id,
            {matter.id: YesNo(ballot.choices[0])},
            channel or Channel.PHONE,
            by=member.name if member else "",
            member_id=ballot.member_id,
            evidence=f"poll {poll.id}",
            at=at,
        )
