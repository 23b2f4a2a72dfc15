"""Counting rules at their exact boundaries; checked against a brute-force count in integers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meeting_room.domain.choice import count_choice, judge_choice
from meeting_room.domain.counting import (
    Ballot,
    Base,
    Comparison,
    Outcome,
    Rule,
    Stage,
    Summary,
    Tally,
    Voter,
    Weighting,
    YesNo,
    count_yes_no,
    judge_yes_no,
)

F = Fraction
HALF, TWO_THIRDS, THREE_QUARTERS = F(1, 2), F(2, 3), F(3, 4)
ART278 = (Rule.ART278_ORDINARY, Rule.ART278_MAJOR)


def owners(*areas: int | str, weights: Sequence[int] = (), present: Iterable[int] = ()) -> Base:
    """Voters 0, 1, 2… with these areas (and weights, default 1)."""
    weight = list(weights) or [1] * len(areas)
    voters = [Voter(i, Fraction(area), Fraction(weight[i])) for i, area in enumerate(areas)]
    return Base.of(voters, present)


def same(count: int, area: int = 100, present: Iterable[int] = ()) -> Base:
    return owners(*[area] * count, present=present)


def ballots(
    yes: Iterable[int] = (), no: Iterable[int] = (), abstain: Iterable[int] = ()
) -> list[Ballot]:
    return [
        Ballot(voter, frozenset({choice}))
        for choice, voters in ((YesNo.FOR, yes), (YesNo.AGAINST, no), (YesNo.ABSTAIN, abstain))
        for voter in voters
    ]


def count(
    rule: Rule, base: Base, cast: list[Ballot], weighting: Weighting = Weighting.HEADCOUNT
) -> Outcome:
    return count_yes_no(rule, weighting, base, cast)


# Civil Code art. 278: participation


def test_exactly_two_thirds_taking_part_by_area_and_headcount_meets_participation() -> None:
    outcome = count(Rule.ART278_ORDINARY, same(9), ballots(yes=range(6)))
    participation = [c for c in outcome.clauses if c.stage is Stage.PARTICIPATION]
    assert [c.share for c in participation] == [TWO_THIRDS, TWO_THIRDS]
    assert all(c.met for c in participation)
    assert outcome.passed


def test_one_owner_short_of_two_thirds_taking_part_fails_on_participation() -> None:
    outcome = count(Rule.ART278_ORDINARY, same(9), ballots(yes=range(5)))
    assert not outcome.passed
    assert outcome.summary_key is Summary.PARTICIPATION_NOT_REACHED


def test_participation_met_by_area_but_not_by_headcount_fails() -> None:
    base = owners(200, 200, 200, 50, 50, 50)  # three large flats hold 4/5 of the area
    outcome = count(Rule.ART278_ORDINARY, base, ballots(yes=[0, 1, 2]))
    area, heads = outcome.clauses[:2]
    assert (area.basis, area.met, heads.basis, heads.met) == (
        Weighting.AREA, True, Weighting.HEADCOUNT, False
    )  # fmt: skip
    assert outcome.summary_key is Summary.PARTICIPATION_NOT_REACHED


def test_participation_met_by_headcount_but_not_by_area_fails() -> None:
    base = owners(200, 200, 200, 50, 50, 50)
    outcome = count(Rule.ART278_ORDINARY, base, ballots(yes=[2, 3, 4, 5]))  # 2/3 of heads
    area, heads = outcome.clauses[:2]
    assert heads.share == TWO_THIRDS and heads.met
    assert area.share == Fraction(350, 750) and not area.met
    assert outcome.summary_key is Summary.PARTICIPATION_NOT_REACHED


def test_participation_is_measured_against_all_owners_not_those_in_the_room() -> None:
    base = same(9, present=range(6))
    outcome = count(Rule.ART278_ORDINARY, base, ballots(yes=range(5)))
    assert outcome.clauses[1].denominator == 9
    assert outcome.summary_key is Summary.PARTICIPATION_NOT_REACHED


def test_a_share_a_float_would_round_up_to_two_thirds_is_still_judged_exactly() -> None:
    base = owners(100_000, 99_999, 100_001)  # owners 0 and 1 hold 199999/300000 = 66.67 %
    assert not count(Rule.ART278_ORDINARY, base, ballots(yes=[0, 1])).clauses[0].met
    assert count(Rule.ART278_ORDINARY, base, ballots(yes=[0, 2])).passed


# Civil Code art. 278: approval


def test_exactly_half_approving_fails_an_ordinary_matter() -> None:
    outcome = count(Rule.ART278_ORDINARY, same(9), ballots(yes=range(4), no=range(4, 8)))
    approval = [c for c in outcome.clauses if c.stage is Stage.APPROVAL]
    assert [(c.share, c.comparison, c.met) for c in approval] == [
        (HALF, Comparison.MORE_THAN, False)
    ] * 2
    assert outcome.summary_key is Summary.APPROVAL_NOT_REACHED


def test_one_more_than_half_approving_passes_an_ordinary_matter() -> None:
    outcome = count(Rule.ART278_ORDINARY, same(9), ballots(yes=range(5), no=range(5, 8)))
    assert outcome.passed and outcome.summary_key is Summary.PASSED


def test_exactly_three_quarters_approving_passes_a_major_matter() -> None:
    outcome = count(Rule.ART278_MAJOR, same(8), ballots(yes=range(6), no=[6], abstain=[7]))
    assert [c.share for c in outcome.clauses[2:]] == [THREE_QUARTERS, THREE_QUARTERS]
    assert outcome.passed


def test_three_quarters_of_heads_with_a_hair_less_of_the_area_fails_a_major_matter() -> None:
    base = owners(100, 100, 100, 101)
    outcome = count(Rule.ART278_MAJOR, base, ballots(yes=[0, 1, 2], no=[3]))
    area, heads = outcome.clauses[2:]
    assert heads.met and not area.met
    assert outcome.summary_key is Summary.APPROVAL_NOT_REACHED


@pytest.mark.parametrize(
    ("approving", "against"), [([0], [1, 2, 3]), ([1, 2, 3], [0])], ids=["area", "headcount"]
)
def test_approval_by_only_one_of_area_and_headcount_fails(
    approving: list[int], against: list[int]
) -> None:
    base = owners(400, 100, 100, 100)
    outcome = count(Rule.ART278_ORDINARY, base, ballots(yes=approving, no=against))
    assert [c.met for c in outcome.clauses[2:]].count(True) == 1
    assert outcome.summary_key is Summary.APPROVAL_NOT_REACHED


def test_abstentions_take_part_but_do_not_approve() -> None:
    cast = ballots(yes=range(4), abstain=[4, 5])  # without the abstainers only 4/9 take part
    ordinary = count(Rule.ART278_ORDINARY, same(9), cast)
    assert ordinary.clauses[1].numerator == 6 and ordinary.clauses[3].share == TWO_THIRDS
    assert ordinary.passed
    assert count(Rule.ART278_MAJOR, same(9), cast).summary_key is Summary.APPROVAL_NOT_REACHED


def test_art_278_counts_by_area_and_headcount_whatever_the_weighting() -> None:
    base = owners(200, 50, 50, 50, weights=[9, 1, 1, 1])
    cast = ballots(yes=[0, 1], no=[2, 3])
    outcomes = [count(Rule.ART278_ORDINARY, base, cast, weighting) for weighting in Weighting]
    assert len({o.clauses for o in outcomes}) == 1
    assert not outcomes[0].passed  # half the heads; custom weights (9 of 11) would have passed


def test_the_clauses_carry_everything_the_explanation_needs() -> None:
    base = owners(120, 80, 100, 100, 90, 110)
    outcome = count(Rule.ART278_MAJOR, base, ballots(yes=[0, 1, 2, 3], no=[4]))
    assert [
        (c.stage, c.basis, c.numerator, c.denominator, c.threshold, c.comparison, c.met)
        for c in outcome.clauses
    ] == [
        (
            Stage.PARTICIPATION,
            Weighting.AREA,
            F(490),
            F(600),
            TWO_THIRDS,
            Comparison.AT_LEAST,
            True,
        ),
        (
            Stage.PARTICIPATION,
            Weighting.HEADCOUNT,
            F(5),
            F(6),
            TWO_THIRDS,
            Comparison.AT_LEAST,
            True,
        ),
        (Stage.APPROVAL, Weighting.AREA, F(400), F(490), THREE_QUARTERS, Comparison.AT_LEAST, True),
        (
            Stage.APPROVAL,
            Weighting.HEADCOUNT,
            F(4),
            F(5),
            THREE_QUARTERS,
            Comparison.AT_LEAST,
            True,
        ),
    ]
    assert outcome.tallies[YesNo.FOR] == Tally(Fraction(4), Fraction(400), Fraction(4))


# The simple rules


def test_a_tie_between_for_and_against_fails_a_simple_majority() -> None:
    assert not count(Rule.SIMPLE_MAJORITY, same(6), ballots(yes=range(3), no=range(3, 6))).passed


def test_a_simple_majority_ignores_abstentions() -> None:
    outcome = count(Rule.SIMPLE_MAJORITY, same(15), ballots([0, 1, 2], [3, 4], range(5, 15)))
    assert outcome.clauses[0].share == F(3, 5)
    assert outcome.passed


def test_when_everyone_abstains_a_simple_majority_fails_without_dividing_by_zero() -> None:
    outcome = count(Rule.SIMPLE_MAJORITY, same(3), ballots(abstain=range(3)))
    assert outcome.clauses[0].denominator == 0 and outcome.clauses[0].share == 0
    assert outcome.summary_key is Summary.APPROVAL_NOT_REACHED


@pytest.mark.parametrize(("approving", "passed"), [(5, False), (6, True)])
def test_a_majority_of_those_present_needs_more_than_half_of_them(
    approving: int, passed: bool
) -> None:
    base = same(20, present=range(10))  # those absent at opening do not count
    outcome = count(Rule.MAJORITY_PRESENT, base, ballots(yes=range(approving), no=[9]))
    assert outcome.clauses[0].denominator == 10
    assert outcome.passed is passed


@pytest.mark.parametrize(("approving", "passed"), [(5, False), (6, True)])
def test_two_thirds_of_those_present_is_met_at_exactly_two_thirds(
    approving: int, passed: bool
) -> None:
    base = same(9, present=range(9))
    outcome = count(Rule.TWO_THIRDS_PRESENT, base, ballots(yes=range(approving), abstain=[8]))
    assert outcome.passed is passed


@pytest.mark.parametrize("rule", [Rule.MAJORITY_PRESENT, Rule.TWO_THIRDS_PRESENT])
def test_a_ballot_from_a_member_absent_when_the_poll_opened_is_refused_by_present_rules(
    rule: Rule,
) -> None:
    with pytest.raises(ValueError, match="not present"):
        count(rule, same(4, present=[0, 1, 2]), ballots(yes=[0, 3]))
    assert count(Rule.SIMPLE_MAJORITY, same(4, present=[0]), ballots(yes=[0, 3])).passed


@pytest.mark.parametrize(
    ("weighting", "base", "passed"),
    [
        (Weighting.HEADCOUNT, owners(200, 50, 50, 50), False),
        (Weighting.AREA, owners(200, 50, 50, 50), True),
        (Weighting.AREA, owners(50, 100, 100, 100, weights=[4, 1, 1, 1]), False),
        (Weighting.CUSTOM, owners(50, 100, 100, 100, weights=[4, 1, 1, 1]), True),
        (Weighting.CUSTOM, owners(50, 100, 100, 100, weights=[3, 1, 1, 1]), False),
    ],
)
def test_the_weighting_decides_what_a_ballot_weighs_under_the_simple_rules(
    weighting: Weighting, base: Base, passed: bool
) -> None:
    cast = ballots(yes=[0], no=[1, 2, 3])
    assert count(Rule.SIMPLE_MAJORITY, base, cast, weighting).passed is passed


def test_a_majority_of_those_present_can_be_weighed_by_area() -> None:
    base = owners(300, 100, 100, 100, present=range(4))
    by_area = count(Rule.MAJORITY_PRESENT, base, ballots(yes=[0]), Weighting.AREA)
    assert by_area.clauses[0].share == HALF and not by_area.passed
    assert count(Rule.MAJORITY_PRESENT, base, ballots(yes=[0, 1]), Weighting.AREA).passed


# Edge cases and refusals


@pytest.mark.parametrize("rule", list(Rule))
def test_a_poll_without_ballots_fails_as_such(rule: Rule) -> None:
    outcome = count(rule, same(5, present=range(5)), [])
    assert not outcome.passed and outcome.summary_key is Summary.NO_BALLOTS
    assert outcome.cast == Tally()


@pytest.mark.parametrize("weighting", list(Weighting))
@pytest.mark.parametrize("rule", list(Rule))
def test_an_empty_base_fails_without_dividing_by_zero(rule: Rule, weighting: Weighting) -> None:
    outcome = count(rule, owners(), [], weighting)
    assert not outcome.passed and outcome.summary_key is Summary.NO_BALLOTS


def test_a_ballot_from_outside_the_eligible_base_is_refused() -> None:
    with pytest.raises(ValueError, match="eligible base"):
        count(Rule.SIMPLE_MAJORITY, same(3), ballots(yes=[0, 7]))


def test_a_second_ballot_by_one_voter_is_refused() -> None:
    with pytest.raises(ValueError, match="more than one ballot"):
        count(Rule.SIMPLE_MAJORITY, same(3), ballots(yes=[0], no=[0]))


@pytest.mark.parametrize("choices", [set(), {"for", "against"}, {"maybe"}])
def test_a_yes_no_ballot_must_hold_exactly_one_answer(choices: set[str]) -> None:
    with pytest.raises(ValueError, match="one of"):
        count(Rule.SIMPLE_MAJORITY, same(3), [Ballot(0, frozenset(choices))])


def test_a_base_must_be_keyed_by_id_and_those_present_must_be_eligible() -> None:
    with pytest.raises(ValueError, match="keyed"):
        Base({1: Voter(2, Fraction(50))}, frozenset())
    with pytest.raises(ValueError, match="present but not eligible"):
        same(3, present=[0, 5])
    with pytest.raises(ValueError, match="negative"):
        Voter(1, Fraction(-1))


def test_a_secret_poll_judged_from_its_tallies_alone_reaches_the_same_outcome() -> None:
    base, cast = same(9), ballots(yes=range(5), no=[5], abstain=[6])
    outcome = count(Rule.ART278_MAJOR, base, cast)
    partial = {YesNo.FOR: outcome.tallies[YesNo.FOR], YesNo.AGAINST: outcome.tallies[YesNo.AGAINST]}
    assert judge_yes_no(Rule.ART278_MAJOR, Weighting.HEADCOUNT, base, outcome.tallies) == outcome
    assert judge_yes_no(Rule.ART278_MAJOR, Weighting.HEADCOUNT, base, partial).cast.headcount == 6


# Choice polls


def chose(*choices: str) -> list[Ballot]:
    """Voter i chose the options in ``choices[i]`` (a string of option letters)."""
    return [Ballot(i, frozenset(letters)) for i, letters in enumerate(choices)]


def test_one_of_n_is_tallied_per_option_and_ranked_by_the_weighting() -> None:
    base = owners(100, 60, 60, 50)
    cast = chose("A", "B", "B", "C")
    by_heads = count_choice(Weighting.HEADCOUNT, base, cast, "ABC", 1)
    by_area = count_choice(Weighting.AREA, base, cast, "ABC", 1)
    assert by_heads.tallies["B"] == Tally(Fraction(2), Fraction(120), Fraction(2))
    assert by_heads.ranking == (("B",), ("A", "C"))  # A and C tie, in the poll's order
    assert by_area.ranking == (("B",), ("A",), ("C",))


def test_a_tie_for_first_place_is_reported_as_a_tie() -> None:
    outcome = count_choice(Weighting.HEADCOUNT, same(4), chose("B", "A", "B", "A"), "ABC", 1)
    assert outcome.ranking == (("A", "B"), ("C",))


def test_up_to_k_of_n_gives_each_chosen_option_the_voters_full_weight() -> None:
    base = owners(100, 100, 100, 100, weights=[1, 1, 1, 5])
    outcome = count_choice(Weighting.CUSTOM, base, chose("AB", "BC", "B", "C"), "ABC", 2)
    assert [outcome.tallies[o].weight for o in "ABC"] == [1, 3, 6]
    assert outcome.ranking == (("C",), ("B",), ("A",))
    assert outcome.cast.headcount == 4


def test_a_blank_choice_ballot_is_cast_but_supports_nothing() -> None:
    outcome = count_choice(Weighting.HEADCOUNT, same(2), chose("", "A"), "AB", 1)
    assert outcome.cast.headcount == 2 and outcome.tallies["A"].headcount == 1


@pytest.mark.parametrize(
    ("cast", "options", "max_choices"),
    [
        (chose("AB"), "ABC", 1),  # too many choices
        (chose("D"), "ABC", 3),  # unknown option
        (chose("A"), "AAB", 1),  # options not distinct
        (chose("A"), "AB", 0),
        (chose("A"), "AB", 3),
        (chose("A"), "", 1),
    ],
)
def test_an_invalid_choice_poll_or_ballot_is_refused(
    cast: list[Ballot], options: str, max_choices: int
) -> None:
    with pytest.raises(ValueError):
        count_choice(Weighting.HEADCOUNT, same(3), cast, options, max_choices)


# Property tests against a brute-force reference in plain integers


@dataclass(frozen=True)
class Owner:
    area: int
    weight: int
    present: bool
    choice: str | None  # "for", "against", "abstain" or None (no ballot)


def size(owner: Owner, basis: str) -> int:
    """What one owner's ballot weighs: 1, the area, or the custom weight."""
    return {"headcount": 1, "area": owner.area}.get(basis, owner.weight)


