"""Counting rules for yes/no polls: pure functions over exact rationals, explained as data.

Every share is compared on ``Fraction``: "at least 2/3" is met at exactly 2/3, "more than
half" is not met at exactly 1/2. A share of nothing (a zero denominator) meets nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction


class Rule(StrEnum):
    """How a yes/no poll is decided."""

    SIMPLE_MAJORITY = "simple_majority"  # > 1/2 of for + against; abstentions ignored
    MAJORITY_PRESENT = "majority_present"  # > 1/2 of those present when the poll opened
    TWO_THIRDS_PRESENT = "two_thirds_present"  # >= 2/3 of those present
    # Civil Code art. 278 (in force since 2021), para. 2: every matter of para. 1 but items
    # (6)-(8), using the maintenance fund (使用维修资金, item 5) included: more than half.
    ART278_ORDINARY = "art278_ordinary"
    # art. 278 para. 1 items (6)-(8): raising the maintenance fund (筹集维修资金, item 6, not
    # using it), rebuilding or reconstructing, changing the use of common parts or running a
    # business on them: at least 3/4.
    ART278_MAJOR = "art278_major"


class Weighting(StrEnum):
    """What a ballot weighs under the simple rules (art. 278 always uses headcount and area)."""

    HEADCOUNT = "headcount"
    AREA = "area"
    CUSTOM = "custom"


class YesNo(StrEnum):
    """The three answers of a yes/no poll (赞成 / 反对 / 弃权)."""

    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


class Stage(StrEnum):
    """What a clause measures: who took part, or who approved."""

    PARTICIPATION = "participation"
    APPROVAL = "approval"


class Comparison(StrEnum):
    """How a share is held against its threshold."""

    MORE_THAN = "more_than"
    AT_LEAST = "at_least"


class Summary(StrEnum):
    """Why a poll passed or failed, in one word for the presentation layer."""

    PASSED = "passed"
    NO_BALLOTS = "no_ballots"
    PARTICIPATION_NOT_REACHED = "participation_not_reached"
    APPROVAL_NOT_REACHED = "approval_not_reached"


@dataclass(frozen=True)
class Voter:
    """An eligible member as the count sees them: exclusive area and a custom weight."""

    id: int
    area: Fraction
    weight: Fraction = Fraction(1)

    def __post_init__(self) -> None:
        if self.area < 0 or self.weight < 0:
            raise ValueError(f"voter {self.id}: area and weight cannot be negative")


@dataclass(frozen=True)
class Ballot:
    """One voter's ballot: for yes/no polls exactly one of ``YesNo``'s values."""

    voter: int
    choices: frozenset[str]


@dataclass(frozen=True)
class Base:
    """Who may vote (id → voter) and who of them was present, both fixed when the poll opens.

    For the art. 278 rules ``eligible`` must be all the owners (and only them: no tenant, no
    property staff), not only those in the room; ``voting.polls`` refuses any other base.
    """

    eligible: Mapping[int, Voter]
    present: frozenset[int]

    def __post_init__(self) -> None:
        if any(key != voter.id for key, voter in self.eligible.items()):
            raise ValueError("the eligible base must be keyed by voter id")
        if not self.present <= self.eligible.keys():
            raise ValueError(
                f"present but not eligible: {sorted(self.present - self.eligible.keys())}"
            )

    @classmethod
    def of(cls, voters: Iterable[Voter], present: Iterable[int]) -> Base:
        """A base from a list of voters and the ids of those present."""
        return cls({voter.id: voter for voter in voters}, frozenset(present))


@dataclass(frozen=True)
class Tally:
    """How much a set of ballots weighs: by headcount, by exclusive area, by custom weight."""

    headcount: Fraction = Fraction(0)
    area: Fraction = Fraction(0)
    weight: Fraction = Fraction(0)

    @classmethod
    def of(cls, voters: Iterable[Voter]) -> Tally:
        """The tally of these voters, one ballot each."""
        return sum((cls(Fraction(1), voter.area, voter.weight) for voter in voters), cls())

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.headcount + other.headcount, self.area + other.area, self.weight + other.weight
        )

    def by(self, weighting: Weighting) -> Fraction:
        """The one figure that counts under ``weighting``."""
        figures = {Weighting.HEADCOUNT: self.headcount, Weighting.AREA: self.area}
        return figures.get(weighting, self.weight)


@dataclass(frozen=True)
class Clause:
    """One threshold, checked: ``numerator``/``denominator`` against ``threshold``."""

    stage: Stage
    basis: Weighting
    numerator: Fraction
    denominator: Fraction
    threshold: Fraction
    comparison: Comparison

    @property
    def share(self) -> Fraction:
        """The share measured; a share of nothing is 0."""
        return self.numerator / self.denominator if self.denominator else Fraction(0)

    @property
    def met(self) -> bool:
        """Whether the share clears the (positive) threshold; a share of nothing never does."""
        if self.comparison is Comparison.MORE_THAN:
            return self.share > self.threshold
        return self.share >= self.threshold


@dataclass(frozen=True)
class Outcome:
    """The verdict of a yes/no poll, the tallies it was drawn from, and every clause checked."""

    rule: Rule
    tallies: Mapping[YesNo, Tally]
    clauses: tuple[Clause, ...]

    @property
    def passed(self) -> bool:
        """True when every clause is met."""
        return all(clause.met for clause in self.clauses)

    @property
    def cast(self) -> Tally:
        """Every ballot cast, abstentions included."""
        return sum(self.tallies.values(), Tally())

    @property
    def summary_key(self) -> Summary:
        """The reason in one word: passed, no ballots, participation or approval short."""
        if self.passed:
            return Summary.PASSED
        if not self.cast.headcount:
            return Summary.NO_BALLOTS
        if any(c.stage is Stage.PARTICIPATION and not c.met for c in self.clauses):
            return Summary.PARTICIPATION_NOT_REACHED
        return Summary.APPROVAL_NOT_REACHED


HALF = Fraction(1, 2)
TWO_THIRDS = Fraction(2, 3)
THREE_QUARTERS = Fraction(3, 4)
PRESENT_RULES = frozenset({Rule.MAJORITY_PRESENT, Rule.TWO_THIRDS_PRESENT})
ART278_RULES = frozenset({Rule.ART278_ORDINARY, Rule.ART278_MAJOR})
APPROVAL: Mapping[Rule, tuple[Fraction, Comparison]] = {
    Rule.SIMPLE_MAJORITY: (HALF, Comparison.MORE_THAN),
    Rule.MAJORITY_PRESENT: (HALF, Comparison.MORE_THAN),
    Rule.TWO_THIRDS_PRESENT: (TWO_THIRDS, Comparison.AT_LEAST),
    Rule.ART278_ORDINARY: (HALF, Comparison.MORE_THAN),
    Rule.ART278_MAJOR: (THREE_QUARTERS, Comparison.AT_LEAST),
}


def ballots_by_voter(base: Base, ballots: Iterable[Ballot]) -> dict[int, frozenset[str]]:
    """Each voter's choices; a ballot from outside the base, or a second one, is a ValueError."""
    by_voter: dict[int, frozenset[str]] = {}
    for ballot in ballots:
        if ballot.voter not in base.eligible:
            raise ValueError(f"voter {ballot.voter} is not in the poll's eligible base")
        if ballot.voter in by_voter:
            raise ValueError(f"voter {ballot.voter} has cast more than one ballot")
        by_voter[ballot.voter] = ballot.choices
    return by_voter


