"""Quorum at its exact boundaries, on exact rationals; checked against a brute-force count."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meeting_room.domain.quorum import Measure, QuorumRule, assess_quorum, parse_ratio

TWO_THIRDS = Fraction(2, 3)


def members(count: int, area: int = 100) -> dict[int, Fraction]:
    return {i: Fraction(area) for i in range(count)}


def test_exactly_two_thirds_of_the_headcount_meets_at_least_two_thirds() -> None:
    result = assess_quorum(QuorumRule(headcount=TWO_THIRDS), members(9), range(6))
    assert result.met
    assert result.clauses[0].share == TWO_THIRDS


def test_one_member_short_of_two_thirds_does_not_meet_it_and_says_how_many_are_missing() -> None:
    result = assess_quorum(QuorumRule(headcount=TWO_THIRDS), members(9), range(5))
    assert not result.met
    assert result.clauses[0].shortfall == 1


def test_a_share_a_float_would_round_up_is_still_judged_exactly() -> None:
    # 199999/300000 is 0.66666333…: below 2/3, although it prints as 66.67 %.
    result = assess_quorum(QuorumRule(headcount=TWO_THIRDS), members(300_000), range(199_999))
    assert not result.met
    assert assess_quorum(QuorumRule(headcount=TWO_THIRDS), members(300_000), range(200_000)).met


def test_area_is_measured_by_exclusive_area_and_both_clauses_must_hold() -> None:
    eligible = {1: Fraction("143.90"), 2: Fraction("58.30"), 3: Fraction("96.40")}
    rule = QuorumRule(headcount=TWO_THIRDS, area=TWO_THIRDS)
    small_flats = assess_quorum(rule, eligible, [2, 3])  # 2/3 of people, 51 % of area
    assert [c.measure for c in small_flats.clauses] == [Measure.HEADCOUNT, Measure.AREA]
    assert small_flats.clauses[0].met and not small_flats.clauses[1].met
    assert not small_flats.met
    assert assess_quorum(rule, eligible, [1, 3]).met


def test_members_present_but_not_eligible_are_not_counted() -> None:
    result = assess_quorum(QuorumRule(headcount=Fraction(1, 2)), members(4), [0, 1, 98, 99])
    assert result.clauses[0].present == 2


def test_an_empty_roster_never_meets_a_positive_quorum() -> None:
    assert not assess_quorum(QuorumRule(headcount=TWO_THIRDS), {}, []).met


@pytest.mark.parametrize("text", ["3/2", "-1/3", "abc", "1/0"])
def test_a_quorum_that_is_not_a_share_between_zero_and_one_is_refused(text: str) -> None:
    with pytest.raises((ValueError, ZeroDivisionError)):
        parse_ratio(text)


@given(
    total=st.integers(min_value=1, max_value=60),
    present=st.integers(min_value=0, max_value=60),
    numerator=st.integers(min_value=0, max_value=12),
    denominator=st.integers(min_value=1, max_value=12),
)
def test_the_headcount_verdict_agrees_with_cross_multiplication(
    total: int, present: int, numerator: int, denominator: int
) -> None:
    present = min(present, total)
    required = Fraction(min(numerator, denominator), denominator)
    result = assess_quorum(QuorumRule(headcount=required), members(total), range(present))
    # Brute force in integers: present/total >= n/d  <=>  present*d >= n*total.
    assert result.met == (present * required.denominator >= required.numerator * total)