def reference_yes_no(rule: str, weighting: str, owners_: list[Owner]) -> tuple[bool, str]:
    """Each rule re-read from the issue, decided by cross-multiplication only."""

    def total(basis: str, chosen: Iterable[Owner]) -> int:
        return sum(size(owner, basis) for owner in chosen)

    voted = [o for o in owners_ if o.choice is not None]
    for_ = [o for o in voted if o.choice == "for"]
    participation = True
    if rule == "simple_majority":
        yes, no = (
            total(weighting, for_),
            total(weighting, [o for o in voted if o.choice == "against"]),
        )
        approval = 2 * yes > yes + no
    elif rule in ("majority_present", "two_thirds_present"):
        here = total(weighting, [o for o in owners_ if o.present])
        yes = total(weighting, [o for o in for_ if o.present])
        approval = here > 0 and (
            2 * yes > here if rule == "majority_present" else 3 * yes >= 2 * here
        )
    else:
        approval = True
        for basis in ("area", "headcount"):
            part, everyone, yes = total(basis, voted), total(basis, owners_), total(basis, for_)
            participation = participation and everyone > 0 and 3 * part >= 2 * everyone
            if rule == "art278_ordinary":
                approval = approval and part > 0 and 2 * yes > part
            else:
                approval = approval and part > 0 and 4 * yes >= 3 * part
    if participation and approval:
        return True, "passed"
    if not voted:
        return False, "no_ballots"
    return False, "approval_not_reached" if participation else "participation_not_reached"


