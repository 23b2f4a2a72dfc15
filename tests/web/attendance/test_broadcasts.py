"""Every write of the attendance API reaches the room's screens exactly as the kiosk's own
call does (issue 14: one writer, so a change is heard whichever way it came).

Each test makes the same change on two identical meetings, once the kiosk's way and once
through the clerk's HTTP API, with a projector, a clerk desk, a kiosk and a moderator console
following each (real Socket.IO test clients, joined), and compares what every screen received.
Where the kiosk has no call of its own (a mandate, a sign-out, an alert), its way is
``attendance.service``: the function the kiosk, the booth and the commands reach.
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

from meeting_room.attendance import service
from meeting_room.domain.words import MemberGroup
from meeting_room.extensions import socketio
from meeting_room.meetings.meetings import MeetingDraft, create_meeting
from tests.conftest import Clock, logged_in, paired, unit

# The screens that follow attendance, and the moderator console, which does not (yet): what it
# hears must not depend on the way of the change either.
FOLLOWERS = ("/projector", "/clerk", "/kiosk")
SCREENS = (*FOLLOWERS, "/moderator")
# What differs between two identical meetings by construction, not by the way of the change.
VOLATILE = {"meeting_id"}
SUN_YANNA = {"name": "孙艳娜", "tail": "6851"}


@dataclass
class Room:
    """One meeting with every kind of screen following it, a kiosk and a clerk's API client."""

    app: Flask
    meeting_id: int
    member_id: int
    screens: dict[str, SocketIOTestClient]
    kiosk: FlaskClient
    clerk: FlaskClient

    def heard(self) -> dict[str, list[tuple[str, Any]]]:
        """What each screen received since the last call, the meeting's id left out."""
        return {
            namespace: [(e["name"], _stable(e["args"])) for e in client.get_received(namespace)]
            for namespace, client in self.screens.items()
        }

    def version(self) -> int:
        """The meeting's state version, as the API answers it."""
        answer = self.clerk.get(f"/api/v1/meetings/{self.meeting_id}").get_json()
        return int(answer["attendance"]["version"])

    def kiosk_post(self, path: str, **body: Any) -> dict[str, Any]:
        """A call of the kiosk's page (which names its meeting in the body)."""
        answer = self.kiosk.post(path, json={"meeting_id": self.meeting_id, **body})
        assert answer.status_code == 200, answer.get_json()
        return dict(answer.get_json())

    def api_post(self, path: str, **body: Any) -> dict[str, Any]:
        """A call of the clerk desk to the JSON API, under this meeting."""
        answer = self.clerk.post(f"/api/v1/meetings/{self.meeting_id}{path}", json=body)
        assert answer.status_code == 200, answer.get_json()
        return dict(answer.get_json())

    def attendance_id(self) -> int:
        """The attendance row of the member the tests sign in."""
        rows = self.clerk.get(f"/api/v1/meetings/{self.meeting_id}/attendance").get_json()
        (row,) = [r for r in rows["attendance"] if r["member_id"] == self.member_id]
        return int(row["attendance_id"])

    def alert_id(self) -> int:
        """The one open alert of the meeting."""
        alerts = self.clerk.get(f"/api/v1/meetings/{self.meeting_id}/alerts").get_json()
        (alert,) = alerts["alerts"]
        return int(alert["id"])

    def locked_at_the_kiosk(self) -> None:
        """The member types wrong tails at the kiosk until they are locked out."""
        for _try in range(self.app.config["LOCKOUT_ATTEMPTS"]):
            self.kiosk.post(
                "/kiosk/api/sign-in",
                json={
                    "meeting_id": self.meeting_id,
                    "member_id": self.member_id,
                    "phone_tail": "0000",
                },
            )

    def serve(self, call: Callable[[], object]) -> None:
        """Call ``attendance.service`` as the app's own code does (in its context)."""
        with self.app.test_request_context():
            call()


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
                title="7栋加装电梯业主大会",
                starts_at=clock.now + timedelta(minutes=30),
                venue="幸福里社区议事厅",
                eligible_groups=(MemberGroup.OWNER, MemberGroup.OWNERS_COMMITTEE),
                quorum_headcount="2/3",
                quorum_area="2/3",
            ),
            clock.now,
        )
        meeting_id = meeting.id
    clerk = logged_in(app, "clerk")
    found = clerk.get("/api/v1/members", query_string={"q": SUN_YANNA["name"]}).get_json()
    screens = {
        "/projector": socketio.test_client(
            app, namespace="/projector", flask_test_client=paired(app, "projector")
        ),
        "/clerk": socketio.test_client(app, namespace="/clerk", flask_test_client=clerk),
        "/kiosk": socketio.test_client(
            app, namespace="/kiosk", flask_test_client=paired(app, "kiosk")
        ),
        "/moderator": socketio.test_client(
            app, namespace="/moderator", flask_test_client=logged_in(app, "moderator")
        ),
    }
    for namespace, client in screens.items():
        joined = client.emit("join", {"meeting_id": meeting_id}, namespace=namespace, callback=True)
        assert "error" not in joined, (namespace, joined)
    room = Room(app, meeting_id, found["members"][0]["id"], screens, paired(app, "kiosk"), clerk)
    room.heard()
    return room


@pytest.fixture
def rooms(app: Flask, clock: Clock) -> tuple[Room, Room]:
    """Two identical meetings: one changed the kiosk's way, the other through the API."""
    return _room(app, clock), _room(app, clock)


Step = Callable[[Room], object]
Seen = Callable[[dict[str, Any]], bool]


def _nothing(_room: Room) -> None:
    return None


def _kiosk_sign_in(room: Room) -> object:
    return room.kiosk_post("/kiosk/api/sign-in", member_id=room.member_id, phone_tail="6851")


