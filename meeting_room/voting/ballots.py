"""One ballot on any channel (booth, assisted, card; a phone's when the bulk path hands it back):
the rules that admit it, its receipt, and the tallies it moves.

One person, one ballot, whatever the channel: ``Participation`` is keyed by (poll, member). In
a named poll the latest ballot by time counts, on every channel: a phone, the booth or the
clerk replace the ballot counted so far as they come; a paper card, read from a photo but cast
only at closing, replaces it only if the photo was taken after it (the ballot row keeps when it
was cast), so a phone's receipt always shows what is counted. In a secret poll the first ballot
counts and a second one is refused; the ballot row carries no member and no time; receipts are
derived from the client's ballot id with the box's secret, so a lost acknowledgement can be
answered again without storing any link between a member and a receipt. ``ballot_batch``
applies the same rules (``check_open``, ``checked_choices``, ``admit``, ``is_resent``) to
phones' ballots in bulk.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.attendance.members import attendance_of
from meeting_room.domain.counting import Rule
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import BallotChannel, PollStatus, Presence
from meeting_room.store.models.roster import Member
from meeting_room.store.models.voting import (
    Ballot,
    BallotChange,
    Participation,
    Poll,
    PollTally,
    PollVoter,
)
from meeting_room.voting.polls import options_of, poll_meeting

# Under these rules the base is those present when the poll opened: latecomers cannot vote.
PRESENT_RULES = (Rule.MAJORITY_PRESENT, Rule.TWO_THIRDS_PRESENT)
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def receipt_for(secret: str, poll_id: int, client_id: str) -> str:
    """The 8-character receipt code of a ballot id (the same id always gives the same code)."""
    digest = hmac.new(secret.encode(), f"{poll_id}:{client_id}".encode(), hashlib.sha256)
    number = int.from_bytes(digest.digest()[:8], "big")
    code = []
    for _ in range(8):
        number, digit = divmod(number, len(RECEIPT_ALPHABET))
        code.append(RECEIPT_ALPHABET[digit])
    return "".join(code)


def client_hash(client_id: str) -> str:
    """The stored form of a client's ballot id (SHA-256 hex)."""
    return hashlib.sha256(client_id.encode()).hexdigest()


@dataclass(frozen=True)
class Cast:
    """An accepted ballot: its receipt; ``replaced`` when a named vote was changed."""

    receipt: str
    replaced: bool = False
    repeated: bool = False
    # What the voter must hear at once beyond the receipt (``service.CAST_NOTES_KEY``): their
    # unit of an owners' assembly already voted on the matter: {"address", "channel", "stands"}.
    unit_note: dict[str, Any] | None = None


@dataclass(frozen=True)
class Vote:
    """A ballot as a channel hands it in."""

    member_id: int
    choices: tuple[str, ...]
    channel: BallotChannel
    client_id: str | None = None
    helper: str | None = None
    by_proxy: bool = False
    # When the voter made it, if not now: a card's photo (it is cast only when the poll closes).
    at: datetime | None = None


def cast_ballot(session: Session, poll: Poll, vote: Vote, secret_key: str, now: datetime) -> Cast:
    """Accept one ballot, or refuse it in words (closed poll, not eligible, voted already).

    A ballot resent with the same client id gets the same receipt and is not counted again.
    (Phone ballots in a burst take ``ballot_batch.cast_many``, the same rules in bulk.)
    """
    check_open(poll, now)
    choices = checked_choices(poll, vote.choices)
    voter = session.get(PollVoter, (poll.id, vote.member_id))
    member = session.get(Member, vote.member_id)
    if member is None:
        raise Refusal(Problem.NOT_ELIGIBLE_TO_VOTE)
    here = attendance_of(session, poll_meeting(session, poll), member)
    admit(poll, voter, here, lambda: member.name)
    assert voter is not None
    client_id = vote.client_id or uuid.uuid4().hex
    earlier = session.get(Participation, (poll.id, vote.member_id))
    if earlier is not None:
        if is_resent(earlier.client_hash, vote.client_id):
            # The answer was lost: the same receipt again. A named vote keeps its first receipt
            # through changes (its ballot row names the member); a secret one is its id's.
            if not poll.secret:
                receipt = session.scalars(
                    select(Ballot.receipt).where(
                        Ballot.poll_id == poll.id, Ballot.member_id == vote.member_id
                    )
                ).one()
                return Cast(receipt, repeated=True)
            return Cast(receipt_for(secret_key, poll.id, client_id), repeated=True)
        if poll.secret:
            raise Refusal(Problem.ALREADY_VOTED, channel=earlier.channel)
        return _replace_named(session, poll, voter, earlier, vote, choices, now)
    receipt = receipt_for(secret_key, poll.id, client_id)
    session.add(
        Participation(
            poll_id=poll.id,
            member_id=vote.member_id,
            channel=vote.channel,
            helper=vote.helper,
            by_proxy=vote.by_proxy,
            client_hash=client_hash(client_id),
        )
    )
    session.add(
        Ballot(
            key=uuid.uuid4().hex,
            poll_id=poll.id,
            receipt=receipt,
            choices=list(choices),
            member_id=None if poll.secret else vote.member_id,
            cast_at=None if poll.secret else vote.at or now,
        )
    )
    _count(session, poll, voter, choices, +1)
    session.flush()
    return Cast(receipt)


