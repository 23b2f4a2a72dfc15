"""The co-signing threshold (联署): at least 30 % of the households concerned, exactly."""

from fractions import Fraction

import pytest

from meeting_room.domain.topics import (
    DEFAULT_THRESHOLD,
    Scope,
    ScopeKind,
    TopicSource,
    from_residents,
    merged_signers,
    needed_households,
    progress,
)


def homes(n: int, building: str = "3栋", unit: str = "2单元") -> list[tuple[str, str, str]]:
    return [(building, unit, f"{100 + i}") for i in range(n)]


def test_exactly_thirty_percent_meets_at_least_thirty_percent() -> None:
    concerned = homes(20)
    at = progress(concerned[:6], concerned, DEFAULT_THRESHOLD)
    assert Fraction(at.signed, at.households) == Fraction(3, 10)
    assert at.met
    assert at.missing == 0


def test_one_household_short_of_thirty_percent_does_not_meet_it() -> None:
    concerned = homes(20)
    below = progress(concerned[:5], concerned, DEFAULT_THRESHOLD)
    assert not below.met
    assert below.needed == 6
    assert below.missing == 1


def test_needed_rounds_up_to_a_whole_household() -> None:
    # 30 % of 21 is 6.3: six households are 28.6 %, short; seven meet it.
    assert needed_households(21, DEFAULT_THRESHOLD) == 7
    concerned = homes(21)
    assert not progress(concerned[:6], concerned, DEFAULT_THRESHOLD).met
    assert progress(concerned[:7], concerned, DEFAULT_THRESHOLD).met


def test_two_members_of_one_household_count_once() -> None:
    concerned = homes(10)
    signers = [concerned[0], concerned[0], concerned[1]]
    assert progress(signers, concerned, DEFAULT_THRESHOLD).signed == 2


def test_signers_outside_the_scope_do_not_count() -> None:
    concerned = homes(10)
    outsider = ("5栋", "1单元", "101")
    assert progress([outsider, concerned[0]], concerned, DEFAULT_THRESHOLD).signed == 1


def test_an_empty_scope_never_meets_a_positive_threshold() -> None:
    empty = progress([], [], DEFAULT_THRESHOLD)
    assert not empty.met
    assert empty.percent == 0


def test_a_threshold_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError):
        progress([], homes(3), Fraction(3, 2))


def test_percent_is_rounded_down_for_the_bar() -> None:
    concerned = homes(3)
    assert progress(concerned[:2], concerned, DEFAULT_THRESHOLD).percent == 66


def test_scope_of_a_unit_covers_that_unit_of_that_building_only() -> None:
    unit = Scope(ScopeKind.UNIT, "3栋", "2单元")
    assert unit.covers("3栋", "2单元")
    assert not unit.covers("3栋", "1单元")
    assert not unit.covers("4栋", "2单元")
    assert Scope(ScopeKind.BUILDING, "3栋").covers("3栋", "1单元")
    assert Scope().covers("12栋", "1单元")


def test_merging_keeps_every_signer_once() -> None:
    # 7 signed both the target and the duplicate: copied once, the others in their order.
    assert merged_signers([1, 7, 9], [7, 4, 4, 2, 9]) == [4, 2]


def test_only_the_community_office_is_not_a_resident_source() -> None:
    assert not from_residents(TopicSource.OFFICE)
    assert all(from_residents(s) for s in TopicSource if s is not TopicSource.OFFICE)
