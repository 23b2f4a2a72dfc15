"""The notice board and the action list: notice period, overdue dates, ratings, publication."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from meeting_room.domain.action_items import action_status
from meeting_room.domain.words import ActionStatus, ItemKind
from meeting_room.floor.agenda import add_item
from meeting_room.meetings.meetings import MeetingDraft, create_meeting
from tests.conftest import Clock
from tests.web.test_minutes import Held, add_decision_with_action, hold_meeting, unit

DEADLINE = date(2026, 11, 21)


@pytest.fixture
def held(app: Flask, clock: Clock) -> Held:
    """The scripted meeting of test_minutes, held."""
    return hold_meeting(app, clock)


def test_unfinished_work_is_overdue_from_the_day_after_its_deadline() -> None:
    day_after = DEADLINE + timedelta(days=1)
    assert action_status(ActionStatus.IN_PROGRESS, DEADLINE, DEADLINE) is ActionStatus.IN_PROGRESS
    assert action_status(ActionStatus.IN_PROGRESS, DEADLINE, day_after) is ActionStatus.OVERDUE
    assert action_status(ActionStatus.NOT_STARTED, DEADLINE, day_after) is ActionStatus.OVERDUE
    assert action_status(ActionStatus.DONE, DEADLINE, day_after) is ActionStatus.DONE


def test_the_deadline_is_read_on_the_halls_calendar_not_utc(
    client: FlaskClient, held: Held, clock: Clock
) -> None:
    _, action_id = add_decision_with_action(client, held)
    client.patch(f"/api/v1/actions/{action_id}", json={"deadline": "2026-11-21"})
    clock.now = datetime(2026, 11, 21, 15, 59, 59, tzinfo=UTC)  # 23:59:59 in Shanghai
    assert client.get(f"/api/v1/actions/{action_id}").get_json()["status"] == "not_started"
    clock.now = datetime(2026, 11, 21, 16, 0, 0, tzinfo=UTC)  # midnight in Shanghai: the 22nd
    assert client.get(f"/api/v1/actions/{action_id}").get_json()["status"] == "overdue"


def test_a_meeting_announced_less_than_the_notice_period_ahead_warns_the_clerk(
    app: Flask, client: FlaskClient, clock: Clock
) -> None:
    created = client.post(
        "/api/v1/meetings",
        json={
            "title": "临时议事会",
            "starts_at": (clock.now + timedelta(days=3)).isoformat(),
            "venue": "议事厅",
        },
    ).get_json()
    notice = client.get(f"/api/v1/meetings/{created['id']}/notice").get_json()
    assert notice["short_notice"] is True
    assert (notice["days_of_notice"], notice["required_days"]) == (3, 7)
    app.config["NOTICE_DAYS"] = 2
    assert (
        client.get(f"/api/v1/meetings/{created['id']}/notice").get_json()["short_notice"] is False
    )
    app.config["NOTICE_DAYS"] = 7
    board = client.get("/board?lang=en").get_data(as_text=True)
    assert "Announced only 3 days ahead; at least 7 days of notice are required." in board


def test_the_board_shows_agendas_to_come_results_held_and_overdue_work_first(
    app: Flask, client: FlaskClient, held: Held, clock: Clock
) -> None:
    with unit(app) as s:
        coming = create_meeting(
            s,
            MeetingDraft(
                title="维修资金使用听证会", starts_at=clock.now + timedelta(days=10), venue="议事厅"
            ),
            clock.now,
        )
        add_item(s, coming, "3栋屋面防水维修方案", ItemKind.VOTE, 45)
    decision_id, on_time = add_decision_with_action(client, held)
    late = client.post(
        f"/api/v1/decisions/{decision_id}/actions",
        json={
            "title": "公示施工单位资质",
            "responsible": "业委会",
            "deadline": (clock.now - timedelta(days=3)).date().isoformat(),
        },
    ).get_json()
    client.post(
        f"/api/v1/actions/{late['id']}/notes",
        json={"text": "资质材料已收齐。", "by": "张记录"},
    )
    clock.advance(3600)

    page = client.get("/board?lang=en").get_data(as_text=True)
    assert "维修资金使用听证会" in page and "3栋屋面防水维修方案" in page
    assert "Announced 10 days ahead." in page
    assert "是否同意7栋加装电梯？" in page  # published
    final_hash = client.get(f"/api/v1/polls/{held.art278_poll}").get_json()["final_hash"]
    assert final_hash in page
    assert page.index(f'data-action="{late["id"]}"') < page.index(f'data-action="{on_time}"')
    assert 'data-status="overdue"' in page and "资质材料已收齐。" in page
    listed = client.get("/api/v1/actions").get_json()["actions"]
    assert [a["status"] for a in listed] == ["overdue", "not_started"]


def test_the_minutes_reach_the_board_once_the_clerk_publishes_them(
    client: FlaskClient, held: Held, clock: Clock
) -> None:
    clock.advance(3600)
    link = f"/board/meetings/{held.meeting_id}/minutes"
    assert link not in client.get("/board").get_data(as_text=True)
    client.post(f"/api/v1/meetings/{held.meeting_id}/minutes/publish", json={"by": "张记录"})
    assert link in client.get("/board").get_data(as_text=True)


def test_a_resident_rates_completed_work_once_and_rating_again_replaces_it(
    client: FlaskClient, held: Held
) -> None:
    _, action_id = add_decision_with_action(client, held)
    rate = f"/api/v1/actions/{action_id}/ratings"
    first, second = held.tokens["廖春勇"], held.tokens["莫明"]
    early = client.post(rate, json={"token": first, "stars": 4})
    assert early.status_code == 409 and early.get_json()["error"]["code"] == "action_not_done"
    done = client.patch(f"/api/v1/actions/{action_id}", json={"status": "done"}).get_json()
    assert done["status"] == "done" and done["completed_on"] == "2026-11-21"

    answer = client.post(rate, json={"token": first, "stars": 3, "comment": "还可以"}).get_json()
    assert answer["replaced"] is False and answer["rating"]["count"] == 1
    again = client.post(rate, json={"token": first, "stars": 5}).get_json()
    assert again["replaced"] is True
    assert again["rating"] == {"count": 1, "average": "5.0", "comments": []}
    other = client.post(rate, json={"token": second, "stars": 4, "comment": "很好"}).get_json()
    assert other["rating"] == {"count": 2, "average": "4.5", "comments": ["很好"]}

    stranger = client.post(rate, json={"token": "not-a-real-token-at-all", "stars": 5})
    assert stranger.status_code == 404 and stranger.get_json()["error"]["code"] == "token_unknown"
    too_many = client.post(rate, json={"token": first, "stars": 6})
    assert too_many.status_code == 422 and "stars" in too_many.get_json()["error"]["message"]


def test_a_decision_must_belong_to_the_meeting_and_rewording_it_is_a_correction(
    client: FlaskClient, held: Held, clock: Clock
) -> None:
    other = client.post(
        "/api/v1/meetings",
        json={"title": "另一次会议", "starts_at": clock.now.isoformat(), "venue": "议事厅"},
    ).get_json()
    wrong = client.post(
        f"/api/v1/meetings/{other['id']}/decisions",
        json={"text": "错挂的决议", "by": "张记录", "poll_id": held.art278_poll},
    )
    assert wrong.get_json()["error"]["code"] == "poll_not_found"
    decision_id, _ = add_decision_with_action(client, held)
    reworded = client.patch(
        f"/api/v1/decisions/{decision_id}", json={"text": "同意7栋加装电梯。", "by": "李审核"}
    )
    assert reworded.get_json()["text"] == "同意7栋加装电梯。"
    minutes = client.get(f"/api/v1/meetings/{held.meeting_id}/minutes").get_json()
    assert minutes["corrections"][-1]["field"] == f"decision.{decision_id}.text"
    assert minutes["corrections"][-1]["by"] == "李审核"
    missing = client.post(
        "/api/v1/decisions/9999/actions",
        json={"title": "x", "responsible": "y", "deadline": "2027-01-01"},
    )
    assert missing.get_json()["error"]["code"] == "decision_not_found"


def test_the_lobby_slideshow_shows_slides_without_any_form(
    client: FlaskClient, held: Held, clock: Clock
) -> None:
    _, action_id = add_decision_with_action(client, held)
    client.patch(f"/api/v1/actions/{action_id}", json={"status": "done"})
    clock.advance(3600)
    normal = client.get("/board").get_data(as_text=True)
    assert "rate-form" in normal and 'id="receipt-form"' in normal
    show = client.get("/board?slideshow=1").get_data(as_text=True)
    assert show.count("data-slide") >= 2
    assert "rate-form" not in show and 'id="receipt-form"' not in show
    assert '"slideshow": true' in show
