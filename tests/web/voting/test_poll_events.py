"""Voting through the real Socket.IO test clients, the booth's calls and the API."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_socketio import SocketIOTestClient

from meeting_room.extensions import socketio
from meeting_room.store.models.meetings import Meeting
from tests.conftest import logged_in, paired
from tests.web.floor.test_events import sign_in

PEOPLE = [("孙艳娜", "6851"), ("秦娜", "2181")]


def moderator_client(app: Flask, meeting: Meeting) -> SocketIOTestClient:
    browser = logged_in(app)
    browser.get("/moderator")
    client = socketio.test_client(app, namespace="/moderator", flask_test_client=browser)
    client.emit("join", {"meeting_id": meeting.id}, namespace="/moderator", callback=True)
    return client


def events(client: SocketIOTestClient, namespace: str, name: str) -> list[dict[str, Any]]:
    return [e["args"][0] for e in client.get_received(namespace) if e["name"] == name]


def test_a_phone_sees_the_ballot_when_the_poll_opens_and_votes_once(
    app: Flask, meeting: Meeting
) -> None:
    (_, token), (other_id, _) = (sign_in(app, meeting, q, t) for q, t in PEOPLE)
    phone = socketio.test_client(app, namespace="/phone")
    phone.emit("join", {"token": token}, namespace="/phone", callback=True)
    projector = socketio.test_client(
        app, namespace="/projector", flask_test_client=paired(app, "projector")
    )
    projector.emit("join", {"meeting_id": meeting.id}, namespace="/projector", callback=True)
    moderator = moderator_client(app, meeting)

    drafted = moderator.emit(
        "poll.create",
        {"meeting_id": meeting.id, "question": "是否同意加装电梯？"},
        namespace="/moderator",
        callback=True,
    )
    poll_id = drafted["poll"]["id"]
    opened = moderator.emit(
        "poll.open", {"poll_id": poll_id}, namespace="/moderator", callback=True
    )
    assert opened["poll"]["status"] == "open"
    pushed = events(phone, "/phone", "poll")
    assert pushed[-1]["status"] == "open" and pushed[-1]["options"] == ["for", "against", "abstain"]
    ballot = {"token": token, "poll_id": poll_id, "choices": ["for"], "client_id": "c0ffee-01"}
    first = phone.emit("ballot.cast", ballot, namespace="/phone", callback=True)
    again = phone.emit("ballot.cast", ballot, namespace="/phone", callback=True)
    assert first["receipt"] == again["receipt"] and again["repeated"] is True
    other = phone.emit(
        "ballot.cast",
        {**ballot, "choices": ["against"], "client_id": "c0ffee-02"},
        namespace="/phone",
        callback=True,
    )
    assert other["error"]["code"] == "already_voted"
    assert "手机" in other["error"]["message"] or "phone" in other["error"]["message"]

    counts = events(projector, "/projector", "poll.count")
    assert counts and counts[-1]["cast"] == 1
    closed = moderator.emit(
        "poll.close", {"poll_id": poll_id}, namespace="/moderator", callback=True
    )
    result = closed["poll"]["result"]
    assert result["tallies"]["for"]["headcount"] == 1 and result["passed"] is True
    assert closed["poll"]["final_hash"]
    check = logged_in(app).get(f"/api/v1/polls/{poll_id}/receipts/{first['receipt']}")
    assert check.get_json()["found"] is True
    assert other_id


def test_the_booth_identifies_a_voter_by_phone_tail_votes_and_forgets_them(
    app: Flask, meeting: Meeting
) -> None:
    member_id, _ = sign_in(app, meeting, *PEOPLE[0])
    api = logged_in(app)
    poll = api.post(
        f"/api/v1/meetings/{meeting.id}/polls", json={"question": "停车位划线方案", "secret": True}
    ).get_json()
    api.post(f"/api/v1/polls/{poll['id']}/open")
    booth = paired(app, "booth")
    wrong = booth.post(
        "/booth/api/identify",
        json={"meeting_id": meeting.id, "member_id": member_id, "phone_tail": "0000"},
    )
    assert wrong.status_code == 409 and wrong.get_json()["error"]["code"] == "wrong_phone_tail"
    who = booth.post(
        "/booth/api/identify",
        json={"meeting_id": meeting.id, "member_id": member_id, "phone_tail": "6851"},
    ).get_json()
    assert who["name"] == "孙艳娜" and who["voted"] is False and who["poll"]["status"] == "open"
    cast = booth.post(
        "/booth/api/ballot",
        json={
            "ticket": who["ticket"],
            "poll_id": poll["id"],
            "choices": ["against"],
            "client_id": "booth-0001",
        },
    )
    assert cast.status_code == 200 and len(cast.get_json()["receipt"]) == 8
    forged = booth.post(
        "/booth/api/ballot",
        json={
            "ticket": who["ticket"] + "x",
            "poll_id": poll["id"],
            "choices": ["for"],
            "client_id": "booth-0002",
        },
    )
    assert forged.get_json()["error"]["code"] == "ticket_expired"


def test_a_clerk_enters_an_assisted_vote_and_the_helper_is_recorded(
    app: Flask, meeting: Meeting
) -> None:
    member_id, _ = sign_in(app, meeting, *PEOPLE[0])
    api = logged_in(app)
    poll = api.post(
        f"/api/v1/meetings/{meeting.id}/polls", json={"question": "物业费调整", "secret": False}
    ).get_json()
    api.post(f"/api/v1/polls/{poll['id']}/open")
    assisted = api.post(
        f"/api/v1/polls/{poll['id']}/assisted",
        json={"member_id": member_id, "choices": ["for"], "helper": "张记录"},
    )
    assert assisted.status_code == 200
    closed = api.post(f"/api/v1/polls/{poll['id']}/close").get_json()
    assert closed["result"]["tallies"]["for"]["headcount"] == 1
    listing = api.get(f"/api/v1/polls/{poll['id']}/ballot-list").get_json()
    assert "孙艳娜" in listing["entries"][0]["text"]
    assert listing["final_hash"] == listing["entries"][-1]["hash"]


def test_only_one_vote_is_open_at_a_time_and_the_desk_hears_who_voted(
    app: Flask, meeting: Meeting
) -> None:
    member_id, token = sign_in(app, meeting, *PEOPLE[0])
    api = logged_in(app)
    first = api.post(f"/api/v1/meetings/{meeting.id}/polls", json={"question": "甲"}).get_json()
    second = api.post(f"/api/v1/meetings/{meeting.id}/polls", json={"question": "乙"}).get_json()
    api.post(f"/api/v1/polls/{first['id']}/open")
    refused = api.post(f"/api/v1/polls/{second['id']}/open")
    assert refused.get_json()["error"]["code"] == "another_poll_open"
    phone = socketio.test_client(app, namespace="/phone")
    phone.emit(
        "ballot.cast",
        {"token": token, "poll_id": first["id"], "choices": ["for"], "client_id": "phone-1234"},
        namespace="/phone",
        callback=True,
    )
    desk = api.post(
        f"/api/v1/polls/{first['id']}/assisted",
        json={"member_id": member_id, "choices": ["against"], "helper": "张记录"},
    )
    message = desk.get_json()["error"]["message"]
    assert message.startswith("孙艳娜") and "手机" in message
