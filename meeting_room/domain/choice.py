"""Counting a choice poll ("one of N", "up to K of N"): tallies per option and a ranking.

Ties are reported as ties: the ranking is a list of groups of options with equal support.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import groupby

from meeting_room.domain.counting import Ballot, Base, Tally, Weighting, ballots_by_voter


@dataclass(frozen=True)
class ChoiceOutcome:
    """Support per option (in the poll's order), every ballot cast, and the ranking by weighting."""

    weighting: Weighting
    tallies: Mapping[str, Tally]
    cast: Tally
    ranking: tuple[tuple[str, ...], ...]


def count_choice(
    weighting: Weighting,
    base: Base,
    ballots: Iterable[Ballot],
    options: Sequence[str],
    max_choices: int,
) -> ChoiceOutcome:
    """Tally a choice poll; each chosen option gets the voter's full headcount, area and weight.

    A blank ballot (no option chosen) is cast but supports nothing. Raises ValueError for
    a ballot from outside the base, a second ballot by one voter, an unknown option, or more
    than ``max_choices`` options on one ballot (the service validates ballots first).
    """
    if not options or len(set(options)) != len(options):
        raise ValueError(f"a choice poll needs distinct options, not {list(options)}")
    if not 1 <= max_choices <= len(options):
        raise ValueError(f"max_choices must lie in [1, {len(options)}], not {max_choices}")
    supporters: dict[str, list[int]] = {option: [] for option in options}
    by_voter = ballots_by_voter(base, ballots)
    for voter, choices in by_voter.items():
        if len(choices) > max_choices or not choices <= supporters.keys():
            raise ValueError(f"voter {voter}: not a valid choice of up to {max_choices}")
        for option in choices:
            supporters[option].append(voter)
    tallies = {
        option: Tally.of(base.eligible[voter] for voter in voters)
        for option, voters in supporters.items()
    }

    def support(option: str) -> Fraction:
        return tallies[option].by(weighting)

    ordered = sorted(options, key=support, reverse=True)  # stable: ties keep the poll's order
    ranking = tuple(tuple(group) for _, group in groupby(ordered, key=support))
    cast = Tally.of(base.eligible[voter] for voter in by_voter)
    return ChoiceOutcome(weighting, tallies, cast, ranking)
