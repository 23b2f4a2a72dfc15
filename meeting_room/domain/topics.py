"""Residents' topics (议题征集): their words, who is concerned, and the co-signing threshold.

The hall's rule: a topic is taken up once the households concerned that support it reach at
least a share of all households concerned (default 30 %). "At least" is met exactly at the
share; every comparison is made on ``Fraction``, never floats. Households are the roster's
distinct building-unit-room addresses; two members of one household count as one signature.

The 30 % is the hall's own rule (its documents on 议题征集), not a rule of national law: no
statute we know sets a co-signing share for putting a topic to a community meeting, so staff
may set another share per topic. (Civil Code art. 278's thresholds are for owners' decisions,
counted by ``domain.counting``, not for proposing a topic.)
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

DEFAULT_THRESHOLD = Fraction(3, 10)

# The hall's topic library as first seeded (editable by staff afterwards): name and whether
# it is a matter that must be consulted on (协商事项) before anything is done about it.
SEED_CATEGORIES: tuple[tuple[str, bool], ...] = (
    ("停车", False),
    ("电梯", True),
    ("物业服务", False),
    ("维修资金", True),
    ("绿化环境", False),
    ("安全", False),
    ("其他", False),
)


class TopicSource(StrEnum):
    """Where a topic came from: a resident's own channel, or gathered by someone for them."""

    KIOSK = "kiosk"
    PHONE = "phone"
    BOARD = "board"
    GRID_VISIT = "grid_visit"  # 网格员走访
    REPRESENTATIVE = "representative"  # 居民代表
    SUGGESTION_BOX = "suggestion_box"  # 意见箱
    OFFICE = "office"  # 社区提出: the community office itself


# Every source but the community office's own counts as "from residents" (target ≥ 60 %).
RESIDENT_SOURCES = frozenset(TopicSource) - {TopicSource.OFFICE}


def from_residents(source: TopicSource) -> bool:
    """Whether a topic of this source counts as proposed by residents."""
    return source in RESIDENT_SOURCES


class SignChannel(StrEnum):
    """Where a co-signature (or the proposer's own support) was given."""

    KIOSK = "kiosk"
    PHONE = "phone"
    BOARD = "board"
    CLERK = "clerk"  # entered by staff from a paper list or a visit


class TopicStatus(StrEnum):
    """Where a topic is: gathering signatures, past its threshold, or decided."""

    COLLECTING = "collecting"
    THRESHOLD_MET = "threshold_met"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    MERGED = "merged"


OPEN_STATUSES = frozenset({TopicStatus.COLLECTING, TopicStatus.THRESHOLD_MET})


class ScopeKind(StrEnum):
    """The households a topic concerns: one building, one unit of a building, or all."""

    BUILDING = "building"
    UNIT = "unit"
    COMPOUND = "compound"


@dataclass(frozen=True)
class Scope:
    """Who is concerned: ``building`` is set for a building or unit scope, ``unit`` for a unit."""

    kind: ScopeKind = ScopeKind.COMPOUND
    building: str = ""
    unit: str = ""

    def covers(self, building: str, unit: str) -> bool:
        """Whether a household at this building and unit is concerned."""
        if self.kind is ScopeKind.COMPOUND:
            return True
        if self.kind is ScopeKind.BUILDING:
            return building == self.building
        return building == self.building and unit == self.unit


Household = tuple[str, str, str]  # building, unit, room


@dataclass(frozen=True)
class Progress:
    """A topic's co-signing against its threshold, in whole households."""

    signed: int  # households concerned that signed
    households: int  # households concerned
    threshold: Fraction
    needed: int  # households needed: the least whole number meeting the share

    @property
    def met(self) -> bool:
        """At least the threshold share (an empty scope never meets a positive threshold)."""
        if not self.households:
            return self.threshold == 0
        return Fraction(self.signed, self.households) >= self.threshold

    @property
    def missing(self) -> int:
        """How many more households must sign."""
        return max(self.needed - self.signed, 0)

    @property
    def percent(self) -> int:
        """The share signed, in whole per cent rounded down, for a bar (0–100)."""
        if not self.households:
            return 0
        return min(100, math.floor(Fraction(100 * self.signed, self.households)))


def needed_households(households: int, threshold: Fraction) -> int:
    """The least number of households whose share is at least ``threshold``."""
    return math.ceil(threshold * households)


def progress(
    signers: Iterable[Household], concerned: Iterable[Household], threshold: Fraction
) -> Progress:
    """Co-signing progress: distinct signing households within those concerned."""
    if not 0 <= threshold <= 1:
        raise ValueError(f"a threshold must lie in [0, 1], not {threshold}")
    concerned_set = set(concerned)
    signed = len(set(signers) & concerned_set)
    total = len(concerned_set)
    return Progress(signed, total, threshold, needed_households(total, threshold))


def merged_signers(target: Iterable[int], duplicate: Iterable[int]) -> list[int]:
    """The duplicate's signers to copy onto the target when merging: those not yet on it,
    in their order, each once (a member who signed both counts once)."""
    seen = set(target)
    out: list[int] = []
    for member in duplicate:
        if member not in seen:
            seen.add(member)
            out.append(member)
    return out
