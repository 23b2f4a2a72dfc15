"""How the harness's staff and projector clients authenticate (the only place that knows).

The preparation makes a moderator account and a projector device; the moderator logs in
through ``/login`` (CSRF token from the page's meta tag) and the projector sends its
``yishi_device`` cookie. Phones need nothing: their personal token rides in every ``/phone``
payload.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

import requests
from sqlalchemy.orm import Session

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@dataclass(frozen=True)
class Credentials:
    """What the preparation made for the harness's own staff and room clients."""

    username: str
    password: str
    projector_device: str


def make_credentials(session: Session, now: datetime) -> Credentials:
    """A moderator account and a projector device (in ``session``)."""
    from meeting_room.access.accounts import create_account
    from meeting_room.access.devices import issue_device

    username, password = f"bench-{secrets.token_hex(4)}", secrets.token_urlsafe(18)
    create_account(session, username, password, "moderator", now=now)
    device = issue_device(session, "projector", "bench projector", now=now)
    return Credentials(username, password, device)


def staff_cookie(base_url: str, credentials: Credentials) -> str:
    """A ``Cookie`` header value that lets a client onto ``/moderator``."""
    http = requests.Session()
    page = http.get(f"{base_url}/login", timeout=10)
    found = CSRF_META.search(page.text)
    if page.ok and found:
        form = {
            "username": credentials.username,
            "password": credentials.password,
            "csrf_token": found.group(1),
        }
        http.post(f"{base_url}/login", data=form, timeout=10, allow_redirects=False)
    if "session" not in http.cookies:
        raise RuntimeError("could not authenticate as staff (no session cookie)")
    return f"session={http.cookies['session']}"


def projector_cookie(credentials: Credentials) -> dict[str, str]:
    """Headers of the projector client's handshake (its device cookie)."""
    return {"Cookie": f"yishi_device={credentials.projector_device}"}
