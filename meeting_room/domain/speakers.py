"""The list of speakers (发言名单) for one agenda item under the meeting's rules of order.

Pure: the caller passes the item's waiting requests and its completed speeches (``Spoken``).
Points of order are not speeches: they never count towards ``max_speeches``, never make a
first-timer a repeat speaker and never set the stance that alternation answers.

The order the moderator sees (``order_queue``); "time order" means by (requested_at, id):

1. Points of order (程序问题) first, in time order.
2. Speech requests then fall into priority groups: with ``first_timers_first``, people with
   no speech on this item yet, then everyone else; otherwise a single group. Groups follow
   one another; each is ordered by rule 3.
3. Without ``alternate``, a group is in time order. With it:
   a. The group's for and against requests form a chain. Each step takes the earliest
      request of the *expected* stance if that stance has any left, else the earliest
      request left; the expected stance is then the opposite of the one taken. At the start
      of a group, the expected stance is the opposite of the last for/against speech so
      far: the last one placed in an earlier group, else the last in the item's history
      (neutral speeches are skipped over). With neither, the chain starts with the group's
      earliest request.
   b. Neutral requests (提问或中立) keep their time order and are merged into the chain:
      each goes just before the first chain request that asked later than it, or at the
      end. So a neutral never waits behind anyone in its group who asked after it (it may
      pass an earlier request that alternation holds back); it never changes the expected
      stance.

Hence first-timer priority outranks alternation: a repeat speaker is never placed before a
first-timer, even to give the other side its turn.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from fractions import Fraction

from meeting_room.domain.words import RequestKind, Stance

ZERO = timedelta(0)
_US = timedelta(microseconds=1)


@dataclass(frozen=True)
class RulesOfOrder:
    """How the floor is shared on each agenda item.

    The presets below cover the usual halls; a hall's own rules are ``RulesOfOrder(...)``.
    """

    speech_limit: timedelta
    max_speeches: int | None = None
    first_timers_first: bool = False
    alternate: bool = False

    def __post_init__(self) -> None:
        if self.speech_limit <= ZERO:
            raise ValueError("a speech must be given some time")
        if self.max_speeches is not None and self.max_speeches < 1:
            raise ValueError("at most zero speeches would leave nobody the floor")


NANTANG = RulesOfOrder(
    timedelta(minutes=2), max_speeches=2, first_timers_first=True, alternate=True
)
"""南塘议事规则: 2 minutes, twice per person per item, first-timers first, for/against alternate."""

THREE_MINUTES_ONCE = RulesOfOrder(timedelta(minutes=3), max_speeches=1)
"""Three minutes, once per person per item (everyone waiting is then a first-timer)."""


@dataclass(frozen=True)
class Request:
    """A request for the floor on the current item (a point of order carries NEUTRAL)."""

    id: int
    person: int
    stance: Stance
    kind: RequestKind
    requested_at: datetime


@dataclass(frozen=True)
class Spoken:
    """A completed speech (or point of order) on the current item."""

    person: int
    stance: Stance
    at: datetime
    kind: RequestKind = RequestKind.SPEECH


class RefusalCode(StrEnum):
    """Why a request for the floor is refused (translated where messages are made)."""

    ALREADY_WAITING = "already_waiting"
    MAX_SPEECHES_REACHED = "max_speeches_reached"


# The rule a moderator sets aside when giving the floor to someone who is not next in the
# queue; recorded beside overridden refusals (``RuleOverride.rule``), never a refusal itself.
OUT_OF_TURN = "out_of_turn"


@dataclass(frozen=True)
class Refusal:
    """A refusal and what its message needs, e.g. ``{"count": 2, "max": 2}``."""

    code: RefusalCode
    params: Mapping[str, int] = field(default_factory=dict)


def check_request(
    rules: RulesOfOrder,
    person: int,
    kind: RequestKind,
    history: Iterable[Spoken],
    waiting: Iterable[Request],
) -> Refusal | None:
    """Refuse a second waiting request of the same kind, or a speech beyond ``max_speeches``.

    A point of order is never refused for the count; it may wait beside a speech request.
    """
    if any(r.person == person and r.kind == kind for r in waiting):
        return Refusal(RefusalCode.ALREADY_WAITING)
    if kind == RequestKind.SPEECH and rules.max_speeches is not None:
        count = sum(1 for s in _speeches(history) if s.person == person)
        if count >= rules.max_speeches:
            return Refusal(
                RefusalCode.MAX_SPEECHES_REACHED, {"count": count, "max": rules.max_speeches}
            )
    return None


def order_queue(
    rules: RulesOfOrder, waiting: Iterable[Request], history: Iterable[Spoken]
) -> list[Request]:
    """The waiting requests in the order the moderator gives the floor (module docstring)."""
    timed = sorted(waiting, key=_when)
    speeches = list(_speeches(history))
    ordered = [r for r in timed if r.kind == RequestKind.POINT_OF_ORDER]
    requests = [r for r in timed if r.kind == RequestKind.SPEECH]
    if rules.first_timers_first:
        spoken = {s.person for s in speeches}
        groups = [
            [r for r in requests if r.person not in spoken],
            [r for r in requests if r.person in spoken],
        ]
    else:
        groups = [requests]
    sided = [s.stance for s in sorted(speeches, key=lambda s: s.at) if s.stance != Stance.NEUTRAL]
    last: Stance | None = sided[-1] if sided else None
    for group in groups:
        if not rules.alternate:
            ordered.extend(group)
            continue
        chain = _alternate([r for r in group if r.stance != Stance.NEUTRAL], last)
        if chain:
            last = chain[-1].stance
        ordered.extend(_merge(chain, [r for r in group if r.stance == Stance.NEUTRAL]))
    return ordered


def position_of(request_id: int, ordered: Sequence[Request]) -> int | None:
    """1-based place of a request in the queue (for the attendee's phone); None if absent."""
    return next((i for i, r in enumerate(ordered, start=1) if r.id == request_id), None)


@dataclass(frozen=True)
class SpeechRecord:
    """One finished speech for the statistics: who, their roster group, stance and duration."""

    person: int
    group: str
    stance: Stance
    duration: timedelta


@dataclass(frozen=True)
class PersonTally:
    """How often and how long one person spoke."""

    count: int
    total: timedelta


@dataclass(frozen=True)
class Stats:
    """Speaking time per person, and each group's and stance's exact share of the total."""

    total: timedelta
    by_person: Mapping[int, PersonTally]
    group_share: Mapping[str, Fraction]
    stance_share: Mapping[Stance, Fraction]


def statistics(records: Iterable[SpeechRecord]) -> Stats:
    """Tally the speeches; shares are exact and all zero when nobody spoke (every stance keyed)."""
    people: dict[int, PersonTally] = {}
    groups: dict[str, timedelta] = {}
    stances = dict.fromkeys(Stance, ZERO)
    for record in records:
        tally = people.get(record.person, PersonTally(0, ZERO))
        people[record.person] = PersonTally(tally.count + 1, tally.total + record.duration)
        groups[record.group] = groups.get(record.group, ZERO) + record.duration
        stances[Stance(record.stance)] += record.duration
    total = sum(stances.values(), ZERO)
    return Stats(
        total=total,
        by_person=people,
        group_share={group: _share(time, total) for group, time in groups.items()},
        stance_share={stance: _share(time, total) for stance, time in stances.items()},
    )


def _when(request: Request) -> tuple[datetime, int]:
    return request.requested_at, request.id


def _speeches(history: Iterable[Spoken]) -> Iterable[Spoken]:
    return (s for s in history if s.kind == RequestKind.SPEECH)


def _alternate(sided: list[Request], last: Stance | None) -> list[Request]:
    """Rule 3a over for/against requests in time order, answering ``last``."""
    pending = list(sided)
    chain: list[Request] = []
    expected = None if last is None else _opposite(last)
    while pending:
        index = next((i for i, r in enumerate(pending) if r.stance == expected), 0)
        chain.append(pending.pop(index))
        expected = _opposite(chain[-1].stance)
    return chain


def _merge(chain: list[Request], neutrals: list[Request]) -> list[Request]:
    """Rule 3b: each neutral (in time order) just before the first later chain request."""
    rest = list(neutrals)
    merged: list[Request] = []
    for request in chain:
        while rest and _when(rest[0]) < _when(request):
            merged.append(rest.pop(0))
        merged.append(request)
    return merged + rest


def _opposite(stance: Stance) -> Stance:
    return Stance.AGAINST if stance == Stance.FOR else Stance.FOR


def _share(part: timedelta, total: timedelta) -> Fraction:
    return Fraction(part // _US, total // _US) if total > ZERO else Fraction(0)