owner_lists = st.lists(
    st.builds(
        Owner,
        area=st.integers(30, 200),
        weight=st.integers(0, 5),
        present=st.booleans(),
        choice=st.sampled_from([None, "for", "against", "abstain"]),
    ),
    min_size=1,
    max_size=40,
)


@given(rule=st.sampled_from(Rule), weighting=st.sampled_from(Weighting), drawn=owner_lists)
def test_every_rule_agrees_with_a_brute_force_count_in_integers(
    rule: Rule, weighting: Weighting, drawn: list[Owner]
) -> None:
    if rule in (Rule.MAJORITY_PRESENT, Rule.TWO_THIRDS_PRESENT):  # only those present vote
        drawn = [o if o.present else Owner(o.area, o.weight, False, None) for o in drawn]
    base = Base.of(
        [Voter(i, Fraction(o.area), Fraction(o.weight)) for i, o in enumerate(drawn)],
        [i for i, o in enumerate(drawn) if o.present],
    )
    cast = [Ballot(i, frozenset({o.choice})) for i, o in enumerate(drawn) if o.choice]
    outcome = count_yes_no(rule, weighting, base, cast)
    assert (outcome.passed, outcome.summary_key) == reference_yes_no(rule, weighting, drawn)
    assert judge_yes_no(rule, weighting, base, outcome.tallies) == outcome


