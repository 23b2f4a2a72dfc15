"""Running the Alembic migrations from the app (``yishi init-db``, tests, ``yishi run``)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from meeting_room.config import ROOT


def alembic_config(url: str) -> Config:
    """Alembic's config for ``url``, with the project's migrations folder."""
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    """Bring the database at ``url`` to the newest schema."""
    command.upgrade(alembic_config(url), "head")
