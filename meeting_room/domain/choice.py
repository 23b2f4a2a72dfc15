"""Counting a choice poll ("one of N", "up to K of N"): tallies per option, a ranking, and who
takes the poll's K places.

Ties are reported as ties: the ranking is a list of groups of options with equal support. The
places go down the ranking a whole group at a time; a group that holds more options than the
places left (9/9/9/8 for 2 places) is a **tie for the last places**: none of it is chosen, and
the count says so. Yishi never breaks such a tie itself (no lot, no poll order, no seniority):
the hall decides, by a run-off among the tied options or by a rule the moderator announced
before the vote. An option nobody chose takes no place; places left then stay unfilled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import groupby

from meeting_room.domain.counting import Ballot, Base, Tally, Weighting, ballots_by_voter


@dataclass(frozen=True)
class ChoiceOutcome:
    """Support per option (in the poll's order), every ballot cast, the ranking by weighting,
    and the places: those chosen, a tie for the last places (if any), and places unfilled."""

    weighting: Weighting
    tallies: Mapping[str, Tally]
    cast: Tally
    ranking: tuple[tuple[str, ...], ...]
    places: int
    chosen: tuple[str, ...]
    tied: tuple[str, ...]
    tied_places: int

    @property
    def unfilled(self) -> int:
        """Places nobody takes: left to a tie, or for want of options anyone chose."""
        return self.places - len(self.chosen)


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
    _check_poll(options, max_choices)
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
    cast = Tally.of(base.eligible[voter] for voter in by_voter)
    return judge_choice(weighting, tallies, cast, options, max_choices)


def judge_choice(
    weighting: Weighting,
    tallies: Mapping[str, Tally],
    cast: Tally,
    options: Sequence[str],
    places: int,
) -> ChoiceOutcome:
    """Rank a choice poll from its tallies alone (a secret poll keeps nothing else) and fill
    its ``places`` (a poll of "up to K of N" has K places) down the ranking."""
    _check_poll(options, places)
    tallies = {option: tallies.get(option, Tally()) for option in options}

    def support(option: str) -> Fraction:
        return tallies[option].by(weighting)

    ordered = sorted(options, key=support, reverse=True)  # stable: ties keep the poll's order
    ranking = tuple(tuple(group) for _, group in groupby(ordered, key=support))
    chosen: list[str] = []
    tied: tuple[str, ...] = ()
    for group in ranking:
        left = places - len(chosen)
        if not left or not support(group[0]):
            break
        if len(group) > left:
            tied = group
            break
        chosen.extend(group)
    tied_places = places - len(chosen) if tied else 0
    return ChoiceOutcome(
        weighting, tallies, cast, ranking, places, tuple(chosen), tied, tied_places
    )


def _check_poll(options: Sequence[str], places: int) -> None:
    if not options or len(set(options)) != len(options):
        raise ValueError(f"a choice poll needs distinct options, not {list(options)}")
    if not 1 <= places <= len(options):
        raise ValueError(f"max_choices must lie in [1, {len(options)}], not {places}")
