"""Decisions and the action list over the API: deadlines by the hall's calendar, residents'
ratings of completed work, decisions tied to their meeting, rewording kept as a correction."""

from __future__ import annotations

from datetime import UTC, datetime

from flask.testing import FlaskClient

from tests.conftest import Clock
from tests.web.scripted import Held, add_decision_with_action


def test_the_deadline_is_read_on_the_halls_calendar_not_utc(
    client: FlaskClient, held: Held, clock: Clock
) -> None:
    _, action_id = add_decision_with_action(client, held)
    client.patch(f"/api/v1/actions/{action_id}", json={"deadline": "2026-11-21"})
    clock.now = datetime(2026, 11, 21, 15, 59, 59, tzinfo=UTC)  # 23:59:59 in Shanghai
    assert client.get(f"/api/v1/actions/{action_id}").get_json()["status"] == "not_started"
    clock.now = datetime(2026, 11, 21, 16, 0, 0, tzinfo=UTC)  # midnight in Shanghai: the 22nd
    assert client.get(f"/api/v1/actions/{action_id}").get_json()["status"] == "overdue"


def test_a_resident_rates_completed_work_once_and_rating_again_is_refused_in_words(
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
    again = client.post(rate, json={"token": first, "stars": 5})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_rated"
    assert again.get_json()["error"]["message"] == (
        "您已经评价过“完成电梯井道施工”：每位居民对每个事项只评价一次。"
    )
    other = client.post(rate, json={"token": second, "stars": 4, "comment": "很好"}).get_json()
    assert other["rating"] == {"count": 2, "average": "3.5", "comments": ["很好", "还可以"]}

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
        json={"text": "错挂的决议", "by": "张记录", "poll_id": held.secret_poll},
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
