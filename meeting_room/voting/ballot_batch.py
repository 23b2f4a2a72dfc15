"""Phone ballots in bulk: the rules of ``polls.cast_ballot`` for a batch, in a few statements.

A batch (see ``group_commit``) reads what it needs in one query per table (the tokens'
attendance rows, the voters' base rows, earlier participations), decides each ballot in
order with the same checks as a single ballot, and writes the new ones with one insert per
table, one update per option's tally and one audit append. What the bulk path does not
handle itself (a named vote changed, a named ballot sent again, a token of another meeting)
goes through ``cast_ballot`` in the same transaction, after the bulk writes, in the order
the ballots came; every later ballot of that member in the batch follows the same way.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import partial
from typing import Protocol

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.tokens import token_hash
from meeting_room.domain.words import BallotChannel, Presence
from meeting_room.store import audit
from meeting_room.store.models.base import Base
from meeting_room.store.models.meetings import Attendance, attendance_counts
from meeting_room.store.models.roster import Member
from meeting_room.store.models.voting import Ballot, Participation, Poll, PollTally, PollVoter
from meeting_room.store.storage import mark_written
from meeting_room.voting.ballots import (
    Cast,
    Vote,
    admit,
    cast_ballot,
    check_open,
    checked_choices,
    client_hash,
    is_resent,
    receipt_for,
)


@dataclass(frozen=True)
class PhoneVote:
    """A ballot as a phone sends it: the personal token, the poll, the choices, a ballot id."""

    token: str
    poll_id: int
    choices: tuple[str, ...]
    client_id: str


@dataclass(frozen=True)
class _Here:
    """A token's attendance, as the rules read it."""

    token_hash: str | None
    member_id: int
    meeting_id: int
    presence: str
    signed_out_at: datetime | None
    mandate_status: str | None

    @property
    def counts(self) -> bool:
        return attendance_counts(self.signed_out_at, self.presence, self.mandate_status)


class _Voter(Protocol):
    member_id: int
    area_m2: Decimal
    weight: Decimal
    present: bool


@dataclass
class _Earlier:
    client_hash: str | None
    channel: str


@dataclass
class _Writes:
    """The rows a batch adds, written together."""

    poll: Poll
    now: datetime
    participations: list[dict[str, object]] = field(default_factory=list)
    ballots: list[dict[str, object]] = field(default_factory=list)
    sums: dict[str, list[Decimal]] = field(default_factory=dict)
    seen: dict[int, _Earlier] = field(default_factory=dict)

    def add(self, vote: Vote, voter: _Voter, choices: tuple[str, ...], receipt: str) -> Cast:
        assert vote.client_id is not None
        hashed = client_hash(vote.client_id)
        self.participations.append(
            {
                "poll_id": self.poll.id,
                "member_id": vote.member_id,
                "channel": vote.channel,
                "helper": None,
                "by_proxy": vote.by_proxy,
                "client_hash": hashed,
            }
        )
        self.ballots.append(
            {
                "key": uuid.uuid4().hex,
                "poll_id": self.poll.id,
                "receipt": receipt,
                "choices": list(choices),
                "member_id": None if self.poll.secret else vote.member_id,
                "cast_at": None if self.poll.secret else self.now,
            }
        )
        for option in choices:
            sums = self.sums.setdefault(option, [Decimal(0), Decimal(0), Decimal(0)])
            sums[0] += 1
            sums[1] += voter.area_m2
            sums[2] += voter.weight
        self.seen[vote.member_id] = _Earlier(hashed, vote.channel)
        return Cast(receipt)

    def write(self, session: Session) -> None:
        if not self.participations:
            return
        connection = session.connection()
        connection.execute(insert(_table(Participation)), self.participations)
        connection.execute(insert(_table(Ballot)), self.ballots)
        tallies = _table(PollTally).c
        for option, (people, area, weight) in self.sums.items():
            connection.execute(
                update(_table(PollTally))
                .where(tallies.poll_id == self.poll.id, tallies.option == option)
                .values(
                    headcount=tallies.headcount + int(people),
                    area_m2=tallies.area_m2 + area,
                    weight=tallies.weight + weight,
                )
            )
        entries = [audit.describe_insert(Participation, row) for row in self.participations]
        audit.append(session, sorted(entries, key=lambda entry: (entry[1], entry[0])))
        mark_written(session)


