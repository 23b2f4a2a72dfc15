"""Backups of the SQLite database while the server runs, and restoring one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from meeting_room.domain.box import to_rotate
from meeting_room.domain.words import PollStatus
from meeting_room.store.audit import Broken
from meeting_room.store.files import private_file, private_folder


class BackupError(Exception):
    """A backup or restore that cannot be done, in words."""


class SecretVoteOpen(BackupError):
    """Refused while a secret poll is open (see ``backup``): try again once it closed."""


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
            raise SecretVoteOpen(
                "a secret vote is open: back up once it is closed"
                " (two copies taken a ballot apart could show how someone voted)"
            )
        source.execute("VACUUM INTO ?", (str(partial),))
    finally:
        source.close()
    _check(partial)
    partial.replace(target)
    return target


def audit_chain_of(path: Path) -> tuple[int, Broken | None]:
    """The audit chain of the SQLite file at ``path`` recomputed (``store.audit.verify_log``),
    read-only on a connection of its own (so it may run in a thread: ``backups.off_the_loop``):
    how many entries, and where it first breaks (None: intact)."""
    from sqlalchemy import create_engine, func, select
    from sqlalchemy.orm import Session
    from sqlalchemy.pool import NullPool

    from meeting_room.store.audit import verify_log
    from meeting_room.store.models.audit import AuditEntry

    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true", poolclass=NullPool)
    try:
        with Session(engine) as session:
            broken = verify_log(session)
            entries = int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)
    finally:
        engine.dispose()
    return entries, broken


def verify_copy(path: Path) -> int:
    """Check a written backup as a restore would find it: SQLite's integrity check, a Yishi
    schema, and the audit chain recomputed from its first entry. The number of audit entries
    it holds; ``BackupError`` in words if anything fails."""
    _check(path)
    entries, broken = audit_chain_of(path)
    if broken is not None:
        raise BackupError(f"{path}: the audit log breaks at entry {broken.seq} ({broken.reason})")
    return entries


def rotate(folder: Path, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` of our backups in ``folder`` (files not named like
    ours are never touched); the removed files."""
    removed = [folder / name for name in to_rotate([p.name for p in folder.iterdir()], keep)]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


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
