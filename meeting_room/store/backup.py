"""Backups of the SQLite database while the server runs, and restoring one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from meeting_room.domain.words import PollStatus
from meeting_room.store.files import private_file, private_folder


class BackupError(Exception):
    """A backup or restore that cannot be done, in words."""


class SecretPollOpen(BackupError):
    """No backup while a secret poll is open (see ``backup``)."""


def database_file(url: str) -> Path:
    """The file of a SQLite URL (backups of other databases use their own tools)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        raise BackupError("yishi backup copies SQLite databases; use pg_dump for PostgreSQL")
    return Path(parsed.database)


def _check(path: Path) -> None:
    with sqlite3.connect(path) as copy:
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
    if verdict != "ok":
        raise BackupError(f"{path} is damaged: {verdict}")
    if "alembic_version" not in tables or "members" not in tables:
        raise BackupError(f"{path} is not a Yishi database")


def backup(url: str, target: Path) -> Path:
    """Copy the live database to ``target`` as one consistent snapshot, then check the copy.

    ``VACUUM INTO`` writes the copy under one read transaction (writes that commit meanwhile
    are wholly in it or wholly absent) as a database built afresh: rows in key order, no free
    space holding old rows, no write-ahead log, nothing of the order ballots came in. The
    copy and its folder are owner-only. Refused while a secret poll is open: two copies taken
    a ballot apart would show who voted in between and which ballot arrived.
    """
    source_path = database_file(url)
    if not source_path.exists():
        raise BackupError(f"there is no database at {source_path}")
    private_folder(target.parent)
    partial = private_file(target.with_name(target.name + ".partial"))
    partial.write_bytes(b"")  # VACUUM INTO fills an empty file (made owner-only above)
    source = sqlite3.connect(source_path, timeout=30)
    try:
        (secret_open,) = source.execute(
            "SELECT count(*) FROM polls WHERE secret AND status = ?", (PollStatus.OPEN.value,)
        ).fetchone()
        if secret_open:
            partial.unlink()
            raise SecretPollOpen(
                "a secret vote is open: back up once it is closed"
                " (two copies taken a ballot apart could show how someone voted)"
            )
        source.execute("VACUUM INTO ?", (str(partial),))
    finally:
        source.close()
    _check(partial)
    partial.replace(target)
    return target


def restore(url: str, backup_file: Path) -> Path:
    """Put a checked backup in place of the database (through SQLite, so its WAL stays right)."""
    if not backup_file.exists():
        raise BackupError(f"there is no backup at {backup_file}")
    _check(backup_file)
    target = database_file(url)
    source = sqlite3.connect(backup_file)
    try:
        with sqlite3.connect(target, timeout=30) as live:
            source.backup(live, pages=-1)
    finally:
        source.close()
    return target
