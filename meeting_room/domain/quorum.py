"""Quorum (法定人数): a pure function over exact rationals, with its explanation as data.

"At least 2/3" is met at exactly 2/3; every comparison is made on ``Fraction``, never floats.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction


class Measure(StrEnum):
    """What a quorum threshold is measured by."""

    HEADCOUNT = "headcount"
    AREA = "area"


@dataclass(frozen=True)
class QuorumRule:
    """At least ``headcount`` of the eligible members, and optionally ``area`` of their area."""

    headcount: Fraction | None = Fraction(1, 2)
    area: Fraction | None = None

    def __post_init__(self) -> None:
        for value in (self.headcount, self.area):
            if value is not None and not (0 <= value <= 1):
                raise ValueError(f"a quorum threshold must lie in [0, 1], not {value}")


@dataclass(frozen=True)
class Clause:
    """One threshold of the rule, checked: ``present``/``total`` against ``required``."""

    measure: Measure
    present: Fraction
    total: Fraction
    required: Fraction

    @property
    def share(self) -> Fraction:
        """The share present; an empty base counts as nothing present."""
        return self.present / self.total if self.total else Fraction(0)

    @property
    def met(self) -> bool:
        """At least the required share (an empty base never meets a positive requirement)."""
        if not self.total:
            return self.required == 0
        return self.share >= self.required

    @property
    def shortfall(self) -> Fraction:
        """How much more is needed (members, or square metres) to meet this clause."""
        needed = self.required * self.total - self.present
        return max(needed, Fraction(0))


@dataclass(frozen=True)
class QuorumResult:
    """The verdict and every clause that led to it."""

    clauses: tuple[Clause, ...]

    @property
    def met(self) -> bool:
        """True when every clause is met."""
        return all(clause.met for clause in self.clauses)


def as_fraction(value: Decimal | int | str | Fraction) -> Fraction:
    """An exact rational from a stored area (Decimal) or a rule written as ``"2/3"``."""
    return Fraction(value)


def assess_quorum(
    rule: QuorumRule, eligible_area: Mapping[int, Fraction], present: Iterable[int]
) -> QuorumResult:
    """Check ``rule`` for the eligible members (id → exclusive area) and those present.

    Members present but not eligible (observers, tenants at an owners' assembly) are ignored.
    """
    here = {member for member in present if member in eligible_area}
    clauses: list[Clause] = []
    if rule.headcount is not None:
        clauses.append(
            Clause(
                Measure.HEADCOUNT, Fraction(len(here)), Fraction(len(eligible_area)), rule.headcount
            )
        )
    if rule.area is not None:
        clauses.append(
            Clause(
                Measure.AREA,
                sum((eligible_area[m] for m in here), Fraction(0)),
                sum(eligible_area.values(), Fraction(0)),
                rule.area,
            )
        )
    return QuorumResult(tuple(clauses))


def parse_ratio(text: str) -> Fraction:
    """``"2/3"`` → Fraction(2, 3); raises ValueError on anything else than a ratio in [0, 1]."""
    value = Fraction(text.strip())
    if not 0 <= value <= 1:
        raise ValueError(f"{text!r} is not a share between 0 and 1")
    return value
