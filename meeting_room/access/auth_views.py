"""Staff login and logout, and the page where a new room screen is paired (``access.service``
checks the password or the code and throttles wrong tries)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request
from flask.typing import ResponseReturnValue
from pydantic import ValidationError

from meeting_room.access import service
from meeting_room.access.principal import current_principal, log_in, log_out, set_device_cookie
from meeting_room.access.roles import Role, allow
from meeting_room.access.schemas import LoginForm, PairForm
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.web.errors import status_of
from meeting_room.web.messages import describe

bp = Blueprint("auth", __name__)

# Where a staff member lands after logging in (an administrator: the clerk desk).
HOME = {Role.MODERATOR.value: "/moderator", Role.CLERK.value: "/clerk"}


def _safe_next(default: str) -> str:
    """The page to return to: a path on this box only (never another site)."""
    target = request.values.get("next", "")
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc:
        return default
    return target


def _address() -> str:
    return request.remote_addr or "?"


@bp.route("/login", methods=["GET", "POST"])
@allow(Role.ANYONE)
def login() -> ResponseReturnValue:
    """Staff log in with their name and password (throttled)."""
    error, status = "", 200
    if request.method == "POST":
        try:
            form = LoginForm.model_validate(request.form.to_dict())
            staff = service.authenticate(form.username, form.password, _address())
        except ValidationError:
            refusal = Refusal(Problem.LOGIN_FAILED)
            error, status = describe(refusal), status_of(refusal)
        except Refusal as refusal:
            error, status = describe(refusal), status_of(refusal)
        else:
            log_in(staff.account_id, staff.epoch)
            return redirect(_safe_next(HOME.get(staff.role, "/clerk")), 303)
    return render_template(
        "login.html",
        error=error,
        principal=current_principal(),
        next=_safe_next(""),
        username=request.form.get("username", "")[:64],
    ), status


@bp.post("/logout")
@allow(Role.ANYONE)
def logout() -> ResponseReturnValue:
    """End the staff session."""
    log_out()
    return redirect("/login", 303)


@bp.route("/pair", methods=["GET", "POST"])
@allow(Role.ANYONE)
def pair() -> ResponseReturnValue:
    """A new kiosk, projector or booth types the code from the clerk desk once."""
    error, status = "", 200
    if request.method == "POST":
        try:
            form = PairForm.model_validate(request.form.to_dict())
            paired = service.pair(form.code, _address())
        except ValidationError:
            refusal = Refusal(Problem.PAIRING_FAILED)
            error, status = describe(refusal), status_of(refusal)
        except Refusal as refusal:
            error, status = describe(refusal), status_of(refusal)
        else:
            response = redirect(_safe_next(f"/{paired.kind}"), 303)
            set_device_cookie(response, paired.credential)
            return response
    return render_template(
        "pair.html", error=error, principal=current_principal(), next=_safe_next("")
    ), status
