"""Backups without anyone remembering: the writer of the box's automatic backups.

``back_up`` copies the live database into the backup folder (``store.backup``: one consistent
snapshot, the paper ballots' images copied beside it), verifies the copy as a restore would
find it (SQLite's integrity check, the schema, the audit chain recomputed, each ballot image's
SHA-256), removes all but the newest N backups, and records the run (good
or failed, in words) in ``backup_runs``, which the clerk desk and the health page read. It is
called by the scheduler (``ops.backup_schedule``: daily, and after a meeting closes) and by the
administrator's "back up now"; the caller passes ``now`` (the app's clock).

The folder is the administrator's setting (``box_settings``; e.g. a folder on a USB stick),
else ``BACKUP_FOLDER`` from the configuration, else the instance folder's ``backups/``. A
folder someone chose is never created: a USB stick that is not plugged in leaves its mount
point, and backups must not fill the box's own disk there unnoticed. That is a failed run,
and a warning on the desk.

Refused while a secret poll is open (``SecretVoteOpen``): nothing is recorded, the caller
tries again later (the scheduler does, each round).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.domain.box import (
    DEFAULT_KEEP,
    BackupFacts,
    BackupReason,
    BackupWarning,
    FolderState,
    backup_name,
    backup_warnings,
)
from meeting_room.store.backup import (
    SCANS,
    BackupError,
    SecretVoteOpen,
    backup,
    rotate,
    verify_copy,
)
from meeting_room.store.models.box import BackupRun, BoxSettings
from meeting_room.store.storage import transaction

T = TypeVar("T")
AFTER_CLOSE = "yishi.after_close"  # app.extensions: what runs once a meeting has closed


@dataclass(frozen=True)
class BackupSetup:
    """Where backups go and how many are kept; ``chosen``: the folder is someone's setting
    (never created by the box), not the default one."""

    folder: Path
    keep: int
    chosen: bool


@dataclass(frozen=True)
class RunOut:
    """A backup run as the screens show it."""

    reason: BackupReason
    meeting_id: int | None
    started_at: datetime
    seconds: float
    path: str
    size_bytes: int
    audit_entries: int
    ok: bool
    error: str

    @classmethod
    def of(cls, run: BackupRun) -> RunOut:
        """The run's columns."""
        return cls(
            run.reason,
            run.meeting_id,
            run.started_at,
            run.seconds,
            run.path,
            run.size_bytes,
            run.audit_entries,
            run.ok,
            run.error,
        )


@dataclass(frozen=True)
class BackupStatus:
    """The desk's and the health page's view: settings, folder, the last good and last run."""

    setup: BackupSetup
    folder: FolderState
    last_good: RunOut | None
    last_run: RunOut | None
    warnings: list[BackupWarning]
    supported: bool  # False on PostgreSQL: its backups are pg_dump's


def backup_setup(session: Session) -> BackupSetup:
    """The stored settings over the configured defaults."""
    stored = session.get(BoxSettings, 1)
    configured = current_app.config.get("BACKUP_FOLDER")
    keep = int(current_app.config.get("BACKUP_KEEP") or DEFAULT_KEEP)
    if stored is not None and stored.backup_folder:
        return BackupSetup(Path(stored.backup_folder), stored.backup_keep, True)
    if stored is not None:
        keep = stored.backup_keep
    if configured:
        return BackupSetup(Path(configured), keep, True)
    return BackupSetup(Path(current_app.instance_path) / "backups", keep, False)


def save_backup_setup(folder: str, keep: int, now: datetime) -> BackupSetup:
    """Store the administrator's folder (empty: back to the default) and how many to keep;
    the caller has checked both (an absolute path, a keep in ``KEEP_RANGE``). Audited."""
    with transaction() as session:
        row = session.get(BoxSettings, 1) or BoxSettings(id=1)
        row.backup_folder = folder.strip()
        row.backup_keep = keep
        row.updated_at = now
        session.add(row)
        session.flush()
        return backup_setup(session)


def folder_state(setup: BackupSetup) -> FolderState:
    """Whether backups can be written to the folder now."""
    folder = setup.folder
    if not folder.is_dir():
        return FolderState.READY if not setup.chosen else FolderState.MISSING
    return FolderState.READY if os.access(folder, os.W_OK | os.X_OK) else FolderState.UNWRITABLE


def _supported() -> bool:
    return str(current_app.config["DATABASE_URL"]).startswith("sqlite")


