"""The notice in working days: China's official calendar (chinesecalendar) with the days the
clerk adds where a year is missing; the clerk's days are audited, listed and removable."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import select

from meeting_room.store.models.audit import AuditEntry
from tests.conftest import Clock, logged_in, unit


def _posted_meeting(app: Flask, clock: Clock, posted: datetime, starts: datetime) -> int:
    clock.now = posted
    clerk = logged_in(app, "clerk")
    created = clerk.post(
        "/api/v1/meetings",
        json={"title": "居民议事会", "starts_at": starts.isoformat(), "venue": "议事厅"},
    ).get_json()
    assert clerk.post(f"/api/v1/meetings/{created['id']}/announce").status_code == 200
    return int(created["id"])


def test_national_day_holidays_do_not_count_as_working_days(app: Flask, clock: Clock) -> None:
    app.config.update(NOTICE_WORKING_DAYS=True, NOTICE_DAYS=7)
    # Posted Monday 28 Sept 2026 for Monday 12 Oct: nine weekdays lie between, but 1–7 Oct
    # are the National Day holidays (调休 working days come with them): the library knows.
    meeting_id = _posted_meeting(
        app,
        clock,
        datetime(2026, 9, 28, 1, 0, tzinfo=UTC),
        datetime(2026, 10, 12, 1, 0, tzinfo=UTC),
    )
    notice = logged_in(app, "clerk").get(f"/api/v1/meetings/{meeting_id}/notice").get_json()
    assert notice["working_days"] is True
    assert notice["days_of_notice"] < 7 and notice["short_notice"] is True
    assert notice["published_at"].startswith("2026-09-28")


def test_the_clerk_adds_the_days_of_a_year_the_library_lacks(app: Flask, clock: Clock) -> None:
    app.config.update(NOTICE_WORKING_DAYS=True, NOTICE_DAYS=7)
    # Posted Thursday 4 Feb 2027 for Tuesday 16 Feb: 5, 8, 9, 10, 11, 12, 15 Feb = 7 weekdays.
    posted, starts = datetime(2027, 2, 4, 1, tzinfo=UTC), datetime(2027, 2, 16, 1, tzinfo=UTC)
    meeting_id = _posted_meeting(app, clock, posted, starts)
    clerk = logged_in(app, "clerk")
    before = clerk.get("/clerk").get_data(as_text=True)
    assert "节假日日历尚未收录 2027 年" in before
    assert clerk.get(f"/api/v1/meetings/{meeting_id}/notice").get_json()["short_notice"] is False

    for day in ("2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12"):
        added = clerk.post(
            "/api/v1/calendar-days", json={"day": day, "working": False, "note": "春节"}
        )
        assert added.status_code == 201 and added.get_json()["added_by"] == "clerk"
    notice = clerk.get(f"/api/v1/meetings/{meeting_id}/notice").get_json()
    assert (notice["days_of_notice"], notice["short_notice"]) == (2, True)

    listed = clerk.get("/api/v1/calendar-days").get_json()["days"]
    assert [d["day"] for d in listed][:2] == ["2027-02-08", "2027-02-09"]
    left = clerk.delete("/api/v1/calendar-days/2027-02-08").get_json()["days"]
    assert len(left) == 4
    assert clerk.get(f"/api/v1/meetings/{meeting_id}/notice").get_json()["days_of_notice"] == 3
    missing = clerk.delete("/api/v1/calendar-days/2027-02-08", query_string={"lang": "en"})
    assert missing.status_code == 409
    assert missing.get_json()["error"]["message"] == "2027-02-08 is not in the hall's calendar."
    with unit(app) as s:
        kinds = s.scalars(
            select(AuditEntry.kind).where(AuditEntry.subject == "calendar_days:2027-02-08")
        ).all()
        assert list(kinds) == ["calendar_days.insert", "calendar_days.delete"]


def test_a_stranger_cannot_change_the_calendar(app: Flask) -> None:
    answer = app.test_client().post(
        "/api/v1/calendar-days", json={"day": "2027-02-08", "working": False}
    )
    assert answer.status_code == 401
