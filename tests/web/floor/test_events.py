"""Floor events through real Socket.IO test clients: moderator → projector and phone."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask_socketio import SocketIOTestClient

from meeting_room.extensions import socketio
from meeting_room.store.models.meetings import Meeting
from tests.conftest import logged_in, paired

OWNER = {"q": "孙艳娜", "tail": "6851"}


def sign_in(app: Flask, meeting: Meeting, q: str, tail: str) -> tuple[int, str]:
    client = logged_in(app)
    member = client.get("/api/v1/members", query_string={"q": q}).get_json()["members"][0]
    body = client.post(
        f"/api/v1/meetings/{meeting.id}/sign-in",
        json={"member_id": member["id"], "phone_tail": tail},
    ).get_json()
    return member["id"], body["phone_url"].rsplit("/", 1)[-1]


def floors(client: SocketIOTestClient, namespace: str) -> list[dict[str, Any]]:
    return [e["args"][0] for e in client.get_received(namespace) if e["name"] == "floor"]


@pytest.fixture
def moderator(app: Flask, meeting: Meeting) -> SocketIOTestClient:
    """A moderator console, logged in."""
    browser = logged_in(app, "moderator")
    assert browser.get("/moderator").status_code == 200
    client = socketio.test_client(app, namespace="/moderator", flask_test_client=browser)
    assert client.is_connected("/moderator")
    ack = client.emit("join", {"meeting_id": meeting.id}, namespace="/moderator", callback=True)
    assert ack["floor"]["active_item_id"] is None
    return client


def test_the_console_refuses_a_stranger_and_a_clerk(app: Flask, meeting: Meeting) -> None:
    stranger = app.test_client()
    assert stranger.get("/moderator").headers["Location"] == "/login?next=/moderator"
    clerk = logged_in(app, "clerk")
    page = clerk.get("/moderator")
    assert page.status_code == 403
    assert "主持人" in page.get_data(as_text=True)  # the role it needs, in words
    assert "Traceback" not in page.get_data(as_text=True)
    for browser in (stranger, clerk):
        client = socketio.test_client(app, namespace="/moderator", flask_test_client=browser)
        assert not client.is_connected("/moderator")


def test_a_moderator_action_reaches_the_projector_and_the_phone(
    app: Flask, meeting: Meeting, moderator: SocketIOTestClient
) -> None:
    member_id, token = sign_in(app, meeting, OWNER["q"], OWNER["tail"])
    projector = socketio.test_client(
        app, namespace="/projector", flask_test_client=paired(app, "projector")
    )
    projector.emit("join", {"meeting_id": meeting.id}, namespace="/projector", callback=True)
    phone = socketio.test_client(app, namespace="/phone")
    joined = phone.emit("join", {"token": token}, namespace="/phone", callback=True)
    assert joined["member_id"] == member_id

    added = moderator.emit(
        "agenda.add",
        {"meeting_id": meeting.id, "title": "加装电梯方案", "planned_minutes": 20},
        namespace="/moderator",
        callback=True,
    )
    item_id = added["floor"]["agenda"][0]["id"]
    moderator.emit(
        "agenda.start",
        {"meeting_id": meeting.id, "item_id": item_id, "confirm": True},
        namespace="/moderator",
        callback=True,
    )
    asked = phone.emit(
        "floor.request", {"token": token, "stance": "against"}, namespace="/phone", callback=True
    )
    assert asked["ok"] and asked["floor"]["queue"][0]["member_id"] == member_id
    given = moderator.emit(
        "speaker.next", {"meeting_id": meeting.id}, namespace="/moderator", callback=True
    )
    assert given["floor"]["speaker"]["name"] == "孙艳娜"

    seen_by_projector = floors(projector, "/projector")
    seen_by_phone = floors(phone, "/phone")
    assert seen_by_projector[-1]["speaker"]["stance"] == "against"
    assert seen_by_projector[-1]["speaker"]["clock"]["deadline"] is not None
    assert seen_by_phone[-1]["version"] == seen_by_projector[-1]["version"]
    versions = [f["version"] for f in seen_by_projector]
    assert versions == sorted(versions) and len(set(versions)) == len(versions)


def test_an_attendee_connection_cannot_send_moderator_events(
    app: Flask, meeting: Meeting, moderator: SocketIOTestClient
) -> None:
    _, token = sign_in(app, meeting, OWNER["q"], OWNER["tail"])
    added = moderator.emit(
        "agenda.add",
        {"meeting_id": meeting.id, "title": "议题"},
        namespace="/moderator",
        callback=True,
    )
    before = added["floor"]["version"]
    phone_browser = app.test_client()  # a phone: no account
    phone_browser.get(f"/v/{token}")
    attacker = socketio.test_client(app, namespace="/phone", flask_test_client=phone_browser)
    for event in ("agenda.start", "speaker.next", "timer", "agenda.add"):
        reply = attacker.emit(
            event,
            {"meeting_id": meeting.id, "item_id": 1, "action": "stop", "title": "x"},
            namespace="/phone",
            callback=True,
        )
        assert reply is None  # no such event on the phone's namespace
    sneaky = socketio.test_client(app, namespace="/moderator", flask_test_client=phone_browser)
    assert not sneaky.is_connected("/moderator")
    state = moderator.emit(
        "join", {"meeting_id": meeting.id}, namespace="/moderator", callback=True
    )
    assert state["floor"]["version"] == before
    assert state["floor"]["active_item_id"] is None


def test_a_refused_request_for_the_floor_answers_in_words(
    app: Flask, meeting: Meeting, moderator: SocketIOTestClient
) -> None:
    _, token = sign_in(app, meeting, OWNER["q"], OWNER["tail"])
    phone = socketio.test_client(app, namespace="/phone")
    no_item = phone.emit("floor.request", {"token": token}, namespace="/phone", callback=True)
    assert no_item["error"]["code"] == "no_active_item"
    bad = phone.emit(
        "floor.request", {"token": token, "stance": "maybe"}, namespace="/phone", callback=True
    )
    assert bad["error"]["code"] == "invalid_input"
    wrong = moderator.emit(
        "timer",
        {"meeting_id": meeting.id, "action": "explode"},
        namespace="/moderator",
        callback=True,
    )
    assert wrong["error"]["code"] == "invalid_input"


def test_the_deadline_watcher_keeps_going_after_a_failed_round(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from meeting_room.domain.problems import Problem
    from meeting_room.ops import watcher
    from meeting_room.store.storage import StorageFailure

    class Stop(BaseException):
        """Ends the endless loop of the test."""

    rounds: list[str] = []

    def stop_speeches(*_args: Any) -> list[int]:
        rounds.append("speeches")
        if len(rounds) == 1:
            raise StorageFailure(Problem.STORAGE_FULL)
        return []

    def sleep(_seconds: float) -> None:
        if len(rounds) >= 3:
            raise Stop

    monkeypatch.setattr(watcher.floor, "stop_overruns", stop_speeches)
    monkeypatch.setattr(watcher, "close_expired", lambda _app: rounds.append("polls"))
    monkeypatch.setattr(watcher.socketio, "sleep", sleep)
    with pytest.raises(Stop):
        watcher.watch_deadlines(app)
    assert rounds[:3] == ["speeches", "speeches", "polls"]  # round 1 failed, round 2 went on
