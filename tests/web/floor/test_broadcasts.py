"""Every write route of the floor's HTTP API reaches the room's screens exactly as the
moderator's socket action does (issue 14: a clerk's agenda POST once answered 201 and no
screen heard of it until it re-joined).

Each test does the same change on two identical meetings, once through the moderator's
socket and once through the clerk's HTTP call, with a projector, a moderator console and a
phone connected to each, and compares what every screen received.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_socketio import SocketIOTestClient

from meeting_room.domain.words import MemberGroup
from meeting_room.extensions import socketio
from meeting_room.meetings.meetings import MeetingDraft, create_meeting
from tests.conftest import Clock, logged_in, opened, paired, unit

NAMESPACES = ("/projector", "/moderator", "/phone")
# What differs between two identical meetings by construction, not by the way of the change.
VOLATILE = {"meeting_id", "server_now", "id", "item_id", "active_item_id"}


@dataclass
class Room:
    """One meeting with a projector, a moderator console and a phone following it."""

    meeting_id: int
    item_id: int
    screens: dict[str, SocketIOTestClient]
    moderator: SocketIOTestClient
    clerk: FlaskClient

    def act(self, event: str, payload: dict[str, Any]) -> dict[str, Any]:
        """A moderator's socket action on this meeting."""
        answer = self.moderator.emit(
            event, {"meeting_id": self.meeting_id, **payload}, namespace="/moderator", callback=True
        )
        assert "error" not in answer, answer
        return dict(answer)

    def heard(self) -> dict[str, list[tuple[str, Any]]]:
        """What each screen received since the last call, ids and clocks left out."""
        return {
            namespace: [(e["name"], _stable(e["args"])) for e in client.get_received(namespace)]
            for namespace, client in self.screens.items()
        }


def _stable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


def _room(app: Flask, clock: Clock) -> Room:
    with unit(app) as session:
        meeting = create_meeting(
            session,
            MeetingDraft(
                title="停车位议事会",
                starts_at=clock.now + timedelta(minutes=30),
                venue="幸福里社区议事厅",
                eligible_groups=(MemberGroup.OWNER,),
                quorum_headcount="1/2",
            ),
            clock.now,
        )
        meeting_id = opened(session, meeting, clock.now).id
    clerk = logged_in(app, "clerk")
    member = clerk.get("/api/v1/members", query_string={"q": "孙艳娜"}).get_json()["members"][0]
    signed = clerk.post(
        f"/api/v1/meetings/{meeting_id}/sign-in",
        json={"member_id": member["id"], "phone_tail": "6851"},
    ).get_json()
    token = signed["phone_url"].rsplit("/", 1)[-1]
    moderator = socketio.test_client(
        app, namespace="/moderator", flask_test_client=logged_in(app, "moderator")
    )
    projector = socketio.test_client(
        app, namespace="/projector", flask_test_client=paired(app, "projector")
    )
    phone = socketio.test_client(app, namespace="/phone")
    for client, namespace in ((moderator, "/moderator"), (projector, "/projector")):
        client.emit("join", {"meeting_id": meeting_id}, namespace=namespace, callback=True)
    phone.emit("join", {"token": token}, namespace="/phone", callback=True)
    room = Room(
        meeting_id,
        0,
        {"/projector": projector, "/moderator": moderator, "/phone": phone},
        moderator,
        clerk,
    )
    added = room.act("agenda.add", {"title": "加装电梯方案", "planned_minutes": 20})
    room.item_id = added["floor"]["agenda"][0]["id"]
    room.act(
        "agenda.start", {"item_id": room.item_id, "confirm": True}
    )  # the phone shows the active item
    room.heard()
    return room


@pytest.fixture
def rooms(app: Flask, clock: Clock) -> tuple[Room, Room]:
    """Two identical meetings: one changed by socket, the other by HTTP."""
    return _room(app, clock), _room(app, clock)


def _same(by_socket: Room, by_http: Room) -> dict[str, list[tuple[str, Any]]]:
    socket_heard, http_heard = by_socket.heard(), by_http.heard()
    assert http_heard == socket_heard
    for namespace in NAMESPACES:
        assert [name for name, _ in http_heard[namespace]] == ["floor"], namespace
    return http_heard


def test_adding_an_item_by_http_reaches_every_screen_as_the_console_does(
    rooms: tuple[Room, Room],
) -> None:
    by_socket, by_http = rooms
    by_socket.act("agenda.add", {"title": "停车位划线", "planned_minutes": 15})
    answer = by_http.clerk.post(
        f"/api/v1/meetings/{by_http.meeting_id}/agenda",
        json={"title": "停车位划线", "planned_minutes": 15},
    )
    assert answer.status_code == 201
    heard = _same(by_socket, by_http)
    projector_floor = heard["/projector"][0][1][0]
    assert [i["title"] for i in projector_floor["agenda"]] == ["加装电梯方案", "停车位划线"]


Change = Callable[[Room], None]


def _edit_by_http(room: Room) -> None:
    answer = room.clerk.patch(
        f"/api/v1/meetings/{room.meeting_id}/agenda/{room.item_id}",
        json={"title": "加装电梯方案（第二稿）", "planned_minutes": 25},
    )
    assert answer.status_code == 200


def _rules_by_http(room: Room) -> None:
    answer = room.clerk.put(
        f"/api/v1/meetings/{room.meeting_id}/rules",
        json={"preset": "custom", "speech_limit_s": 180, "max_speeches": 1, "auto_stop": True},
    )
    assert answer.status_code == 200


@pytest.mark.parametrize(
    ("change", "seen"),
    [
        (_edit_by_http, lambda floor: floor["agenda"][0]["title"] == "加装电梯方案（第二稿）"),
        (
            _rules_by_http,
            lambda floor: (floor["speech_limit_s"], floor["auto_stop"]) == (180, True),
        ),
    ],
    ids=["edit an item", "rules of order"],
)
def test_a_clerk_change_without_a_console_action_reaches_every_screen(
    rooms: tuple[Room, Room], change: Change, seen: Callable[[dict[str, Any]], bool]
) -> None:
    _, room = rooms
    before = room.act("join", {})["floor"]["version"]
    room.heard()

    change(room)

    heard = room.heard()
    for namespace in NAMESPACES:
        assert [name for name, _ in heard[namespace]] == ["floor"], namespace
        floor = heard[namespace][0][1][0]
        assert floor["version"] > before and seen(floor), (namespace, floor)
