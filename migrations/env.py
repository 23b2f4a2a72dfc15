"""Alembic environment: migrates the database at the URL the caller set (``store.migrate``)."""

from __future__ import annotations

import os

from alembic import context

from meeting_room.store.models.registry import metadata
from meeting_room.store.storage import make_engine

config = context.config
target_metadata = metadata


def database_url() -> str:
    """The URL set by ``store.migrate``, else the environment, else the instance default."""
    url = config.get_main_option("sqlalchemy.url") or os.environ.get("YISHI_DATABASE_URL")
    if url:
        return url
    from meeting_room.config import ROOT

    return f"sqlite:///{ROOT / 'instance' / 'yishi.db'}"


def run_offline() -> None:
    """Emit SQL without a database."""
    context.configure(
        url=database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Migrate a live database (batch mode so SQLite can alter tables)."""
    engine = make_engine(database_url())
    with engine.connect() as connection:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
