"""Follow-up rules: deadlines in working days across China's holidays and 调休 days, reminders,
the order of escalation steps, which items a meeting's report lists, surveys and satisfaction."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from meeting_room.domain.follow_up import (
    add_working_days,
    check_escalation,
    current_step,
    next_periodic_survey,
    next_step,
    periodic_survey_due,
    quarter_of,
    reminder_due,
    reported,
    satisfaction,
    survey_state,
)
from meeting_room.domain.notice import Workday
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import ActionStatus, EscalationStep
from meeting_room.meetings.notice import library_workday

# The 2025 National Day and Mid-Autumn holiday (国办发明电〔2024〕12号): 1–8 October off;
# Sunday 28 September and Saturday 11 October are 调休 working days.
HOLIDAYS_2025 = {date(2025, 10, d) for d in range(1, 9)}
SWAPPED_2025 = {date(2025, 9, 28), date(2025, 10, 11)}


def calendar_2025(day: date) -> Workday:
    """The calendar as data: the notice's days, else Monday–Friday."""
    if day in HOLIDAYS_2025:
        return Workday(False)
    if day in SWAPPED_2025:
        return Workday(True)
    return Workday(day.weekday() < 5)


def test_one_working_day_from_a_friday_before_national_day_is_the_swapped_sunday() -> None:
    # Friday 26 September: Saturday 27 is off, Sunday 28 is a 调休 working day.
    assert add_working_days(date(2025, 9, 26), 1, calendar_2025).deadline == date(2025, 9, 28)


def test_working_days_skip_the_whole_national_day_week() -> None:
    # From Tuesday 30 September, the next working day is Thursday 9 October.
    assert add_working_days(date(2025, 9, 30), 1, calendar_2025).deadline == date(2025, 10, 9)
    # 3 working days: 9, 10 and Saturday 11 October (调休).
    assert add_working_days(date(2025, 9, 30), 3, calendar_2025).deadline == date(2025, 10, 11)
    # 4: Sunday 12 is off again, so Monday 13.
    assert add_working_days(date(2025, 9, 30), 4, calendar_2025).deadline == date(2025, 10, 13)
    # 10 working days from Friday 26 September: 28, 29, 30, 9, 10, 11, 13, 14, 15, 16.
    counted = add_working_days(date(2025, 9, 26), 10, calendar_2025)
    assert (counted.deadline, counted.count, counted.guessed_years) == (date(2025, 10, 16), 10, ())


def test_the_official_calendar_agrees_across_national_day_and_the_2026_spring_festival() -> None:
    assert add_working_days(date(2025, 9, 30), 3, library_workday).deadline == date(2025, 10, 11)
    # Spring Festival 2026: 15–23 February off, Saturday 14 and Saturday 28 February worked.
    assert add_working_days(date(2026, 2, 13), 1, library_workday).deadline == date(2026, 2, 14)
    assert add_working_days(date(2026, 2, 14), 1, library_workday).deadline == date(2026, 2, 24)
    assert add_working_days(date(2026, 2, 14), 5, library_workday).deadline == date(2026, 2, 28)


def test_a_year_the_calendar_does_not_know_is_counted_monday_to_friday_and_said() -> None:
    def unknown(day: date) -> Workday:
        return Workday(day.weekday() < 5, known=False)

    counted = add_working_days(date(2027, 12, 31), 1, unknown)  # a Friday
    assert counted.deadline == date(2028, 1, 3)
    assert counted.guessed_years == (2028,)


@pytest.mark.parametrize("count", [0, -1, 251])
def test_a_count_outside_one_to_250_working_days_is_refused(count: int) -> None:
    with pytest.raises(Refusal) as refused:
        add_working_days(date(2025, 9, 26), count, calendar_2025)
    assert refused.value.problem is Problem.INVALID_INPUT


def test_a_reminder_is_due_from_the_days_ahead_up_to_the_deadline_itself() -> None:
    deadline = date(2026, 12, 10)
    due = [
        reminder_due(ActionStatus.IN_PROGRESS, deadline, deadline - timedelta(days=n), 3)
        for n in (4, 3, 1, 0, -1)
    ]
    assert due == [False, True, True, True, False]
    assert reminder_due(ActionStatus.DONE, deadline, deadline, 3) is False
    assert reminder_due(ActionStatus.OVERDUE, deadline, deadline, 3) is False