@given(data=st.data(), option_count=st.integers(1, 5), weighting=st.sampled_from(Weighting))
def test_the_choice_ranking_agrees_with_a_brute_force_count(
    data: st.DataObject, option_count: int, weighting: Weighting
) -> None:
    options = "ABCDE"[:option_count]
    max_choices = data.draw(st.integers(1, option_count))
    drawn = data.draw(owner_lists)
    picks = [data.draw(st.sets(st.sampled_from(options), max_size=max_choices)) for _ in drawn]
    base = Base.of(
        [Voter(i, Fraction(o.area), Fraction(o.weight)) for i, o in enumerate(drawn)], []
    )
    outcome = count_choice(
        weighting,
        base,
        [Ballot(i, frozenset(p)) for i, p in enumerate(picks)],
        options,
        max_choices,
    )
    score = {
        x: sum(size(o, weighting) for o, p in zip(drawn, picks, strict=True) if x in p)
        for x in options
    }
    levels = sorted(set(score.values()), reverse=True)
    assert outcome.ranking == tuple(tuple(x for x in options if score[x] == s) for s in levels)


# Choice polls: the places


def support(*counts: int) -> tuple[dict[str, Tally], str]:
    """Options A, B, C… with these headcounts."""
    options = "ABCDEFGH"[: len(counts)]
    return {o: Tally(Fraction(n)) for o, n in zip(options, counts, strict=True)}, options


