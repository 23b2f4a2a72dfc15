"""The report's figures at their boundaries: periods, shares against targets, deadlines in
working days across a holiday with 调休, satisfaction, age bands, pooled participation, credit."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from meeting_room.domain.credits import DEFAULT_POINTS, Deed, credit
from meeting_room.domain.participation import AgeBand, Person, Turnout, age_band, participation
from meeting_room.domain.reports import (
    CARRIED_OUT,
    PeriodKind,
    Share,
    Timeliness,
    on_time_share,
    parse_period,
    period,
    period_of,
    pooled,
    publication_deadline,
    resident_share,
    satisfaction,
    tally,
    timeliness,
)
from tests.unit.test_follow_up import calendar_2025

# National Day 2025 (1–8 October off, 28 September and 11 October worked), as follow-up's
# tests write it.
national_day = calendar_2025


def test_a_quarter_runs_from_its_first_day_to_its_last_day_included() -> None:
    q4 = period(PeriodKind.QUARTER, 2026, 4)
    assert (q4.first, q4.last) == (date(2026, 10, 1), date(2026, 12, 31))
    assert date(2026, 12, 31) in q4 and date(2026, 10, 1) in q4
    assert date(2027, 1, 1) not in q4 and date(2026, 9, 30) not in q4


def test_a_february_of_a_leap_year_has_29_days() -> None:
    assert period(PeriodKind.MONTH, 2028, 2).last == date(2028, 2, 29)
    assert period(PeriodKind.MONTH, 2026, 12).last == date(2026, 12, 31)


def test_the_period_of_a_day_and_its_key_read_back() -> None:
    chosen = period_of(PeriodKind.QUARTER, date(2026, 11, 21))
    assert chosen.key == "2026-q4"
    assert parse_period("2026-q4") == chosen
    assert parse_period("2026-m2") == period(PeriodKind.MONTH, 2026, 2)
    assert parse_period("2026") == period(PeriodKind.YEAR, 2026)


@pytest.mark.parametrize("key", ["2026-q5", "2026-m13", "2026-x1", "abc", "1999", "2026-q"])
def test_a_period_that_does_not_exist_is_refused(key: str) -> None:
    with pytest.raises((ValueError, KeyError)):
        parse_period(key)


def test_a_share_exactly_at_its_target_meets_it_and_one_below_does_not() -> None:
    assert Share(85, 100, CARRIED_OUT).meets is True
    assert Share(84, 100, CARRIED_OUT).meets is False
    assert Share(17, 20, CARRIED_OUT).meets is True


def test_a_share_of_nothing_is_no_share_and_meets_nothing() -> None:
    assert Share(0, 0, CARRIED_OUT).value is None
    assert Share(0, 0, CARRIED_OUT).meets is None


def test_pooled_shares_add_parts_and_wholes_not_percentages() -> None:
    assert pooled([Share(1, 2), Share(3, 4)]).value == Fraction(4, 6)


def test_done_on_the_deadline_is_on_time_and_a_day_later_is_late() -> None:
    deadline = date(2026, 11, 30)
    assert timeliness(deadline, date(2026, 11, 30), date(2026, 12, 5)) is Timeliness.ON_TIME
    assert timeliness(deadline, date(2026, 12, 1), date(2026, 12, 5)) is Timeliness.LATE


def test_undone_work_is_overdue_only_from_the_day_after_its_deadline() -> None:
    deadline = date(2026, 11, 30)
    assert timeliness(deadline, None, date(2026, 11, 30)) is Timeliness.NOT_DUE
    assert timeliness(deadline, None, date(2026, 12, 1)) is Timeliness.OVERDUE


def test_work_not_yet_due_counts_neither_way() -> None:
    outcomes = [Timeliness.ON_TIME, Timeliness.LATE, Timeliness.OVERDUE, Timeliness.NOT_DUE]
    assert on_time_share(outcomes, CARRIED_OUT) == Share(1, 3, CARRIED_OUT)


def test_results_are_due_on_the_7th_working_day_across_national_day_with_its_swapped_days() -> None:
    # Closed 30 September 2025: 1–8 October are off; 9, 10, 11 (a Saturday worked), 13, 14,
    # 15 and 16 October are the 7 working days.
    assert publication_deadline(date(2025, 9, 30), national_day) == date(2025, 10, 16)


def test_a_swapped_sunday_counts_as_a_working_day() -> None:
    # Closed Friday 26 September 2025: Sunday 28 is worked (调休) and counts as the 1st; then
    # 29 and 30 September, and 9, 10, 11 (a Saturday worked) and 13 October.
    assert publication_deadline(date(2025, 9, 26), national_day) == date(2025, 10, 13)


def test_satisfaction_counts_four_and_five_stars_and_meets_85_percent_exactly() -> None:
    assert satisfaction([4, 5, 3]).value == Fraction(2, 3)
    assert satisfaction([5] * 17 + [3] * 3).meets is True
    assert satisfaction([5] * 16 + [3] * 4).meets is False
    assert satisfaction([]).value is None


def test_residents_topics_at_exactly_60_percent_meet_the_target() -> None:
    assert resident_share([True, True, True, False, False]).meets is True
    assert resident_share([True, True, False, False, False]).meets is False


@pytest.mark.parametrize(
    ("birth_year", "band"),
    [
        (1987, AgeBand.UNDER_40),
        (1986, AgeBand.FROM_40),
        (1967, AgeBand.FROM_40),
        (1966, AgeBand.FROM_60),
        (1957, AgeBand.FROM_60),
        (1956, AgeBand.FROM_70),
        (1946, AgeBand.FROM_80),
        (None, AgeBand.UNKNOWN),
        (2030, AgeBand.UNKNOWN),
    ],
)
def test_age_bands_turn_at_40_60_70_and_80_in_the_meetings_year(
    birth_year: int | None, band: AgeBand
) -> None:
    assert age_band(birth_year, 2026) is band


def test_someone_turning_60_during_the_year_is_elderly_in_that_years_meetings() -> None:
    assert age_band(1966, 2025) is AgeBand.FROM_40
    assert age_band(1966, 2026) is AgeBand.FROM_60


def test_participation_pools_every_meeting_and_counts_the_elderly_apart() -> None:
    old, young, other = Person(1, 1950, "业主"), Person(2, 1990, "业主"), Person(3, 1960, "租户")
    first = Turnout(10, date(2026, 10, 5), [old, young], frozenset({2}))
    second = Turnout(11, date(2026, 11, 5), [old, young, other], frozenset({1, 2, 3, 99}))
    found = participation([first, second])
    assert found.by_meeting == {
        10: Share(1, 2, found.overall.target),
        11: Share(3, 3, found.overall.target),
    }
    assert (found.overall.part, found.overall.whole) == (4, 5)  # 99 was not eligible
    assert (found.elderly.part, found.elderly.whole) == (2, 3)
    assert found.by_age[AgeBand.UNDER_40] == Share(2, 2)
    assert found.by_group == {"业主": Share(3, 4), "租户": Share(1, 1)}


def test_tally_shares_each_word_among_all() -> None:
    assert tally(["kiosk", "proxy", "kiosk"]) == {"kiosk": Share(2, 3), "proxy": Share(1, 3)}


def test_credit_multiplies_each_deed_by_its_points_and_adds_them() -> None:
    counts = {Deed.SIGN_IN: 3, Deed.SPEECH: 1, Deed.SIGNATURE: 2}
    found = credit(counts, DEFAULT_POINTS)
    assert found.total == 3 * 2 + 1 * 3 + 2 * 1
    assert credit(counts, {Deed.SIGN_IN: 10}).total == 30
