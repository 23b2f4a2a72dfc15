"""How the harness's staff and projector clients authenticate (the only place that knows).

Two regimes, chosen at run time so the harness works before and after accounts exist:
- with staff accounts (``meeting_room.access.accounts`` and its tables): the preparation makes a
  moderator account and a projector device; the moderator logs in through ``/login`` (CSRF
  token from the page's meta tag) and the projector sends its ``yishi_device`` cookie;
- before that, the staff key: ``GET /moderator?key=...`` puts the staff flag in the session.
Phones need nothing: their personal token rides in every ``/phone`` payload.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

import requests
from sqlalchemy import inspect
from sqlalchemy.orm import Session

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@dataclass(frozen=True)
class Credentials:
    """What the preparation made for the harness's own staff and room clients."""

    staff_key: str | None = None
    username: str | None = None
    password: str | None = None
    projector_device: str | None = None


def make_credentials(session: Session, staff_key: str | None, now: datetime) -> Credentials:
    """A moderator account and a projector device, when accounts exist (in ``session``)."""
    try:
        from meeting_room.access.accounts import create_account
        from meeting_room.access.devices import issue_device
    except ImportError:  # no accounts yet: the staff key is the guard
        return Credentials(staff_key=staff_key)
    if not inspect(session.connection()).has_table("staff_accounts"):
        return Credentials(staff_key=staff_key)
    username, password = f"bench-{secrets.token_hex(4)}", secrets.token_urlsafe(18)
    create_account(session, username, password, "moderator", now=now)
    device = issue_device(session, "projector", "bench projector", now=now)
    return Credentials(staff_key, username, password, device)


def staff_cookie(base_url: str, credentials: Credentials) -> str:
    """A ``Cookie`` header value that lets a client onto ``/moderator``."""
    http = requests.Session()
    if credentials.username and credentials.password:
        page = http.get(f"{base_url}/login", timeout=10)
        found = CSRF_META.search(page.text)
        if page.ok and found:
            form = {
                "username": credentials.username,
                "password": credentials.password,
                "csrf_token": found.group(1),
            }
            http.post(f"{base_url}/login", data=form, timeout=10, allow_redirects=False)
    if "session" not in http.cookies and credentials.staff_key:
        http.get(f"{base_url}/moderator", params={"key": credentials.staff_key}, timeout=10)
    if "session" not in http.cookies:
        raise RuntimeError("could not authenticate as staff (no session cookie)")
    return f"session={http.cookies['session']}"


def projector_cookie(credentials: Credentials) -> dict[str, str]:
    """Headers of the projector client's handshake (its device cookie, if devices exist)."""
    if credentials.projector_device:
        return {"Cookie": f"yishi_device={credentials.projector_device}"}
    return {}
