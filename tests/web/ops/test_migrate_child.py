"""``yishi run`` migrates in a short-lived child process; the server never loads Alembic."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from meeting_room.store.migrate import MigrationFailed, upgrade_in_child
from meeting_room.store.storage import sqlite_url

ROOT = Path(__file__).resolve().parents[3]
HEADS = ROOT / "migrations" / "versions"


def test_the_child_brings_a_new_database_to_the_newest_schema_without_alembic_here(
    tmp_path: Path,
) -> None:
    database = tmp_path / "new.db"
    script = (
        "import sys; from meeting_room.store.migrate import upgrade_in_child; "
        f"upgrade_in_child({sqlite_url(database)!r}); print('alembic' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "False"
    with sqlite3.connect(database) as raw:
        (revision,) = raw.execute("SELECT version_num FROM alembic_version").fetchone()
        tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
    assert any(path.name.startswith(revision) for path in HEADS.glob("*.py"))
    assert {"members", "meetings", "ballots", "audit_log"} <= tables


def test_a_schema_that_cannot_be_updated_is_refused_in_words(tmp_path: Path) -> None:
    database = tmp_path / "odd.db"
    with sqlite3.connect(database) as raw:
        raw.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        raw.execute("INSERT INTO alembic_version VALUES ('from_the_future')")
    with pytest.raises(MigrationFailed, match="from_the_future"):
        upgrade_in_child(sqlite_url(database))
