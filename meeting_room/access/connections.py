"""How many live connections one attendee's token and one address may hold.

Each Socket.IO connection holds an open file; a service started with the stock limit of 1,024
runs out after about a thousand, and then no screen can connect at all (one attendee token once
opened 300 sockets; nothing stopped it). So:

- an attendee's token joins ``SOCKETS_PER_TOKEN`` phone sockets at most (a phone and a tablet,
  a reload's overlap); the next join is refused in words the phone page shows;
- one address holds ``SOCKETS_PER_ADDRESS`` connections at most. A hall's phones often share one
  address (the access point's NAT), so the default lets a hall of 1,000 phones through twice
  over; paired screens and staff are not counted there (a flood from the phones' address never
  locks out the kiosk or the clerk desk). A socket over the limit is refused in words; a client
  that keeps connecting regardless is turned away before Socket.IO at ``GRACE`` more;
- all connections together fit in the process's open files (``yishi run`` raises its soft limit
  to the hard one) less ``RESERVED_FILES``, at two files a WebSocket, the last ``ROOM_SHARE`` of
  them kept for paired screens and staff. At a stock 1,024 that is 448 connections: a hall of
  1,000 phones needs the service's limit raised (``LimitNOFILE=8192``, see SECURITY.md), and
  until then the phones beyond are refused, not the box's own files.

The counts are the connections of this worker (each of a cluster's workers has its own files).
Engine.IO's connect and disconnect events keep them; the namespaces' connect check and the
phone's join read them.
"""

from __future__ import annotations

import logging
import resource
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

from flask import Flask

from meeting_room.access.principal import DEVICE_COOKIE, current_principal
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.extensions import socketio

log = logging.getLogger(__name__)

KEY = "yishi.connections"
EIO_SID = "yishi.eio_sid"  # where a connection's environ keeps its Engine.IO sid
GRACE = 8  # refused in words before Socket.IO turns a client away without them
RESERVED_FILES = 128  # the database, its journal, WAVs being served, logs, the odd subprocess
FILES_PER_CONNECTION = 2  # a WebSocket holds its socket and simple-websocket's duplicate of it
ROOM_SHARE = 64  # connections only paired screens and staff may take


@dataclass
class Connections:
    """The live connections of this worker: by address (phones and strangers) and in all, and
    the phone sockets joined under each token (by the hash of the token, never the token)."""

    per_token: int
    per_address: int
    total_limit: int | None = None  # None: from the open-file limit, when first needed
    phone_namespace: str = "/phone"
    addresses: dict[str, str] = field(default_factory=dict)  # engine sid → counted address
    by_address: Counter[str] = field(default_factory=Counter)
    total: int = 0
    tokens: dict[str, str] = field(default_factory=dict)  # socket sid → token hash
    by_token: Counter[str] = field(default_factory=Counter)

    def limit(self) -> int:
        """All connections this worker takes."""
        if self.total_limit is None:
            soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            files = soft if soft != resource.RLIM_INFINITY else 1_000_000
            spare = (files - RESERVED_FILES) // FILES_PER_CONNECTION
            self.total_limit = max(ROOM_SHARE * 2, spare)
        return self.total_limit

    def opened(self, eio_sid: str, address: str | None) -> bool:
        """Count a new connection (``address`` None: a paired screen or staff); False when it
        must be turned away."""
        if self.total >= self.limit():
            return False
        if address is not None:
            if self.total >= self.limit() - ROOM_SHARE:
                return False
            if self.by_address[address] >= self.per_address + GRACE:
                return False
            self.addresses[eio_sid] = address
            self.by_address[address] += 1
        self.total += 1
        return True

    def closed(self, eio_sid: str) -> None:
        """Forget a connection that ended."""
        address = self.addresses.pop(eio_sid, None)
        if address is not None:
            self.by_address[address] -= 1
            if self.by_address[address] <= 0:
                del self.by_address[address]
        self.total = max(0, self.total - 1)

    def over_address(self, eio_sid: str | None) -> bool:
        """Whether this connection's address holds more than its share."""
        address = self.addresses.get(eio_sid or "")
        return address is not None and self.by_address[address] > self.per_address

    def join(self, sid: str, token: str) -> bool:
        """Count a phone socket joining under a token (hash); False when the token has its
        share already (a socket joining again under its own token is not counted twice)."""
        if self.tokens.get(sid) == token:
            return True
        if self.by_token[token] >= self.per_token:
            return False
        self.leave(sid)
        self.tokens[sid] = token
        self.by_token[token] += 1
        return True

    def leave(self, sid: str) -> None:
        """Forget a phone socket's token (it disconnected, or joined under another)."""
        token = self.tokens.pop(sid, None)
        if token is not None:
            self.by_token[token] -= 1
            if self.by_token[token] <= 0:
                del self.by_token[token]


