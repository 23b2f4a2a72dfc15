"""Several workers on one PostgreSQL database: which of them runs the background watcher.

Every worker of ``make run-cluster`` starts the watcher (speech overruns, expired polls, the
"closing in one minute" announcement), but only the one holding a PostgreSQL advisory lock acts:
the others wait for the lock, so a worker that dies (its connection closes, the lock goes) is
replaced within a few seconds. A worker that loses its connection stops its watcher before
waiting again, so two never act at once. On SQLite there is one process, and it always leads.

The watcher's actions are safe even where two might overlap: closing a poll locks its row and
re-checks its status (see ``voting.service.close``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlalchemy import Connection, text

from meeting_room.extensions import socketio
from meeting_room.store.storage import Storage

log = logging.getLogger(__name__)

WATCHER_LOCK = 0x59495348  # "YISH": the advisory lock key of the watcher's leader
RETRY_S = 2.0


class Leadership:
    """A session-level advisory lock held on one dedicated connection."""

    def __init__(self, storage: Storage, key: int = WATCHER_LOCK) -> None:
        self.storage = storage
        self.key = key
        self.connection: Connection | None = None

    @property
    def shared(self) -> bool:
        """Whether other processes may share the database (PostgreSQL)."""
        return self.storage.engine.dialect.name == "postgresql"

    def acquire(self) -> bool:
        """Try to become the leader (at once on SQLite); True while this process leads."""
        if not self.shared:
            return True
        if self.connection is None:
            self.connection = self.storage.engine.connect()
        got = bool(
            self.connection.execute(
                text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}
            ).scalar()
        )
        self.connection.commit()  # end the implicit transaction; the lock is the session's
        return got

    def holds(self) -> bool:
        """Whether the lock is still ours (its connection alive and the lock granted)."""
        if not self.shared:
            return True
        if self.connection is None:
            return False
        try:
            held = self.connection.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    " AND pid = pg_backend_pid() AND objid::bigint = :k"
                ),
                {"k": self.key},
            ).scalar()
            self.connection.commit()
        except Exception:  # the database went away: so did the lock
            self.release()
            return False
        return bool(held)

    def release(self) -> None:
        """Drop the connection (and with it the lock)."""
        if self.connection is not None:
            try:
                self.connection.invalidate()
                self.connection.close()
            except Exception:
                log.debug("closing the leader's connection failed", exc_info=True)
            self.connection = None


def run_as_leader(app: Flask, watcher: Callable[[Flask], Any], period: float = RETRY_S) -> None:
    """Run ``watcher(app)`` (a loop) while this process holds the lead; wait for it otherwise."""
    from meeting_room.store.storage import EXTENSION_KEY

    leadership = Leadership(app.extensions[EXTENSION_KEY])
    while True:
        try:
            leading = leadership.acquire()
        except Exception:
            log.warning("the watcher's lock could not be asked for; retrying", exc_info=True)
            leadership.release()
            leading = False
        if not leading:
            socketio.sleep(period)
            continue
        if not leadership.shared:
            watcher(app)  # one process: it never has to give the lead away
            return
        log.info("this worker runs the watcher")
        task = socketio.start_background_task(watcher, app)
        while leadership.holds():
            if _ended(task):  # the watcher died of an error: start it again
                log.error("the watcher stopped; starting it again")
                task = socketio.start_background_task(watcher, app)
            socketio.sleep(period)
        log.warning("this worker lost the watcher's lock; stopping its watcher")
        kill = getattr(task, "kill", None)
        if kill is not None:
            kill()


def _ended(task: Any) -> bool:
    """Whether a background task (a gevent greenlet or a thread) has finished."""
    dead = getattr(task, "dead", None)
    if isinstance(dead, bool):
        return dead
    alive = getattr(task, "is_alive", None)
    return bool(alive is not None and not alive())
