"""The notice period: a meeting posted less than the required days ahead is short notice;
in calendar days or working days, and 15 days for an owners' assembly (物业管理条例 art. 14)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from meeting_room.domain.notice import Workday, notice_check

START = datetime(2026, 11, 21, 11, 0, tzinfo=UTC)


def test_exactly_the_required_days_of_notice_is_enough_and_a_second_less_is_short() -> None:
    assert notice_check(START - timedelta(days=7), START, 7).short is False
    assert notice_check(START - timedelta(days=7) + timedelta(seconds=1), START, 7).short is True


def test_the_days_of_notice_are_whole_days_and_never_negative() -> None:
    check = notice_check(START - timedelta(days=3, hours=23), START, 7)
    assert (check.days, check.required_days, check.short) == (3, 7, True)
    assert notice_check(START + timedelta(hours=1), START, 7).days == 0


def _weekdays(day: date) -> Workday:
    return Workday(day.weekday() < 5)


def test_an_owners_assembly_needs_fifteen_days_whatever_the_hall_sets() -> None:
    # 物业管理条例 art. 14: 15 days, even where the hall asks 7 for its other meetings.
    ten_days = notice_check(START - timedelta(days=10), START, 7, assembly=True)
    assert (ten_days.short, ten_days.required_days, ten_days.assembly) == (True, 15, True)
    assert notice_check(START - timedelta(days=15), START, 7, assembly=True).short is False
    assert notice_check(START - timedelta(days=10), START, 7).short is False  # not an assembly


def test_working_days_leave_out_the_posting_day_the_meeting_day_and_the_weekends() -> None:
    # Posted Monday 2026-11-09, meeting Saturday 2026-11-21: 10, 11, 12, 13, 16 … 20 = 9 days.
    posted = datetime(2026, 11, 9, 2, 0, tzinfo=UTC)
    check = notice_check(posted, START, 9, is_working=_weekdays)
    assert (check.counted_working, check.days, check.short) == (9, 9, False)
    assert notice_check(posted, START, 10, is_working=_weekdays).short is True


def test_a_holiday_is_no_working_day_and_a_makeup_saturday_is_one() -> None:
    posted = datetime(2026, 11, 9, 2, 0, tzinfo=UTC)

    def calendar(day: date) -> Workday:
        if day == date(2026, 11, 12):
            return Workday(False)  # a holiday on a Thursday
        if day == date(2026, 11, 14):
            return Workday(True)  # a 调休 Saturday
        return _weekdays(day)

    assert notice_check(posted, START, 7, is_working=calendar).counted_working == 9


def test_a_year_the_calendar_does_not_know_is_counted_by_weekdays_and_named() -> None:
    def unknown(day: date) -> Workday:
        return Workday(day.weekday() < 5, known=day.year < 2027)

    starts = datetime(2027, 1, 8, 2, 0, tzinfo=UTC)
    check = notice_check(datetime(2026, 12, 28, 2, 0, tzinfo=UTC), starts, 7, is_working=unknown)
    assert check.unknown_years == (2027,)
    assert check.counted_working == 8  # 29–31 Dec, 1 and 4–7 Jan counted as weekdays