def test_escalation_goes_remind_then_interview_then_report_to_the_street() -> None:
    taken: list[EscalationStep] = []
    assert next_step(taken) is EscalationStep.REMIND
    for step in (EscalationStep.REMIND, EscalationStep.INTERVIEW, EscalationStep.REPORT_STREET):
        check_escalation(step, taken, ActionStatus.OVERDUE)
        taken.append(step)
        assert current_step(taken) is step
    assert next_step(taken) is None


def test_a_step_out_of_order_twice_or_on_work_not_overdue_is_refused() -> None:
    with pytest.raises(Refusal) as skipped:
        check_escalation(EscalationStep.INTERVIEW, [], ActionStatus.OVERDUE)
    assert skipped.value.problem is Problem.ESCALATION_OUT_OF_ORDER
    assert skipped.value.params["expected"] == "remind"
    with pytest.raises(Refusal) as twice:
        check_escalation(EscalationStep.REMIND, [EscalationStep.REMIND], ActionStatus.OVERDUE)
    assert twice.value.params["expected"] == "interview"
    with pytest.raises(Refusal) as early:
        check_escalation(EscalationStep.REMIND, [], ActionStatus.IN_PROGRESS)
    assert early.value.problem is Problem.NOT_OVERDUE


def test_the_report_lists_overdue_work_and_work_completed_lately() -> None:
    today = date(2026, 12, 7)
    assert reported(ActionStatus.OVERDUE, None, today, 30) is True
    assert reported(ActionStatus.DONE, today - timedelta(days=30), today, 30) is True
    assert reported(ActionStatus.DONE, today - timedelta(days=31), today, 30) is False
    assert reported(ActionStatus.IN_PROGRESS, None, today, 30) is False


def test_a_survey_is_a_draft_then_open_until_closed_or_its_end() -> None:
    now = datetime(2026, 12, 7, 9, tzinfo=UTC)
    ends = now + timedelta(days=14)
    assert survey_state(None, None, None, now).value == "draft"
    assert survey_state(now, ends, None, now).value == "open"
    assert survey_state(now, ends, None, ends - timedelta(seconds=1)).value == "open"
    assert survey_state(now, ends, None, ends).value == "closed"
    assert survey_state(now, ends, now + timedelta(hours=1), now + timedelta(hours=2)).value == (
        "closed"
    )


def test_quarters() -> None:
    assert quarter_of(date(2026, 12, 7)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert quarter_of(date(2026, 2, 28)) == (date(2026, 1, 1), date(2026, 3, 31))
    assert quarter_of(date(2026, 6, 30)) == (date(2026, 4, 1), date(2026, 6, 30))


def test_satisfaction_counts_four_and_five_and_exactly_85_percent_meets_the_target() -> None:
    figures = satisfaction([5] * 10 + [4] * 7 + [3, 2, 1])  # 17 of 20 = 85 %
    assert figures.by_stars == (1, 1, 1, 7, 10)
    assert (figures.count, figures.satisfied, figures.share) == (20, 17, Decimal("0.85"))
    assert figures.meets_target is True
    assert figures.average == Decimal("4.2")  # 84 / 20
    assert satisfaction([5] * 16 + [3] * 4).meets_target is False  # 80 %
    assert satisfaction([]).share is None


def test_the_quarters_survey_is_due_once_in_its_first_days() -> None:
    q1 = date(2027, 1, 1)
    assert periodic_survey_due(date(2026, 12, 31), 14, []) is None  # Q4's first days are past
    assert periodic_survey_due(q1, 14, []) == q1
    assert periodic_survey_due(date(2027, 1, 14), 14, [date(2026, 10, 1)]) == q1
    assert periodic_survey_due(date(2027, 1, 15), 14, []) is None  # switched on too late
    assert periodic_survey_due(date(2027, 1, 2), 14, [q1]) is None  # made already (once)
    assert next_periodic_survey(date(2026, 12, 31), 14, []) == q1
    assert next_periodic_survey(date(2027, 1, 3), 14, []) == date(2027, 1, 3)
    assert next_periodic_survey(date(2027, 1, 3), 14, [q1]) == date(2027, 4, 1)
