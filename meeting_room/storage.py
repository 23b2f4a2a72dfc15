"""Storage: one SQLAlchemy engine per app, SQLite (WAL) by default, PostgreSQL by URL.

Entry points open a unit of work with ``transaction()``; it commits before the caller
acknowledges or broadcasts anything, so a crash never loses what was acknowledged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

EXTENSION_KEY = "yishi.storage"


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{path}"


def make_engine(url: str) -> Engine:
    """An engine with this project's connection settings (WAL and a busy timeout on SQLite)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 15})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


class Storage:
    """The app's engine and session factory."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed on leaving, rolled back on an exception."""
        with self.sessions() as session, session.begin():
            yield session


def init_app(app: Flask) -> None:
    """Create the app's storage from ``DATABASE_URL``; every flush is audited."""
    from meeting_room import audit

    audit.install()
    app.extensions[EXTENSION_KEY] = Storage(app.config["DATABASE_URL"])


def storage() -> Storage:
    """The current app's storage."""
    result: Storage = current_app.extensions[EXTENSION_KEY]
    return result


@contextmanager
def transaction() -> Iterator[Session]:
    """A committed unit of work on the current app's database."""
    with storage().transaction() as session:
        yield session