def connections(app: Flask) -> Connections:
    """The app's connection counts."""
    counted: Connections = app.extensions[KEY]
    return counted


def refuse_if_over_address(app: Flask, environ: dict[str, Any]) -> None:
    """Refuse a socket (``TOO_MANY_CONNECTIONS``) whose address holds more than its share
    (a socket that came another way than through Engine.IO, a test's, is not counted)."""
    counted: Connections | None = app.extensions.get(KEY)
    if counted is not None and counted.over_address(environ.get(EIO_SID)):
        raise Refusal(Problem.TOO_MANY_CONNECTIONS, per="address")


def count_phone_socket(app: Flask, sid: str, token: str) -> None:
    """Count a phone socket under its token; ``TOO_MANY_CONNECTIONS`` beyond the token's share,
    and the socket is closed once the refusal is sent (the page keeps showing its words)."""
    counted = connections(app)
    if not counted.join(sid, token):
        server = socketio.server
        socketio.start_background_task(server.disconnect, sid, namespace=counted.phone_namespace)
        raise Refusal(Problem.TOO_MANY_CONNECTIONS, per="token", limit=counted.per_token)


def _trusted(app: Flask, environ: dict[str, Any]) -> bool:
    """Whether a connection carries a paired screen's credential or a staff session."""
    cookies = SimpleCookie(environ.get("HTTP_COOKIE", ""))
    if DEVICE_COOKIE not in cookies and app.config["SESSION_COOKIE_NAME"] not in cookies:
        return False  # nothing to look up: a phone before its first page, or a stranger
    with app.request_context(environ):
        return bool(current_principal().roles)


def install(app: Flask, server: Any, phone_namespace: str) -> None:
    """Count every Engine.IO connection of ``server`` (refusing those over a limit before they
    reach Socket.IO) and forget the tokens of phone sockets that leave ``phone_namespace``."""
    counted = Connections(
        per_token=int(app.config["SOCKETS_PER_TOKEN"]),
        per_address=int(app.config["SOCKETS_PER_ADDRESS"]),
        total_limit=app.config.get("SOCKETS_TOTAL"),
        phone_namespace=phone_namespace,
    )
    app.extensions[KEY] = counted
    eio = server.eio
    connect: Callable[..., Any] = eio.handlers["connect"]
    disconnect: Callable[..., Any] = eio.handlers["disconnect"]

    def on_connect(eio_sid: str, environ: dict[str, Any]) -> Any:
        address = None if _trusted(app, environ) else environ.get("REMOTE_ADDR") or "?"
        if not counted.opened(eio_sid, address):
            log.warning("a connection was turned away: too many (from one address or in all)")
            return False
        environ[EIO_SID] = eio_sid
        return connect(eio_sid, environ)

    def on_disconnect(eio_sid: str, *reason: Any) -> Any:
        counted.closed(eio_sid)
        return disconnect(eio_sid, *reason)

    eio.on("connect", on_connect)
    eio.on("disconnect", on_disconnect)

    def phone_left(sid: str, *reason: Any) -> None:
        counted.leave(sid)

    server.on("disconnect", phone_left, namespace=phone_namespace)


def raise_open_file_limit() -> tuple[int, int]:
    """Raise this process's soft limit of open files to its hard limit (a stock service starts
    with 1,024: about a thousand sockets); the (soft, hard) limits now."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError):
            log.warning("the open-file limit stays at %s", soft)
    return resource.getrlimit(resource.RLIMIT_NOFILE)
