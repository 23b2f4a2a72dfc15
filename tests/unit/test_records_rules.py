"""Pure rules of the records: how complete minutes are (≥ 95 % target, rounded down), receipt
codes as typed, and what a scanned card or slip is."""

from __future__ import annotations

from fractions import Fraction

import pytest

from meeting_room.domain.action_items import deadline_passed
from meeting_room.domain.completeness import completeness
from meeting_room.domain.receipts import typed_receipt
from meeting_room.domain.scanned import Scanned, read_scan


def test_an_empty_record_of_two_items_has_nothing_of_five_points() -> None:
    c = completeness([1, 2], set(), "", " ", published=False)
    assert (c.points, c.total, c.percent, c.meets_target) == (0, 5, 0, False)
    assert c.items_without_summary == (1, 2)


def test_one_point_short_of_95_percent_never_reads_95() -> None:
    # 19 items + 3 = 22 points; 21 of 22 is 95.45 %; 20 of 22 is 90.9 %.
    items = list(range(1, 20))
    one_short = completeness(items, set(items) - {7}, "李主持", "张记录", published=True)
    assert one_short.share == Fraction(21, 22) and one_short.meets_target
    assert one_short.percent == 95
    two_short = completeness(items, set(items) - {7, 8}, "李主持", "张记录", published=True)
    assert (two_short.percent, two_short.meets_target) == (90, False)
    # Exactly 95 %: 19 of 20 points meets the target.
    seventeen = list(range(1, 18))
    exact = completeness(seventeen, set(seventeen), "李主持", "张记录", published=False)
    assert exact.share == Fraction(95, 100) and exact.meets_target and exact.percent == 95


def test_a_record_without_items_counts_names_and_publication() -> None:
    c = completeness([], set(), "李主持", "", published=True)
    assert (c.points, c.total, c.clerk_named) == (2, 3, False)


@pytest.mark.parametrize(
    "typed", ["TW5N X6AE", "tw5n x6ae", " TW5N-X6AE\n", "tw5nx6ae", "TW5N·X6AE"]
)
def test_a_receipt_is_read_as_the_phone_shows_it(typed: str) -> None:
    assert typed_receipt(typed) == "TW5NX6AE"


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("YISHI:M00002", Scanned(card="YISHI:M00002")),
        ("yishi:m00002", Scanned(card="yishi:m00002")),
        (
            "http://192.0.2.10:5000/v/AbCdEfGhIjKlMnOpQrStUvWx_-123456",
            Scanned(token="AbCdEfGhIjKlMnOpQrStUvWx_-123456"),
        ),
        (
            "https://yishi.local/v/AbCdEfGhIjKlMnOpQrStUvWx_-123456/?lang=en",
            Scanned(token="AbCdEfGhIjKlMnOpQrStUvWx_-123456"),
        ),
        ("YISHI:", None),
        ("M00002", None),
        ("http://example.com/v/short", None),
        ("", None),
    ],
)
def test_a_scanned_card_or_slip_is_told_apart(text: str, read: Scanned | None) -> None:
    assert read_scan(text) == read


def test_a_deadline_today_has_not_passed_but_yesterday_has() -> None:
    from datetime import date

    today = date(2026, 11, 21)
    assert not deadline_passed(today, today)
    assert deadline_passed(date(2026, 11, 20), today)
