"""Everything the box keeps is readable by its own account only (issue 15): the instance folder
0700; the database, its -wal and -shm, backups, the secret key, the TLS key and certificate and
the speech cache 0600 (its folder 0700). Checked on files the real commands make, under an
ordinary umask (022), so the modes come from the code, not from the shell."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from meeting_room.app import create_app
from meeting_room.ops.tls import ensure_certificate
from meeting_room.store.migrate import upgrade
from meeting_room.store.storage import sqlite_url

ROOT = Path(__file__).resolve().parents[2]
YISHI = (sys.executable, "-m", "meeting_room.ops.cli")


def mode(path: Path) -> int:
    """The permission bits of ``path``."""
    return stat.S_IMODE(path.stat().st_mode)


def modes(folder: Path) -> dict[str, int]:
    """Each entry of ``folder`` (recursively), by its path inside it, with its permissions."""
    return {str(p.relative_to(folder)): mode(p) for p in sorted(folder.rglob("*"))}


@pytest.fixture(autouse=True)
def ordinary_umask() -> Iterator[None]:
    """What a shell usually gives (022): the modes checked come from Yishi, not the umask."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def yishi(instance: Path, *args: str) -> str:
    """Run the ``yishi`` command on ``instance``; its output (it must succeed)."""
    done = subprocess.run(
        [*YISHI, *args],
        cwd=ROOT,
        env={**os.environ, "YISHI_INSTANCE": str(instance)},
        capture_output=True,
        text=True,
        check=False,
        umask=0o022,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_new_box_keeps_its_database_backups_and_secret_key_to_its_own_account(
    tmp_path: Path,
) -> None:
    instance = tmp_path / "instance"

    yishi(instance, "init-db")
    yishi(instance, "backup")

    found = modes(instance)
    assert mode(instance) == 0o700
    (backup,) = [name for name in found if name.startswith("backups/")]
    assert found == {"secret_key": 0o600, "yishi.db": 0o600, "backups": 0o700, backup: 0o600}


def test_the_database_s_log_and_index_are_made_owner_only_while_the_server_writes(
    tmp_path: Path,
) -> None:
    database = tmp_path / "yishi.db"
    app = create_app(
        {"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": sqlite_url(database), "TTS": "fake"}
    )
    upgrade(sqlite_url(database))
    storage = app.extensions["yishi.storage"]
    with storage.engine.connect() as connection:  # the server's connections keep them open
        connection.exec_driver_sql("CREATE TABLE written (x)")
        connection.commit()
        companions = {p.name: mode(p) for p in tmp_path.glob("yishi.db-*")}
    storage.engine.dispose()

    assert companions == {"yishi.db-wal": 0o600, "yishi.db-shm": 0o600}
    assert mode(database) == 0o600 and mode(tmp_path) == 0o700


def test_a_box_set_up_before_gets_its_files_narrowed_at_the_next_start(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    database = instance / "yishi.db"
    upgrade(sqlite_url(database))
    (instance / "secret_key").write_text("an old box's key")
    for name in ("yishi.db", "yishi.db-wal", "yishi.db-shm", "secret_key"):
        (instance / name).touch()
        (instance / name).chmod(0o644)
    instance.chmod(0o755)

    app = create_app({"INSTANCE_PATH": str(instance), "TTS": "fake"})
    app.extensions["yishi.storage"].engine.dispose()

    assert mode(instance) == 0o700
    assert modes(instance) == dict.fromkeys(
        ["secret_key", "yishi.db", "yishi.db-shm", "yishi.db-wal"], 0o600
    )
    assert app.config["SECRET_KEY"] == "an old box's key"


def test_the_tls_key_and_certificate_are_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "instance"

    ensure_certificate(folder, ["192.0.2.10"], ("yishi-box",), datetime.now(UTC))

    assert mode(folder) == 0o700
    assert modes(folder) == {"tls-cert.pem": 0o600, "tls-key.pem": 0o600}


def test_the_speech_cache_is_owner_only(tmp_path: Path) -> None:
    from devices.tts import EspeakSpeaker

    cache = tmp_path / "tts"
    cache.mkdir(mode=0o755)
    cache.chmod(0o755)  # a cache made before it was private

    speaker = EspeakSpeaker(cache)
    made = speaker.wav("王静，签到成功")

    assert mode(cache) == 0o700
    assert modes(cache) == {made.name: 0o600, ".keyed": 0o600}  # the key's fingerprint too
