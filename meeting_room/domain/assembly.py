"""An owners' assembly's voting period (表决期): its words, and the count per exclusive unit.

The count follows the law's definitions, not the roster's people:

- Civil Code art. 278 para. 2: owners holding >= 2/3 of the exclusive area AND >= 2/3 of the
  owners by number take part; of those taking part, more than half by area and by number
  approve, or at least 3/4 for items (6)-(8) of para. 1 (raising the maintenance fund,
  rebuilding or reconstructing, changing the use of common parts or running a business on
  them). Using the fund (item 5) is an ordinary matter. Abstentions take part, never approve.
- 法释〔2009〕7号 (amended 2020) art. 8: the area is the unit's exclusive area in the register.
- Art. 9: the number of owners is counted by exclusive unit, one unit one person; the
  developer's unsold or undelivered units count as ONE person, and so do several units of one
  buyer (their areas add up). Co-owners of one unit cast one ballot (the unit's).

Where the law is silent this module decides, and says so in the result: a person whose units
voted differently on one matter counts once by number as taking part and not approving (their
areas follow each unit's own ballot). "Non-voters count as agreeing" (逾期视为同意) is a local
practice, never national law: off unless the hall enables it, and the result then says so.

Every share is an exact ``Fraction`` compared by ``domain.counting`` ("at least 2/3" is met at
exactly 2/3; "more than half" is not met at exactly 1/2).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from fractions import Fraction

from meeting_room.domain.counting import (
    TWO_THIRDS,
    Base,
    Outcome,
    Rule,
    Tally,
    Voter,
    Weighting,
    YesNo,
    judge_yes_no,
)


class PeriodState(StrEnum):
    """Where a voting period stands. ``PRELIMINARY``: the preliminary result (初步统计结果) is
    published and the objection window (询异期) runs; ``FINAL``: the final result is published."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    PRELIMINARY = "preliminary"
    FINAL = "final"


class MatterKind(StrEnum):
    """The matters of Civil Code art. 278 para. 1, items (1) to (9): the moderator picks the
    matter, and the rule follows from it (``rule_for``)."""

    RULES_OF_PROCEDURE = "rules_of_procedure"  # (1) 制定和修改业主大会议事规则
    MANAGEMENT_STATUTE = "management_statute"  # (2) 制定和修改管理规约
    COMMITTEE = "committee"  # (3) 选举业主委员会或者更换业主委员会成员
    PROPERTY_MANAGER = "property_manager"  # (4) 选聘和解聘物业服务企业或者其他管理人
    FUND_USE = "fund_use"  # (5) 使用建筑物及其附属设施的维修资金
    FUND_RAISING = "fund_raising"  # (6) 筹集建筑物及其附属设施的维修资金
    REBUILDING = "rebuilding"  # (7) 改建、重建建筑物及其附属设施
    COMMON_PARTS_USE = "common_parts_use"  # (8) 改变共有部分的用途或者利用共有部分从事经营活动
    OTHER = "other"  # (9) 有关共有和共同管理权利的其他重大事项


# Civil Code art. 278 para. 2: items (6)-(8) need 3/4; every other item more than half.
MAJOR_MATTERS = frozenset(
    {MatterKind.FUND_RAISING, MatterKind.REBUILDING, MatterKind.COMMON_PARTS_USE}
)


def rule_for(kind: MatterKind) -> Rule:
    """The art. 278 rule of a matter: major for items (6)-(8), ordinary for the rest."""
    return Rule.ART278_MAJOR if kind in MAJOR_MATTERS else Rule.ART278_ORDINARY


def item_number(kind: MatterKind) -> int:
    """The matter's item number in art. 278 para. 1 (1 to 9)."""
    return list(MatterKind).index(kind) + 1


class Channel(StrEnum):
    """How a unit's ballot reached the period."""

    PHONE = "phone"
    BOOTH = "booth"
    CARD = "card"
    ASSISTED = "assisted"
    PROXY = "proxy"
    PAPER = "paper"  # a paper ballot returned to the box, read by camera or scanner
    OFFICE = "office"  # handed to the clerk at the office


class SecondBallot(StrEnum):
    """Which of two ballots of one unit on one matter stands (both are kept)."""

    FIRST_STANDS = "first_stands"
    LATEST_STANDS = "latest_stands"


class PublishMode(StrEnum):
    """What the published per-unit list shows: the address and choice, or receipt codes only."""

    NAMED = "named"
    RECEIPTS = "receipts"


DEVELOPER = "\x00developer"  # the one person every developer unit belongs to (art. 9)


@dataclass(frozen=True)
class Unit:
    """An exclusive unit (专有部分) of the base: its key, registered area and owner."""

    key: str
    owner: str
    area: Fraction
    developer: bool = False
    building: str = ""

    def __post_init__(self) -> None:
        if self.area < 0:
            raise ValueError(f"unit {self.key}: the area cannot be negative")
        if not self.developer and not self.owner:
            raise ValueError(f"unit {self.key}: an owner key is needed")

    @property
    def person(self) -> str:
        """Who the unit counts as by number: its owner, or the developer (one person)."""
        return DEVELOPER if self.developer else self.owner


def persons(units: Iterable[Unit]) -> dict[str, list[Unit]]:
    """The owners by number (art. 9): each person with their units."""
    by_person: dict[str, list[Unit]] = {}
    for unit in units:
        by_person.setdefault(unit.person, []).append(unit)
    return by_person


