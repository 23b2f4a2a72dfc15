"""``yishi`` commands for staff accounts, paired devices and the table of who may do what.

Each change goes through ``access.service``, as the administrator's page does.
"""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from meeting_room.access import service
from meeting_room.access.accounts import STAFF_ROLES
from meeting_room.domain.problems import Refusal
from meeting_room.ops.refusals import fail


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
    try:
        service.create_account(username, _password(password_stdin), role, display_name)
    except Refusal as refusal:
        fail(refusal)
    click.echo(f"account {username} ({role}) created")


@click.command("set-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def set_password_command(username: str, password_stdin: bool) -> None:
    """Give an account a new password (its open sessions end)."""
    try:
        service.change_password(username, _password(password_stdin))
    except Refusal as refusal:
        fail(refusal)
    click.echo(f"password of {username} changed; its sessions have ended")


@click.command("disable-user")
@click.argument("username")
@click.option("--enable", is_flag=True, help="Switch the account back on instead.")
@with_appcontext
def disable_user(username: str, enable: bool) -> None:
    """Switch an account off (its sessions end at once) or back on."""
    try:
        service.switch_account(username, enable)
    except Refusal as refusal:
        fail(refusal)
    click.echo(f"account {username} {'enabled' if enable else 'disabled'}")


@click.command("users")
@with_appcontext
def list_users() -> None:
    """List the staff accounts."""
    from meeting_room.access.accounts import list_accounts
    from meeting_room.store.storage import transaction

    with transaction() as session:
        for account in sorted(list_accounts(session), key=lambda account: account.id):
            state = "active" if account.active else "disabled"
            click.echo(f"{account.username:<20} {account.role:<10} {state}")


@click.command("devices")
@click.option("--revoke", "revoke_id", type=int, help="Revoke the device with this id.")
@with_appcontext
def devices_command(revoke_id: int | None) -> None:
    """List the paired kiosks, projectors and booths, or revoke one."""
    from meeting_room.access.devices import list_devices
    from meeting_room.store.storage import transaction

    if revoke_id is not None:
        try:
            service.revoke_device(revoke_id)
        except Refusal as refusal:
            fail(refusal)
    with transaction() as session:
        for device in list_devices(session):
            state = f"revoked {device.revoked_at:%Y-%m-%d}" if device.revoked_at else "paired"
            click.echo(f"{device.id:>4} {device.kind:<10} {device.name:<20} {state}")


@click.command("access-table")
@with_appcontext
def access_table() -> None:
    """Print the table of routes and events with the roles that may use them (docs/access.md)."""
    from meeting_room.access.table import render

    click.echo(render(current_app), nl=False)


COMMANDS = (
    create_user,
    set_password_command,
    disable_user,
    list_users,
    devices_command,
    access_table,
)
