"""Who may use what: roles, the principal of a request, and the guard in front of every route
and Socket.IO event.

Every view declares its roles with ``@allow(...)``; every event is bound with ``on_event``. The
guard refuses a route that declares nothing (fail closed), so a new route cannot be open by
accident. docs/access.md is generated from the same declarations (``yishi access-table``) and a
test checks that it is current.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import quote

from flask import Flask, current_app, g, redirect, request, session
from flask.typing import ResponseReturnValue
from flask_socketio import ConnectionRefusedError, disconnect

from meeting_room.domain.problems import Problem, Refusal
from meeting_room.web.quiet_gc import COLLECTOR

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])

DEVICE_COOKIE = "yishi_device"
DEVICE_COOKIE_DAYS = 400  # browsers cap cookie lifetimes at about 400 days


class Role(StrEnum):
    """A kind of principal. ``attendee``: holds a personal token (checked by the handler);
    ``anyone``: no credential needed."""

    ADMIN = "admin"
    MODERATOR = "moderator"
    CLERK = "clerk"
    KIOSK = "kiosk"
    PROJECTOR = "projector"
    BOOTH = "booth"
    ATTENDEE = "attendee"
    ANYONE = "anyone"


STAFF = frozenset({Role.ADMIN, Role.MODERATOR, Role.CLERK})
DEVICES = frozenset({Role.KIOSK, Role.PROJECTOR, Role.BOOTH})
OPEN = frozenset({Role.ATTENDEE, Role.ANYONE})
ROLE_ATTRIBUTE = "yishi_roles"

# Endpoints not defined in this code base (Flask's static files, spectree's spec).
BUILT_IN = {
    "static": frozenset({Role.ANYONE}),
    "openapi_apidoc": frozenset({Role.ANYONE}),
}


@dataclass(frozen=True)
class Principal:
    """Who is asking: a staff account, a paired device, both or neither."""

    roles: frozenset[Role] = frozenset()
    account_id: int | None = None
    account_role: str | None = None
    username: str = ""
    device_id: int | None = None
    device_kind: str | None = None
    device_name: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def may(self, allowed: Iterable[Role]) -> bool:
        """Whether any of this principal's roles is allowed (the open roles need nothing)."""
        wanted = frozenset(allowed)
        return bool(wanted & OPEN) or bool(wanted & self.roles)


def allow(*roles: Role) -> Callable[[F], F]:
    """Declare the roles that may use a view (the administrator may use every staff and
    device view as well)."""

    def mark(view: F) -> F:
        setattr(view, ROLE_ATTRIBUTE, frozenset(roles))
        return view

    return mark


def roles_of_endpoint(app: Flask, endpoint: str) -> frozenset[Role] | None:
    """The declared roles of an endpoint, None when it declares nothing."""
    if endpoint in BUILT_IN:
        return BUILT_IN[endpoint]
    view = app.view_functions.get(endpoint)
    roles = getattr(view, ROLE_ATTRIBUTE, None)
    return roles if isinstance(roles, frozenset) else None


def _roles_of(account_role: str | None, device_kind: str | None) -> frozenset[Role]:
    roles: set[Role] = set()
    if account_role == Role.ADMIN:
        roles |= STAFF | DEVICES
    elif account_role in (Role.MODERATOR, Role.CLERK):
        roles.add(Role(account_role))
    if device_kind in DEVICES:
        roles.add(Role(device_kind))
    return frozenset(roles)


