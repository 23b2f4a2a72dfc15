"""The principal of a request: a staff account from the session, a paired device from its
cookie, both or neither; staff sessions start and end here."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import current_app, g, request, session

from meeting_room.access.roles import Principal

DEVICE_COOKIE = "yishi_device"
DEVICE_COOKIE_DAYS = 400  # browsers cap cookie lifetimes at about 400 days


def principal_from(session_data: Any, device_credential: str | None) -> Principal:
    """Work out the principal from a Flask session and a device cookie (a database look-up)."""
    # Imported here: the service closes a revoked device's sockets, and the socket layer asks
    # this module for its principals.
    from meeting_room.access.service import recognise

    account_id = session_data.get("account") if session_data else None
    epoch = session_data.get("epoch") if session_data else None
    if not isinstance(account_id, int) and not device_credential:
        return Principal()  # nothing to look up: no database work for a stranger
    return recognise(account_id if isinstance(account_id, int) else None, epoch, device_credential)


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