def cast_many(
    session: Session, poll: Poll, votes: Sequence[PhoneVote], secret_key: str, now: datetime
) -> list[Cast | Refusal]:
    """Each phone ballot's receipt or refusal, as ``cast_ballot`` would answer them in turn."""
    try:
        check_open(poll, now)
    except Refusal as refusal:
        return [refusal] * len(votes)
    # Columns, not ORM objects: a batch reads hundreds of rows it never changes.
    hashes = [token_hash(vote.token) for vote in votes]
    rows = {
        row.token_hash: _Here(*row)
        for row in session.execute(
            select(
                Attendance.token_hash,
                Attendance.member_id,
                Attendance.meeting_id,
                Attendance.presence,
                Attendance.signed_out_at,
                Attendance.mandate_status,
            ).where(Attendance.token_hash.in_(set(hashes)))
        )
    }
    members = {row.member_id for row in rows.values()}
    voters = {
        voter.member_id: voter
        for voter in session.execute(
            select(
                PollVoter.member_id, PollVoter.area_m2, PollVoter.weight, PollVoter.present
            ).where(PollVoter.poll_id == poll.id, PollVoter.member_id.in_(members))
        )
    }
    earlier = {
        member_id: _Earlier(hashed, channel)
        for member_id, hashed, channel in session.execute(
            select(Participation.member_id, Participation.client_hash, Participation.channel).where(
                Participation.poll_id == poll.id, Participation.member_id.in_(members)
            )
        )
    }
    writes = _Writes(poll, now)
    results: list[Cast | Refusal | None] = [None] * len(votes)
    later: list[tuple[int, Vote]] = []
    later_members: set[int] = set()
    for index, (wanted, hashed) in enumerate(zip(votes, hashes, strict=True)):
        try:
            choices = checked_choices(poll, wanted.choices)
            row = rows.get(hashed)
            if row is None or row.signed_out_at is not None:
                raise Refusal(Problem.TOKEN_UNKNOWN)
            vote = Vote(
                row.member_id,
                wanted.choices,
                BallotChannel.PHONE,
                client_id=wanted.client_id,
                by_proxy=row.presence == Presence.PROXY,
            )
            if row.meeting_id != poll.meeting_id or row.member_id in later_members:
                later.append((index, vote))
                later_members.add(row.member_id)
                continue
            voter = voters.get(row.member_id)
            admit(poll, voter, row, partial(_name, session, row.member_id))
            assert voter is not None
            before = writes.seen.get(row.member_id) or earlier.get(row.member_id)
            if before is None:
                receipt = receipt_for(secret_key, poll.id, wanted.client_id)
                results[index] = writes.add(vote, voter, choices, receipt)
            elif poll.secret and is_resent(before.client_hash, wanted.client_id):
                receipt = receipt_for(secret_key, poll.id, wanted.client_id)
                results[index] = Cast(receipt, repeated=True)
            elif poll.secret:
                raise Refusal(Problem.ALREADY_VOTED, channel=before.channel)
            else:  # a named ballot sent again or changed: its first receipt is kept
                later.append((index, vote))
                later_members.add(row.member_id)
        except Refusal as refusal:
            results[index] = refusal
    writes.write(session)
    for index, vote in later:
        try:
            results[index] = cast_ballot(session, poll, vote, secret_key, now)
        except Refusal as refusal:
            results[index] = refusal
    assert all(result is not None for result in results)
    return results  # type: ignore[return-value]


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _name(session: Session, member_id: int) -> str:
    member = session.get(Member, member_id)
    return member.name if member is not None else ""
