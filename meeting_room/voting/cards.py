"""Paper answer cards: who holds which card, what the photos of the room read, and, at closing,
the latest photo of each card becoming its holder's ballot, made at the time of that photo (in a
named poll a ballot cast after the photo, on another channel, counts instead: ``ballots``).

The clerk hands cards out and photographs the room while a poll is open (``voting.service``
writes both); ``card_list`` and ``cards_summary`` are what the clerk desk reads back.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from meeting_room.domain.counting import YesNo
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import BallotChannel, PollKind, PollStatus
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.models.voting import (
    Ballot,
    CardAssignment,
    CardReading,
    Participation,
    Poll,
)
from meeting_room.voting.ballots import Vote, cast_ballot
from meeting_room.voting.schemas import CardList, CardOut, CardSeen, CardsSummary

CARD_ANSWERS = {"A": YesNo.FOR, "B": YesNo.AGAINST, "C": YesNo.ABSTAIN}
UNREAD = "?"  # a card the photo saw but could not read for sure (two answers, or unclear)


def card_answer(poll: Poll, letter: str) -> str | None:
    """The option a card letter stands for (A/B/C for/against/abstain; A–D the first options)."""
    if poll.kind == PollKind.YES_NO:
        return CARD_ANSWERS.get(letter)
    index = "ABCD".find(letter)
    return poll.options[index] if 0 <= index < len(poll.options) else None


def holders(session: Session, meeting_id: int) -> dict[int, Member]:
    """Each handed card's number and its holder."""
    rows = session.execute(
        select(CardAssignment.number, Member)
        .join(Member, CardAssignment.member_id == Member.id)
        .where(CardAssignment.meeting_id == meeting_id)
    ).all()
    return {number: member for number, member in rows}


def hand_card(session: Session, meeting: Meeting, number: int, member_id: int) -> None:
    """Record that a member holds card ``number``: their earlier card is taken back; a card
    another member holds is refused."""
    if session.get(Member, member_id) is None:
        raise Refusal(Problem.MEMBER_NOT_FOUND, member_id=member_id)
    taken = session.get(CardAssignment, (meeting.id, number))
    if taken is not None and taken.member_id != member_id:
        raise Refusal(Problem.CARD_TAKEN, number=number)
    earlier = session.scalars(
        select(CardAssignment).where(
            CardAssignment.meeting_id == meeting.id, CardAssignment.member_id == member_id
        )
    ).first()
    if earlier is not None and earlier.number != number:
        session.delete(earlier)
        session.flush()
    if taken is None:
        session.add(CardAssignment(meeting_id=meeting.id, number=number, member_id=member_id))


def check_photo_wanted(poll: Poll) -> None:
    """Refuse a photo of the room unless the poll is open (its cards count only then)."""
    if poll.status != PollStatus.OPEN:
        raise Refusal(Problem.POLL_NOT_OPEN)


def photos_taken(session: Session, poll: Poll) -> int:
    """How many photos of the room this poll has."""
    taken = session.scalar(
        select(func.max(CardReading.photo)).where(CardReading.poll_id == poll.id)
    )
    return taken or 0


def record_photo(
    session: Session,
    poll: Poll,
    readings: Iterable[tuple[int, str]],
    unread: Iterable[int],
    now: datetime,
) -> None:
    """Store the next photo's readings (card number, letter); ``unread`` cards were seen but
    not read for sure, so an earlier photo of them no longer counts."""
    check_photo_wanted(poll)
    photo = photos_taken(session, poll) + 1
    for number, answer in readings:
        session.add(
            CardReading(poll_id=poll.id, photo=photo, number=number, answer=answer, taken_at=now)
        )
    for number in unread:
        session.add(
            CardReading(poll_id=poll.id, photo=photo, number=number, answer=UNREAD, taken_at=now)
        )


def latest_readings(session: Session, poll: Poll) -> dict[int, CardReading]:
    """Each card as the latest photo that saw it shows it, unclear ones (``UNREAD``) too."""
    seen: dict[int, CardReading] = {}
    for reading in session.scalars(
        select(CardReading).where(CardReading.poll_id == poll.id).order_by(CardReading.photo)
    ):
        seen[reading.number] = reading
    return seen


