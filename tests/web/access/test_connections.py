"""Live connections per attendee token and per address (the real server's side of it, with
Engine.IO underneath, is replayed in tests/security/test_sockets.py)."""

from __future__ import annotations

from flask import Flask

from meeting_room.access.connections import GRACE, ROOM_SHARE, Connections
from meeting_room.extensions import socketio
from meeting_room.store.models.meetings import Meeting
from tests.web.floor.test_events import OWNER, sign_in


def test_a_token_joins_five_phone_sockets_and_the_sixth_is_refused_in_words(
    app: Flask, meeting: Meeting
) -> None:
    _, token = sign_in(app, meeting, OWNER["q"], OWNER["tail"])
    phones = []
    for _ in range(app.config["SOCKETS_PER_TOKEN"]):
        phone = socketio.test_client(app, namespace="/phone")
        assert "error" not in phone.emit(
            "join", {"token": token}, namespace="/phone", callback=True
        )
        phones.append(phone)
    extra = socketio.test_client(app, namespace="/phone", headers={"Accept-Language": "zh-CN"})
    refused = extra.emit("join", {"token": token}, namespace="/phone", callback=True)
    assert refused["error"]["code"] == "too_many_connections"
    assert "已经在 5 个屏幕上打开" in refused["error"]["message"]
    # Joining again on a socket already counted is no new socket.
    again = phones[0].emit("join", {"token": token}, namespace="/phone", callback=True)
    assert "error" not in again
    phones[0].disconnect("/phone")  # one page closed: its place is free
    later = socketio.test_client(app, namespace="/phone")
    assert "error" not in later.emit("join", {"token": token}, namespace="/phone", callback=True)


def test_an_address_holds_its_share_and_the_room_keeps_a_share_of_the_whole() -> None:
    counted = Connections(per_token=5, per_address=3, total_limit=1000)
    assert all(counted.opened(f"p{n}", "10.0.0.9") for n in range(3))
    assert not counted.over_address("p2")
    assert counted.opened("p3", "10.0.0.9") and counted.over_address("p3")  # told in words
    for n in range(4, 3 + GRACE):
        assert counted.opened(f"p{n}", "10.0.0.9")
    assert not counted.opened("p-more", "10.0.0.9")  # turned away without words
    assert counted.opened("other", "10.0.0.10")  # another address is not held back
    counted.closed("p0")
    assert counted.opened("p-later", "10.0.0.9")

    whole = Connections(per_token=5, per_address=1000, total_limit=ROOM_SHARE + 10)
    assert all(whole.opened(f"s{n}", "10.0.0.9") for n in range(10))
    assert not whole.opened("s-more", "10.0.0.11")  # the rest is the room's
    assert all(whole.opened(f"kiosk{n}", None) for n in range(ROOM_SHARE))
    assert not whole.opened("kiosk-more", None)  # never more than the files allow
    whole.closed("s0")
    assert whole.opened("kiosk-again", None)
