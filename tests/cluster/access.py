"""How the cluster test gets a staff session: the one place that knows the access rules.

It logs in as the administrator that ``.ci/cluster-test`` made (``CLUSTER_ADMIN_USER``,
``CLUSTER_ADMIN_PASSWORD``); the administrator holds every staff and device role, so one
session drives the moderator, the kiosk and the projector.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import requests

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@dataclass
class Staff:
    """A logged-in staff browser: its HTTP session and the cookie for Socket.IO handshakes."""

    http: requests.Session
    base: str

    @property
    def cookie(self) -> str:
        """The ``Cookie`` header of this session (for python-socketio's handshake)."""
        return "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def _csrf(page: str) -> str | None:
    found = CSRF_META.search(page)
    return found.group(1) if found else None


def staff_login(base: str, instance: Path) -> Staff:
    """A staff session on the server at ``base`` (an account if the server has them)."""
    http = requests.Session()
    login = http.get(f"{base}/login", timeout=10)
    token = _csrf(login.text)
    assert login.status_code == 200 and token, f"no login form: {login.status_code}"
    user = os.environ.get("CLUSTER_ADMIN_USER", "admin")
    password = os.environ["CLUSTER_ADMIN_PASSWORD"]
    answer = http.post(
        f"{base}/login",
        data={"username": user, "password": password, "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code in (302, 303), f"login refused: {answer.status_code}"
    page = http.get(f"{base}/moderator", timeout=10)
    assert page.status_code == 200, page.status_code
    http.headers["X-CSRFToken"] = _csrf(page.text) or token
    return Staff(http=http, base=base)
