"""Paper answer cards in a poll: the latest photo of each card becomes its holder's ballot."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.domain.problems import Refusal
from meeting_room.domain.words import BallotChannel, PollKind
from meeting_room.store.models.voting import CardAssignment, CardReading, Poll
from meeting_room.voting.ballots import Vote, cast_ballot

CARD_ANSWERS = {"A": "for", "B": "against", "C": "abstain"}


def card_answer(poll: Poll, letter: str) -> str | None:
    """The option a card letter stands for (A/B/C for/against/abstain; A–D the first options)."""
    if poll.kind == PollKind.YES_NO:
        return CARD_ANSWERS.get(letter)
    index = "ABCD".find(letter)
    return poll.options[index] if 0 <= index < len(poll.options) else None


UNREAD = "?"  # a card the photo saw but could not read for sure (two answers, or unclear)


def latest_cards(session: Session, poll: Poll) -> dict[int, CardReading]:
    """Each card as the latest photo that saw it shows it (unread in that photo: missing)."""
    seen: dict[int, CardReading] = {}
    for reading in session.scalars(
        select(CardReading).where(CardReading.poll_id == poll.id).order_by(CardReading.photo)
    ):
        seen[reading.number] = reading
    return {number: r for number, r in seen.items() if r.answer != UNREAD}


def apply_cards(
    session: Session, poll: Poll, secret_key: str, now: datetime
) -> list[dict[str, object]]:
    """Cast the latest reading of every assigned card; report those that cannot count."""
    problems: list[dict[str, object]] = []
    holders = {
        a.number: a.member_id
        for a in session.scalars(
            select(CardAssignment).where(CardAssignment.meeting_id == poll.meeting_id)
        )
    }
    for number, reading in sorted(latest_cards(session, poll).items()):
        member_id = holders.get(number)
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
                Vote(member_id, (choice,), BallotChannel.CARD, client_id=secrets.token_hex(16)),
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
