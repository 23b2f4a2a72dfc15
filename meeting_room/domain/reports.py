"""The hall's figures for a period (报表): what share of what, against the hall's targets.

The hall's documents set the targets: ≥ 60 % of topics from residents, results published within
7 working days, ≥ 85 % of decisions carried out, satisfaction ≥ 85 %, records ≥ 95 % complete,
participation 43 % → 60 % with the elderly counted apart. Pure: every share is an exact
``Fraction`` of two counts (a target met at exactly its value is met), every date an argument.
A share of nothing is no share (``None``): a quarter without ratings has no satisfaction, not 0 %.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction

from meeting_room.domain import follow_up
from meeting_room.domain.follow_up import add_working_days
from meeting_room.domain.notice import Workday

RESIDENT_TOPICS = Fraction(60, 100)  # ≥ 60 % of topics from residents
CARRIED_OUT = Fraction(85, 100)  # ≥ 85 % of decisions carried out (on time)
SATISFIED = Fraction(85, 100)  # satisfaction ≥ 85 %
COMPLETE = Fraction(95, 100)  # records ≥ 95 % complete (as ``domain.completeness``)
PARTICIPATION = Fraction(60, 100)  # participation raised to 60 % (from 43 %)
PUBLISH_WORKING_DAYS = 7  # results published within 7 working days of the meeting
SATISFIED_STARS = follow_up.SATISFIED_FROM  # 4 or 5 stars is "satisfied" (the screen says so)


class PeriodKind(StrEnum):
    """How long a report's period is."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


@dataclass(frozen=True)
class Period:
    """A calendar month, quarter or year of the hall: ``first`` to ``last``, both included."""

    kind: PeriodKind
    year: int
    number: int  # the month (1–12), the quarter (1–4), or 1 for a year
    first: date
    last: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last

    @property
    def key(self) -> str:
        """The period as a URL writes it: 2026-q4, 2026-m12, 2026."""
        if self.kind is PeriodKind.YEAR:
            return str(self.year)
        return f"{self.year}-{'q' if self.kind is PeriodKind.QUARTER else 'm'}{self.number}"


def period(kind: PeriodKind, year: int, number: int = 1) -> Period:
    """The month, quarter or year ``number`` of ``year``; ValueError if there is no such one."""
    if kind is PeriodKind.YEAR:
        first, months = date(year, 1, 1), 12
        number = 1
    elif kind is PeriodKind.QUARTER:
        if not 1 <= number <= 4:
            raise ValueError("quarter")
        first, months = date(year, 3 * number - 2, 1), 3
    else:
        first, months = date(year, number, 1), 1
    after = first.month - 1 + months
    following = date(first.year + after // 12, after % 12 + 1, 1)
    return Period(kind, year, number, first, following - timedelta(days=1))


def period_of(kind: PeriodKind, day: date) -> Period:
    """The period of this kind that holds ``day``."""
    number = {PeriodKind.YEAR: 1, PeriodKind.QUARTER: (day.month + 2) // 3}.get(kind, day.month)
    return period(kind, day.year, number)


def parse_period(key: str) -> Period:
    """The period a URL names (``Period.key``); ValueError for anything else."""
    year_text, _, rest = key.partition("-")
    year = int(year_text)
    if not 2000 <= year <= 2100:
        raise ValueError("year")
    if not rest:
        return period(PeriodKind.YEAR, year)
    kind = {"q": PeriodKind.QUARTER, "m": PeriodKind.MONTH}[rest[:1]]
    return period(kind, year, int(rest[1:]))


@dataclass(frozen=True)
class Share:
    """``part`` of ``whole`` against a ``target`` (if the hall has one for it)."""

    part: int
    whole: int
    target: Fraction | None = None

    @property
    def value(self) -> Fraction | None:
        """The share exactly; None when there is nothing to share (``whole`` is 0)."""
        return Fraction(self.part, self.whole) if self.whole else None

    @property
    def meets(self) -> bool | None:
        """Whether the target is met (at exactly the target it is); None without a target or
        without a share."""
        value = self.value
        if value is None or self.target is None:
            return None
        return value >= self.target


def pooled(shares: Iterable[Share], target: Fraction | None = None) -> Share:
    """Several shares as one: the parts over the wholes (not the mean of the percentages)."""
    listed = list(shares)
    return Share(sum(s.part for s in listed), sum(s.whole for s in listed), target)


class Timeliness(StrEnum):
    """Whether something due by a date was done by it, as of the report's ``today``."""

    ON_TIME = "on_time"
    LATE = "late"  # done, after the deadline
    OVERDUE = "overdue"  # not done, and the deadline has passed
    NOT_DUE = "not_due"  # not done, still within its time: counted neither way


def timeliness(deadline: date, done_on: date | None, today: date) -> Timeliness:
    """Done by ``deadline`` (on the deadline is on time), late, overdue, or not due yet."""
    if done_on is not None:
        return Timeliness.ON_TIME if done_on <= deadline else Timeliness.LATE
    return Timeliness.OVERDUE if today > deadline else Timeliness.NOT_DUE


def on_time_share(outcomes: Iterable[Timeliness], target: Fraction | None) -> Share:
    """The share done on time among those that were due (the not-yet-due left out)."""
    counted = [o for o in outcomes if o is not Timeliness.NOT_DUE]
    return Share(sum(o is Timeliness.ON_TIME for o in counted), len(counted), target)


def publication_deadline(closed_on: date, is_working: Callable[[date], Workday]) -> date:
    """The last day the results of a meeting closed on ``closed_on`` may be published: the
    7th working day after it (China's holidays and 调休 working days, as action deadlines
    count them: ``follow_up.add_working_days``)."""
    return add_working_days(closed_on, PUBLISH_WORKING_DAYS, is_working).deadline


def satisfaction(stars: Iterable[int]) -> Share:
    """The share of answers of 4 or 5 stars (``follow_up.satisfaction``), against 85 %."""
    found = follow_up.satisfaction(stars)
    return Share(found.satisfied, found.count, SATISFIED)


def tally(words: Iterable[str]) -> dict[str, Share]:
    """How often each word occurs (a channel, a source, a status), as a share of them all."""
    counted = Counter(words)
    total = sum(counted.values())
    return {word: Share(n, total) for word, n in sorted(counted.items())}


def resident_share(from_residents: Iterable[bool]) -> Share:
    """The share of topics that came from residents, against the 60 % target."""
    given = list(from_residents)
    return Share(sum(given), len(given), RESIDENT_TOPICS)
