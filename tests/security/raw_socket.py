"""A Socket.IO connection spoken by hand over one WebSocket: cheap enough to open a thousand
from one test, and exact about what the server answers (the handshake's status, the namespace's
CONNECT or CONNECT_ERROR packet, an event's acknowledgement)."""

from __future__ import annotations

import itertools
import json
from typing import Any

import websocket

from tests.browser.conftest import LiveServer


class Refused(Exception):
    """The server turned the connection away before Socket.IO (its HTTP status)."""

    def __init__(self, status: int) -> None:
        super().__init__(f"handshake refused: {status}")
        self.status = status


class RawSocket:
    """Engine.IO 4 over a WebSocket, then Socket.IO 5 packets on it."""

    def __init__(self, server: LiveServer, cookie: str = "", language: str = "zh-CN") -> None:
        url = server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        headers = [f"Accept-Language: {language}"] + ([f"Cookie: {cookie}"] if cookie else [])
        self.ws = websocket.WebSocket()
        try:
            self.ws.connect(url, timeout=60, header=headers)
        except websocket.WebSocketBadStatusException as error:
            self.ws.close()
            raise Refused(error.status_code) from None
        opened = self.ws.recv()
        assert opened.startswith("0{"), opened
        self.ids = itertools.count(1)

    def _packet(self, *prefixes: str) -> str:
        """The next packet starting with one of ``prefixes`` (pings are answered on the way)."""
        while True:
            packet = self.ws.recv()
            if packet == "2":
                self.ws.send("3")
            elif packet.startswith(prefixes):
                return str(packet)

    def connect(self, namespace: str) -> dict[str, Any]:
        """Join ``namespace``: {"sid": ...} when let in, {"message", "data"} when refused."""
        self.ws.send(f"40{namespace},")
        packet = self._packet(f"40{namespace},", f"44{namespace},")
        answer: dict[str, Any] = json.loads(packet.split(",", 1)[1])
        return {"refused": packet.startswith("44"), **answer}

    def call(self, namespace: str, event: str, data: Any) -> Any:
        """Emit ``event`` and wait for its acknowledgement."""
        number = next(self.ids)
        self.ws.send(f"42{namespace},{number}{json.dumps([event, data])}")
        packet = self._packet(f"43{namespace},{number}[")
        return json.loads(packet.split(",", 1)[1][len(str(number)) :])[0]

    def disconnected(self, namespace: str) -> bool:
        """Whether the server closes this namespace next (its DISCONNECT packet)."""
        return self._packet(f"41{namespace}").startswith(f"41{namespace}")

    def close(self) -> None:
        self.ws.close()
