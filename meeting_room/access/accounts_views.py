"""The administrator's screen for staff accounts: list, create, reset a password, disable/enable.

Server-rendered forms (each carries the page's CSRF token). A generated password is shown in
the answer to the POST that made it, once, and never stored anywhere but as its hash; the
page is not cached. Every change goes through ``access.service``, as the ``yishi`` commands'
do, so the audit log records it the same way (the password hash left out).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from pydantic import ValidationError

from meeting_room.access import service
from meeting_room.access.accounts import MIN_PASSWORD, list_accounts
from meeting_room.access.principal import current_principal, log_in
from meeting_room.access.roles import Role, allow
from meeting_room.access.schemas import PASSWORD_LIMIT, NewAccountForm, PasswordForm
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.store.storage import transaction
from meeting_room.web.messages import describe

bp = Blueprint("accounts_admin", __name__)


@dataclass(frozen=True)
class Issued:
    """A password to show once: whose, and the password."""

    username: str
    password: str


def role_words() -> dict[str, str]:
    """The staff roles in words, for the list and the form."""
    return {
        Role.ADMIN.value: gettext("Administrator"),
        Role.MODERATOR.value: gettext("Moderator"),
        Role.CLERK.value: gettext("Clerk"),
    }


def _form_problem(error: ValidationError) -> str:
    """The first thing wrong with a form, in words (fields in the form's order)."""
    first = error.errors(include_input=False)[0]
    field = str(first["loc"][0]) if first["loc"] else ""
    words = {
        "password_missing": gettext("Type the password twice, or let one be generated."),
        "password_mismatch": gettext("The two passwords are not the same."),
        "password_too_long": gettext(
            "The password can have at most %(num)d characters.", num=PASSWORD_LIMIT
        ),
        "display_name": gettext("A display name has at most 64 characters."),
        "role": gettext("Choose a role."),
        "username": gettext("A user name has 1 to 64 characters and no spaces."),
    }
    return str(words.get(first["type"]) or words.get(field) or words["username"])


def _page(
    status: int = 200,
    errors: dict[str, str] | None = None,
    issued: Issued | None = None,
    notice: str = "",
) -> ResponseReturnValue:
    with transaction() as session:
        listed = list_accounts(session)
        session.expunge_all()
    form = request.form if request.method == "POST" and errors and "create" in errors else {}
    page = render_template(
        "admin_accounts.html",
        accounts=listed,
        roles=role_words(),
        errors=errors or {},
        issued=issued,
        notice=notice,
        form=form,
        me=current_principal().account_id,
        min_password=MIN_PASSWORD,
    )
    return page, status, {"Cache-Control": "no-store"}


@bp.get("/admin/accounts")
@allow(Role.ADMIN)
def accounts_page() -> ResponseReturnValue:
    """The staff accounts, with forms to add one and to change one."""
    return _page()


@bp.post("/admin/accounts")
@allow(Role.ADMIN)
def create() -> ResponseReturnValue:
    """Add a staff account (its password typed twice, or generated and shown once)."""
    try:
        form = NewAccountForm.model_validate(request.form.to_dict())
        password, generated = form.chosen()
        service.create_account(form.username, password, form.role, form.display_name)
    except ValidationError as error:
        return _page(400, errors={"create": _form_problem(error)})
    except Refusal as refusal:
        return _page(400, errors={"create": describe(refusal)})
    return _page(
        issued=Issued(form.username, password) if generated else None,
        notice=gettext("The account %(name)s was created.", name=form.username),
    )


@bp.post("/admin/accounts/<int:account_id>/password")
@allow(Role.ADMIN)
def reset_password(account_id: int) -> ResponseReturnValue:
    """Give an account a new password; every session opened with the old one ends."""
    try:
        password, generated = PasswordForm.model_validate(request.form.to_dict()).chosen()
        changed = service.change_password(account_id, password)
    except ValidationError as error:
        return _page(400, errors={str(account_id): _form_problem(error)})
    except Refusal as refusal:
        if refusal.problem == Problem.ACCOUNT_NOT_FOUND:
            raise
        return _page(400, errors={str(account_id): describe(refusal)})
    if changed.account_id == current_principal().account_id:
        log_in(changed.account_id, changed.epoch)  # the administrator's own session goes on
    return _page(
        issued=Issued(changed.username, password) if generated else None,
        notice=gettext(
            "The password of %(name)s was changed; its open sessions have ended.",
            name=changed.username,
        ),
    )


@bp.post("/admin/accounts/<int:account_id>/active")
@allow(Role.ADMIN)
def switch(account_id: int) -> ResponseReturnValue:
    """Disable an account (its sessions end at once) or enable it again."""
    active = request.form.get("active") == "1"
    try:
        changed = service.switch_account(account_id, active, by=current_principal().account_id)
    except Refusal as refusal:
        if refusal.problem == Problem.ACCOUNT_NOT_FOUND:
            raise
        return _page(400, errors={str(account_id): describe(refusal)})
    if active:
        return _page(notice=gettext("The account %(name)s was enabled.", name=changed.username))
    return _page(
        notice=gettext(
            "The account %(name)s was disabled; its sessions have ended.", name=changed.username
        )
    )