def principal_from(session_data: Any, device_credential: str | None) -> Principal:
    """Work out the principal from a Flask session and a device cookie (a database look-up)."""
    from meeting_room.access.accounts import device_by_credential
    from meeting_room.clock import now
    from meeting_room.store.models import StaffAccount
    from meeting_room.store.storage import transaction

    account_id = session_data.get("account") if session_data else None
    epoch = session_data.get("epoch") if session_data else None
    if not isinstance(account_id, int) and not device_credential:
        return Principal()  # nothing to look up: no database work for a stranger
    found: dict[str, Any] = {}
    with transaction() as s:
        if isinstance(account_id, int):
            account = s.get(StaffAccount, account_id)
            if (
                account is not None
                and account.active
                and epoch == account.password_changed_at.isoformat()
            ):
                found.update(account_id=account.id, account_role=account.role)
                found["username"] = account.username
        if device_credential:
            device = device_by_credential(s, device_credential)
            if device is not None:
                found.update(device_id=device.id, device_kind=device.kind)
                found["device_name"] = device.name
                moment = now()
                if device.last_seen_at is None or moment - device.last_seen_at > timedelta(
                    minutes=1
                ):
                    device.last_seen_at = moment
    return Principal(roles=_roles_of(found.get("account_role"), found.get("device_kind")), **found)


def current_principal() -> Principal:
    """The principal of this request (worked out once per request)."""
    if "yishi_principal" not in g:
        g.yishi_principal = principal_from(session, request.cookies.get(DEVICE_COOKIE))
    principal: Principal = g.yishi_principal
    return principal


def log_in(account_id: int, password_changed_at: datetime) -> None:
    """Start a staff session (a new session: the old one's data is dropped)."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    session["account"] = account_id
    session["epoch"] = password_changed_at.isoformat()
    session.permanent = True
    g.pop("yishi_principal", None)


def log_out() -> None:
    """End the staff session (a paired device stays paired)."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    g.pop("yishi_principal", None)


def set_device_cookie(response: Any, credential: str) -> None:
    """Give a device its credential: HttpOnly, same-site, Secure when serving HTTPS."""
    response.set_cookie(
        DEVICE_COOKIE,
        credential,
        max_age=int(timedelta(days=DEVICE_COOKIE_DAYS).total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("HTTPS")),
    )


def role_word(role: Role) -> str:
    """A role in the request's language."""
    from flask_babel import gettext

    words = {
        Role.ADMIN: gettext("administrator"),
        Role.MODERATOR: gettext("moderator"),
        Role.CLERK: gettext("clerk"),
        Role.KIOSK: gettext("paired kiosk"),
        Role.PROJECTOR: gettext("paired projector"),
        Role.BOOTH: gettext("paired voting booth"),
        Role.ATTENDEE: gettext("attendee (personal code)"),
        Role.ANYONE: gettext("anyone"),
    }
    return words[role]


def role_names(roles: Iterable[Role]) -> str:
    """Roles in words, for a refusal (the administrator may always)."""
    from flask_babel import gettext

    named = [role_word(r) for r in sorted(roles, key=list(Role).index) if r != Role.ADMIN]
    return gettext(", ").join([*named, role_word(Role.ADMIN)])


def refusal_for(roles: frozenset[Role], principal: Principal) -> Refusal:
    """Why this principal may not: not logged in, not paired, or the wrong role."""
    if principal.roles:
        return Refusal(Problem.FORBIDDEN, roles=role_names(roles))
    if roles & DEVICES:
        return Refusal(Problem.DEVICE_NOT_PAIRED)
    return Refusal(Problem.LOGIN_REQUIRED)


def guard() -> ResponseReturnValue | None:
    """Before every request: refuse what the principal's roles do not allow."""
    COLLECTOR.touch()
    endpoint = request.endpoint
    if endpoint is None:
        return None  # 404 or 405: nothing to protect
    roles = roles_of_endpoint(current_app, endpoint)
    if roles is None:
        log.error("route %s declares no roles; refused", request.url_rule)
        raise Refusal(Problem.FORBIDDEN, roles="-")
    principal = current_principal() if not roles & OPEN else Principal()
    if principal.may(roles):
        return None
    refusal = refusal_for(roles, principal)
    from meeting_room.web.errors import wants_json

    if request.method == "GET" and not wants_json() and not principal.roles:
        target = quote(request.full_path.rstrip("?"), safe="/?=&")
        if roles & DEVICES:
            return redirect(f"/pair?next={target}")
        return redirect(f"/login?next={target}")
    raise refusal


# --- Socket.IO -------------------------------------------------------------------------------

