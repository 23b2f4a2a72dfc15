"""Socket.IO behind roles: who may connect to each namespace, and each event's roles.

``on_event`` binds a typed handler (``web.sockets.typed``) behind its roles; the principal is
worked out again at every event, so a revoked device or an ended session stops at once.
``on_hot_event`` serves the one event that comes by the thousand (a ballot) without a request.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import wraps
from typing import Any

from flask import Flask, current_app, request, session
from flask_socketio import ConnectionRefusedError, disconnect, join_room

from meeting_room.access.connections import refuse_if_over_address
from meeting_room.access.principal import DEVICE_COOKIE, principal_from
from meeting_room.access.roles import OPEN, Principal, Role, refusal_for
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.extensions import socketio
from meeting_room.web.errors import envelope, event_answer
from meeting_room.web.messages import describe
from meeting_room.web.quiet_gc import COLLECTOR
from meeting_room.web.sockets import Handler, answer, payload_model, typed

# Namespace → roles that may connect to it; events then need their own roles.
NAMESPACES: dict[str, frozenset[Role]] = {}
EVENTS: dict[tuple[str, str], frozenset[Role]] = {}


def socket_principal() -> Principal:
    """The principal of the socket this event came on (checked again at every event, so a
    revoked device or an ended session stops at once)."""
    return principal_from(session, request.cookies.get(DEVICE_COOKIE))


def namespace(name: str, roles: Iterable[Role]) -> None:
    """Declare who may connect to a namespace and install its connect check (first: whether
    the connection's address holds more than its share, refused in words)."""
    allowed = frozenset(roles)
    NAMESPACES[name] = allowed

    def connect(_auth: Any = None) -> None:
        try:
            refuse_if_over_address(current_app, request.environ)
        except Refusal as refusal:  # words the page shows, and the code it acts on
            code = {"code": refusal.problem.value}
            raise ConnectionRefusedError(describe(refusal), code) from None
        if allowed & OPEN:
            return
        principal = socket_principal()
        if not principal.may(allowed):
            raise ConnectionRefusedError(refusal_for(allowed, principal).problem.value)
        if principal.device_id is not None:
            join_room(f"device:{principal.device_id}")

    socketio.on_event("connect", connect, namespace=name)


def on_event(event: str, handler: Handler[Any], name: str, roles: Iterable[Role]) -> None:
    """Bind a typed handler behind its roles (refused in words; a stranger is disconnected)."""
    allowed = frozenset(roles)
    EVENTS[(name, event)] = allowed
    call = typed(handler)

    @wraps(call)
    def guarded(*args: Any) -> dict[str, Any]:
        COLLECTOR.touch()
        if not allowed & OPEN:
            principal = socket_principal()
            if not principal.may(allowed):
                if not principal.roles:
                    disconnect()
                return envelope(refusal_for(allowed, principal))
        return call(*args)

    socketio.on_event(event, guarded, namespace=name)


def on_hot_event(event: str, handler: Handler[Any], name: str, roles: Iterable[Role]) -> None:
    """Bind a typed handler for an event that comes by the thousand in a burst (a ballot) and
    needs no principal and no request: it runs in the app's context only.

    Flask-SocketIO makes a whole request context for every event (a Werkzeug request, URL
    matching, the session): a quarter of a ballot's cost in a burst. Here that is made only
    when the answer is in words, a refusal or an error, whose language comes from the request.
    """
    allowed = frozenset(roles)
    if not allowed <= OPEN:
        raise ValueError(f"{name} {event}: a hot event has no principal to check")
    EVENTS[(name, event)] = allowed
    model = payload_model(handler)
    server = socketio.server

    def hot(sid: str, *args: Any) -> Any:
        COLLECTOR.touch()
        environ = server.get_environ(sid, namespace=name)
        if not environ:  # not a client of this server (as Flask-SocketIO answers)
            return None
        app: Flask = environ["flask.app"]
        try:
            with app.app_context():
                if len(args) != 1:
                    raise Refusal(Problem.INVALID_INPUT, detail="payload")
                return answer(handler(model.model_validate(args[0])))
        except Exception as error:
            return _answer_in_words(app, environ, sid, name, event, error)

    server.on(event, hot, namespace=name)


def _answer_in_words(
    app: Flask, environ: dict[str, Any], sid: str, name: str, event: str, error: Exception
) -> dict[str, Any]:
    """A hot event's refusal or error, answered in its client's language."""
    with app.request_context(environ):
        request.sid = sid  # type: ignore[attr-defined]
        request.namespace = name  # type: ignore[attr-defined]
        request.event = {"message": event, "args": ()}  # type: ignore[attr-defined]
        return event_answer(error)


def disconnect_device(device_id: int) -> None:
    """Close the sockets of a revoked device (on this worker; others refuse its next event)."""
    server = socketio.server
    for name in NAMESPACES:
        sids = [sid for sid, _ in server.manager.get_participants(name, f"device:{device_id}")]
        for sid in sids:
            server.disconnect(sid, namespace=name)