def test_a_tie_across_the_last_place_is_a_tie_not_three_winners() -> None:
    tallies, options = support(9, 9, 9, 8)
    outcome = judge_choice(Weighting.HEADCOUNT, tallies, Tally(Fraction(35)), options, 2)
    assert outcome.chosen == ()
    assert (outcome.tied, outcome.tied_places) == (("A", "B", "C"), 2)
    assert outcome.unfilled == 2


def test_a_clear_first_place_is_chosen_and_the_tie_is_only_for_the_place_left() -> None:
    tallies, options = support(10, 9, 9, 8)
    outcome = judge_choice(Weighting.HEADCOUNT, tallies, Tally(Fraction(36)), options, 2)
    assert (outcome.chosen, outcome.tied, outcome.tied_places) == (("A",), ("B", "C"), 1)


def test_a_tie_that_fits_the_places_is_no_tie() -> None:
    tallies, options = support(9, 9, 8)
    outcome = judge_choice(Weighting.HEADCOUNT, tallies, Tally(Fraction(26)), options, 2)
    assert (outcome.chosen, outcome.tied, outcome.unfilled) == (("A", "B"), (), 0)


def test_one_of_n_with_a_tie_for_first_place_chooses_nothing() -> None:
    outcome = count_choice(Weighting.HEADCOUNT, same(4), chose("B", "A", "B", "A"), "ABC", 1)
    assert (outcome.chosen, outcome.tied, outcome.tied_places) == ((), ("A", "B"), 1)


