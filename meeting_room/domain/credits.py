"""Participation credit (积分): points a member earns by taking part, counted from the records.

There is no ledger of points: a member's credit is worked out from what the records already
hold (sign-ins, speeches, topics proposed, co-signatures, ratings) times the points the hall
set for each, so it can never drift from what happened, and changing the points changes
everyone's credit alike. Credit is off unless the hall turns it on, and it is only ever shown
to the member themselves: there is no ranking, anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Deed(StrEnum):
    """What earns credit."""

    SIGN_IN = "sign_in"  # signed in at a meeting, in person
    SPEECH = "speech"  # spoke on the floor
    PROPOSAL = "proposal"  # proposed a topic
    SIGNATURE = "signature"  # co-signed a topic
    RATING = "rating"  # rated finished work (or answered a satisfaction survey)


DEFAULT_POINTS: Mapping[Deed, int] = {
    Deed.SIGN_IN: 2,
    Deed.SPEECH: 3,
    Deed.PROPOSAL: 5,
    Deed.SIGNATURE: 1,
    Deed.RATING: 1,
}
MAX_POINTS = 100  # per deed: a hall's scale, and a bound on a mistyped setting


@dataclass(frozen=True)
class CreditLine:
    """One kind of deed on a member's credit: how many, the points each, the points."""

    deed: Deed
    count: int
    each: int

    @property
    def points(self) -> int:
        """The points this line gives."""
        return self.count * self.each


@dataclass(frozen=True)
class Credit:
    """A member's credit: a line per deed, and the total."""

    lines: tuple[CreditLine, ...]

    @property
    def total(self) -> int:
        """All the points."""
        return sum(line.points for line in self.lines)


def credit(counts: Mapping[Deed, int], points: Mapping[Deed, int]) -> Credit:
    """The credit of a member with these counts of deeds, at these points each (a deed the
    points do not name earns nothing)."""
    return Credit(
        tuple(CreditLine(deed, counts.get(deed, 0), points.get(deed, 0)) for deed in Deed)
    )
