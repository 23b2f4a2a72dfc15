"""The Socket.IO contract (docs/events.md) through Flask-SocketIO's test client on the real app."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from flask_socketio import SocketIOTestClient

from meeting_room.extensions import socketio
from meeting_room.store.models.meetings import Meeting


def screen(app: Flask, client: FlaskClient, namespace: str) -> SocketIOTestClient:
    connected = socketio.test_client(app, namespace=namespace, flask_test_client=client)
    assert connected.is_connected(namespace)
    return connected


def join(screen_client: SocketIOTestClient, namespace: str, payload: Any) -> dict[str, Any]:
    answer = screen_client.emit("join", payload, namespace=namespace, callback=True)
    assert isinstance(answer, dict), answer
    return answer


def received(screen_client: SocketIOTestClient, namespace: str, event: str) -> list[Any]:
    return [m["args"][0] for m in screen_client.get_received(namespace) if m["name"] == event]


def owner_id(client: FlaskClient, name: str = "孙艳娜") -> int:
    return int(
        client.get("/api/v1/members", query_string={"q": name}).get_json()["members"][0]["id"]
    )


def test_joining_answers_the_meeting_s_attendance_snapshot(
    app: Flask, client: FlaskClient, meeting: Meeting
) -> None:
    projector = screen(app, client, "/projector")
    answer = join(projector, "/projector", {"meeting_id": meeting.id})
    snapshot = answer["attendance"]
    assert snapshot["meeting_id"] == meeting.id and snapshot["quorum_met"] is False
    assert [c["measure"] for c in snapshot["clauses"]] == ["headcount", "area"]
    assert snapshot["clauses"][0]["required"] == "2/3" and snapshot["in_person"] == 0


def test_a_sign_in_reaches_the_projector_and_the_clerk_with_a_newer_version(
    app: Flask, client: FlaskClient, meeting: Meeting
) -> None:
    projector = screen(app, client, "/projector")
    clerk = screen(app, client, "/clerk")
    before = join(projector, "/projector", {"meeting_id": meeting.id})["attendance"]["version"]
    join(clerk, "/clerk", {"meeting_id": meeting.id})
    projector.get_received("/projector")
    clerk.get_received("/clerk")

    response = client.post(
        f"/api/v1/meetings/{meeting.id}/sign-in", json={"member_id": owner_id(client)}
    )
    assert response.status_code == 200

    for follower, namespace in ((projector, "/projector"), (clerk, "/clerk")):
        snapshots = received(follower, namespace, "attendance")
        assert len(snapshots) == 1, namespace
        assert snapshots[0]["version"] > before
        assert snapshots[0]["in_person"] == 1
        assert snapshots[0]["clauses"][0]["present"] == "1"


def test_a_screen_of_another_meeting_hears_nothing(
    app: Flask, client: FlaskClient, meeting: Meeting
) -> None:
    other = client.post(
        "/api/v1/meetings",
        json={
            "title": "停车位议事会",
            "starts_at": "2026-11-22T11:00:00Z",
            "venue": "幸福里社区议事厅",
        },
    ).get_json()
    projector = screen(app, client, "/projector")
    join(projector, "/projector", {"meeting_id": other["id"]})
    projector.get_received("/projector")
    client.post(f"/api/v1/meetings/{meeting.id}/sign-in", json={"member_id": owner_id(client)})
    assert received(projector, "/projector", "attendance") == []


def test_an_invalid_join_gets_an_error_answer_and_the_screen_stays_connected(
    app: Flask, client: FlaskClient, meeting: Meeting
) -> None:
    projector = screen(app, client, "/projector")
    for payload in ({"meeting_id": "seven"}, {}, "7", None):
        answer = join(projector, "/projector", payload)
        assert answer["error"]["code"] == "invalid_input", payload
        assert answer["error"]["message"]
    missing = join(projector, "/projector", {"meeting_id": 9999})
    assert missing["error"]["code"] == "meeting_not_found"
    assert projector.is_connected("/projector")
    assert "attendance" in join(projector, "/projector", {"meeting_id": meeting.id})


def test_the_clerk_desk_hears_a_kiosk_lockout_at_once(
    app: Flask, client: FlaskClient, meeting: Meeting
) -> None:
    clerk = screen(app, client, "/clerk")
    join(clerk, "/clerk", {"meeting_id": meeting.id})
    clerk.get_received("/clerk")
    member = owner_id(client)
    for _try in range(app.config["LOCKOUT_ATTEMPTS"]):
        client.post(
            f"/api/v1/meetings/{meeting.id}/sign-in",
            json={"member_id": member, "phone_tail": "0000"},
        )
    alerts = received(clerk, "/clerk", "alert")
    assert alerts == [{"kind": "kiosk_lockout", "member_id": member, "name": "孙艳娜"}]


def test_a_phone_joins_with_its_token_and_a_bad_token_gets_an_error(
    app: Flask, client: FlaskClient, meeting: Meeting
) -> None:
    receipt = client.post(
        f"/api/v1/meetings/{meeting.id}/sign-in", json={"member_id": owner_id(client)}
    ).get_json()
    token = receipt["phone_url"].rsplit("/v/", 1)[1]
    phone = screen(app, client, "/phone")
    answer = join(phone, "/phone", {"token": token})
    assert answer["meeting_id"] == meeting.id and answer["status"] == "open"

    refused = join(phone, "/phone", {"token": "not-a-real-token"})
    assert refused["error"]["code"] == "token_unknown"
    assert join(phone, "/phone", {"meeting_id": meeting.id})["error"]["code"] == "invalid_input"
    assert phone.is_connected("/phone")
