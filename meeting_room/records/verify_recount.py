"""Recounting a closed poll from its ballots, with the domain's own counting, and holding every
stored copy of its result against the recount.

A named poll's ballots name their voters: the whole count (headcount, area, weight, verdict)
comes again from the ballots and the base fixed at opening (``domain.counting``,
``domain.choice``). A secret poll's ballots name nobody, by design, so only the headcount of
each option comes from the ballots; its area and weight are the tallies kept as each ballot
came, held against the area of everyone who took part (each ballot of a one-choice poll adds
its voter's area to exactly one option) and against the count sealed at closing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from meeting_room.domain import counting
from meeting_room.domain.choice import count_choice, judge_choice
from meeting_room.domain.problems import Refusal
from meeting_room.domain.words import PollKind
from meeting_room.records.verify_report import Check, Flaw
from meeting_room.store.models.voting import Ballot, Participation, Poll
from meeting_room.voting.ballots import checked_choices
from meeting_room.voting.polls import options_of
from meeting_room.voting.results import poll_base, poll_tallies


@dataclass(frozen=True)
class Count:
    """A poll's count in one shape, whichever copy it comes from; None where a copy is silent."""

    cast: int | None
    tallies: Mapping[str, counting.Tally]
    passed: bool | None = None
    chosen: frozenset[str] | None = None  # a choice poll's options taking its places
    eligible: int | None = None
    present: int | None = None


def _fraction(value: Any) -> Fraction:
    return Fraction(Decimal(str(value))) if "/" not in str(value) else Fraction(str(value))


def from_result(result: Mapping[str, Any]) -> Count:
    """A stored or sealed result (``voting.results.count``'s dict, or the seal's part of it)."""
    tallies = {
        option: counting.Tally(
            Fraction(int(t.get("headcount") or 0)),
            _fraction(t.get("area") or 0),
            _fraction(t.get("weight") or 0),
        )
        for option, t in (result.get("tallies") or {}).items()
    }
    # Results stored before the places rule kept "leaders" (the most votes), not "chosen":
    # a copy without "chosen" is silent on it.
    chosen = result.get("chosen")
    eligible = result.get("eligible")
    return Count(
        cast=result.get("cast"),
        tallies=tallies,
        passed=result.get("passed"),
        chosen=frozenset(chosen) if chosen is not None else None,
        eligible=eligible.get("headcount") if isinstance(eligible, dict) else None,
        present=result.get("present"),
    )


def _chosen(
    poll: Poll, tallies: Mapping[str, counting.Tally], base: counting.Base, voters: set[int]
) -> frozenset[str]:
    """The options taking a choice poll's places, judged again from the recounted tallies."""
    took_part = counting.Tally.of(base.eligible[v] for v in voters if v in base.eligible)
    weighting = counting.Weighting(poll.weighting)
    ranked = judge_choice(weighting, tallies, took_part, options_of(poll), poll.max_choices)
    return frozenset(ranked.chosen)


Ballots = Sequence[Row[str, list[str], int | None]]  # receipt, choices, member (named only)


def _ballots_fit(poll: Poll, ballots: Ballots, check: Check) -> bool:
    """Whether every ballot holds a valid choice, as the app admits it (each one that does not
    is a flaw)."""
    every = True
    for ballot in ballots:
        try:
            fits = checked_choices(poll, tuple(ballot.choices)) == tuple(ballot.choices)
        except Refusal:
            fits = False
        if not fits:
            every = False
            check.add(Flaw.BALLOTS_INVALID, receipt=ballot.receipt, choices=list(ballot.choices))
    return every


def _named(poll: Poll, base: counting.Base, ballots: Ballots) -> dict[str, counting.Tally]:
    """Every figure of a named poll from its ballots and base (``domain`` raises ValueError
    for a ballot from outside the base, or a second one)."""
    cast = [counting.Ballot(b.member_id or 0, frozenset(b.choices)) for b in ballots]
    rule, weighting = counting.Rule(poll.rule), counting.Weighting(poll.weighting)
    if poll.kind == PollKind.YES_NO:
        outcome = counting.count_yes_no(rule, weighting, base, cast)
        return {str(option): tally for option, tally in outcome.tallies.items()}
    chosen = count_choice(weighting, base, cast, options_of(poll), poll.max_choices)
    return dict(chosen.tallies)


