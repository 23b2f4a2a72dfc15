"""Secrecy after a secret poll closes: nothing stored, in the tables or in the database's
files, orders, dates or pairs a ballot with its voter.

``voting.service.close`` calls ``unlink_secret_rows`` in the closing transaction and, once it
has committed, ``forget_history`` before it answers: on SQLite the whole file is rebuilt and its
write-ahead log emptied (``store.rewrite``), so from the moment the closing is answered the
files hold no trace of the order ballots came in; on PostgreSQL the rewritten rows' old
versions are vacuumed in the background. A rebuild that could not be done (a reader held
the log, a full disk) is tried again by the deadline watcher every ``RETRY_SECONDS``
(``forget_if_due``), and ``yishi run`` rebuilds before serving.
"""

from __future__ import annotations

import logging
import time

from flask import Flask
from sqlalchemy import delete, insert, text
from sqlalchemy.orm import Session

from meeting_room.extensions import socketio
from meeting_room.store.models.voting import Ballot, Participation
from meeting_room.store.rewrite import rewrite_without_history
from meeting_room.store.storage import EXTENSION_KEY, Storage

log = logging.getLogger(__name__)
DUE_KEY = "yishi.secrecy.rewrite_due"  # when a failed rebuild is tried again (monotonic s)
RETRY_SECONDS = 30


def unlink_secret_rows(session: Session, poll_id: int) -> bool:
    """On PostgreSQL, rewrite a closed secret poll's ballots and participations so nothing in
    the live tables orders or dates them: every row gets the closing transaction's id (the
    ``xmin`` system column), ballots go back in the order of their random keys and
    participations in member order (``ctid``). SQLite stores both without a rowid, and
    ``forget_history`` rebuilds its file. Returns whether rows were rewritten; the vacuum
    then clears the old row versions.

    While a poll is open, PostgreSQL's row versions do link a ballot to its participation
    (same transaction id) for anyone who can query the tables: see README, "Scale-out mode".
    """
    if session.get_bind().dialect.name != "postgresql":
        return False
    session.flush()
    tables = Ballot.metadata.tables
    for table, order in (
        (tables[Ballot.__tablename__], "key"),
        (tables[Participation.__tablename__], "member_id"),
    ):
        rows = (
            session.execute(delete(table).where(table.c.poll_id == poll_id).returning(*table.c))
            .mappings()
            .all()
        )
        if rows:
            ordered = sorted((dict(r) for r in rows), key=lambda r: r[order])
            session.execute(insert(table), ordered)
    return True


def forget_history(app: Flask) -> bool:
    """After a secret poll's closing has committed: on SQLite, rebuild the database file and
    empty its log now (the caller waits: a few hundredths of a second for a hall's database);
    on PostgreSQL, vacuum the rewritten tables in the background. Whether the files are clean
    (a failed rebuild is logged and left due for ``forget_if_due``)."""
    storage: Storage = app.extensions[EXTENSION_KEY]
    if storage.file is None:
        if storage.engine.dialect.name == "postgresql":
            socketio.start_background_task(_vacuum_secret_tables, storage)
        return True  # (a database in memory leaves nothing on disk)
    rewritten = rewrite_without_history(storage.file)
    app.extensions[DUE_KEY] = None if rewritten.done else time.monotonic() + RETRY_SECONDS
    if rewritten.done:
        log.info(
            "database rebuilt after a secret poll: %.2f s, %d bytes",
            rewritten.seconds,
            rewritten.size,
        )
    else:
        log.warning(
            "the database could not be rebuilt (%s): tried again in %d s",
            rewritten.reason,
            RETRY_SECONDS,
        )
    return rewritten.done


def forget_if_due(app: Flask) -> None:
    """Rebuild the file if a rebuild after a closing failed and its next try is due (the
    deadline watcher asks every round; a full disk is not hammered)."""
    due: float | None = app.extensions.get(DUE_KEY)
    if due is not None and time.monotonic() >= due:
        forget_history(app)


def _vacuum_secret_tables(storage: Storage) -> None:
    """Remove the rewritten rows' old versions (PostgreSQL); a failure is logged, never
    raised (the poll is closed and counted either way)."""
    try:
        with storage.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                text("VACUUM poll_participation, ballots")
            )
    except Exception:
        log.warning("vacuuming the secret ballots' tables failed", exc_info=True)