def count_yes_no(
    rule: Rule, weighting: Weighting, base: Base, ballots: Iterable[Ballot]
) -> Outcome:
    """Tally the ballots of a yes/no poll and decide it under ``rule``.

    Raises ValueError for a ballot from outside the base (or, under the rules measured
    against those present, from a member who was not present when the poll opened), a
    second ballot by one voter, or a ballot that is not exactly one of for/against/abstain.
    """
    voters_by_choice: dict[YesNo, list[Voter]] = {choice: [] for choice in YesNo}
    for voter, choices in ballots_by_voter(base, ballots).items():
        if len(choices) != 1 or not choices <= set(YesNo):
            raise ValueError(f"voter {voter}: a yes/no ballot holds one of {list(YesNo)}")
        if rule in PRESENT_RULES and voter not in base.present:
            raise ValueError(f"voter {voter} was not present when the poll opened")
        voters_by_choice[YesNo(next(iter(choices)))].append(base.eligible[voter])
    tallies = {choice: Tally.of(voters) for choice, voters in voters_by_choice.items()}
    return judge_yes_no(rule, weighting, base, tallies)


def judge_yes_no(
    rule: Rule, weighting: Weighting, base: Base, tallies: Mapping[YesNo, Tally]
) -> Outcome:
    """Decide a yes/no poll from its tallies alone (a secret poll keeps nothing else).

    The tallies must come from ballots of the base (under the present rules, of those present).
    """
    tallies = {choice: tallies.get(choice, Tally()) for choice in YesNo}
    approve = tallies[YesNo.FOR]
    threshold, comparison = APPROVAL[rule]
    if rule in ART278_RULES:
        # Civil Code art. 278 para. 2: owners holding >= 2/3 of the exclusive area and >= 2/3
        # of the owners by number take part; of those taking part, more than half (items
        # (6)-(8): at least 3/4) by area and by number approve. Area and number per judicial
        # interpretation 法释〔2009〕7号 (amended 2020) arts. 8 and 9.
        everyone = Tally.of(base.eligible.values())
        taking_part = sum(tallies.values(), Tally())
        clauses = tuple(
            Clause(stage, basis, part.by(basis), whole.by(basis), share, how)
            for stage, part, whole, share, how in (
                (Stage.PARTICIPATION, taking_part, everyone, TWO_THIRDS, Comparison.AT_LEAST),
                (Stage.APPROVAL, approve, taking_part, threshold, comparison),
            )
            for basis in (Weighting.AREA, Weighting.HEADCOUNT)
        )
        return Outcome(rule, tallies, clauses)
    if rule is Rule.SIMPLE_MAJORITY:
        whole = approve + tallies[YesNo.AGAINST]
    else:
        whole = Tally.of(base.eligible[member] for member in base.present)
    approval = Clause(
        Stage.APPROVAL, weighting, approve.by(weighting), whole.by(weighting), threshold, comparison
    )
    return Outcome(rule, tallies, (approval,))
