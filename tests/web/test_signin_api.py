"""Sign-in through the JSON API: the real app on a real SQLite file."""

from __future__ import annotations

from flask.testing import FlaskClient

from meeting_room.models import Meeting


def _member(client: FlaskClient, q: str) -> dict[str, object]:
    found = client.get("/api/v1/members", query_string={"q": q}).get_json()["members"]
    assert found, f"nobody found for {q!r}"
    return found[0]


def test_a_member_signs_in_with_the_right_phone_tail_and_counts(
    client: FlaskClient, meeting: Meeting
) -> None:
    member = _member(client, "周珍秀")
    assert member["group"] == "物业"
    owner = client.get("/api/v1/members", query_string={"q": "孙艳娜"}).get_json()["members"][0]
    response = client.post(
        f"/api/v1/meetings/{meeting.id}/sign-in",
        json={"member_id": owner["id"], "phone_tail": "6851"},
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["counts"] is True and body["first_signed_in_at"] is None
    assert body["phone_url"].startswith("http://192.0.2.10:5000/v/")
    snapshot = client.get(f"/api/v1/meetings/{meeting.id}").get_json()["attendance"]
    assert snapshot["in_person"] == 1


def test_a_wrong_phone_tail_is_refused_with_the_tries_left(
    client: FlaskClient, meeting: Meeting
) -> None:
    owner = _member(client, "孙艳娜")
    response = client.post(
        f"/api/v1/meetings/{meeting.id}/sign-in",
        json={"member_id": owner["id"], "phone_tail": "0000"},
    )
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "wrong_phone_tail"


def test_a_malformed_body_gets_a_clear_json_error(client: FlaskClient, meeting: Meeting) -> None:
    response = client.post(f"/api/v1/meetings/{meeting.id}/sign-in", json={"member_id": "x"})
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid_input"
    assert "member_id" in response.get_json()["error"]["message"]
