"""Closing a poll: the exact count with its clauses, and the chained published ballot list."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from meeting_room.domain import counting, shares
from meeting_room.domain.chain import chain
from meeting_room.domain.choice import judge_choice
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.receipts import typed_receipt
from meeting_room.domain.words import BallotChannel, PollKind, PollStatus
from meeting_room.meetings.meetings import bump_version
from meeting_room.store.models.roster import Member
from meeting_room.store.models.voting import (
    Ballot,
    BallotChange,
    CardReading,
    Participation,
    Poll,
    PollTally,
    PollVoter,
    PublishedEntry,
)
from meeting_room.voice.announcements import PollOutcome
from meeting_room.voting.cards import apply_cards
from meeting_room.voting.polls import options_of, poll_meeting
from meeting_room.voting.seals import seal_closing


def poll_base(session: Session, poll: Poll) -> counting.Base:
    """The base fixed when the poll opened: who may vote (area, weight) and who was present."""
    voters = session.scalars(select(PollVoter).where(PollVoter.poll_id == poll.id)).all()
    return counting.Base.of(
        (counting.Voter(v.member_id, Fraction(v.area_m2), Fraction(v.weight)) for v in voters),
        (v.member_id for v in voters if v.present),
    )


def poll_tallies(session: Session, poll: Poll) -> dict[str, counting.Tally]:
    """The running tallies kept with each ballot (by option)."""
    rows = session.scalars(select(PollTally).where(PollTally.poll_id == poll.id)).all()
    return {
        t.option: counting.Tally(Fraction(t.headcount), Fraction(t.area_m2), Fraction(t.weight))
        for t in rows
    }


PLACES = {counting.Weighting.HEADCOUNT: 0, counting.Weighting.AREA: 2, counting.Weighting.CUSTOM: 4}


def _voters(session: Session, poll: Poll, base: counting.Base) -> counting.Tally:
    """Everyone who cast a ballot, once each (a choice ballot may support several options)."""
    taking_part = session.scalars(
        select(Participation.member_id).where(Participation.poll_id == poll.id)
    )
    return counting.Tally.of(base.eligible[m] for m in taking_part if m in base.eligible)


def _clause(clause: counting.Clause) -> dict[str, object]:
    """A clause as stored and shown; ``exact`` when one decimal would mislead (``shares``):
    then ``fraction`` (the counts, "200/300") and a finer ``percent`` are what is shown."""
    figure = shares.shown(clause.share, [clause.threshold])
    places = PLACES[clause.basis]
    return {
        "stage": clause.stage.value,
        "basis": clause.basis.value,
        "numerator": str(clause.numerator),
        "denominator": str(clause.denominator),
        "threshold": f"{clause.threshold.numerator}/{clause.threshold.denominator}",
        "comparison": clause.comparison.value,
        "met": clause.met,
        "percent": figure.percent,
        "exact": figure.exact,
        "fraction": (
            f"{shares.amount(clause.numerator, places)}/{shares.amount(clause.denominator, places)}"
        ),
    }


def _share_text(part: Fraction, whole: Fraction, judged: dict[Fraction, list[Fraction]]) -> str:
    """An option's share of those who voted; exact like its clause when it is that clause's
    share (art. 278's approval, or those present when all of them voted), else one decimal."""
    if not whole:
        return "0.0"
    share = part / whole
    return shares.shown(share, judged.get(share, [])).percent


def count(session: Session, poll: Poll) -> dict[str, object]:
    """The poll's result from its tallies and base, as stored and shown (exact, with clauses).

    Decided by the domain's functions alone (``counting.judge_yes_no``, ``choice.judge_choice``),
    which ``yishi verify`` also recounts with: they are the one source of a count.
    """
    base = poll_base(session, poll)
    tallies = poll_tallies(session, poll)
    everyone = counting.Tally.of(base.eligible.values())
    weighting = counting.Weighting(poll.weighting)
    rule = counting.Rule(poll.rule)
    voters = _voters(session, poll, base)
    outcome = None
    if poll.kind == PollKind.YES_NO:
        outcome = counting.judge_yes_no(
            rule, weighting, base, {counting.YesNo(k): v for k, v in tallies.items()}
        )
    # Each share a clause judged, with its threshold: the same share is shown the same way.
    judged: dict[Fraction, list[Fraction]] = {}
    for clause in outcome.clauses if outcome else ():
        judged.setdefault(clause.share, []).append(clause.threshold)
    cast = int(voters.headcount)
    result: dict[str, object] = {
        "kind": poll.kind,
        "rule": poll.rule,
        "weighting": poll.weighting,
        "eligible": {"headcount": len(base.eligible), "area": _m2(everyone.area)},
        "present": len(base.present),
        "cast": cast,
        "tallies": {
            option: {
                "headcount": int(t.headcount),
                "area": _m2(t.area),
                "weight": str(t.weight),
                "percent_headcount": _share_text(t.headcount, Fraction(cast), judged),
                "percent_area": _share_text(t.area, voters.area, judged),
            }
            for option, t in tallies.items()
        },
    }
    if outcome is not None:
        result |= {
            "passed": outcome.passed,
            "summary": outcome.summary_key.value,
            "clauses": [_clause(c) for c in outcome.clauses],
        }
    else:
        ranked = judge_choice(weighting, tallies, voters, options_of(poll), poll.max_choices)
        result |= {
            "passed": None,
            "summary": "tied" if ranked.tied else "ranked",
            "places": ranked.places,
            "chosen": list(ranked.chosen),
            "tie": {"options": list(ranked.tied), "places": ranked.tied_places}
            if ranked.tied
            else None,
            "unfilled": ranked.unfilled,
            "ranking": [option for group in ranked.ranking for option in group],
        }
    return result


def spoken_outcome(result: dict[str, Any] | None, words: dict[str, str] | None) -> PollOutcome:
    """What the room hears of a counted result (``count``'s dict, and its ``explanations``:
    a choice poll's places are said as they are shown)."""
    result = result or {}
    tallies = result.get("tallies", {})
    votes = [tallies.get(option, {}).get("headcount", 0) for option in counting.YesNo]
    return PollOutcome(
        passed=result.get("passed"),
        votes=(votes[0], votes[1], votes[2]),
        places=dict(words or {}) if result.get("passed") is None else {},
    )


def _m2(value: Fraction) -> str:
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01")))


def published_texts(session: Session, poll: Poll) -> list[str]:
    """The ballot list as published: receipt and choice (secret), or name and choice (named).

    Sorted by receipt (secret) or by member number (named): never by time.
    """
    ballots = session.scalars(select(Ballot).where(Ballot.poll_id == poll.id)).all()
    if poll.secret:
        return sorted(f"{b.receipt} {'+'.join(b.choices)}" for b in ballots)
    members = {
        m.id: m
        for m in session.scalars(
            select(Member).where(
                Member.id.in_([b.member_id for b in ballots if b.member_id is not None])
            )
        )
    }
    lines = [
        (members[b.member_id].member_no, members[b.member_id].name, b.receipt, b.choices)
        for b in ballots
        if b.member_id is not None
    ]
    return [f"{no} {name} {receipt} {'+'.join(c)}" for no, name, receipt, c in sorted(lines)]


def chain_seed(poll: Poll) -> str:
    """What the first hash of a poll's ballot list covers."""
    opened = poll.opened_at.isoformat() if poll.opened_at else ""
    return f"yishi poll {poll.id}|{poll.question}|opened {opened}"


def close_poll(
    session: Session, poll: Poll, secret_key: str, now: datetime
) -> list[dict[str, object]]:
    """Close an open poll: cast the cards seen last, count, publish the chained ballot list.

    Returns the card readings that could not become ballots (and why).
    """
    if poll.status != PollStatus.OPEN:
        raise Refusal(Problem.POLL_NOT_OPEN)
    card_problems = apply_cards(session, poll, secret_key, now)
    if poll.secret:
        # The photos' readings (card number → answer) and the card holders would pair a member
        # with their choice: once they are ballots, the readings go.
        session.execute(delete(CardReading).where(CardReading.poll_id == poll.id))
    poll.status = PollStatus.CLOSED
    poll.closed_at = now
    result = count(session, poll)
    result["card_problems"] = card_problems
    poll.result = result
    texts = published_texts(session, poll)
    hashes = chain(chain_seed(poll), texts)
    for position, (text, digest) in enumerate(zip(texts, hashes, strict=True), start=1):
        session.add(PublishedEntry(poll_id=poll.id, position=position, text=text, hash=digest))
    poll.final_hash = hashes[-1] if hashes else chain(chain_seed(poll), [""])[0]
    bump_version(poll_meeting(session, poll))
    seal_closing(session, poll)  # last: the chain's head at closing, shown with the result
    return card_problems


def replaced_by_cards(session: Session, poll: Poll) -> list[int]:
    """The members whose named ballot a card replaced (cards are cast only at closing)."""
    return list(
        session.scalars(
            select(BallotChange.member_id).where(
                BallotChange.poll_id == poll.id, BallotChange.channel == BallotChannel.CARD
            )
        )
    )


def publish_poll(session: Session, poll: Poll, now: datetime) -> Poll:
    """Make a closed poll's result public (board, minutes)."""
    if poll.status != PollStatus.CLOSED:
        raise Refusal(Problem.POLL_NOT_CLOSED)
    poll.status = PollStatus.PUBLISHED
    poll.published_at = now
    bump_version(poll_meeting(session, poll))
    return poll


def published_entries(session: Session, poll: Poll) -> list[PublishedEntry]:
    """A closed poll's published ballot list, in order (empty until it closes)."""
    return list(
        session.scalars(
            select(PublishedEntry)
            .where(PublishedEntry.poll_id == poll.id)
            .order_by(PublishedEntry.position)
        )
    )


def check_receipt(session: Session, poll: Poll, code: str) -> PublishedEntry | None:
    """The published line of a receipt code (closed polls only), typed as the phone shows it
    ("TW5N X6AE") or in any case."""
    wanted = typed_receipt(code)
    if poll.status not in (PollStatus.CLOSED, PollStatus.PUBLISHED) or len(wanted) != 8:
        return None
    for entry in session.scalars(select(PublishedEntry).where(PublishedEntry.poll_id == poll.id)):
        if wanted in entry.text.split(" "):
            return entry
    return None


def receipt_choices(session: Session, poll: Poll, code: str) -> list[str]:
    """The choices counted under a receipt code of a closed poll (empty if none)."""
    if poll.status not in (PollStatus.CLOSED, PollStatus.PUBLISHED):
        return []
    ballot = session.scalars(
        select(Ballot).where(Ballot.poll_id == poll.id, Ballot.receipt == typed_receipt(code))
    ).first()
    return list(ballot.choices) if ballot else []


def verify_published(session: Session, poll: Poll) -> int | None:
    """Re-check a closed poll's ballot list against the ballots stored now.

    Returns the first position (1-based) where the stored list, its hashes or the ballots
    disagree, or None when everything matches its final hash.
    """
    stored = published_entries(session, poll)
    texts = published_texts(session, poll)
    hashes = chain(chain_seed(poll), texts)
    for position, (text, digest) in enumerate(zip(texts, hashes, strict=False), start=1):
        if position > len(stored):
            return position
        entry = stored[position - 1]
        if entry.text != text or entry.hash != digest:
            return position
    if len(stored) != len(texts):
        return min(len(stored), len(texts)) + 1
    final = hashes[-1] if hashes else chain(chain_seed(poll), [""])[0]
    return None if final == poll.final_hash else max(len(texts), 1)
