"""In a named poll the latest ballot by time counts on every channel, and the voter's receipt
shows what is counted: a card photographed before a phone ballot does not override it; one
photographed after it does, and the phone is told. Through the real app: the phone's socket, the
API's card photos, the clerk's assisted vote, the published list and the receipt checker."""

from __future__ import annotations

import json
import re
from typing import Any

import cv2
import numpy as np
from flask import Flask
from flask.testing import FlaskClient
from flask_socketio import SocketIOTestClient

from meeting_room.extensions import socketio
from meeting_room.store.models.meetings import Meeting
from tests.conftest import Clock, logged_in
from tests.unit.test_cards import flat_card
from tests.web.floor.test_events import sign_in

FOR_UP, AGAINST_UP = 0, 1  # quarter-turns of a card: A (for) or B (against) on top


def card_photo(number: int, turns: int) -> bytes:
    """A JPEG of a grey wall with card ``number`` held ``turns`` quarter-turns round."""
    card = np.ascontiguousarray(np.rot90(flat_card(number, cell_px=24), turns))
    wall = np.full((900, 1200), 150, np.uint8)
    wall[200 : 200 + card.shape[0], 420 : 420 + card.shape[1]] = card
    ok, jpeg = cv2.imencode(".jpg", cv2.GaussianBlur(wall, (3, 3), 0))
    assert ok
    return jpeg.tobytes()


