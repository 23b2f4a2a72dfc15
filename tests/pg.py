"""The web tests on PostgreSQL instead of SQLite, when ``YISHI_TEST_POSTGRES`` names a server.

``YISHI_TEST_POSTGRES=postgresql+psycopg://user:password@127.0.0.1:5433/postgres pytest tests/web``
(``scripts/cluster.sh`` starts such a server; ``scripts/pg-tests.sh`` does it all). The SQLite
template every test copies (migrated, with the demo roster and whatever the fixtures put in it)
is copied once into a migrated PostgreSQL template database; each test then gets a database
made from that template, dropped when the next test starts.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

from sqlalchemy import Connection, Engine, Integer, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from meeting_room.store.migrate import upgrade
from meeting_room.store.models.registry import metadata
from meeting_room.store.storage import sqlite_url

SERVER_VARIABLE = "YISHI_TEST_POSTGRES"
TEMPLATE = "yishi_test_template"
_numbers = itertools.count(1)
_made: list[str] = []
_template_of: dict[Path, str] = {}


def server_url() -> str | None:
    """The PostgreSQL server the tests use, None for SQLite."""
    return os.environ.get(SERVER_VARIABLE) or None


def database_for_test(template: Path, copy: Path) -> str:
    """The database URL of one test: ``copy`` (already a copy of the SQLite ``template``), or
    a fresh PostgreSQL database holding the same rows."""
    server = server_url()
    if server is None:
        return sqlite_url(copy)
    if template not in _template_of:
        _template_of[template] = _make_template(server, template)
    name = f"yishi_test_{os.getpid()}_{next(_numbers)}"
    with _admin(server) as connection:
        for old in _made:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)'))
        _made.clear()
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"'))
    _made.append(name)
    return _database(server, name)


def _database(server: str, name: str) -> str:
    return make_url(server).set(database=name).render_as_string(hide_password=False)


_admins: dict[str, Engine] = {}


def _admin(server: str) -> Connection:
    """A connection outside transactions (CREATE and DROP DATABASE need one)."""
    if server not in _admins:
        _admins[server] = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    return _admins[server].connect()


def _make_template(server: str, sqlite_template: Path) -> str:
    """A migrated PostgreSQL database holding every row of the SQLite template."""
    with _admin(server) as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{TEMPLATE}"'))
    url = _database(server, TEMPLATE)
    upgrade(url)
    source = create_engine(sqlite_url(sqlite_template))
    target = create_engine(url)
    with source.connect() as read, target.begin() as write:
        for table in metadata.sorted_tables:
            rows = [dict(row._mapping) for row in read.execute(select(table))]
            if rows:
                write.execute(table.insert(), rows)
        for table in metadata.sorted_tables:
            keys = [c for c in table.primary_key.columns if isinstance(c.type, Integer)]
            if len(keys) != 1 or not keys[0].autoincrement:
                continue
            column = keys[0].name
            sequence = write.execute(
                text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column}
            ).scalar()
            if sequence:
                write.execute(
                    text(
                        f'SELECT setval(:s, coalesce((SELECT max("{column}") FROM "{table.name}"),'
                        " 0) + 1, false)"
                    ),
                    {"s": sequence},
                )
    source.dispose()
    target.dispose()
    return url
