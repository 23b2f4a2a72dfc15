"""Shares as people read them: a percentage to one decimal, unless rounding would mislead.

A share is compared with its threshold exactly (``counting``); what is shown must not say
otherwise. 2/3, 0.6665 and 0.6668 all round to 66.7 %, so "66.7 % < 2/3" beside
"66.7 % ≥ 2/3" is what one decimal writes for a share a hair under 2/3 and one exactly at it.
Rounding is monotone, so a share whose one-decimal figure differs from its threshold's lies on
the side of the threshold its figure shows: that figure is enough. A share whose figure equals
its threshold's is shown **exactly**: the counts as a fraction ("200/300") and a percentage
with as many decimals as it takes to part from the threshold (at least two: "66.67 %").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

MOST_PLACES = 8  # beyond this a share and its threshold differ only in the fraction shown


def percent(share: Fraction, places: int = 1) -> str:
    """A share as a percentage with ``places`` decimals, rounded half up on the exact value."""
    value = Decimal(share.numerator * 100) / Decimal(share.denominator)
    return str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Shown:
    """A share as shown: its percentage, and whether it must be read with the exact counts."""

    percent: str
    exact: bool


def shown(share: Fraction, thresholds: Iterable[Fraction]) -> Shown:
    """How to show ``share`` beside ``thresholds`` so the figure never contradicts the count.

    One decimal when that figure differs from every threshold's; else exact, with the fewest
    decimals (two at least) at which it differs from each threshold it is not equal to.
    """
    others = set(thresholds)
    if all(percent(share) != percent(threshold) for threshold in others):
        return Shown(percent(share), exact=False)
    others.discard(share)
    for places in range(2, MOST_PLACES + 1):
        figure = percent(share, places)
        if all(figure != percent(threshold, places) for threshold in others):
            return Shown(figure, exact=True)
    return Shown(percent(share, MOST_PLACES), exact=True)


def amount(value: Fraction, places: int = 0) -> str:
    """A count as written in a fraction: whole numbers plain, others to ``places`` decimals
    when that is exact (areas to 0.01 m², weights to 0.0001), else as a fraction ``p/q``."""
    if value.denominator == 1:
        return str(value.numerator)
    written = Decimal(value.numerator) / Decimal(value.denominator)
    fixed = written.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return str(fixed) if Fraction(fixed) == value else f"{value.numerator}/{value.denominator}"