def _secret(
    poll: Poll, ballots: Ballots, stored: Mapping[str, counting.Tally]
) -> dict[str, counting.Tally]:
    """A secret poll's headcounts from its ballots, its areas and weights as kept running."""
    tallies = {}
    for option in options_of(poll):
        kept = stored.get(option, counting.Tally())
        heads = Fraction(sum(1 for b in ballots if option in b.choices))
        tallies[option] = counting.Tally(heads, kept.area, kept.weight)
    return tallies


def recount(session: Session, poll: Poll, check: Check) -> Count | None:
    """The poll counted again from its ballots (None, with the flaws, when they cannot be)."""
    ballots = session.execute(
        select(Ballot.receipt, Ballot.choices, Ballot.member_id).where(Ballot.poll_id == poll.id)
    ).all()
    voters = set(
        session.scalars(select(Participation.member_id).where(Participation.poll_id == poll.id))
    )
    base = poll_base(session, poll)
    has_base = bool(base.eligible)  # a purge removes the base and who voted
    named = has_base and not poll.secret
    holders = {b.member_id for b in ballots} if named else None
    if has_base and (len(ballots) != len(voters) or holders not in (None, voters)):
        check.add(Flaw.BALLOTS_NOT_PARTICIPANTS, ballots=len(ballots), voters=len(voters))
    if not _ballots_fit(poll, ballots, check):
        return None
    try:
        tallies = (
            _named(poll, base, ballots)
            if named
            else _secret(poll, ballots, poll_tallies(session, poll))
        )
    except ValueError as error:
        check.add(Flaw.BALLOTS_INVALID, reason=str(error))
        return None
    if has_base and not named and poll.max_choices == 1:
        _check_area_sum(base, voters, tallies, check)
    weighting = counting.Weighting(poll.weighting)
    passed = None
    if poll.kind == PollKind.YES_NO and has_base:
        yes_no = {counting.YesNo(o): t for o, t in tallies.items()}
        passed = counting.judge_yes_no(counting.Rule(poll.rule), weighting, base, yes_no).passed
    return Count(
        cast=len(ballots),
        tallies=tallies,
        passed=passed,
        chosen=_chosen(poll, tallies, base, voters) if poll.kind == PollKind.CHOICE else None,
        eligible=len(base.eligible) if has_base else None,
        present=len(base.present) if has_base else None,
    )


def _check_area_sum(
    base: counting.Base, voters: set[int], tallies: Mapping[str, counting.Tally], check: Check
) -> None:
    """In a one-choice secret poll, the options' areas and weights add up to the voters'."""
    took_part = counting.Tally.of(base.eligible[v] for v in voters if v in base.eligible)
    summed = sum(tallies.values(), counting.Tally())
    for what in ("area", "weight"):
        want, have = getattr(took_part, what), getattr(summed, what)
        if want != have:
            check.add(Flaw.AREA_SUM_DIFFERS, what=what, tallies=_text(have), voters=_text(want))


def _text(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.0001")))


def compare(check: Check, flaw: Flaw, copy: Count, recounted: Count) -> None:
    """Every figure ``copy`` holds that differs from the recount, as ``flaw``."""

    def differs(what: str, option: str, found: Any, want: Any) -> None:
        check.add(flaw, what=what, option=option, found=found, recount=want)

    for what in ("cast", "passed", "eligible", "present"):
        found, want = getattr(copy, what), getattr(recounted, what)
        if found is not None and want is not None and found != want:
            differs(what, "", found, want)
    if None not in (copy.chosen, recounted.chosen) and copy.chosen != recounted.chosen:
        differs("chosen", "", sorted(copy.chosen or ()), sorted(recounted.chosen or ()))
    for option, want in recounted.tallies.items():
        found = copy.tallies.get(option, counting.Tally())
        for what in ("headcount", "area", "weight"):
            if getattr(found, what) != getattr(want, what):
                differs(what, option, _text(getattr(found, what)), _text(getattr(want, what)))


def stored_tallies(session: Session, poll: Poll) -> Count:
    """The running tallies kept with each ballot, as a count."""
    return Count(cast=None, tallies=poll_tallies(session, poll))
