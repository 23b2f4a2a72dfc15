"""The notice period: a meeting announced less than the required days ahead is short notice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from meeting_room.domain.notice import notice_check

START = datetime(2026, 11, 21, 11, 0, tzinfo=UTC)


def test_exactly_the_required_days_of_notice_is_enough_and_a_second_less_is_short() -> None:
    assert notice_check(START - timedelta(days=7), START, 7).short is False
    assert notice_check(START - timedelta(days=7) + timedelta(seconds=1), START, 7).short is True


def test_the_days_of_notice_are_whole_days_and_never_negative() -> None:
    check = notice_check(START - timedelta(days=3, hours=23), START, 7)
    assert (check.days, check.required_days, check.short) == (3, 7, True)
    assert notice_check(START + timedelta(hours=1), START, 7).days == 0
