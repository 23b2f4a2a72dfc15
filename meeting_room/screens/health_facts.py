"""What the administrator's health page shows, gathered: disk space, the database's size, the
backups, the audit chain, the speech waiting for synthesis, the live connections, and the box's
clock against the staff browser's; and the one thing it changes, the box's clock (audited).

The audit chain is recomputed at most once every ``CHAIN_CHECK_MINUTES`` of the app's clock
(a big box's log takes seconds): the page says when it was last checked, and the
administrator's verification page (/admin/verify) checks everything on demand.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select, text

from devices.adapters import Devices
from devices.tts import speech_waiting
from meeting_room.access.connections import connections
from meeting_room.clock import now
from meeting_room.domain.box import clock_is_off, clock_offset
from meeting_room.extensions import socketio
from meeting_room.store.audit import append, canonical, verify_log
from meeting_room.store.backup import audit_chain_of
from meeting_room.store.backups import BackupStatus, backup_status, off_the_loop
from meeting_room.store.files import SQLITE_COMPANIONS
from meeting_room.store.models.audit import AuditEntry
from meeting_room.store.storage import sqlite_file, transaction
from meeting_room.web.rooms import BOOTH, CLERK, KIOSK, MODERATOR, PHONE, PROJECTOR

CHAIN_CHECK_MINUTES = 10
CHAIN_CACHE = "yishi.health.chain"
LOW_DISK_BYTES = 1024**3  # less than 1 GiB free: the page warns (a backup or a day of speech)
SCREENS = {"projector": PROJECTOR, "kiosk": KIOSK, "booth": BOOTH}
STAFF = {"moderator": MODERATOR, "clerk": CLERK}


@dataclass(frozen=True)
class ChainStatus:
    """The audit chain as last checked: intact or where it breaks, and when it was checked."""

    intact: bool
    entries: int
    checked_at: datetime
    broken_seq: int | None = None
    reason: str = ""


@dataclass(frozen=True)
class Disk:
    """Space on the disk holding a folder."""

    path: str
    free_bytes: int
    total_bytes: int

    @property
    def low(self) -> bool:
        """Less than ``LOW_DISK_BYTES`` left."""
        return self.free_bytes < LOW_DISK_BYTES


@dataclass(frozen=True)
class Health:
    """Everything the health page shows."""

    at: datetime
    disk: Disk
    database_bytes: int | None
    backups: BackupStatus
    chain: ChainStatus
    speech_waiting: dict[str, int]
    screens: dict[str, int]
    staff: dict[str, int]
    phones: int
    connections: int
    clock_offset_seconds: float | None = None
    clock_off: bool = False
    warnings: list[str] = field(default_factory=list)


def _disk(folder: Path) -> Disk:
    usage = shutil.disk_usage(folder)
    return Disk(str(folder), usage.free, usage.total)


def database_bytes() -> int | None:
    """The database's size: its file and journal on SQLite, ``pg_database_size`` on PostgreSQL."""
    url = str(current_app.config["DATABASE_URL"])
    path = sqlite_file(url)
    if path is not None:
        files = [path, *(path.with_name(path.name + s) for s in SQLITE_COMPANIONS)]
        return sum(f.stat().st_size for f in files if f.exists())
    if url.startswith("postgresql"):
        with transaction() as session:
            return int(session.scalar(text("SELECT pg_database_size(current_database())")) or 0)
    return None


def chain_status(moment: datetime, fresh: bool = False) -> ChainStatus:
    """The audit chain's check, recomputed when the last is older than ``CHAIN_CHECK_MINUTES``
    (or ``fresh``)."""
    cached: ChainStatus | None = current_app.extensions.get(CHAIN_CACHE)
    if (
        not fresh
        and cached is not None
        and timedelta(0) <= moment - cached.checked_at < timedelta(minutes=CHAIN_CHECK_MINUTES)
    ):
        return cached
    database = sqlite_file(str(current_app.config["DATABASE_URL"]))
    if database is not None:  # read on its own connection, off the loop: seconds on a big box
        entries, broken = off_the_loop(partial(audit_chain_of, database))
    else:
        with transaction() as session:
            broken = verify_log(session)
            entries = int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)
    status = ChainStatus(
        intact=broken is None,
        entries=entries,
        checked_at=moment,
        broken_seq=broken.seq if broken else None,
        reason=broken.reason if broken else "",
    )
    current_app.extensions[CHAIN_CACHE] = status
    return status


def _connected(namespace: str) -> int:
    """Sockets of this worker connected on ``namespace``."""
    manager = socketio.server.manager if socketio.server is not None else None
    if manager is None:
        return 0
    return len(manager.rooms.get(namespace, {}).get(None, {}))


def health(browser_time: datetime | None = None) -> Health:
    """Every fact of the health page; with ``browser_time``, the clocks compared."""
    moment = now()
    offset = clock_offset(moment, browser_time) if browser_time is not None else None
    facts = Health(
        at=moment,
        disk=_disk(Path(current_app.instance_path)),
        database_bytes=database_bytes(),
        backups=backup_status(moment),
        chain=chain_status(moment),
        speech_waiting={str(lane): count for lane, count in speech_waiting().items()},
        screens={kind: _connected(ns) for kind, ns in SCREENS.items()},
        staff={kind: _connected(ns) for kind, ns in STAFF.items()},
        phones=_connected(PHONE),
        connections=connections(current_app).total,
        clock_offset_seconds=offset.total_seconds() if offset is not None else None,
        clock_off=offset is not None and clock_is_off(offset),
    )
    facts.warnings.extend(_warnings(facts))
    return facts


def _warnings(facts: Health) -> list[str]:
    found = [str(w) for w in facts.backups.warnings]
    if facts.disk.low:
        found.append("disk_low")
    if not facts.chain.intact:
        found.append("chain_broken")
    if facts.clock_off:
        found.append("clock_off")
    return found


def set_box_clock(moment: datetime, by: int | None) -> None:
    """Set the box's clock to ``moment`` (the staff browser's time) through the clock device,
    then note it in the audit log (which keeps its own wall-clock times: entries after this
    one carry the corrected time). ``ClockNotSet`` in words if the box refuses."""
    devices: Devices = current_app.extensions["yishi.devices"]
    before = now()
    devices.clock.set_time(moment)
    detail = {"from": before.isoformat(), "to": moment.isoformat(), "by": by}
    with transaction() as session:
        append(session, [("box.clock", "box:clock", canonical(detail))])