def back_up(reason: BackupReason, now: datetime, meeting_id: int | None = None) -> RunOut:
    """Write, verify and rotate one backup, and record the run (good or not); a failure is
    returned in words, never raised. Raises ``SecretVoteOpen`` (nothing recorded) while a
    secret poll is open."""
    with transaction() as session:
        setup = backup_setup(session)
    started = time.perf_counter()
    target = setup.folder / backup_name(reason, now, meeting_id)
    url = str(current_app.config["DATABASE_URL"])
    size, entries, error = 0, 0, ""

    scans = Path(current_app.instance_path) / SCANS

    def write_and_check() -> tuple[int, int]:
        backup(url, target, scans)
        checked = verify_copy(target)
        rotate(setup.folder, setup.keep)
        return checked, target.stat().st_size

    try:
        state = folder_state(setup)
        if state is not FolderState.READY:
            raise BackupError(f"the backup folder {setup.folder} is {state.value}")
        entries, size = off_the_loop(write_and_check)
    except SecretVoteOpen:
        raise
    except (BackupError, OSError, sqlite3.Error) as failed:
        error = str(failed)[:500]
        if not size:  # written but not verified, or half written: never kept as good
            target.unlink(missing_ok=True)
            target.with_name(target.name + ".partial").unlink(missing_ok=True)
    run = BackupRun(
        reason=reason,
        meeting_id=meeting_id,
        started_at=now,
        seconds=round(time.perf_counter() - started, 3),
        path=str(target) if not error else "",
        size_bytes=size,
        audit_entries=entries,
        ok=not error,
        error=error,
    )
    with transaction() as session:
        session.add(run)
        session.flush()
        return RunOut.of(run)


def off_the_loop(work: Callable[[], T]) -> T:
    """``work()`` in a thread of gevent's pool while the server runs on gevent, so that copying
    and checking the database (half a second for the demo's, more for a big box) does not stop
    every phone's traffic meanwhile; at once otherwise. ``work`` touches only files and its own
    SQLite connections, never the app's sessions (their pool belongs to the greenlets)."""
    from gevent import monkey

    if current_app.config.get("SOCKETIO_ASYNC_MODE") != "gevent" or not monkey.is_module_patched(
        "socket"
    ):
        return work()
    import gevent

    result: T = gevent.get_hub().threadpool.apply(work)
    return result


def _last(session: Session, *, ok: bool | None) -> BackupRun | None:
    query = select(BackupRun).order_by(BackupRun.started_at.desc(), BackupRun.id.desc())
    if ok is not None:
        query = query.where(BackupRun.ok.is_(ok))
    return session.scalars(query.limit(1)).first()


def backup_status(now: datetime) -> BackupStatus:
    """The backups as the desk and the health page show them, with their warnings."""
    with transaction() as session:
        setup = backup_setup(session)
        good, last = _last(session, ok=True), _last(session, ok=None)
        good_out = RunOut.of(good) if good is not None else None
        last_out = RunOut.of(last) if last is not None else None
    state = folder_state(setup)
    facts = BackupFacts(
        last_good_at=good_out.started_at if good_out else None,
        last_try_failed=last_out is not None and not last_out.ok,
        folder=state,
    )
    supported = _supported()
    warnings = backup_warnings(facts, now) if supported else []
    return BackupStatus(setup, state, good_out, last_out, warnings, supported)


def recent_runs(limit: int = 10) -> list[RunOut]:
    """The newest backup runs, newest first."""
    with transaction() as session:
        query = select(BackupRun).order_by(BackupRun.started_at.desc(), BackupRun.id.desc())
        return [RunOut.of(run) for run in session.scalars(query.limit(limit))]


def last_good_at() -> datetime | None:
    """When the newest good backup was made (the scheduler's daily rule reads it)."""
    with transaction() as session:
        good = _last(session, ok=True)
        return good.started_at if good is not None else None


def last_failed_at() -> datetime | None:
    """When the newest run failed, if the newest run failed."""
    with transaction() as session:
        last = _last(session, ok=None)
        return last.started_at if last is not None and not last.ok else None


def meeting_closed(meeting_id: int) -> None:
    """The hook point: call once a meeting's close has committed. Runs what the composition
    root registered under ``AFTER_CLOSE`` (the backup after a meeting closes)."""
    hooks: list[Callable[[int], None]] = current_app.extensions.get(AFTER_CLOSE, [])
    for hook in hooks:
        hook(meeting_id)
