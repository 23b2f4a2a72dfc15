"""Staff access to the moderator console: a per-box key, given once in the URL, kept in the
session. (Accounts and roles for every screen come with the security work; see README.)"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from flask import abort, current_app, request, session

F = TypeVar("F", bound=Callable[..., Any])


def staff_key(instance_path: Path) -> str:
    """The box's staff key, made on first start and kept in the instance folder."""
    instance_path.mkdir(parents=True, exist_ok=True)
    path = instance_path / "staff_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(12))
        path.chmod(0o600)
    return path.read_text().strip()


def is_staff() -> bool:
    """Whether this browser has shown the staff key (now, in ``?key=``, or before)."""
    given = request.args.get("key")
    if given is not None and hmac.compare_digest(given, current_app.config["STAFF_KEY"]):
        session["staff"] = True
    return bool(session.get("staff"))


def staff_only(view: F) -> F:
    """A view for staff; others get 403 with a clear message."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not is_staff():
            abort(403)
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]