@dataclass(frozen=True)
class MatterCount:
    """One matter's count: the verdict (with every clause), and what the law left to us."""

    outcome: Outcome
    split_persons: int = 0  # persons whose units voted differently (counted as not approving)
    deemed_units: int = 0  # units counted as agreeing because they did not vote (if enabled)
    deemed_persons: int = 0
    units_voted: int = 0
    units: int = 0

    @property
    def passed(self) -> bool:
        """Whether the matter is decided."""
        return self.outcome.passed


def count_matter(
    rule: Rule,
    units: Iterable[Unit],
    ballots: Mapping[str, YesNo],
    non_voters_agree: bool = False,
) -> MatterCount:
    """Count one matter: ``ballots`` maps a unit key to the unit's standing choice.

    Raises ValueError for a ballot of a unit outside the base or a rule that is not art. 278.
    """
    if rule not in (Rule.ART278_ORDINARY, Rule.ART278_MAJOR):
        raise ValueError(f"a voting period counts under art. 278, not {rule}")
    units = list(units)
    keys = {unit.key for unit in units}
    if unknown := set(ballots) - keys:
        raise ValueError(f"ballots of units outside the base: {sorted(unknown)}")
    heads = {choice: 0 for choice in YesNo}
    areas = {choice: Fraction(0) for choice in YesNo}
    split = deemed_units = deemed_persons = 0
    for own in persons(units).values():
        for unit in own:
            choice = ballots.get(unit.key)
            if choice is None and non_voters_agree:
                choice = YesNo.FOR
                deemed_units += 1
            if choice is not None:
                areas[choice] += unit.area
        voted = {ballots[u.key] for u in own if u.key in ballots}
        chosen = voted or ({YesNo.FOR} if non_voters_agree else set())
        if not voted and non_voters_agree:
            deemed_persons += 1
        if len(chosen) == 1:
            heads[next(iter(chosen))] += 1
        elif chosen:
            split += 1
            heads[YesNo.ABSTAIN] += 1  # takes part, does not approve (see the module's note)
    voters = [
        Voter(index, sum((u.area for u in own), Fraction(0)))
        for index, own in enumerate(persons(units).values())
    ]
    tallies = {c: Tally(Fraction(heads[c]), areas[c], Fraction(0)) for c in YesNo}
    outcome = judge_yes_no(rule, Weighting.AREA, Base.of(voters, ()), tallies)
    return MatterCount(
        outcome, split, deemed_units, deemed_persons, sum(k in keys for k in ballots), len(keys)
    )


@dataclass(frozen=True)
class Turnout:
    """Participation so far by area and by number, against the 2/3 of art. 278."""

    area: Fraction
    total_area: Fraction
    heads: int
    total_heads: int
    units: int
    total_units: int

    @property
    def area_share(self) -> Fraction:
        """The share of the exclusive area that took part."""
        return self.area / self.total_area if self.total_area else Fraction(0)

    @property
    def head_share(self) -> Fraction:
        """The share of the owners by number that took part."""
        return Fraction(self.heads, self.total_heads) if self.total_heads else Fraction(0)

    @property
    def reached(self) -> bool:
        """Both at least 2/3 (art. 278 para. 2): exactly 2/3 is enough."""
        return self.total_heads > 0 and min(self.area_share, self.head_share) >= TWO_THIRDS


def turnout(units: Iterable[Unit], voted: Iterable[str]) -> Turnout:
    """Who has taken part so far (a unit with any ballot); a person takes part by any unit."""
    units = list(units)
    voted_keys = set(voted)
    by_person = persons(units)
    return Turnout(
        area=sum((u.area for u in units if u.key in voted_keys), Fraction(0)),
        total_area=sum((u.area for u in units), Fraction(0)),
        heads=sum(any(u.key in voted_keys for u in own) for own in by_person.values()),
        total_heads=len(by_person),
        units=sum(u.key in voted_keys for u in units),
        total_units=len(units),
    )


@dataclass(frozen=True)
class BallotVerdict:
    """What happens to a unit's new ballot on one matter, given the one standing before."""

    stands: bool  # the new ballot is the standing one
    supersedes: bool  # the earlier standing ballot no longer stands
    refused: bool = field(default=False)


def second_ballot(rule: SecondBallot, earlier: YesNo | None) -> BallotVerdict:
    """One unit, one ballot per matter: the first stands unless the hall chose the latest."""
    if earlier is None:
        return BallotVerdict(stands=True, supersedes=False)
    if rule is SecondBallot.LATEST_STANDS:
        return BallotVerdict(stands=True, supersedes=True)
    return BallotVerdict(stands=False, supersedes=False, refused=True)


# A paper ballot is returned to the sealed box during the period and counted in public (唱票、
# 计票) after collection closes: the counting stage runs from the close until the preliminary
# result is published (初步统计结果). The room's and the office's ballots are taken only while
# the period is open. Which paper went into the box before the close is the box's seal and the
# counting officers' word, not this program's: it counts what the clerk scans in that stage.


def ballot_refused(
    state: PeriodState, from_box: bool, at: datetime, closes_at: datetime
) -> str | None:
    """Why a ballot arriving ``at`` is refused, as a refusal state word, or None when it is
    counted: open and before the end for every channel; a paper ballot from the box
    (``from_box``: read from its scan or decided on review) also after the end and while the
    period is closed (the counting stage), never once the preliminary result is published."""
    if state is PeriodState.OPEN and (at < closes_at or from_box):
        return None
    if state is PeriodState.CLOSED and from_box:
        return None
    if state in (PeriodState.OPEN, PeriodState.CLOSED):
        return "closed_paper_only"
    if state in (PeriodState.PRELIMINARY, PeriodState.FINAL):
        return "counting_over"
    return state.value
