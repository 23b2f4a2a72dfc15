"""``yishi`` commands for staff accounts, paired devices and the table of who may do what."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from meeting_room.access.accounts import STAFF_ROLES
from meeting_room.domain.problems import Refusal

DEMO_ACCOUNTS_FILE = "demo-accounts.txt"


def _fail(refusal: Refusal) -> None:
    from meeting_room.attendance.roster_import import bilingual
    from meeting_room.web.messages import describe

    click.echo(bilingual(lambda: describe(refusal)), err=True)
    sys.exit(2)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(STAFF_ROLES), required=True)
@click.option("--display-name", default="", help="The name shown on screens (default: USERNAME).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user(username: str, role: str, display_name: str, password_stdin: bool) -> None:
    """Add a staff account (administrator, moderator or clerk)."""
    from meeting_room.access.accounts import create_account
    from meeting_room.clock import now
    from meeting_room.store.storage import transaction

    password = _password(password_stdin)
    try:
        with transaction() as session:
            create_account(session, username, password, role, now(), display_name)
    except Refusal as refusal:
        _fail(refusal)
    click.echo(f"account {username} ({role}) created")


@click.command("set-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def set_password_command(username: str, password_stdin: bool) -> None:
    """Give an account a new password (its open sessions end)."""
    from meeting_room.access.accounts import find_account, set_password
    from meeting_room.clock import now
    from meeting_room.store.storage import transaction

    password = _password(password_stdin)
    try:
        with transaction() as session:
            set_password(session, find_account(session, username), password, now())
    except Refusal as refusal:
        _fail(refusal)
    click.echo(f"password of {username} changed; its sessions have ended")


@click.command("disable-user")
@click.argument("username")
@click.option("--enable", is_flag=True, help="Switch the account back on instead.")
@with_appcontext
def disable_user(username: str, enable: bool) -> None:
    """Switch an account off (its sessions end at once) or back on."""
    from meeting_room.access.accounts import find_account, set_active
    from meeting_room.clock import now
    from meeting_room.store.storage import transaction

    try:
        with transaction() as session:
            set_active(find_account(session, username), enable, now())
    except Refusal as refusal:
        _fail(refusal)
    click.echo(f"account {username} {'enabled' if enable else 'disabled'}")


@click.command("users")
@with_appcontext
def list_users() -> None:
    """List the staff accounts."""
    from meeting_room.store.models.access import StaffAccount
    from meeting_room.store.storage import transaction

    with transaction() as session:
        for account in session.scalars(select(StaffAccount).order_by(StaffAccount.id)):
            state = "active" if account.active else "disabled"
            click.echo(f"{account.username:<20} {account.role:<10} {state}")


@click.command("devices")
@click.option("--revoke", "revoke_id", type=int, help="Revoke the device with this id.")
@with_appcontext
def devices_command(revoke_id: int | None) -> None:
    """List the paired kiosks, projectors and booths, or revoke one."""
    from meeting_room.access.accounts import list_devices, revoke_device
    from meeting_room.clock import now
    from meeting_room.store.storage import transaction

    try:
        with transaction() as session:
            if revoke_id is not None:
                revoke_device(session, revoke_id, now())
            for device in list_devices(session):
                state = f"revoked {device.revoked_at:%Y-%m-%d}" if device.revoked_at else "paired"
                click.echo(f"{device.id:>4} {device.kind:<10} {device.name:<20} {state}")
    except Refusal as refusal:
        _fail(refusal)


@click.command("access-table")
@with_appcontext
def access_table() -> None:
    """Print the table of routes and events with the roles that may use them (docs/access.md)."""
    from meeting_room.access.table import render

    click.echo(render(current_app), nl=False)


def ensure_demo_accounts(instance: Path) -> str | None:
    """On a box with no staff account yet, make one per role with random passwords, written
    to a private file of the instance folder (never to the terminal or a log)."""
    from meeting_room.access.accounts import create_account
    from meeting_room.clock import now
    from meeting_room.store.models.access import StaffAccount
    from meeting_room.store.storage import transaction

    with transaction() as session:
        if session.scalar(select(StaffAccount.id).limit(1)) is not None:
            return None
        lines = []
        for role in STAFF_ROLES:
            password = secrets.token_urlsafe(9)
            create_account(session, role, password, role, now())
            lines.append(f"{role:<10} {password}")
    path = instance / DEMO_ACCOUNTS_FILE
    path.write_text(
        "# Demo staff accounts (user name, password). Change them: yishi set-password NAME\n"
        + "\n".join(lines)
        + "\n"
    )
    path.chmod(0o600)
    return str(path)


COMMANDS = (
    create_user,
    set_password_command,
    disable_user,
    list_users,
    devices_command,
    access_table,
)
