"""Storage: one SQLAlchemy engine per app, SQLite (WAL) by default, PostgreSQL by URL.

Entry points open a unit of work with ``transaction()``; it commits before the caller
acknowledges or broadcasts anything, so a crash never loses what was acknowledged.

A database that cannot be written (a full disk, a read-only file or folder, a disk error) turns
into a ``StorageFailure``: a ``Refusal`` every entry point already answers in words (HTTP and
Socket.IO acks), with the transaction rolled back, so nothing is half-written and nothing is
silently lost. Listeners (the clerk desk's banner, ``storage_alarm``) hear of failures and of the
next successful write.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from meeting_room.domain.problems import Problem, Refusal
from meeting_room.store.files import private_database
from meeting_room.store.models import registry  # noqa: F401  (every table mapped)

EXTENSION_KEY = "yishi.storage"
WROTE = "yishi.wrote"
AFTER_COMMIT = "yishi.after_commit"
log = logging.getLogger(__name__)

# SQLite result codes (``sqlite3.Error.sqlite_errorname``) and PostgreSQL SQLSTATEs that mean
# the database cannot take a write; anything else is not a storage failure.
SQLITE_PROBLEMS = {
    "SQLITE_FULL": Problem.STORAGE_FULL,
    "SQLITE_READONLY": Problem.STORAGE_READ_ONLY,
    "SQLITE_IOERR": Problem.STORAGE_FAILED,
    "SQLITE_CANTOPEN": Problem.STORAGE_FAILED,
}
POSTGRES_PROBLEMS = {
    "53100": Problem.STORAGE_FULL,  # disk_full
    "25006": Problem.STORAGE_READ_ONLY,  # read_only_sql_transaction
    "58030": Problem.STORAGE_FAILED,  # io_error
}


class StorageFailure(Refusal):
    """The database could not take a write; nothing of the unit of work was kept."""


def storage_problem(error: BaseException) -> Problem | None:
    """The storage problem a database error means (full, read-only, disk error), else None."""
    original = getattr(error, "orig", error)
    name = str(getattr(original, "sqlite_errorname", "") or "")
    for prefix, problem in SQLITE_PROBLEMS.items():
        if name == prefix or name.startswith(prefix + "_"):
            return problem
    code = getattr(original, "pgcode", None) or getattr(original, "sqlstate", None)
    return POSTGRES_PROBLEMS.get(str(code)) if code else None


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{path}"


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None for another database or one in memory."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(str(parsed.database).removeprefix("file:").split("?")[0])


def make_engine(url: str) -> Engine:
    """An engine with this project's connection settings (WAL and a busy timeout on SQLite)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 15})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # PostgreSQL (several workers): hundreds of greenlets may wait on a row lock at once in a
    # vote burst; a larger pool and a longer wait keep the broadcasts and the watcher served
    # (2 workers: at most 80 connections; scripts/cluster.sh allows 200).
    return create_engine(url, pool_pre_ping=True, pool_size=20, max_overflow=20, pool_timeout=120)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    # What a write removes or replaces is overwritten with zeros, not left in the file's free
    # space (closed secret polls' card readings, purged meetings: see ``store.rewrite``).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


class Storage:
    """The app's engine and session factory, and who hears of storage failures."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.file = sqlite_file(url)
        if self.file is not None:
            private_database(self.file)
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self.sessions, "after_flush", _mark_written)
        self.on_failure: list[Callable[[Problem], None]] = []
        self.on_write: list[Callable[[], None]] = []
        self.immediate = url.startswith("sqlite") and _threads_run_in_parallel()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed on leaving, rolled back on an exception.

        A write the database cannot take raises ``StorageFailure`` (after the rollback).
        """
        depth = getattr(_nesting, "depth", 0)
        _nesting.depth = depth + 1
        try:
            with self.sessions() as session:
                with session.begin():
                    if self.immediate and depth == 0:
                        _begin_immediate(session)
                    yield session
                wrote = bool(session.info.pop(WROTE, False))
                committed = session.info.pop(AFTER_COMMIT, {})
        except DBAPIError as error:
            problem = storage_problem(error)
            if problem is None:
                raise
            # The kind of failure only: SQL parameters can hold personal data.
            log.error("storage failure: %s (%s)", problem.value, type(error.orig).__name__)
            for listener in self.on_failure:
                listener(problem)
            raise StorageFailure(problem) from error
        finally:
            _nesting.depth = depth
        if wrote:
            for heard in self.on_write:
                heard()
        for then in committed.values():
            try:
                then()
            except Exception:  # the data is committed: a broadcast that failed must not undo it
                log.exception("an after-commit step failed")


