"""Secrecy after a secret poll closes: nothing left in the live tables orders or dates a ballot.

``voting.service.close`` calls ``unlink_secret_rows`` in the closing transaction and, once it
has committed, ``vacuum_secret_tables`` in the background.
"""

from __future__ import annotations

import logging

from flask import Flask
from sqlalchemy import delete, insert, text
from sqlalchemy.orm import Session

from meeting_room.store.models.voting import Ballot, Participation
from meeting_room.store.storage import EXTENSION_KEY, Storage

log = logging.getLogger(__name__)


def unlink_secret_rows(session: Session, poll_id: int) -> bool:
    """On PostgreSQL, rewrite a closed secret poll's ballots and participations so nothing in
    the live tables orders or dates them: every row gets the closing transaction's id (the
    ``xmin`` system column), ballots go back in the order of their random keys and
    participations in member order (``ctid``). SQLite stores both without a rowid and needs
    nothing. Returns whether rows were rewritten; ``vacuum_secret_tables`` then clears the
    old row versions.

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


def vacuum_secret_tables(app: Flask) -> None:
    """Remove the rewritten rows' old versions (after the commit; PostgreSQL only); a failure
    is logged, never raised (the poll is closed and counted either way)."""
    storage: Storage = app.extensions[EXTENSION_KEY]
    try:
        with storage.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                text("VACUUM poll_participation, ballots")
            )
    except Exception:
        log.warning("vacuuming the secret ballots' tables failed", exc_info=True)