def test_an_option_nobody_chose_takes_no_place() -> None:
    tallies, options = support(5, 0, 0)
    outcome = judge_choice(Weighting.HEADCOUNT, tallies, Tally(Fraction(5)), options, 2)
    assert (outcome.chosen, outcome.tied, outcome.unfilled) == (("A",), (), 1)


def test_the_places_follow_the_weighting() -> None:
    base = owners(100, 60, 60, 50)
    outcome = count_choice(Weighting.AREA, base, chose("A", "B", "C", "D"), "ABCD", 2)
    assert (outcome.chosen, outcome.tied) == (("A",), ("B", "C"))


@given(
    st.lists(st.integers(min_value=0, max_value=6), min_size=1, max_size=7),
    st.integers(min_value=1, max_value=7),
)
def test_places_match_a_brute_force_reading_of_the_rule(counts: list[int], wanted: int) -> None:
    places = min(wanted, len(counts))
    tallies, options = support(*counts)
    outcome = judge_choice(Weighting.HEADCOUNT, tallies, Tally(), options, places)
    for option, n in zip(options, counts, strict=True):
        above = sum(1 for m in counts if m > n)
        at_or_above = sum(1 for m in counts if m >= n)
        assert (option in outcome.chosen) == (n > 0 and at_or_above <= places)
        assert (option in outcome.tied) == (n > 0 and above < places < at_or_above)
    assert (
        len(outcome.chosen) + outcome.tied_places + (0 if outcome.tied else outcome.unfilled)
        == places
    )
    assert outcome.tied_places <= len(outcome.tied) - 1 or not outcome.tied