# Namespace → roles that may connect to it; events then need their own roles.
NAMESPACES: dict[str, frozenset[Role]] = {}
EVENTS: dict[tuple[str, str], frozenset[Role]] = {}


def socket_principal() -> Principal:
    """The principal of the socket this event came on (checked again at every event, so a
    revoked device or an ended session stops at once)."""
    return principal_from(session, request.cookies.get(DEVICE_COOKIE))


def socket_refusal_ack(refusal: Refusal) -> dict[str, Any]:
    """An error acknowledgement like the handlers' own."""
    from meeting_room.web.messages import describe

    return {"error": {"code": refusal.problem.value, "message": describe(refusal)}}


def namespace(name: str, roles: Iterable[Role]) -> None:
    """Declare who may connect to a namespace and install its connect check."""
    from meeting_room.extensions import socketio

    allowed = frozenset(roles)
    NAMESPACES[name] = allowed

    def connect(_auth: Any = None) -> None:
        if allowed & OPEN:
            return
        principal = socket_principal()
        if not principal.may(allowed):
            raise ConnectionRefusedError(refusal_for(allowed, principal).problem.value)
        if principal.device_id is not None:
            from flask_socketio import join_room

            join_room(f"device:{principal.device_id}")

    socketio.on_event("connect", connect, namespace=name)


def on_event(event: str, handler: Callable[[Any], Any], name: str, roles: Iterable[Role]) -> None:
    """Bind an event handler behind its roles (an error ack when refused)."""
    from meeting_room.extensions import socketio

    allowed = frozenset(roles)
    EVENTS[(name, event)] = allowed

    @wraps(handler)
    def guarded(data: Any = None) -> Any:
        COLLECTOR.touch()
        if not allowed & OPEN:
            principal = socket_principal()
            if not principal.may(allowed):
                refusal = refusal_for(allowed, principal)
                if not principal.roles:
                    disconnect()
                return socket_refusal_ack(refusal)
        return handler(data)

    socketio.on_event(event, guarded, namespace=name)


def on_hot_event(
    event: str, handler: Callable[[Any], Any], name: str, roles: Iterable[Role]
) -> None:
    """Bind a handler for an event that comes by the thousand in a burst (a ballot) and needs
    no principal and no request: it runs in the app's context only.

    Flask-SocketIO makes a whole request context for every event (a Werkzeug request, URL
    matching, the session): a quarter of a ballot's cost in a burst. Here that is made only
    when the answer is in words, a refusal or an error, whose language comes from the
    request. ``handler`` returns the acknowledgement or raises (``Refusal``,
    ``ValidationError``, anything else as ``bad_input.event_error`` answers it).
    """
    from meeting_room.extensions import socketio

    allowed = frozenset(roles)
    if not allowed <= OPEN:
        raise ValueError(f"{name} {event}: a hot event has no principal to check")
    EVENTS[(name, event)] = allowed
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
                return handler(args[0])
        except Exception as error:
            return _answer_in_words(app, environ, sid, name, event, error)

    server.on(event, hot, namespace=name)


def _answer_in_words(
    app: Flask, environ: dict[str, Any], sid: str, name: str, event: str, error: Exception
) -> dict[str, Any]:
    """A hot event's refusal or error, answered in its client's language."""
    from pydantic import ValidationError

    from meeting_room.screens.events import error_ack, invalid_ack
    from meeting_room.web.limits import event_error

    with app.request_context(environ):
        request.sid = sid  # type: ignore[attr-defined]
        request.namespace = name  # type: ignore[attr-defined]
        request.event = {"message": event, "args": ()}  # type: ignore[attr-defined]
        if isinstance(error, Refusal):
            return error_ack(error)
        if isinstance(error, ValidationError):
            return invalid_ack(error)
        return event_error(error)


def disconnect_device(device_id: int) -> None:
    """Close the sockets of a revoked device (on this worker; others refuse its next event)."""
    from meeting_room.extensions import socketio

    server = socketio.server
    for name in NAMESPACES:
        sids = [sid for sid, _ in server.manager.get_participants(name, f"device:{device_id}")]
        for sid in sids:
            server.disconnect(sid, namespace=name)
