"""A ballot sent again after a lost answer or a reconnect (the same client-made id): the booth's
HTTP call and the phone's event answer the same receipt and count it once."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from meeting_room.extensions import socketio
from meeting_room.store.models.meetings import Meeting
from tests.conftest import logged_in, paired
from tests.web.floor.test_events import sign_in


def open_poll(api: FlaskClient, meeting: Meeting, *, secret: bool) -> dict[str, Any]:
    poll: dict[str, Any] = api.post(
        f"/api/v1/meetings/{meeting.id}/polls",
        json={"question": "停车位划线方案", "secret": secret},
    ).get_json()
    api.post(f"/api/v1/polls/{poll['id']}/open")
    return poll


def cast_count(api: FlaskClient, meeting: Meeting) -> int:
    return int(api.get(f"/api/v1/meetings/{meeting.id}/polls").get_json()["polls"][0]["cast"])


def test_the_booth_sends_a_ballot_again_and_gets_the_same_receipt_counted_once(
    app: Flask, meeting: Meeting
) -> None:
    member_id, _ = sign_in(app, meeting, "孙艳娜", "6851")
    api = logged_in(app)
    poll = open_poll(api, meeting, secret=True)
    booth = paired(app, "booth")
    who = booth.post(
        "/booth/api/identify",
        json={"meeting_id": meeting.id, "member_id": member_id, "phone_tail": "6851"},
    ).get_json()
    ballot = {
        "ticket": who["ticket"],
        "poll_id": poll["id"],
        "choices": ["against"],
        "client_id": "booth-resend-0001",
    }
    first = booth.post("/booth/api/ballot", json=ballot).get_json()
    again = booth.post("/booth/api/ballot", json=ballot).get_json()
    assert first["repeated"] is False and again["repeated"] is True
    assert again["receipt"] == first["receipt"]
    assert cast_count(api, meeting) == 1
    # Another id is another ballot: refused in a secret poll, the first one stands.
    other = booth.post("/booth/api/ballot", json={**ballot, "client_id": "booth-resend-0002"})
    assert other.status_code == 409 and other.get_json()["error"]["code"] == "already_voted"
    closed = api.post(f"/api/v1/polls/{poll['id']}/close").get_json()
    assert closed["result"]["tallies"]["against"]["headcount"] == 1
    assert closed["result"]["tallies"]["for"]["headcount"] == 0


def test_a_phone_ballot_sent_again_over_a_new_connection_counts_once(
    app: Flask, meeting: Meeting
) -> None:
    _, token = sign_in(app, meeting, "孙艳娜", "6851")
    api = logged_in(app)
    poll = open_poll(api, meeting, secret=True)
    ballot = {"token": token, "poll_id": poll["id"], "choices": ["for"], "client_id": "phone-0001"}
    before = socketio.test_client(app, namespace="/phone")
    before.emit("join", {"token": token}, namespace="/phone", callback=True)
    first = before.emit("ballot.cast", ballot, namespace="/phone", callback=True)
    before.disconnect(namespace="/phone")
    # The answer was lost with the connection: the page joins again and sends the same ballot.
    after = socketio.test_client(app, namespace="/phone")
    joined = after.emit("join", {"token": token}, namespace="/phone", callback=True)
    assert joined["voted"] is True
    again = after.emit("ballot.cast", ballot, namespace="/phone", callback=True)
    assert again == {**first, "repeated": True}
    assert cast_count(api, meeting) == 1


def test_a_changed_named_vote_sent_again_answers_its_receipt(app: Flask, meeting: Meeting) -> None:
    _, token = sign_in(app, meeting, "孙艳娜", "6851")
    api = logged_in(app)
    poll = open_poll(api, meeting, secret=False)
    phone = socketio.test_client(app, namespace="/phone")
    phone.emit("join", {"token": token}, namespace="/phone", callback=True)
    ballot = {"token": token, "poll_id": poll["id"], "choices": ["for"], "client_id": "named-0001"}
    first = phone.emit("ballot.cast", ballot, namespace="/phone", callback=True)
    change = {**ballot, "choices": ["against"], "client_id": "named-0002"}
    changed = phone.emit("ballot.cast", change, namespace="/phone", callback=True)
    # The change's answer was lost: sent again, it answers the receipt the voter already holds.
    again = phone.emit("ballot.cast", change, namespace="/phone", callback=True)
    assert changed["replaced"] is True and again["repeated"] is True
    assert first["receipt"] == changed["receipt"] == again["receipt"]
    assert cast_count(api, meeting) == 1
    closed = api.post(f"/api/v1/polls/{poll['id']}/close").get_json()
    assert closed["result"]["tallies"]["against"]["headcount"] == 1
    assert closed["result"]["tallies"]["for"]["headcount"] == 0
