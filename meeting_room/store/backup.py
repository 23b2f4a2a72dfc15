"""Backups of the SQLite database while the server runs, and restoring one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    """A backup or restore that cannot be done, in words."""


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

    SQLite's online backup copies every page under one read transaction, so writes that
    commit meanwhile are either wholly in the copy or wholly absent.
    """
    source_path = database_file(url)
    if not source_path.exists():
        raise BackupError(f"there is no database at {source_path}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    source = sqlite3.connect(source_path, timeout=30)
    try:
        with sqlite3.connect(partial) as copy:
            source.backup(copy, pages=-1)
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
