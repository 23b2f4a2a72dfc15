"""Storage faults for the web tests: a full disk and a read-only database, made on the app's
own SQLite connections (so they work without root and without a special filesystem).

- full: ``PRAGMA max_page_count`` caps the database a few pages above its size, so the disk is
  "full" after a few more writes, exactly as SQLite reports a real one (``SQLITE_FULL``).
- read-only: ``PRAGMA query_only`` makes every write fail as on a read-only file
  (``SQLITE_READONLY``); reads still work.

Pooled connections are dropped first, so every connection the app opens next has the fault;
``lift()`` removes it again (space freed, file writable again).
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import Engine, event


class Fault:
    """A fault on every new connection of the app's engine, until ``lift()``."""

    def __init__(self, app: Flask, pragma: str) -> None:
        self.engine: Engine = app.extensions["yishi.storage"].engine
        self.pragma = pragma
        self.engine.dispose()
        event.listen(self.engine, "connect", self._apply)

    def _apply(self, dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(self.pragma)
        cursor.close()

    def lift(self) -> None:
        """Free space / make the database writable again."""
        event.remove(self.engine, "connect", self._apply)
        self.engine.dispose()


def full_disk(app: Flask, headroom_pages: int) -> Fault:
    """The disk fills up ``headroom_pages`` pages (4 KiB each) from now."""
    engine: Engine = app.extensions["yishi.storage"].engine
    with engine.connect() as connection:
        pages = int(connection.exec_driver_sql("PRAGMA page_count").scalar_one())
    return Fault(app, f"PRAGMA max_page_count = {pages + headroom_pages}")


def read_only(app: Flask) -> Fault:
    """The database can be read but not written."""
    return Fault(app, "PRAGMA query_only = ON")
