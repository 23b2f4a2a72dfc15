"""Live connections on the real server (gevent, Engine.IO over WebSockets, opened by hand).

Measured on the box before: one attendee token opened 300 sockets and nothing limited
connections per token or address; a service started with the stock limit of 1,024 open files
would have run out of them, and then no screen could connect.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import LiveServer
from tests.security.conftest import Hall, start
from tests.security.raw_socket import RawSocket, Refused

TOO_MANY = "too_many_connections"


def opened(server: LiveServer, count: int, namespace: str = "/phone") -> list[RawSocket]:
    """``count`` sockets connected to ``namespace`` (each must be let in)."""
    sockets = []
    for _ in range(count):
        socket = RawSocket(server)
        assert not socket.connect(namespace)["refused"]
        sockets.append(socket)
    return sockets


def close(sockets: list[RawSocket]) -> None:
    for socket in sockets:
        socket.close()


def test_one_token_opening_300_sockets_joins_five_and_the_rest_are_refused_in_words(
    server: LiveServer, hall: Hall
) -> None:
    (member,) = hall.owners(1)
    token = hall.sign_in(member.id)
    sockets = opened(server, 300)
    try:
        answers = [socket.call("/phone", "join", {"token": token}) for socket in sockets]
        joined = [a for a in answers if "error" not in a]
        refused = [a["error"] for a in answers if "error" in a]
        assert len(joined) == 5 and len(refused) == 295
        assert {r["code"] for r in refused} == {TOO_MANY}
        assert "已经在 5 个屏幕上打开" in refused[0]["message"]
        # Each refused socket is closed by the server once its refusal is sent.
        assert sockets[-1].disconnected("/phone")
        # A page closed frees its place: the next phone of the same person joins. The place is
        # freed by the server's disconnect handler, after the close is answered: a phone
        # refused as one too many (its socket closed) comes again (a failure guard of 30 s).
        sockets[0].close()
        deadline = time.monotonic() + 30
        while True:
            later = opened(server, 1)
            answer = later[0].call("/phone", "join", {"token": token})
            close(later)
            if answer.get("error", {}).get("code") != TOO_MANY or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert "error" not in answer, answer
    finally:
        close(sockets)


@pytest.mark.alone
def test_a_thousand_phones_behind_one_address_all_connect_with_the_defaults(
    server: LiveServer, hall: Hall
) -> None:
    # 200 attendees, five sockets each (the most a token may have), all from 127.0.0.1: as a
    # hall of 1,000 phones behind its access point's NAT looks to the box.
    tokens = [hall.sign_in(member.id) for member in hall.members(200)]
    sockets = opened(server, 1000)
    try:
        for number, socket in enumerate(sockets):
            answer = socket.call("/phone", "join", {"token": tokens[number % 200]})
            assert "error" not in answer, (number, answer)
        # The room's screens are not held back by the phones' address.
        kiosk = hall.paired("kiosk")
        screen = RawSocket(server, cookie=f"yishi_device={kiosk.cookie('yishi_device')}")
        assert not screen.connect("/kiosk")["refused"]
        screen.close()
    finally:
        close(sockets)


@pytest.fixture
def small_server(tmp_path: Path) -> Iterator[LiveServer]:
    """A server allowing 20 connections per address (to reach the limit quickly)."""
    live = start(tmp_path, YISHI_SOCKETS_PER_ADDRESS="20", YISHI_TTS="fake")
    yield live
    live.stop()


def test_an_address_over_its_share_is_refused_in_words_then_turned_away(
    small_server: LiveServer,
) -> None:
    hall = Hall(small_server)
    kiosk = hall.paired("kiosk")
    sockets = opened(small_server, 20)
    try:
        over = RawSocket(small_server)
        refused = over.connect("/phone")
        assert refused["refused"] and refused["data"] == {"code": TOO_MANY}
        assert "来自这个网络的连接太多" in refused["message"]
        extra = [RawSocket(small_server) for _ in range(7)]  # within the grace of eight
        with pytest.raises(Refused) as turned_away:
            RawSocket(small_server)  # a client that keeps connecting regardless
        assert turned_away.value.status == 401
        # The clerk's kiosk is not counted with the phones: it still connects.
        screen = RawSocket(small_server, cookie=f"yishi_device={kiosk.cookie('yishi_device')}")
        assert not screen.connect("/kiosk")["refused"]
        close([over, *extra, screen])
    finally:
        close(sockets)


def test_a_box_started_with_1024_open_files_never_runs_out_of_them(tmp_path: Path) -> None:
    server = start(tmp_path, files=1024, YISHI_TTS="fake")
    try:
        hall = Hall(server)
        kiosk = hall.paired("kiosk")
        sockets: list[RawSocket] = []
        turned_away = 0
        for _ in range(1100):  # more than the box has files for
            try:
                sockets.append(RawSocket(server))
            except Refused:
                turned_away += 1
        try:
            # Its files less a reserve, two to a WebSocket, less the room's share.
            assert len(sockets) == (1024 - 128) // 2 - 64
            assert turned_away == 1100 - len(sockets)
            # The box still answers pages and the room's screens still connect.
            assert hall.staff().get("/api/v1/meetings").status == 200
            cookie = f"yishi_device={kiosk.cookie('yishi_device')}"
            screen = RawSocket(server, cookie=cookie)
            assert not screen.connect("/kiosk")["refused"]
            screen.close()
        finally:
            close(sockets)
    finally:
        server.stop()