def photograph(api: FlaskClient, poll_id: int, number: int, turns: int) -> dict[str, Any]:
    """The clerk uploads a photo of the room; the cards' summary."""
    answer = api.post(
        f"/api/v1/polls/{poll_id}/photos",
        data={"photo": (__import__("io").BytesIO(card_photo(number, turns)), "room.jpg")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 200, answer.get_json()
    summary: dict[str, Any] = answer.get_json()
    return summary


def named_poll(api: FlaskClient, meeting: Meeting) -> int:
    poll = api.post(
        f"/api/v1/meetings/{meeting.id}/polls",
        json={"question": "是否同意更换单元门禁？", "secret": False},
    ).get_json()
    api.post(f"/api/v1/polls/{poll['id']}/open")
    return int(poll["id"])


def phone_of(app: Flask, token: str) -> SocketIOTestClient:
    phone = socketio.test_client(app, namespace="/phone")
    joined = phone.emit("join", {"token": token}, namespace="/phone", callback=True)
    assert "error" not in joined
    return phone


def cast(phone: SocketIOTestClient, token: str, poll_id: int, choice: str, key: str) -> str:
    answer = phone.emit(
        "ballot.cast",
        {"token": token, "poll_id": poll_id, "choices": [choice], "client_id": key},
        namespace="/phone",
        callback=True,
    )
    return str(answer["receipt"])


def counted_events(phone: SocketIOTestClient) -> list[dict[str, Any]]:
    received = phone.get_received("/phone")
    return [e["args"][0] for e in received if e["name"] == "ballot.counted"]


def receipt_line(api: FlaskClient, poll_id: int, receipt: str) -> str:
    checked = api.get(f"/api/v1/polls/{poll_id}/receipts/{receipt}").get_json()
    assert checked["found"] is True
    return str(checked["entry"]["text"])


def test_a_card_photographed_before_a_later_phone_ballot_does_not_override_it(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    member_id, token = sign_in(app, meeting, "孙艳娜", "6851")
    api = logged_in(app)
    api.post(f"/api/v1/meetings/{meeting.id}/cards", json={"number": 7, "member_id": member_id})
    poll_id = named_poll(api, meeting)
    # 19:05: the room is photographed, her card held with 赞成 (A) on top.
    clock.advance(300)
    seen = photograph(api, poll_id, 7, FOR_UP)["seen"]
    assert [(c["number"], c["choice"]) for c in seen] == [(7, "for")]
    # 19:06: she votes 反对 on her phone; the phone shows a receipt for 反对.
    clock.advance(60)
    phone = phone_of(app, token)
    receipt = cast(phone, token, poll_id, "against", "phone-ballot-0001")
    # The clerk desk already says the card will not count: her later phone vote does.
    problems = api.get(f"/api/v1/polls/{poll_id}/cards").get_json()["problems"]
    assert [(p["card"], p["problem"], p["channel"]) for p in problems] == [
        (7, "later_ballot_counts", "phone")
    ]
    clock.advance(60)
    closed = api.post(f"/api/v1/polls/{poll_id}/close").get_json()
    tallies = {k: v["headcount"] for k, v in closed["result"]["tallies"].items()}
    assert tallies == {"for": 0, "against": 1, "abstain": 0}
    assert closed["result"]["card_problems"] == [
        {"card": 7, "problem": "later_ballot_counts", "channel": "phone"}
    ]
    # The receipt she holds stands for what is counted, on the published list and the board.
    assert receipt_line(api, poll_id, receipt).endswith(f"{receipt} against")
    assert counted_events(phone) == []  # nothing replaced her ballot: nothing to tell
    phone.disconnect(namespace="/phone")


def test_a_card_photographed_after_a_phone_ballot_replaces_it_and_the_phone_is_told(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    member_id, token = sign_in(app, meeting, "孙艳娜", "6851")
    api = logged_in(app)
    api.post(f"/api/v1/meetings/{meeting.id}/cards", json={"number": 7, "member_id": member_id})
    poll_id = named_poll(api, meeting)
    clock.advance(60)
    phone = phone_of(app, token)
    receipt = cast(phone, token, poll_id, "against", "phone-ballot-0002")
    clock.advance(60)  # then she holds up her card, 赞成 on top, and the room is photographed
    assert photograph(api, poll_id, 7, FOR_UP)["problems"] == []  # the later card will count
    phone.get_received("/phone")
    closed = api.post(f"/api/v1/polls/{poll_id}/close").get_json()
    tallies = {k: v["headcount"] for k, v in closed["result"]["tallies"].items()}
    assert tallies == {"for": 1, "against": 0, "abstain": 0}
    assert closed["result"]["card_problems"] == []
    # Her phone is told at once what its receipt now stands for, and sees it again on rejoin.
    told = {"poll_id": poll_id, "receipt": receipt, "choices": ["for"], "channel": "card"}
    assert counted_events(phone) == [told]
    rejoined = phone.emit("join", {"token": token}, namespace="/phone", callback=True)
    assert rejoined["counted"] == told
    assert receipt_line(api, poll_id, receipt).endswith(f"{receipt} for")
    phone.disconnect(namespace="/phone")


def test_the_clerk_replacing_a_named_phone_ballot_tells_that_phone_only(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    member_id, token = sign_in(app, meeting, "孙艳娜", "6851")
    _, other_token = sign_in(app, meeting, "蔡志", "2961")
    api = logged_in(app)
    poll_id = named_poll(api, meeting)
    phone, other = phone_of(app, token), phone_of(app, other_token)
    receipt = cast(phone, token, poll_id, "for", "phone-ballot-0003")
    cast(other, other_token, poll_id, "for", "phone-ballot-0004")
    clock.advance(30)
    assisted = api.post(
        f"/api/v1/polls/{poll_id}/assisted",
        json={"member_id": member_id, "choices": ["abstain"], "helper": "王记录"},
    ).get_json()
    assert assisted == {"receipt": receipt, "replaced": True, "unit_note": None}
    assert counted_events(phone) == [
        {"poll_id": poll_id, "receipt": receipt, "choices": ["abstain"], "channel": "assisted"}
    ]
    assert counted_events(other) == []
    page = api.get(f"/v/{token}").get_data(as_text=True)
    data = re.search(r'<script type="application/json" id="page-data">(.*?)</script>', page, re.S)
    assert data is not None and json.loads(data.group(1))["counted"]["choices"] == ["abstain"]
    for client in (phone, other):
        client.disconnect(namespace="/phone")


def test_in_a_secret_poll_nothing_is_told_and_the_first_ballot_counts(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    member_id, token = sign_in(app, meeting, "孙艳娜", "6851")
    api = logged_in(app)
    api.post(f"/api/v1/meetings/{meeting.id}/cards", json={"number": 7, "member_id": member_id})
    poll = api.post(f"/api/v1/meetings/{meeting.id}/polls", json={"question": "是否同意？"})
    poll_id = poll.get_json()["id"]
    api.post(f"/api/v1/polls/{poll_id}/open")
    phone = phone_of(app, token)
    cast(phone, token, poll_id, "against", "phone-ballot-0005")
    clock.advance(60)
    photograph(api, poll_id, 7, FOR_UP)
    closed = api.post(f"/api/v1/polls/{poll_id}/close").get_json()
    assert closed["result"]["tallies"]["against"]["headcount"] == 1
    assert closed["result"]["card_problems"][0]["problem"] == "already_voted"
    rejoined = phone.emit("join", {"token": token}, namespace="/phone", callback=True)
    assert rejoined["counted"] is None and counted_events(phone) == []
    phone.disconnect(namespace="/phone")
