"""Voting's HTTP API reaches the room as the moderator's socket does.

Each write route of the API (draft, open, close and publish a poll; an assisted vote) sends a
connected projector and moderator console the same events, with the same payloads, as the
equivalent socket action sends them on an identical fresh meeting. Handing out a card and a
photo of the room send them nothing: nothing they show changes until the poll closes, and
then the card's ballot is in the count.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from flask_socketio import SocketIOTestClient

from meeting_room.extensions import socketio
from meeting_room.store.models.meetings import Meeting
from tests.conftest import START, logged_in, open_now, paired, unit
from tests.unit.test_cards import MODERATE, room_photo
from tests.web.floor.test_events import sign_in

VOLATILE = {"server_now"}  # the moment each snapshot was made
DRAFT = {"question": "是否同意加装电梯？", "duration_s": 600}
OWNER = ("孙艳娜", "6851")


@dataclass
class Room:
    """A fresh meeting with one owner signed in, watched by a projector and a console."""

    meeting_id: int
    member_id: int
    token: str
    clerk: FlaskClient
    projector: SocketIOTestClient
    moderator: SocketIOTestClient
    poll_id: int = 0

    def heard(self) -> dict[str, list[tuple[str, Any]]]:
        """The events each screen received since last asked, as any meeting would get them."""
        return {
            screen: [
                (event["name"], self.as_any_meeting(event["args"][0]))
                for event in client.get_received(f"/{screen}")
            ]
            for screen, client in (("projector", self.projector), ("moderator", self.moderator))
        }

    def as_any_meeting(self, value: Any) -> Any:
        """``value`` with this meeting's and this poll's ids (and the ballot list's hash and the
        anchor, which cover the poll's id) named instead, and the volatile fields left out."""
        if isinstance(value, list):
            return [self.as_any_meeting(item) for item in value]
        if not isinstance(value, dict):
            return value
        own = {"id": self.poll_id, "poll_id": self.poll_id, "meeting_id": self.meeting_id}
        named: dict[str, Any] = {}
        for key, item in value.items():
            if key in VOLATILE:
                continue
            if key in own and item == own[key]:
                named[key] = f"<this {key}>"
            elif key in ("final_hash", "anchor") and item is not None:
                named[key] = "<its hash>"  # the anchor: the audit log's entry at closing
            else:
                named[key] = self.as_any_meeting(item)
        return named


def fresh_room(app: Flask) -> Room:
    """A meeting made through the API, its owner signed in, its projector and console joined."""
    clerk = logged_in(app, "clerk")
    made = clerk.post(
        "/api/v1/meetings",
        json={
            "title": "7栋加装电梯业主大会",
            "starts_at": START.isoformat(),
            "venue": "幸福里社区议事厅",
            "eligible_groups": ["业主", "业委会"],
        },
    )
    assert made.status_code == 201
    meeting_id = made.get_json()["id"]
    open_now(app, meeting_id)
    with unit(app) as s:
        meeting = s.get(Meeting, meeting_id)
    assert meeting is not None
    member_id, token = sign_in(app, meeting, *OWNER)
    projector = socketio.test_client(
        app, namespace="/projector", flask_test_client=paired(app, "projector")
    )
    console = logged_in(app, "moderator")
    console.get("/moderator")
    moderator = socketio.test_client(app, namespace="/moderator", flask_test_client=console)
    for client, namespace in ((projector, "/projector"), (moderator, "/moderator")):
        joined = client.emit("join", {"meeting_id": meeting_id}, namespace=namespace, callback=True)
        assert "error" not in joined
    room = Room(meeting_id, member_id, token, clerk, projector, moderator)
    room.heard()  # what joining sent
    return room


def moderator_says(room: Room, event: str, payload: dict[str, Any]) -> dict[str, Any]:
    ack: dict[str, Any] = room.moderator.emit(event, payload, namespace="/moderator", callback=True)
    assert ack.get("ok"), ack
    return ack


def clerk_posts(room: Room, path: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
    answer = room.clerk.post(f"/api/v1/{path}", json=payload)
    assert answer.status_code in (200, 201), answer.get_json()
    body: dict[str, Any] = answer.get_json()
    return body


def draft_by_socket(room: Room) -> None:
    ack = moderator_says(room, "poll.create", {"meeting_id": room.meeting_id, **DRAFT})
    room.poll_id = ack["poll"]["id"]


def draft_by_http(room: Room) -> None:
    room.poll_id = clerk_posts(room, f"meetings/{room.meeting_id}/polls", DRAFT)["id"]


def change_by_socket(event: str) -> Callable[[Room], object]:
    return lambda room: moderator_says(room, event, {"poll_id": room.poll_id})


def change_by_http(action: str) -> Callable[[Room], object]:
    return lambda room: clerk_posts(room, f"polls/{room.poll_id}/{action}")


def vote_by_phone(room: Room) -> None:
    """The socket's ballot (the console has none): the owner's phone votes for."""
    phone = socketio.test_client(room.projector.app, namespace="/phone")
    ballot = {
        "token": room.token,
        "poll_id": room.poll_id,
        "choices": ["for"],
        "client_id": "ballot-1",
    }
    ack = phone.emit("ballot.cast", ballot, namespace="/phone", callback=True)
    assert ack.get("ok"), ack


def vote_assisted(room: Room) -> None:
    """The API's ballot: a clerk enters the owner's vote for."""
    body = {"member_id": room.member_id, "choices": ["for"], "helper": "张记录"}
    clerk_posts(room, f"polls/{room.poll_id}/assisted", body)


STEPS = [
    ("draft", draft_by_socket, draft_by_http),
    ("open", change_by_socket("poll.open"), change_by_http("open")),
    ("vote", vote_by_phone, vote_assisted),
    ("close", change_by_socket("poll.close"), change_by_http("close")),
    ("publish", change_by_socket("poll.publish"), change_by_http("publish")),
]


def test_each_write_of_the_api_reaches_projector_and_console_as_its_socket_action_does(
    app: Flask,
) -> None:
    by_socket, by_http = fresh_room(app), fresh_room(app)
    names: dict[str, list[str]] = {}
    for step, socket_action, http_action in STEPS:
        socket_action(by_socket)
        http_action(by_http)
        heard = by_http.heard()
        assert heard == by_socket.heard(), step
        names[step] = [name for name, _ in heard["projector"]]
        assert [name for name, _ in heard["moderator"]] == [n for n in names[step] if n != "say"]
    assert names == {
        "draft": ["poll"],
        "open": ["poll", "say"],
        "vote": ["poll.count"],
        "close": ["poll", "say"],
        "publish": ["poll"],
    }


def test_a_card_handed_out_and_a_photo_of_the_room_reach_the_screens_only_at_closing(
    app: Flask,
) -> None:
    room = fresh_room(app)
    draft_by_http(room)
    change_by_http("open")(room)
    photo = room_photo(11, (1920, 1080), MODERATE, count=6, marker_px=(80, 100))
    card = next(c for c in photo.cards if c.answer in "ABC")
    room.heard()

    handed = room.clerk.post(
        f"/api/v1/meetings/{room.meeting_id}/cards",
        json={"number": card.number, "member_id": room.member_id},
    )
    assert handed.status_code == 200
    seen = room.clerk.post(
        f"/api/v1/polls/{room.poll_id}/photos",
        data={"photo": (io.BytesIO(photo.jpeg), "room.jpg")},
        content_type="multipart/form-data",
    ).get_json()
    assert [c["number"] for c in seen["seen"]] == [card.number]
    assert room.heard() == {"projector": [], "moderator": []}

    change_by_http("close")(room)
    closed = [view for name, view in room.heard()["projector"] if name == "poll"]
    assert closed[-1]["status"] == "closed" and closed[-1]["cast"] == 1
