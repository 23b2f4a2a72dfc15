"""Running the Alembic migrations from the app (``yishi init-db``, tests, ``yishi run``)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from meeting_room.config import ROOT

if TYPE_CHECKING:
    from alembic.config import Config

URL_VARIABLE = "YISHI_MIGRATE_URL"
VERSIONS = ROOT / "migrations" / "versions"


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


def newest_revisions(folder: Path = VERSIONS) -> frozenset[str] | None:
    """The heads of the migration scripts in ``folder``, read from their ``revision`` and
    ``down_revision`` literals without importing Alembic or the scripts; None when a script
    names them any other way (then Alembic decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in sorted(folder.glob("*.py")):
        found: dict[str, Any] = {}
        for node in ast.parse(script.read_text(encoding="utf-8")).body:
            target: ast.expr
            if isinstance(node, ast.AnnAssign) and node.value is not None:
                target, value = node.target, node.value
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
            else:
                continue
            if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
                try:
                    found[target.id] = ast.literal_eval(value)
                except ValueError:
                    return None
        revision, down = found.get("revision"), found.get("down_revision", ...)
        if not isinstance(revision, str) or not (
            down is None
            or isinstance(down, str)
            or (isinstance(down, tuple | list) and all(isinstance(d, str) for d in down))
        ):
            return None
        revisions.add(revision)
        parents.update([down] if isinstance(down, str) else down or ())
    return frozenset(revisions - parents) or None


def stamped_revisions(url: str) -> frozenset[str] | None:
    """The revisions the database at ``url`` says it has (Alembic's own table); None when it
    cannot tell (no file yet, no table, no answer)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.pool import NullPool

    from meeting_room.store.storage import sqlite_file

    file = sqlite_file(url)
    if file is not None and not file.is_file():
        return None
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version"))
            return frozenset(str(row[0]) for row in rows)
    except SQLAlchemyError:
        return None
    finally:
        engine.dispose()


def is_current(url: str) -> bool:
    """Whether the database at ``url`` already has the newest schema (nothing to migrate)."""
    newest = newest_revisions()
    return newest is not None and stamped_revisions(url) == newest


def upgrade_in_child(url: str) -> None:
    """``upgrade`` in a short-lived process: the server, which runs for hours, never loads
    Alembic and its migration scripts (about 11 MiB it would keep to the end). A database
    already at the newest schema (every restart but the first after an update) needs no
    child: starting Python, Alembic and the scripts to do nothing cost 1.4 s of CPU."""
    if is_current(url):
        return
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
