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


def test_the_newest_revisions_read_from_the_scripts_are_alembics_heads() -> None:
    from alembic.script import ScriptDirectory

    from meeting_room.store.migrate import alembic_config, newest_revisions

    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert newest_revisions() == frozenset(heads)


def test_a_script_naming_its_revision_another_way_leaves_the_decision_to_alembic(
    tmp_path: Path,
) -> None:
    from meeting_room.store.migrate import newest_revisions

    (tmp_path / "a.py").write_text('revision = "a"\ndown_revision = None\n')
    (tmp_path / "b.py").write_text('revision: str = "b"\ndown_revision = ("a",)\n')
    assert newest_revisions(tmp_path) == {"b"}
    (tmp_path / "c.py").write_text('revision = "c" + suffix()\ndown_revision = "b"\n')
    assert newest_revisions(tmp_path) is None


def test_a_database_at_the_newest_schema_starts_without_a_child_and_another_with_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from meeting_room.store import migrate

    database = tmp_path / "current.db"
    migrate.upgrade(sqlite_url(database))
    children: list[object] = []
    real_run = subprocess.run

    def run(*args: object, **kwargs: object) -> object:
        children.append(args)
        return real_run(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(migrate.subprocess, "run", run)
    upgrade_in_child(sqlite_url(database))
    assert children == []  # nothing to do: no Python, no Alembic started

    with sqlite3.connect(database) as raw:  # another revision than the newest: Alembic decides
        raw.execute("UPDATE alembic_version SET version_num = 'from_the_future'")
    with pytest.raises(MigrationFailed, match="from_the_future"):
        upgrade_in_child(sqlite_url(database))
    assert len(children) == 1
    upgrade_in_child(sqlite_url(tmp_path / "new.db"))  # no file yet: the child makes it
    assert len(children) == 2 and migrate.is_current(sqlite_url(tmp_path / "new.db"))
