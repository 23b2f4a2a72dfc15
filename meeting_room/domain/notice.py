"""The notice period (公示期): a meeting is posted on the board some days before it starts.

The notice runs from the posting (the meeting's ``announced_at``, not its creation) to its
start. Counted in calendar days (to the second), or in working days where the hall's rules say
so: whole working days after the posting day and before the meeting's day, by a calendar the
caller passes (China's official holidays and 调休 working days, ``meetings.notice``). Less than
the required days is short notice: the clerk is warned, nothing is refused.

An owners' assembly (业主大会) needs 15 days: 物业管理条例 art. 14 ("召开业主大会会议，应当于会议
召开15日以前通知全体业主"), whatever shorter period the hall sets for its other meetings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

ASSEMBLY_DAYS = 15  # 物业管理条例 art. 14: an owners' assembly is notified 15 days before


@dataclass(frozen=True)
class NoticeCheck:
    """How far ahead a meeting was posted, against the days required."""

    announced: timedelta
    required_days: int
    working_days: bool = False
    # Working days of notice (when counted in working days), else None.
    counted_working: int | None = None
    # Years the calendar does not know (the count used Monday–Friday for them).
    unknown_years: tuple[int, ...] = ()
    assembly: bool = False

    @property
    def short(self) -> bool:
        """Posted less than the required days before it starts (calendar days to the second)."""
        if self.counted_working is not None:
            return self.counted_working < self.required_days
        return self.announced < timedelta(days=self.required_days)

    @property
    def days(self) -> int:
        """Days of notice, in the unit counted (none for a meeting posted after it started)."""
        if self.counted_working is not None:
            return max(self.counted_working, 0)
        return max(self.announced.days, 0)


@dataclass(frozen=True)
class Workday:
    """Whether a day is a working day, and whether the calendar knew it or guessed."""

    working: bool
    known: bool = True


def working_days_between(
    first: date, last: date, is_working: Callable[[date], Workday]
) -> tuple[int, tuple[int, ...]]:
    """Working days after ``first`` and before ``last`` (both left out), with the years the
    calendar had to guess."""
    count, unknown = 0, set()
    day = first + timedelta(days=1)
    while day < last:
        found = is_working(day)
        count += found.working
        if not found.known:
            unknown.add(day.year)
        day += timedelta(days=1)
    return count, tuple(sorted(unknown))


def notice_check(
    announced_at: datetime,
    starts_at: datetime,
    required_days: int,
    *,
    assembly: bool = False,
    is_working: Callable[[date], Workday] | None = None,
    local: Callable[[datetime], datetime] = lambda moment: moment,
) -> NoticeCheck:
    """The notice a meeting was given, from its posting to its start: counted in working days
    when ``is_working`` is given (days taken in the hall's time zone, ``local``), else in
    calendar days; an owners' assembly needs at least 15 calendar days (物业管理条例 art. 14)."""
    announced = starts_at - announced_at
    if assembly:
        # Art. 14 counts 日 (calendar days): the assembly's own rule stands beside the hall's.
        assembly_check = NoticeCheck(announced, ASSEMBLY_DAYS, assembly=True)
        if assembly_check.short:
            return assembly_check
    if is_working is None:
        return NoticeCheck(announced, required_days, assembly=assembly)
    counted, unknown = working_days_between(
        local(announced_at).date(), local(starts_at).date(), is_working
    )
    return NoticeCheck(announced, required_days, True, counted, unknown, assembly)
