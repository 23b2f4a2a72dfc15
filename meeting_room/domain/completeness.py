"""How complete a meeting's record is (the hall's target: records ≥ 95 % complete).

Pure: one point for each agenda item with a summary, one for each signatory named (the
moderator, the clerk), one for publication. The percentage is exact (a ``Fraction``) and is
shown rounded down, so a record one point short of 95 % never reads as 95 %.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import floor

TARGET = Fraction(95, 100)


@dataclass(frozen=True)
class Completeness:
    """What the record has, what it lacks, and the share complete."""

    items: int
    items_without_summary: tuple[int, ...]  # agenda numbers of the items still to summarise
    moderator_named: bool
    clerk_named: bool
    published: bool

    @property
    def points(self) -> int:
        """The points the record has."""
        return (
            self.total
            - len(self.items_without_summary)
            - (not self.moderator_named)
            - (not self.clerk_named)
            - (not self.published)
        )

    @property
    def total(self) -> int:
        """The points a complete record has: a summary per item, two names, publication."""
        return self.items + 3

    @property
    def share(self) -> Fraction:
        """The share complete, exactly."""
        return Fraction(self.points, self.total)

    @property
    def percent(self) -> int:
        """The share as a whole percentage, rounded down."""
        return floor(self.share * 100)

    @property
    def meets_target(self) -> bool:
        """Whether the record is at least 95 % complete."""
        return self.share >= TARGET


def completeness(
    item_numbers: list[int], summarised: set[int], moderator: str, clerk: str, published: bool
) -> Completeness:
    """The completeness of a record with these items (by agenda number) and these summaries."""
    return Completeness(
        items=len(item_numbers),
        items_without_summary=tuple(n for n in item_numbers if n not in summarised),
        moderator_named=bool(moderator.strip()),
        clerk_named=bool(clerk.strip()),
        published=published,
    )
