"""Participation in the hall's meetings (参与率): eligible members who took part, over the
eligible, by meeting and pooled over a period, by age band, by roster group and by channel.

A member took part in a meeting when they signed in (in person, or represented by a proxy whose
mandate was accepted); signing out later does not undo it. The pooled share counts each
(meeting, eligible member) pair once, so a big meeting weighs more than a small one. Ages come
from the roster's birth year, in the year of each meeting; the elderly (60 and over, the hall's
老年人) are counted apart, as the hall's documents ask. Pure: plain data in, exact shares out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from meeting_room.domain.reports import PARTICIPATION, Share

ELDERLY_AGE = 60


class AgeBand(StrEnum):
    """An age band of the roster (from the birth year, in the meeting's year)."""

    UNDER_40 = "under_40"
    FROM_40 = "40_59"
    FROM_60 = "60_69"
    FROM_70 = "70_79"
    FROM_80 = "80_plus"
    UNKNOWN = "unknown"  # no birth year on the roster


ELDERLY_BANDS = frozenset({AgeBand.FROM_60, AgeBand.FROM_70, AgeBand.FROM_80})


def age_band(birth_year: int | None, year: int) -> AgeBand:
    """The band of someone born in ``birth_year``, as of ``year`` (the age they reach then)."""
    if birth_year is None or birth_year > year:
        return AgeBand.UNKNOWN
    age = year - birth_year
    for floor, band in ((80, AgeBand.FROM_80), (70, AgeBand.FROM_70), (60, AgeBand.FROM_60)):
        if age >= floor:
            return band
    return AgeBand.FROM_40 if age >= 40 else AgeBand.UNDER_40


@dataclass(frozen=True)
class Person:
    """An eligible member as the report needs them."""

    member_id: int
    birth_year: int | None
    group: str


@dataclass(frozen=True)
class Turnout:
    """One meeting held: who was eligible and who of them took part."""

    meeting_id: int
    held_on: date
    eligible: Sequence[Person]
    took_part: frozenset[int]

    @property
    def share(self) -> Share:
        """Eligible members who took part, over the eligible."""
        ids = {p.member_id for p in self.eligible}
        return Share(len(ids & self.took_part), len(ids), PARTICIPATION)


@dataclass(frozen=True)
class Participation:
    """Participation over a period."""

    by_meeting: dict[int, Share]
    overall: Share
    elderly: Share
    by_age: dict[AgeBand, Share]
    by_group: dict[str, Share]


def _pairs(turnouts: Iterable[Turnout]) -> list[tuple[Person, date, bool]]:
    return [(p, t.held_on, p.member_id in t.took_part) for t in turnouts for p in t.eligible]


def _share(pairs: list[tuple[Person, date, bool]], target: bool = False) -> Share:
    return Share(sum(took for _, _, took in pairs), len(pairs), PARTICIPATION if target else None)


def participation(turnouts: Sequence[Turnout]) -> Participation:
    """Participation by meeting, pooled, for the elderly, by age band and by group."""
    pairs = _pairs(turnouts)
    bands = {
        band: [x for x in pairs if age_band(x[0].birth_year, x[1].year) is band] for band in AgeBand
    }
    groups = sorted({p.group for p, _, _ in pairs})
    return Participation(
        by_meeting={t.meeting_id: t.share for t in turnouts},
        overall=_share(pairs, target=True),
        elderly=_share([x for band in ELDERLY_BANDS for x in bands[band]], target=True),
        by_age={band: _share(found) for band, found in bands.items()},
        by_group={group: _share([x for x in pairs if x[0].group == group]) for group in groups},
    )