def latest_cards(session: Session, poll: Poll) -> dict[int, CardReading]:
    """Each card as the latest photo that saw it shows it (unread in that photo: missing)."""
    return {n: r for n, r in latest_readings(session, poll).items() if r.answer != UNREAD}


def apply_cards(
    session: Session, poll: Poll, secret_key: str, now: datetime
) -> list[dict[str, object]]:
    """Cast the latest reading of every assigned card; report those that cannot count."""
    problems: list[dict[str, object]] = []
    handed = {
        a.number: a.member_id
        for a in session.scalars(
            select(CardAssignment).where(CardAssignment.meeting_id == poll.meeting_id)
        )
    }
    for number, reading in sorted(latest_cards(session, poll).items()):
        member_id = handed.get(number)
        choice = card_answer(poll, reading.answer)
        if member_id is None or choice is None:
            problems.append(
                {"card": number, "problem": "unassigned" if member_id is None else "no_such_answer"}
            )
            continue
        try:
            cast_ballot(
                session,
                poll,
                Vote(
                    member_id,
                    (choice,),
                    BallotChannel.CARD,
                    client_id=secrets.token_hex(16),
                    at=reading.taken_at,
                ),
                secret_key,
                now,
            )
        except Refusal as refusal:
            problems.append(
                {
                    "card": number,
                    "problem": refusal.problem.value,
                    "channel": refusal.params.get("channel"),
                }
            )
    return problems


def _card_out(number: int, member: Member) -> CardOut:
    return CardOut(number=number, member_id=member.id, name=member.name, address=member.address)


def card_list(session: Session, meeting: Meeting) -> CardList:
    """The meeting's handed cards, by number."""
    handed = holders(session, meeting.id)
    return CardList(cards=[_card_out(n, m) for n, m in sorted(handed.items())])


def cards_summary(session: Session, poll: Poll) -> CardsSummary:
    """What the photos of a poll show so far: the cards seen, those seen but not read clearly,
    the handed cards missing, and the cards whose holder already voted another way.

    In a secret poll the clerk learns which cards were seen, never what they show: a seen
    card comes without its answer or its holder (the list of handed cards names holders).
    """
    handed = holders(session, poll.meeting_id)
    readings = latest_readings(session, poll)
    latest = {n: r for n, r in readings.items() if r.answer != UNREAD}
    unclear = sorted(n for n, r in readings.items() if r.answer == UNREAD)
    return CardsSummary(
        photos=photos_taken(session, poll),
        secret=poll.secret,
        seen=[_seen(poll, n, r.answer, handed.get(n)) for n, r in sorted(latest.items())],
        unclear=[_card_out(n, handed[n]) for n in unclear if n in handed],
        missing=[_card_out(n, m) for n, m in sorted(handed.items()) if n not in readings],
        problems=_voted_otherwise(session, poll, handed, latest),
    )


def _seen(poll: Poll, number: int, answer: str, holder: Member | None) -> CardSeen:
    if poll.secret:
        return CardSeen(number=number, answer=None, choice=None, member_id=None, name=None)
    return CardSeen(
        number=number,
        answer=answer,
        choice=card_answer(poll, answer),
        member_id=holder.id if holder else None,
        name=holder.name if holder else None,
    )


def _voted_otherwise(
    session: Session, poll: Poll, handed: dict[int, Member], latest: dict[int, CardReading]
) -> list[dict[str, Any]]:
    found = []
    for number in sorted(latest):
        member = handed.get(number)
        if member is None:
            continue
        voted = session.get(Participation, (poll.id, member.id))
        if voted is None or voted.channel == BallotChannel.CARD:
            continue
        problem = Problem.ALREADY_VOTED
        if not poll.secret:  # the latest counts: the card, if photographed after that ballot
            cast_at = session.scalar(
                select(Ballot.cast_at).where(
                    Ballot.poll_id == poll.id, Ballot.member_id == member.id
                )
            )
            if cast_at is None or latest[number].taken_at > cast_at:
                continue
            problem = Problem.LATER_BALLOT_COUNTS
        found.append(
            {
                "card": number,
                "problem": problem.value,
                "channel": voted.channel,
                "name": member.name,
            }
        )
    return found
