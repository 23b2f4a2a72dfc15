"""Running the Alembic migrations from the app (``yishi init-db``, tests, ``yishi run``)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

from meeting_room.config import ROOT

if TYPE_CHECKING:
    from alembic.config import Config

URL_VARIABLE = "YISHI_MIGRATE_URL"


class MigrationFailed(Exception):
    """The schema could not be brought up to date (the migration's own error follows)."""


def alembic_config(url: str) -> Config:
    """Alembic's config for ``url``, with the project's migrations folder."""
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    """Bring the database at ``url`` to the newest schema."""
    from alembic import command

    command.upgrade(alembic_config(url), "head")


def upgrade_in_child(url: str) -> None:
    """``upgrade`` in a short-lived process: the server, which runs for hours, never loads
    Alembic and its migration scripts (about 11 MiB it would keep to the end)."""
    done = subprocess.run(
        [sys.executable, "-m", "meeting_room.store.migrate"],
        env={**os.environ, URL_VARIABLE: url},  # not in argv, where `ps` shows a password
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise MigrationFailed(done.stderr.strip().splitlines()[-1] if done.stderr else "")


if __name__ == "__main__":
    upgrade(os.environ[URL_VARIABLE])
