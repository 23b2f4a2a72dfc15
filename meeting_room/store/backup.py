"""Backups of the SQLite database while the server runs, and restoring one.

A paper ballot's photo or scan is evidence kept outside the database (the instance's
``ballot-scans/``, each image named by its SHA-256, never changed; ``paper.service``). A
backup copies that folder beside the database copy, into the backup folder's ``ballot-scans/``
(one folder shared by the backups there: an image already in it is the same image and is not
copied again), and checking a backup checks every scan the copy records: its image is there and
its SHA-256 is the one in the database.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from meeting_room.domain.box import to_rotate
from meeting_room.domain.words import PollStatus
from meeting_room.store.audit import Broken
from meeting_room.store.files import private_file, private_folder


class BackupError(Exception):
    """A backup or restore that cannot be done, in words."""


SCANS = "ballot-scans"  # the instance's folder of ballot images, and its copy beside a backup


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


def backup(url: str, target: Path, scans: Path | None = None) -> Path:
    """Copy the live database to ``target`` as one consistent snapshot, then check the copy.

    ``VACUUM INTO`` writes the copy under one read transaction (writes that commit meanwhile
    are wholly in it or wholly absent) as a database built afresh: rows in key order, no free
    space holding old rows, no write-ahead log, nothing of the order ballots came in. The
    copy and its folder are owner-only. Refused while a secret poll is open: two copies taken
    a ballot apart would show who voted in between and which ballot arrived. With ``scans``
    (the instance's ballot images) the images are copied beside the copy afterwards (an image
    is stored before its scan commits, so every scan the copy records has its image already).
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
    if scans is not None:
        copy_scans(scans, target.parent)
    return target


def copy_scans(source: Path, folder: Path) -> int:
    """Copy the ballot images in ``source`` into ``folder``'s ``ballot-scans/`` (owner-only;
    nothing made when there is no image); an image already there is not copied again (its name
    is its SHA-256). How many were copied."""
    images = sorted(p for p in source.iterdir() if p.is_file()) if source.is_dir() else []
    if not images:
        return 0
    kept = private_folder(folder / SCANS)
    copied = 0
    for image in images:
        copy = kept / image.name
        if copy.exists() or image.name.endswith(".partial"):
            continue
        partial = private_file(copy.with_name(copy.name + ".partial"))
        shutil.copyfile(image, partial)
        partial.replace(copy)
        copied += 1
    return copied


def sha256_of(path: Path) -> str:
    """The file's SHA-256, read in pieces."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for piece in iter(lambda: file.read(1 << 20), b""):
            digest.update(piece)
    return digest.hexdigest()


def verify_scans(path: Path, scans: Path | None = None) -> int:
    """Check that every ballot scan the database copy at ``path`` records has its image in
    ``scans`` (default: ``ballot-scans/`` beside the copy) with the SHA-256 the database holds.
    How many were checked; ``BackupError`` in words naming the first missing or changed one."""
    scans = scans if scans is not None else path.parent / SCANS
    rows = _scans_recorded(path)
    for scan_id, digest, name in rows:
        image = scans / name
        if not image.is_file():
            raise BackupError(f"{path}: the image of ballot scan {scan_id} is missing ({image})")
        if sha256_of(image) != digest:
            raise BackupError(f"{path}: the image of ballot scan {scan_id} is not the one scanned")
    return len(rows)


def _scans_recorded(path: Path) -> list[tuple[int, str, str]]:
    """Each ballot scan the SQLite file at ``path`` records: its id, SHA-256 and image's name
    (none before the paper ballots' tables), read-only."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as copy:
        tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
        if "ballot_scans" not in tables:
            return []
        query = "SELECT id, sha256, image_path FROM ballot_scans ORDER BY id"
        return [(int(i), str(d), str(n)) for i, d, n in copy.execute(query)]


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
    schema, the audit chain recomputed from its first entry, and every ballot scan's image
    beside it with its SHA-256 (``verify_scans``). The number of audit entries it holds;
    ``BackupError`` in words if anything fails."""
    _check(path)
    entries, broken = audit_chain_of(path)
    if broken is not None:
        raise BackupError(f"{path}: the audit log breaks at entry {broken.seq} ({broken.reason})")
    verify_scans(path)
    return entries


def rotate(folder: Path, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` of our backups in ``folder`` (files not named like
    ours are never touched); the removed files."""
    removed = [folder / name for name in to_rotate([p.name for p in folder.iterdir()], keep)]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def restore(url: str, backup_file: Path, scans: Path | None = None) -> Path:
    """Put a checked backup in place of the database (through SQLite, so its WAL stays right).

    With ``scans`` (the instance's ``ballot-scans/``), the paper ballots' images the backup
    records are checked against their SHA-256 first (nothing is replaced if one is missing or
    changed), then put back there (``restore_scans``).
    """
    if not backup_file.exists():
        raise BackupError(f"there is no backup at {backup_file}")
    _check(backup_file)
    if scans is not None:
        verify_scans(backup_file)
    target = database_file(url)
    source = sqlite3.connect(backup_file)
    try:
        with sqlite3.connect(target, timeout=30) as live:
            source.backup(live, pages=-1)
    finally:
        source.close()
    if scans is not None:
        restore_scans(backup_file, scans)
    return target


def restore_scans(backup_file: Path, scans: Path) -> int:
    """Copy the ballot images the backup at ``backup_file`` records (and the rows cut from
    them, ``<sha256>-<n>.png``) from ``ballot-scans/`` beside it into ``scans``; each image is
    checked against its SHA-256 once in place. How many files were put back (one already there
    with the right content is left)."""
    kept = backup_file.parent / SCANS
    rows = {(digest, name) for _, digest, name in _scans_recorded(backup_file)}
    if not rows:
        return 0
    private_folder(scans)
    put_back = 0
    for digest, name in sorted(rows):
        files = [name, *sorted(p.name for p in kept.glob(f"{digest}-*.png"))]
        for file in files:
            target = scans / file
            if target.is_file() and (file != name or sha256_of(target) == digest):
                continue
            partial = private_file(target.with_name(target.name + ".partial"))
            shutil.copyfile(kept / file, partial)
            partial.replace(target)
            put_back += 1
        if sha256_of(scans / name) != digest:
            raise BackupError(f"the ballot image {name} restored is not the one scanned")
    return put_back