def check_open(poll: Poll, now: datetime) -> None:
    """Refuse a ballot for a poll that is not open (or whose countdown has run out)."""
    if poll.status != PollStatus.OPEN or (poll.closes_at is not None and now >= poll.closes_at):
        raise Refusal(Problem.POLL_CLOSED, question=poll.question)


class Voter(Protocol):
    """What the rules read of a voter's base row (``PollVoter``, or a row of its columns)."""

    @property
    def present(self) -> bool: ...


class Here(Protocol):
    """What the rules read of an attendance (``Attendance``, or the bulk path's summary)."""

    @property
    def counts(self) -> bool: ...

    @property
    def presence(self) -> str: ...

    @property
    def signed_out_at(self) -> datetime | None: ...


def admit(poll: Poll, voter: Voter | None, here: Here | None, name: Callable[[], str]) -> None:
    """Refuse a ballot from outside the poll's base, from someone absent at the opening
    under a rule that needs it, or from someone not signed in now (``name`` names them)."""
    if voter is None:
        raise Refusal(Problem.NOT_ELIGIBLE_TO_VOTE)
    if poll.rule in PRESENT_RULES and not voter.present:
        raise Refusal(Problem.NOT_PRESENT_AT_OPENING)
    # A proxy votes once the clerk has accepted the written mandate (物业管理条例 art. 12).
    proxy = here is not None and here.signed_out_at is None and here.presence == Presence.PROXY
    if proxy and here is not None and not here.counts:
        raise Refusal(Problem.MANDATE_NOT_CHECKED, name=name())
    if here is None or not here.counts:
        raise Refusal(Problem.NOT_SIGNED_IN, name=name())


def is_resent(earlier_hash: str | None, client_id: str | None) -> bool:
    """Whether a ballot is the same one sent again (its client id matches the earlier one)."""
    return client_id is not None and earlier_hash == client_hash(client_id)


def _replace_named(
    session: Session,
    poll: Poll,
    voter: PollVoter,
    earlier: Participation,
    vote: Vote,
    choices: tuple[str, ...],
    now: datetime,
) -> Cast:
    ballot = session.scalars(
        select(Ballot).where(Ballot.poll_id == poll.id, Ballot.member_id == vote.member_id)
    ).one()
    if vote.at is not None and ballot.cast_at is not None and vote.at <= ballot.cast_at:
        # A card photographed before (or as) the ballot counted now was cast: the later counts.
        raise Refusal(Problem.LATER_BALLOT_COUNTS, channel=earlier.channel)
    before = tuple(ballot.choices)
    _count(session, poll, voter, before, -1)
    _count(session, poll, voter, choices, +1)
    ballot.choices = list(choices)
    ballot.cast_at = vote.at or now
    earlier.channel = vote.channel
    earlier.helper = vote.helper
    if vote.client_id is not None:
        earlier.client_hash = client_hash(vote.client_id)
    session.add(
        BallotChange(
            poll_id=poll.id,
            member_id=vote.member_id,
            before=list(before),
            after=list(choices),
            channel=vote.channel,
            at=vote.at or now,
        )
    )
    return Cast(ballot.receipt, replaced=True)


def checked_choices(poll: Poll, choices: tuple[str, ...]) -> tuple[str, ...]:
    """The choices in the poll's order, or a refusal (none, too many, not an option)."""
    options = options_of(poll)
    unique = tuple(dict.fromkeys(choices))
    if not unique or len(unique) > poll.max_choices or any(c not in options for c in unique):
        raise Refusal(Problem.BAD_CHOICE)
    return tuple(sorted(unique, key=options.index))


def _count(
    session: Session, poll: Poll, voter: PollVoter, choices: tuple[str, ...], sign: int
) -> None:
    for option in choices:
        tally = session.get(PollTally, (poll.id, option))
        assert tally is not None, "tallies are made when the poll opens"
        tally.headcount += sign
        tally.area_m2 += sign * voter.area_m2
        tally.weight += sign * voter.weight
