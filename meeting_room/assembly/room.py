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

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.assembly.service import get_period, record_in
from meeting_room.domain.assembly import Channel, PeriodState, SecondBallot
from meeting_room.domain.counting import YesNo
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import BallotChannel, PollKind, PollStatus
from meeting_room.store.models.assembly import ExclusiveUnit, PeriodMatter, UnitBallot
from meeting_room.store.models.roster import Member
from meeting_room.store.models.voting import Ballot, Participation, Poll

CHANNELS = {
    BallotChannel.PHONE: Channel.PHONE,
    BallotChannel.BOOTH: Channel.BOOTH,
    BallotChannel.CARD: Channel.CARD,
    BallotChannel.ASSISTED: Channel.ASSISTED,
}


def link_poll(session: Session, matter: PeriodMatter, poll: Poll) -> None:
    """Put a matter to the room through this poll: a named yes/no poll under the matter's rule
    and of its kind of art. 278 matter (where the poll says one), of the period's meeting, not
    yet closed, and put to no other matter (a poll's ballots count for one matter only)."""
    period = get_period(session, matter.period_id)
    elsewhere = session.scalar(
        select(PeriodMatter.id).where(PeriodMatter.poll_id == poll.id, PeriodMatter.id != matter.id)
    )
    if (
        poll.secret
        or poll.kind != PollKind.YES_NO
        or poll.rule != matter.rule
        or (poll.matter_kind is not None and poll.matter_kind != matter.kind)
        or elsewhere is not None
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


def unit_notes(session: Session, poll: Poll, member_ids: list[int]) -> dict[int, dict[str, Any]]:
    """What each of these voters must hear when they tap, in a named poll put to a matter of
    an open period: their unit already has a ballot on the matter (on paper, at the office, a
    co-owner or the unit's other owner in this poll). ``stands`` says whether the new ballot
    will count for the unit (the period's second-ballot rule); both are kept either way.

    Called by ``voting.service`` inside the ballot's transaction (``CAST_NOTES_KEY``): each
    voter's ballot in this poll is already written. Answers member id → {"address",
    "channel", "stands"}; a voter whose unit has no other ballot is left out.
    """
    matter = session.scalar(select(PeriodMatter).where(PeriodMatter.poll_id == poll.id))
    if matter is None or poll.secret or not member_ids:
        return {}
    period = get_period(session, matter.period_id)
    if period.state is not PeriodState.OPEN:
        return {}
    wanted = set(member_ids)
    units = [
        u
        for u in session.scalars(select(ExclusiveUnit).where(ExclusiveUnit.period_id == period.id))
        if wanted & set(u.member_ids)
    ]
    if not units:
        return {}
    standing = {
        b.unit_id: b
        for b in session.scalars(
            select(UnitBallot).where(
                UnitBallot.matter_id == matter.id,
                UnitBallot.standing,
                UnitBallot.unit_id.in_([u.id for u in units]),
            )
        )
    }
    owners = {m for u in units for m in u.member_ids}
    in_room = {
        b.member_id: b
        for b in session.scalars(
            select(Ballot).where(Ballot.poll_id == poll.id, Ballot.member_id.in_(owners))
        )
    }
    channel_of = {
        p.member_id: p
        for p in session.scalars(
            select(Participation).where(
                Participation.poll_id == poll.id, Participation.member_id.in_(owners)
            )
        )
    }
    latest = period.second_ballot is SecondBallot.LATEST_STANDS
    notes: dict[int, dict[str, Any]] = {}
    for unit in units:
        for member_id in sorted(wanted & set(unit.member_ids)):
            own = in_room.get(member_id)
            earlier: str | None = None
            if unit.id in standing:
                earlier = standing[unit.id].channel.value
            else:
                # Another owner of the unit voted in this poll before this voter did (the order
                # ``record_closed_poll`` keeps: by time, then member).
                mine = (own.cast_at, member_id) if own is not None and own.cast_at else None
                others = sorted(
                    (b.cast_at, m)
                    for m, b in in_room.items()
                    if m != member_id and m in unit.member_ids and b.cast_at is not None
                )
                if mine is not None and others and others[0] < mine:
                    took_part = channel_of.get(others[0][1])
                    earlier = (
                        Channel.PROXY.value
                        if took_part and took_part.by_proxy
                        else CHANNELS.get(
                            BallotChannel(took_part.channel) if took_part else BallotChannel.PHONE,
                            Channel.PHONE,
                        ).value
                    )
            if earlier is not None:
                notes[member_id] = {"address": unit.address, "channel": earlier, "stands": latest}
    return notes
