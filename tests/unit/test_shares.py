"""Shares as shown beside a threshold: one decimal unless it would mislead, then exact; checked
against a reference that reads the figure as a person does, in plain integers."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meeting_room.domain.shares import Shown, amount, percent, shown

HALF, TWO_THIRDS, THREE_QUARTERS = Fraction(1, 2), Fraction(2, 3), Fraction(3, 4)
THRESHOLDS = [HALF, TWO_THIRDS, THREE_QUARTERS]


def reader_sees(figure: str, threshold: Fraction) -> int:
    """What a person reading "figure %" beside the threshold concludes: -1 below, 0 at, 1 above."""
    read = Fraction(Decimal(figure)) / 100
    return (read > threshold) - (read < threshold)


def side(share: Fraction, threshold: Fraction) -> int:
    return (share > threshold) - (share < threshold)


@pytest.mark.parametrize(
    ("share", "threshold", "figure", "exact"),
    [
        (Fraction(200, 300), TWO_THIRDS, "66.67", True),  # exactly 2/3: "2/3 (66.67 %)"
        (Fraction(1333, 2000), TWO_THIRDS, "66.65", True),  # 66.7 % when rounded, yet < 2/3
        (Fraction(6668, 10000), TWO_THIRDS, "66.68", True),  # 66.7 % too, and ≥ 2/3
        (Fraction(1, 2), HALF, "50.00", True),  # exactly half fails "more than half"
        (Fraction(50004, 100000), HALF, "50.004", True),  # 50.0 % beside 50.00 %: one more
        (Fraction(7499, 10000), THREE_QUARTERS, "74.99", True),
        (Fraction(200, 301), TWO_THIRDS, "66.4", False),  # one decimal already tells
        (Fraction(3, 5), TWO_THIRDS, "60.0", False),
        (Fraction(0), TWO_THIRDS, "0.0", False),
        (Fraction(1), THREE_QUARTERS, "100.0", False),
    ],
)
def test_a_share_is_shown_exactly_when_one_decimal_would_meet_its_threshold(
    share: Fraction, threshold: Fraction, figure: str, exact: bool
) -> None:
    assert shown(share, [threshold]) == Shown(figure, exact)


def test_the_contradiction_of_the_issue_cannot_be_written() -> None:
    below, at = Fraction(1333, 2000), TWO_THIRDS
    assert percent(below) == percent(at) == "66.7"  # what one decimal used to write for both
    assert shown(below, [TWO_THIRDS]).percent != shown(at, [TWO_THIRDS]).percent


shares = st.fractions(min_value=0, max_value=1, max_denominator=100_000)
thresholds = st.sampled_from(THRESHOLDS) | st.fractions(
    min_value=0, max_value=1, max_denominator=50
)


@given(shares, thresholds)
def test_the_figure_shown_is_always_on_the_side_of_the_threshold_the_share_is(
    share: Fraction, threshold: Fraction
) -> None:
    figure = shown(share, [threshold])
    if share == threshold:
        assert figure.exact  # the reader needs the fraction to see it is met exactly
    else:
        assert reader_sees(figure.percent, threshold) == side(share, threshold)
    if not figure.exact:
        assert figure.percent == percent(share)  # one decimal, as before


@given(shares, st.lists(thresholds, min_size=1, max_size=3))
def test_beside_several_thresholds_no_figure_contradicts_any(
    share: Fraction, several: list[Fraction]
) -> None:
    figure = shown(share, several)
    for threshold in several:
        if share != threshold:
            assert reader_sees(figure.percent, threshold) == side(share, threshold)


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Fraction(200), 0, "200"),
        (Fraction("1234.56"), 2, "1234.56"),
        (Fraction("1234.5"), 2, "1234.50"),
        (Fraction("3.1416"), 4, "3.1416"),
        (Fraction(1, 3), 2, "1/3"),  # never a rounded amount inside an exact fraction
    ],
)
def test_amounts_in_a_fraction_are_exact(value: Fraction, places: int, text: str) -> None:
    assert amount(value, places) == text


def test_the_quorum_on_the_wall_follows_the_same_rule() -> None:
    from meeting_room.domain.quorum import Clause, Measure
    from meeting_room.meetings.snapshot import clause_view

    at = clause_view(Clause(Measure.HEADCOUNT, Fraction(240), Fraction(360), TWO_THIRDS))
    below = clause_view(Clause(Measure.AREA, Fraction(1333), Fraction(2000), TWO_THIRDS))
    plain = clause_view(Clause(Measure.HEADCOUNT, Fraction(230), Fraction(344), TWO_THIRDS))
    assert (at.percent, at.met) == ("66.67", True)
    assert (below.percent, below.met) == ("66.65", False)
    assert (plain.percent, plain.met) == ("66.9", True)