# SQLite and parallel writers. The driver starts a transaction only at the first write, so
# what a unit of work read before it could be stale by then, and two threads or processes
# adding to the same tally would lose one addition without an error. Where threads really
# run in parallel (threaded servers, tests, commands beside the server) the outermost unit
# of work of a thread therefore takes the write lock at once (``BEGIN IMMEDIATE``; others
# wait, up to the busy timeout); a unit of work nested in it reads in WAL mode as before.
# Under gevent (``yishi run``) greenlets do not interleave inside a unit of work (SQLite
# calls never yield), and a lock held across a yield would stall the whole server, so there
# the driver's own transactions are kept.
_nesting = threading.local()


def _threads_run_in_parallel() -> bool:
    try:
        from gevent import monkey
    except ImportError:  # pragma: no cover - gevent is a dependency
        return True
    return not monkey.is_module_patched("threading")


def _begin_immediate(session: Session) -> None:
    driver = session.connection().connection.driver_connection
    if driver is None or driver.in_transaction:
        return
    try:
        driver.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if storage_problem(error) is None:
            raise
        # A read-only database: reading still works; a write will be refused in words.


def after_commit(session: Session, key: str, then: Callable[[], None]) -> None:
    """Run ``then`` once this unit of work has committed (not on a rollback); one per ``key``
    however many flushes ask (a broadcast per transaction, after its data is there)."""
    session.info.setdefault(AFTER_COMMIT, {})[key] = then


def _mark_written(session: Session, _context: Any) -> None:
    mark_written(session)


def mark_written(session: Session) -> None:
    """Note that this unit of work wrote (for statements that bypass the session's flush)."""
    session.info[WROTE] = True


def unwritable_reason(url: str) -> str | None:
    """Why the database cannot take a write now (checked before serving), or None.

    The probe creates a table and rolls it back, so it leaves nothing behind.
    """
    parsed = make_url(url)
    database = sqlite_file(url)
    if database is not None and not database.parent.is_dir():
        return f"the folder {database.parent} does not exist"
    engine = make_engine(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            _probe_sqlite(engine)
        else:
            with engine.connect() as connection, connection.begin() as probe:
                connection.execute(text("CREATE TABLE yishi_write_probe (x INTEGER)"))
                probe.rollback()
    except DBAPIError as error:
        problem = storage_problem(error)
        if problem is Problem.STORAGE_FULL:
            return "the disk is full"
        if problem is Problem.STORAGE_READ_ONLY:
            return "the database is read-only"
        return f"it cannot be written ({type(error.orig).__name__})"
    finally:
        engine.dispose()
    return None


def init_app(app: Flask) -> None:
    """Create the app's storage from ``DATABASE_URL``; every flush is audited."""
    from meeting_room.store import audit

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


def _probe_sqlite(engine: Engine) -> None:
    """A write in an explicit transaction, rolled back (the driver would commit DDL at once)."""
    with engine.connect() as connection:
        driver = connection.connection.driver_connection
        assert driver is not None
        driver.isolation_level = None
        try:
            for statement in (
                "BEGIN IMMEDIATE",
                "CREATE TABLE yishi_write_probe (x INTEGER)",
                "ROLLBACK",
            ):
                connection.exec_driver_sql(statement)
        except DBAPIError:
            if driver.in_transaction:
                driver.execute("ROLLBACK")
            raise
