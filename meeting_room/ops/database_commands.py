"""``yishi`` commands for the database itself: create or upgrade it, back it up, restore it."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext


def redacted(url: str) -> str:
    """A database URL fit to print (its password hidden)."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the database to the newest schema."""
    from meeting_room.store.migrate import upgrade

    upgrade(current_app.config["DATABASE_URL"])
    click.echo(f"database ready: {redacted(current_app.config['DATABASE_URL'])}")


@click.command("backup")
@click.argument("target", required=False, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(target: Path | None) -> None:
    """Copy the database while the server runs (default: instance/backups/<time>.db), and the
    paper ballots' images into ballot-scans/ beside it, checked against their SHA-256."""
    from meeting_room.store.backup import SCANS, BackupError, backup, verify_scans

    scans = Path(current_app.instance_path) / SCANS

    if target is None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = Path(current_app.instance_path) / "backups" / f"yishi-{stamp}.db"
    try:
        written = backup(current_app.config["DATABASE_URL"], target, scans)
        images = verify_scans(written)
        click.echo(f"backup written: {written}" + (f" (+{images} ballot images)" if images else ""))
    except BackupError as error:
        click.echo(f"backup failed: {error}", err=True)
        sys.exit(2)


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
@with_appcontext
def restore_command(source: Path, yes: bool) -> None:
    """Replace the database with a backup (stop the server first), and put the paper ballots'
    images it records back into the instance, each checked against its SHA-256."""
    from meeting_room.store.backup import SCANS, BackupError, restore, verify_scans

    if not yes:
        click.confirm(f"Replace the database with {source}?", abort=True)
    scans = Path(current_app.instance_path) / SCANS
    try:
        restored = restore(current_app.config["DATABASE_URL"], source, scans)
        images = verify_scans(restored, scans)
        click.echo(f"restored into {restored}" + (f" (+{images} ballot images)" if images else ""))
    except BackupError as error:
        click.echo(f"restore failed: {error}", err=True)
        sys.exit(2)


COMMANDS = (init_db, backup_command, restore_command)
