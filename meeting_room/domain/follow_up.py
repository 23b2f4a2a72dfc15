"""Follow-up (督办) and satisfaction (评价) rules: deadlines counted in working days, reminders
before a deadline, the order of escalation steps on an overdue item, which items a meeting's
follow-up report lists, survey periods and states, and satisfaction figures.

Pure: the hall's ``today`` (or ``now``) and its working-day calendar are arguments. The calendar
is the one of the meeting notice (``meetings.notice.working_calendar``: China's official holidays
and 调休 working days by ``chinesecalendar``, the clerk's own days first).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from meeting_room.domain.notice import Workday
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import ActionStatus, EscalationStep

# 提醒 → 约谈 → 上报街道: each step only after the one before, and only once.
ESCALATION_ORDER: tuple[EscalationStep, ...] = (
    EscalationStep.REMIND,
    EscalationStep.INTERVIEW,
    EscalationStep.REPORT_STREET,
)
MAX_WORKING_DAYS = 250  # about a year of working days: a longer term is given as a date
SATISFIED_FROM = 4  # 4 or 5 of 5 counts as satisfied (满意/基本满意)
SATISFACTION_TARGET = Decimal("0.85")  # the hall's goal: satisfaction ≥ 85 %


@dataclass(frozen=True)
class WorkingDeadline:
    """A deadline ``count`` working days after ``start``, and the years the calendar guessed."""

    start: date
    count: int
    deadline: date
    guessed_years: tuple[int, ...] = ()


def add_working_days(
    start: date, count: int, is_working: Callable[[date], Workday]
) -> WorkingDeadline:
    """The ``count``-th working day after ``start`` (``start`` itself not counted): 1 working
    day from a Friday is the next Monday, unless that is a holiday. Refuses ``invalid_input`` for
    a count below 1 or above ``MAX_WORKING_DAYS``."""
    if not 1 <= count <= MAX_WORKING_DAYS:
        raise Refusal(Problem.INVALID_INPUT, detail="working_days")
    day, left, guessed = start, count, set()
    while left:
        day += timedelta(days=1)
        found = is_working(day)
        if not found.known:
            guessed.add(day.year)
        if found.working:
            left -= 1
    return WorkingDeadline(start, count, day, tuple(sorted(guessed)))


def days_left(deadline: date, today: date) -> int:
    """Calendar days from ``today`` to the deadline (0 on the day, negative once passed)."""
    return (deadline - today).days


def reminder_due(status: ActionStatus, deadline: date, today: date, days_ahead: int) -> bool:
    """Whether unfinished work is near its deadline: from ``days_ahead`` days before it up to
    the day itself (afterwards it is overdue, and escalation takes over)."""
    if status in (ActionStatus.DONE, ActionStatus.OVERDUE):
        return False
    return 0 <= days_left(deadline, today) <= days_ahead


def next_step(taken: Iterable[EscalationStep]) -> EscalationStep | None:
    """The escalation step that comes next after those ``taken`` (None when all were taken)."""
    done = set(taken)
    for step in ESCALATION_ORDER:
        if step not in done:
            return step
    return None


def current_step(taken: Iterable[EscalationStep]) -> EscalationStep | None:
    """The furthest step taken so far (None before the first)."""
    done = set(taken)
    furthest = None
    for step in ESCALATION_ORDER:
        if step in done:
            furthest = step
    return furthest


def check_escalation(
    step: EscalationStep, taken: Sequence[EscalationStep], status: ActionStatus
) -> None:
    """Refuses a step out of order or twice (``escalation_out_of_order``), or on an item that
    is not overdue (``not_overdue``): escalation is for work past its deadline."""
    if status is not ActionStatus.OVERDUE:
        raise Refusal(Problem.NOT_OVERDUE)
    expected = next_step(taken)
    if step is not expected:
        raise Refusal(
            Problem.ESCALATION_OUT_OF_ORDER,
            step=step.value,
            expected=expected.value if expected else "",
        )


def reported(
    status: ActionStatus, completed_on: date | None, today: date, recent_days: int
) -> bool:
    """Whether a meeting's follow-up report (督办事项通报) lists an item: overdue, or completed
    within the last ``recent_days`` days."""
    if status is ActionStatus.OVERDUE:
        return True
    return (
        status is ActionStatus.DONE
        and completed_on is not None
        and completed_on >= today - timedelta(days=recent_days)
    )


class SurveyState(StrEnum):
    """Where a satisfaction survey stands."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


def survey_state(
    opens_at: datetime | None, closes_at: datetime | None, closed_at: datetime | None, now: datetime
) -> SurveyState:
    """A survey is a draft until opened, open until closed early or its end has come."""
    if opens_at is None:
        return SurveyState.DRAFT
    if closed_at is not None or (closes_at is not None and now >= closes_at):
        return SurveyState.CLOSED
    return SurveyState.OPEN


def quarter_of(day: date) -> tuple[date, date]:
    """The calendar quarter holding ``day``: its first and last day."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    after = date(day.year + 1, 1, 1) if first_month == 10 else date(day.year, first_month + 3, 1)
    return start, after - timedelta(days=1)


def periodic_survey_due(day: date, open_days: int, covered: Iterable[date]) -> date | None:
    """The first day of the quarter whose survey the hall makes and opens by itself on ``day``
    (quarterly by default), or None: none when a survey already covers that quarter (made by
    hand or earlier by the box: once per quarter), nor once its first ``open_days`` days are
    past (a box switched on late in a quarter waits for the next one)."""
    start, _end = quarter_of(day)
    if start in set(covered) or day >= start + timedelta(days=open_days):
        return None
    return start


def next_periodic_survey(day: date, open_days: int, covered: Iterable[date]) -> date:
    """The day the next automatic survey is made: ``day`` itself while one is due, else the
    first day of the next quarter."""
    if periodic_survey_due(day, open_days, covered) is not None:
        return day
    _start, end = quarter_of(day)
    return end + timedelta(days=1)


@dataclass(frozen=True)
class Satisfaction:
    """Answers 1–5 summed up: how many gave each, the mean, and the share satisfied (4–5)."""

    count: int
    by_stars: tuple[int, int, int, int, int]  # answers giving 1, 2, 3, 4, 5
    average: Decimal | None  # to one decimal
    satisfied: int  # answers of 4 or 5
    share: Decimal | None  # satisfied / count, to three decimals (0.857)

    @property
    def meets_target(self) -> bool:
        """Satisfaction at least 85 % (exactly 85 % meets it)."""
        return self.share is not None and self.share >= SATISFACTION_TARGET


def satisfaction(stars: Iterable[int]) -> Satisfaction:
    """Answers summed up; a share and mean of nothing is None."""
    given = list(stars)
    by = (given.count(1), given.count(2), given.count(3), given.count(4), given.count(5))
    if not given:
        return Satisfaction(0, (0, 0, 0, 0, 0), None, 0, None)
    satisfied = sum(1 for s in given if s >= SATISFIED_FROM)
    mean = (Decimal(sum(given)) / Decimal(len(given))).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    # The share is compared exactly (17/20 meets 85 %): quantised only for showing.
    share = Decimal(satisfied) / Decimal(len(given))
    return Satisfaction(len(given), by, mean, satisfied, share)
