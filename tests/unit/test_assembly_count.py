"""The per-unit count of an owners' assembly (Civil Code art. 278; 法释〔2009〕7号 art. 9) at its
exact 2/3, 1/2 and 3/4 boundaries, and against a brute-force count in integers."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meeting_room.domain.assembly import (
    MatterKind,
    SecondBallot,
    Unit,
    count_matter,
    item_number,
    persons,
    rule_for,
    second_ballot,
    turnout,
)
from meeting_room.domain.counting import Rule, Stage, Weighting, YesNo

F, A, N = YesNo.FOR, YesNo.AGAINST, YesNo.ABSTAIN
ORDINARY, MAJOR = Rule.ART278_ORDINARY, Rule.ART278_MAJOR


def unit(key: str, owner: str = "", area: int | str = 100, developer: bool = False) -> Unit:
    """A unit of ``area`` m² held by ``owner`` (by default its own key: one owner, one unit)."""
    return Unit(key, owner or key, Fraction(area), developer)


def clause(count_outcome: object, stage: Stage, basis: Weighting) -> Fraction:
    """The share one clause measured."""
    (found,) = [
        c
        for c in count_outcome.clauses  # type: ignore[attr-defined]
        if c.stage is stage and c.basis is basis
    ]
    return found.share


def test_the_matter_decides_the_rule_using_the_fund_is_ordinary_raising_it_is_major() -> None:
    assert rule_for(MatterKind.FUND_USE) is ORDINARY
    assert rule_for(MatterKind.FUND_RAISING) is MAJOR
    assert rule_for(MatterKind.REBUILDING) is MAJOR
    assert rule_for(MatterKind.COMMON_PARTS_USE) is MAJOR
    majors = [k for k in MatterKind if rule_for(k) is MAJOR]
    assert [item_number(k) for k in majors] == [6, 7, 8]


def test_participation_at_exactly_two_thirds_by_area_and_by_number_is_enough() -> None:
    units = [unit("A"), unit("B"), unit("C")]
    count = count_matter(ORDINARY, units, {"A": F, "B": F})
    assert clause(count.outcome, Stage.PARTICIPATION, Weighting.AREA) == Fraction(2, 3)
    assert clause(count.outcome, Stage.PARTICIPATION, Weighting.HEADCOUNT) == Fraction(2, 3)
    assert count.passed


def test_participation_a_square_metre_short_of_two_thirds_fails() -> None:
    units = [unit("A", area=100), unit("B", area=99), unit("C", area=100)]
    count = count_matter(ORDINARY, units, {"A": F, "B": F})
    assert clause(count.outcome, Stage.PARTICIPATION, Weighting.AREA) < Fraction(2, 3)
    assert not count.passed


def test_several_units_of_one_buyer_count_once_by_number_and_their_areas_add_up() -> None:
    # Owner "a" holds A1 and A2: 3 owners by number, not 4 (法释〔2009〕7号 art. 9).
    units = [unit("A1", "a", 50), unit("A2", "a", 50), unit("B"), unit("C")]
    assert len(persons(units)) == 3
    count = count_matter(ORDINARY, units, {"A1": F, "A2": F, "B": F})
    assert clause(count.outcome, Stage.PARTICIPATION, Weighting.HEADCOUNT) == Fraction(2, 3)
    assert clause(count.outcome, Stage.PARTICIPATION, Weighting.AREA) == Fraction(2, 3)
    assert count.passed
    # The buyer alone: 2 of 4 units, but 1 of 3 owners and 1/3 of the area.
    alone = count_matter(ORDINARY, units, {"A1": F, "A2": F})
    assert clause(alone.outcome, Stage.PARTICIPATION, Weighting.HEADCOUNT) == Fraction(1, 3)
    assert not alone.passed


def test_the_developers_units_count_as_one_person_whatever_their_number() -> None:
    units = [unit(f"D{i}", area=10, developer=True) for i in range(5)] + [unit("B"), unit("C")]
    assert len(persons(units)) == 3
    count = count_matter(ORDINARY, units, {"B": F, "C": F})
    # 2 of 3 owners by number (not 2 of 7 units); 200 of 250 m².
    assert clause(count.outcome, Stage.PARTICIPATION, Weighting.HEADCOUNT) == Fraction(2, 3)
    assert clause(count.outcome, Stage.PARTICIPATION, Weighting.AREA) == Fraction(4, 5)
    assert count.passed


def test_more_than_half_at_exactly_half_fails_and_abstentions_do_not_approve() -> None:
    units = [unit(k) for k in "ABCD"]
    tie = count_matter(ORDINARY, units, {"A": F, "B": F, "C": A, "D": A})
    assert clause(tie.outcome, Stage.APPROVAL, Weighting.HEADCOUNT) == Fraction(1, 2)
    assert not tie.passed
    abstained = count_matter(ORDINARY, units, {"A": F, "B": F, "C": A, "D": N})
    assert not abstained.passed
    one_more = count_matter(ORDINARY, units, {"A": F, "B": F, "C": F, "D": A})
    assert one_more.passed


def test_a_major_matter_passes_at_exactly_three_quarters_and_fails_just_below() -> None:
    units = [unit(k) for k in "ABCD"]
    exact = count_matter(MAJOR, units, {"A": F, "B": F, "C": F, "D": A})
    assert clause(exact.outcome, Stage.APPROVAL, Weighting.AREA) == Fraction(3, 4)
    assert exact.passed
    lighter = [unit("A"), unit("B"), unit("C", area=99), unit("D")]
    below = count_matter(MAJOR, lighter, {"A": F, "B": F, "C": F, "D": A})
    assert clause(below.outcome, Stage.APPROVAL, Weighting.HEADCOUNT) == Fraction(3, 4)
    assert clause(below.outcome, Stage.APPROVAL, Weighting.AREA) < Fraction(3, 4)
    assert not below.passed


def test_co_owners_are_one_unit_so_one_ballot() -> None:
    # Co-owners share a unit key: the base has one unit for them (see test_assembly_base).
    units = [unit("A", "x+y"), unit("B"), unit("C")]
    count = count_matter(ORDINARY, units, {"A": F, "B": F})
    assert count.outcome.cast.headcount == 2


def test_a_buyer_whose_units_voted_differently_takes_part_once_and_does_not_approve() -> None:
    units = [unit("A1", "a"), unit("A2", "a"), unit("B")]
    count = count_matter(ORDINARY, units, {"A1": F, "A2": A, "B": F})
    assert count.split_persons == 1
    assert count.outcome.tallies[N].headcount == 1
    assert count.outcome.tallies[F].area == 200


def test_non_voters_never_agree_unless_the_hall_enables_it_and_then_the_count_says_so() -> None:
    units = [unit(k) for k in "ABC"]
    default = count_matter(ORDINARY, units, {"A": F})
    assert not default.passed
    assert default.deemed_units == 0
    enabled = count_matter(ORDINARY, units, {"A": F}, non_voters_agree=True)
    assert enabled.passed
    assert (enabled.deemed_units, enabled.deemed_persons) == (2, 2)


def test_a_ballot_from_outside_the_base_is_refused() -> None:
    with pytest.raises(ValueError, match="outside the base"):
        count_matter(ORDINARY, [unit("A")], {"Z": F})


def test_the_first_ballot_stands_by_default_the_latest_when_the_hall_says_so() -> None:
    assert second_ballot(SecondBallot.FIRST_STANDS, None).stands
    first = second_ballot(SecondBallot.FIRST_STANDS, F)
    assert (first.stands, first.refused, first.supersedes) == (False, True, False)
    latest = second_ballot(SecondBallot.LATEST_STANDS, F)
    assert (latest.stands, latest.refused, latest.supersedes) == (True, False, True)


def test_turnout_counts_a_person_once_and_reaches_at_exactly_two_thirds() -> None:
    units = [unit("A1", "a", 50), unit("A2", "a", 50), unit("B"), unit("C")]
    seen = turnout(units, {"A1", "B"})
    assert (seen.heads, seen.total_heads, seen.units) == (2, 3, 2)
    assert seen.area_share == Fraction(1, 2)
    assert not seen.reached
    assert turnout(units, {"A1", "A2", "B"}).reached


# The brute-force reference: integers only, owners grouped naively, shares compared by
# cross-multiplication; written without the domain's helpers.
def reference(
    rule: Rule,
    units: list[tuple[str, str, int, bool]],
    ballots: Mapping[str, YesNo],
    deem: bool,
) -> tuple[bool, bool]:
    """(participation met, passed) for units given as (key, owner, area, developer)."""
    owners: dict[str, list[tuple[str, int]]] = {}
    for key, owner, area, developer in units:
        owners.setdefault("<developer>" if developer else owner, []).append((key, area))
    total_area = sum(area for _, _, area, _ in units)
    total_heads = len(owners)
    area_by = {F: 0, A: 0, N: 0}
    heads_by = {F: 0, A: 0, N: 0}
    for held in owners.values():
        seen = set()
        for key, area in held:
            if key in ballots:
                area_by[ballots[key]] += area
                seen.add(ballots[key])
            elif deem:
                area_by[F] += area
        if not seen and deem:
            seen = {F}
        if len(seen) == 1:
            heads_by[seen.pop()] += 1
        elif len(seen) > 1:
            heads_by[N] += 1
    part_area = sum(area_by.values())
    part_heads = sum(heads_by.values())
    took_part = (
        total_heads > 0
        and 3 * part_area >= 2 * total_area
        and 3 * part_heads >= 2 * total_heads
        and total_area > 0
    )
    if rule is MAJOR:
        approve = 4 * area_by[F] >= 3 * part_area and 4 * heads_by[F] >= 3 * part_heads
    else:
        approve = 2 * area_by[F] > part_area and 2 * heads_by[F] > part_heads
    approve = approve and part_area > 0 and part_heads > 0
    return took_part, took_part and approve


UNITS = st.lists(
    st.tuples(st.sampled_from("abcde"), st.integers(0, 4), st.booleans()), min_size=1, max_size=9
)


@given(
    rule=st.sampled_from([ORDINARY, MAJOR]),
    raw=UNITS,
    votes=st.lists(st.sampled_from([None, F, A, N]), min_size=9, max_size=9),
    deem=st.booleans(),
)
def test_the_count_agrees_with_a_brute_force_count(
    rule: Rule, raw: list[tuple[str, int, bool]], votes: list[YesNo | None], deem: bool
) -> None:
    units = [(f"u{i}", owner, area, dev) for i, (owner, area, dev) in enumerate(raw)]
    ballots = {key: v for (key, *_), v in zip(units, votes, strict=False) if v is not None}
    count = count_matter(rule, [Unit(k, o, Fraction(a), d) for k, o, a, d in units], ballots, deem)
    took_part = all(c.met for c in count.outcome.clauses if c.stage is Stage.PARTICIPATION)
    assert (took_part, count.passed) == reference(rule, units, ballots, deem)