def _kiosk_proxy(room: Room) -> object:
    return room.kiosk_post(
        "/kiosk/api/proxy", represented_id=room.member_id, phone_tail="6851", proxy_name="李代理"
    )


CHANGES: dict[str, tuple[Step, Step, Step, Seen]] = {
    # name: (the same start in both rooms, the kiosk's way, the API's way, what screens see)
    "sign-in with the phone tail": (
        _nothing,
        _kiosk_sign_in,
        lambda room: room.api_post("/sign-in", member_id=room.member_id, phone_tail="6851"),
        lambda snapshot: snapshot["in_person"] == 1,
    ),
    "sign-in at the desk": (
        _nothing,
        _kiosk_sign_in,
        lambda room: room.api_post("/sign-in", member_id=room.member_id),
        lambda snapshot: snapshot["in_person"] == 1,
    ),
    "proxy sign-in": (
        _nothing,
        _kiosk_proxy,
        lambda room: room.api_post("/proxies", represented_id=room.member_id, proxy_name="李代理"),
        lambda snapshot: (snapshot["proxies_pending"], snapshot["by_proxy"]) == (1, 0),
    ),
    "mandate accepted": (
        _kiosk_proxy,
        lambda room: room.serve(
            lambda: service.decide_mandate(room.meeting_id, room.attendance_id(), True, "小刘")
        ),
        lambda room: room.api_post(
            f"/proxies/{room.attendance_id()}/decision", accept=True, clerk="小刘"
        ),
        lambda snapshot: (snapshot["proxies_pending"], snapshot["by_proxy"]) == (0, 1),
    ),
    "mandate refused": (
        _kiosk_proxy,
        lambda room: room.serve(
            lambda: service.decide_mandate(room.meeting_id, room.attendance_id(), False, "小刘")
        ),
        lambda room: room.api_post(
            f"/proxies/{room.attendance_id()}/decision", accept=False, clerk="小刘"
        ),
        lambda snapshot: (snapshot["proxies_pending"], snapshot["by_proxy"]) == (0, 0),
    ),
    "sign-out": (
        _kiosk_sign_in,
        lambda room: room.serve(lambda: service.sign_out_member(room.meeting_id, room.member_id)),
        lambda room: room.api_post("/sign-out", member_id=room.member_id),
        lambda snapshot: snapshot["in_person"] == 0,
    ),
    "guest": (
        _nothing,
        lambda room: room.kiosk_post("/kiosk/api/guest", name="张来宾"),
        lambda room: room.api_post("/guests", name="张来宾"),
        lambda snapshot: snapshot["guests"] == 1,
    ),
    "alert resolved": (
        Room.locked_at_the_kiosk,
        lambda room: room.serve(lambda: service.resolve_alert(room.meeting_id, room.alert_id())),
        lambda room: room.api_post(f"/alerts/{room.alert_id()}/resolve"),
        lambda snapshot: snapshot["in_person"] == 0,
    ),
    "lock lifted": (
        Room.locked_at_the_kiosk,
        lambda room: room.serve(lambda: service.unlock_member(room.meeting_id, room.member_id)),
        lambda room: room.api_post(f"/members/{room.member_id}/unlock"),
        lambda snapshot: snapshot["in_person"] == 0,
    ),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_an_api_write_reaches_every_screen_as_the_kiosk_s_own_call_does(
    rooms: tuple[Room, Room], change: str
) -> None:
    start, by_kiosk, by_api, seen = CHANGES[change]
    kiosk_room, api_room = rooms
    for room in rooms:
        start(room)
        room.heard()
    before = api_room.version()

    by_kiosk(kiosk_room)
    by_api(api_room)

    kiosk_heard, api_heard = kiosk_room.heard(), api_room.heard()
    assert api_heard == kiosk_heard
    for namespace in FOLLOWERS:
        assert [name for name, _ in api_heard[namespace]] == ["attendance"], namespace
        (snapshot,) = api_heard[namespace][0][1]
        assert snapshot["version"] > before and seen(snapshot), (namespace, snapshot)
    # The console does not follow attendance today; whatever it hears, it hears alike.
    assert api_heard["/moderator"] == kiosk_heard["/moderator"]


def test_a_lockout_by_the_api_or_the_booth_alerts_the_clerk_desks_as_the_kiosk_s_does(
    app: Flask, clock: Clock
) -> None:
    kiosk_room, api_room, booth_room = _room(app, clock), _room(app, clock), _room(app, clock)
    booth = paired(app, "booth")
    kiosk_room.locked_at_the_kiosk()
    for _try in range(app.config["LOCKOUT_ATTEMPTS"]):
        api_room.clerk.post(
            f"/api/v1/meetings/{api_room.meeting_id}/sign-in",
            json={"member_id": api_room.member_id, "phone_tail": "0000"},
        )
        booth.post(
            "/booth/api/identify",
            json={
                "meeting_id": booth_room.meeting_id,
                "member_id": booth_room.member_id,
                "phone_tail": "0000",
            },
        )

    kiosk_heard = kiosk_room.heard()
    assert api_room.heard() == kiosk_heard
    assert booth_room.heard() == kiosk_heard
    lockout = {"kind": "kiosk_lockout", "member_id": kiosk_room.member_id, "name": "孙艳娜"}
    assert kiosk_heard["/clerk"][0] == ("alert", [lockout])
    # The stored alert moved the meeting's version: the followers hear of it, desks reload.
    for namespace in FOLLOWERS:
        assert [name for name, _ in kiosk_heard[namespace]][-1:] == ["attendance"], namespace
    for room in (kiosk_room, api_room, booth_room):
        assert room.alert_id() > 0
