"""Staff login and logout, device pairing, and the clerk desk's list of paired devices."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

from flask import Blueprint, jsonify, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from pydantic import BaseModel, StringConstraints, ValidationError

from meeting_room.access import accounts
from meeting_room.access.principal import current_principal, log_in, log_out, set_device_cookie
from meeting_room.access.roles import DEVICES, Role, allow
from meeting_room.access.sockets import disconnect_device
from meeting_room.clock import now
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.store.storage import transaction
from meeting_room.web.messages import describe

bp = Blueprint("auth", __name__)

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class LoginForm(BaseModel):
    """The login form."""

    username: Name
    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class PairForm(BaseModel):
    """The pairing form: the six digits shown on the clerk desk."""

    code: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{6}$")]


class PairingIn(BaseModel):
    """The clerk asks for a pairing code for one device."""

    kind: Annotated[str, StringConstraints(pattern="^(kiosk|projector|booth)$")]
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] = ""


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
    error = ""
    status = 200
    if request.method == "POST":
        try:
            form = LoginForm.model_validate(request.form.to_dict())
            with transaction() as session:
                account = accounts.authenticate(
                    session, form.username, form.password, _address(), now()
                )
                if account is not None:
                    log_in(account.id, account.password_changed_at)
                    home = {"moderator": "/moderator", "clerk": "/clerk"}.get(
                        account.role, "/clerk"
                    )
                    return redirect(_safe_next(home), 303)
            raise Refusal(Problem.LOGIN_FAILED)
        except ValidationError:
            error, status = describe(Refusal(Problem.LOGIN_FAILED)), 401
        except Refusal as refusal:
            error = describe(refusal)
            status = 429 if refusal.problem == Problem.TOO_MANY_TRIES else 401
    principal = current_principal()
    return render_template(
        "login.html",
        error=error,
        principal=principal,
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
    error = ""
    status = 200
    if request.method == "POST":
        try:
            form = PairForm.model_validate(request.form.to_dict())
            with transaction() as session:
                device, credential = accounts.redeem_pairing_code(
                    session, form.code, _address(), now()
                )
                kind = device.kind
            response = redirect(_safe_next(f"/{kind}"), 303)
            set_device_cookie(response, credential)
            return response
        except ValidationError:
            error, status = describe(Refusal(Problem.PAIRING_FAILED)), 400
        except Refusal as refusal:
            error = describe(refusal)
            status = 429 if refusal.problem == Problem.TOO_MANY_TRIES else 400
    return render_template(
        "pair.html", error=error, principal=current_principal(), next=_safe_next("")
    ), status


def _device_json(device: Any) -> dict[str, Any]:
    return {
        "id": device.id,
        "kind": device.kind,
        "name": device.name,
        "paired_at": device.paired_at.isoformat(),
        "last_seen_at": device.last_seen_at.isoformat() if device.last_seen_at else None,
        "revoked_at": device.revoked_at.isoformat() if device.revoked_at else None,
    }


@bp.get("/clerk/api/devices")
@allow(Role.CLERK)
def devices() -> ResponseReturnValue:
    """The paired devices, for the clerk desk."""
    with transaction() as session:
        return jsonify(devices=[_device_json(d) for d in accounts.list_devices(session)])


@bp.post("/clerk/api/devices/pairing")
@allow(Role.CLERK)
def pairing_code() -> ResponseReturnValue:
    """A new six-digit pairing code for one device (shown once, valid ten minutes)."""
    wanted = PairingIn.model_validate(request.get_json(silent=True) or {})
    principal = current_principal()
    with transaction() as session:
        issued = accounts.new_pairing_code(
            session, wanted.kind, wanted.name, principal.account_id, now()
        )
    return jsonify(
        code=issued.code,
        kind=issued.kind,
        name=issued.name,
        expires_at=issued.expires_at.isoformat(),
        pair_url="/pair",
    )


@bp.post("/clerk/api/devices/<int:device_id>/revoke")
@allow(Role.CLERK)
def revoke(device_id: int) -> ResponseReturnValue:
    """Revoke a device: its screens close now and it must be paired again."""
    with transaction() as session:
        device = accounts.revoke_device(session, device_id, now())
        answer = _device_json(device)
    disconnect_device(device_id)
    return jsonify(device=answer, message=gettext("The device was revoked."))


def device_kinds() -> dict[str, str]:
    """Device kinds in words, for the desk's form."""
    return {
        Role.KIOSK.value: gettext("Sign-in kiosk"),
        Role.PROJECTOR.value: gettext("Projector"),
        Role.BOOTH.value: gettext("Voting booth"),
    }


assert {Role(k) for k in accounts.DEVICE_KINDS} == set(DEVICES)
