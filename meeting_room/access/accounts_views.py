"""The administrator's screen for staff accounts: list, create, reset a password, disable/enable.

Server-rendered forms (each carries the page's CSRF token). A generated password is shown in
the answer to the POST that made it, once, and never stored anywhere but as its hash; the
page is not cached. Every change goes through meeting_room.access.accounts, as the ``yishi``
commands do, so the audit log records it the same way (the password hash left out).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from meeting_room.access import accounts
from meeting_room.access.principal import current_principal, log_in
from meeting_room.access.roles import Role, allow
from meeting_room.clock import now
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.store.models.access import StaffAccount
from meeting_room.store.storage import transaction
from meeting_room.web.messages import describe

bp = Blueprint("accounts_admin", __name__)

NAME_LIMIT = 64
PASSWORD_LIMIT = 256
# No 0/O, 1/l/I: a generated password is read off the screen and typed by someone else.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
GROUPS, GROUP_SIZE = 3, 4


class Refused(Exception):
    """A change refused, with the reason in the request's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Issued:
    """A password to show once: whose, and the password."""

    username: str
    password: str


def generate_password() -> str:
    """A random password easy to read aloud: three groups of four, e.g. ``k7mq-x4tp-9hwr``."""
    groups = ("".join(secrets.choice(ALPHABET) for _ in range(GROUP_SIZE)) for _ in range(GROUPS))
    return "-".join(groups)


def role_words() -> dict[str, str]:
    """The staff roles in words, for the list and the form."""
    return {
        Role.ADMIN.value: gettext("Administrator"),
        Role.MODERATOR.value: gettext("Moderator"),
        Role.CLERK.value: gettext("Clerk"),
    }


def _chosen_password() -> tuple[str, bool]:
    """The password of a form: typed twice, or generated (then True)."""
    if request.form.get("generate"):
        return generate_password(), True
    password = request.form.get("password", "")
    if not password:
        raise Refused(gettext("Type the password twice, or let one be generated."))
    if password != request.form.get("confirm", ""):
        raise Refused(gettext("The two passwords are not the same."))
    if len(password) > PASSWORD_LIMIT:
        raise Refused(
            gettext("The password can have at most %(num)d characters.", num=PASSWORD_LIMIT)
        )
    return password, False


def _account(session: Session, account_id: int) -> StaffAccount:
    account = session.get(StaffAccount, account_id)
    if account is None:
        raise Refusal(Problem.ACCOUNT_NOT_FOUND, name=str(account_id))
    return account


def _later_than(account: StaffAccount) -> datetime:
    """Now, but strictly after the account's session epoch (so older sessions always end)."""
    moment = now()
    return max(moment, account.password_changed_at + timedelta(microseconds=1))


def _create(session: Session) -> Issued | None:
    username = request.form.get("username", "").strip()
    display_name = request.form.get("display_name", "").strip()
    role = request.form.get("role", "")
    if not username or len(username) > NAME_LIMIT or any(c.isspace() for c in username):
        raise Refused(gettext("A user name has 1 to 64 characters and no spaces."))
    if len(display_name) > NAME_LIMIT:
        raise Refused(gettext("A display name has at most 64 characters."))
    if role not in accounts.STAFF_ROLES:
        raise Refused(gettext("Choose a role."))
    password, generated = _chosen_password()
    accounts.create_account(session, username, password, role, now(), display_name)
    return Issued(username, password) if generated else None


def _reset(session: Session, account: StaffAccount) -> Issued | None:
    password, generated = _chosen_password()
    moment = _later_than(account)
    accounts.set_password(session, account, password, moment)
    if account.id == current_principal().account_id:
        log_in(account.id, moment)  # the administrator's own session goes on with the new one
    return Issued(account.username, password) if generated else None


def _switch(session: Session, account: StaffAccount, active: bool) -> None:
    if not active and account.active and account.role == Role.ADMIN.value:
        admins = session.scalar(
            select(func.count())
            .select_from(StaffAccount)
            .where(StaffAccount.role == Role.ADMIN.value, StaffAccount.active.is_(True))
        )
        if (admins or 0) <= 1:
            raise Refused(
                gettext(
                    "%(name)s is the last active administrator: "
                    "create or enable another administrator first.",
                    name=account.username,
                )
            )
    if not active and account.id == current_principal().account_id:
        raise Refused(gettext("You cannot disable your own account."))
    if account.active != active:
        accounts.set_active(account, active, _later_than(account))


def _page(
    status: int = 200,
    errors: dict[str, str] | None = None,
    issued: Issued | None = None,
    notice: str = "",
) -> ResponseReturnValue:
    with transaction() as session:
        listed = list(session.scalars(select(StaffAccount).order_by(StaffAccount.username)))
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
        min_password=accounts.MIN_PASSWORD,
    )
    return page, status, {"Cache-Control": "no-store"}


def _refused(error: Refused | Refusal) -> str:
    return error.message if isinstance(error, Refused) else describe(error)


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
        with transaction() as session:
            issued = _create(session)
    except (Refused, Refusal) as error:
        return _page(400, errors={"create": _refused(error)})
    name = request.form.get("username", "").strip()
    return _page(issued=issued, notice=gettext("The account %(name)s was created.", name=name))


@bp.post("/admin/accounts/<int:account_id>/password")
@allow(Role.ADMIN)
def reset_password(account_id: int) -> ResponseReturnValue:
    """Give an account a new password; every session opened with the old one ends."""
    try:
        with transaction() as session:
            account = _account(session, account_id)
            name = account.username
            issued = _reset(session, account)
    except Refused as error:
        return _page(400, errors={str(account_id): error.message})
    except Refusal as refusal:
        if refusal.problem == Problem.ACCOUNT_NOT_FOUND:
            raise
        return _page(400, errors={str(account_id): describe(refusal)})
    return _page(
        issued=issued,
        notice=gettext(
            "The password of %(name)s was changed; its open sessions have ended.", name=name
        ),
    )


@bp.post("/admin/accounts/<int:account_id>/active")
@allow(Role.ADMIN)
def switch(account_id: int) -> ResponseReturnValue:
    """Disable an account (its sessions end at once) or enable it again."""
    active = request.form.get("active") == "1"
    try:
        with transaction() as session:
            account = _account(session, account_id)
            name = account.username
            _switch(session, account, active)
    except Refused as error:
        return _page(400, errors={str(account_id): error.message})
    if active:
        return _page(notice=gettext("The account %(name)s was enabled.", name=name))
    return _page(
        notice=gettext("The account %(name)s was disabled; its sessions have ended.", name=name)
    )
