"""The paper ballots' images are part of every backup: the scheduled backup copies them beside
the database copy and checks each against the SHA-256 the copy records (a missing or changed
image fails the run, in words); the administrator's download is then a zip of both."""

from __future__ import annotations

import hashlib
import io
import sqlite3
import zipfile
from pathlib import Path

import pytest
from flask import Flask

from meeting_room.ops.backup_schedule import run_due_backups
from meeting_room.store.backup import SCANS, BackupError, verify_copy
from meeting_room.store.backups import save_backup_setup
from tests.conftest import Clock, logged_in
from tests.pg import server_url
from tests.web.assembly.test_paper import photo, printed, upload
from tests.web.assembly.test_period import opened

pytestmark = pytest.mark.skipif(
    server_url() is not None, reason="backs up the SQLite file (PostgreSQL's are pg_dump's)"
)


def scanned(app: Flask, clock: Clock) -> bytes:
    """One paper ballot scanned and counted; the photo's bytes."""
    period_id, _, units = opened(app, clock)
    client = logged_in(app, "clerk")
    serials = printed(app, client, period_id)
    jpeg, _ = photo(serials[units[0]], ("tick_pen", "cross"))
    upload(client, period_id, ("ballot.jpg", jpeg))
    return jpeg


def scans_of(copy: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(copy) as db:
        return db.execute("SELECT sha256, image_path FROM ballot_scans").fetchall()


def test_a_scanned_ballots_image_is_in_the_backup_and_matches_the_database(
    app: Flask, clock: Clock, tmp_path: Path
) -> None:
    jpeg = scanned(app, clock)
    stick = tmp_path / "usb"
    stick.mkdir()
    with app.app_context():
        save_backup_setup(str(stick), 3, clock.now)
    run = run_due_backups(app)
    assert run is not None and run.ok, run and run.error
    ((digest, name),) = scans_of(Path(run.path))
    image = stick / SCANS / name
    assert digest == hashlib.sha256(jpeg).hexdigest()
    assert hashlib.sha256(image.read_bytes()).hexdigest() == digest
    assert image.stat().st_mode & 0o077 == 0

    # Verification reads every image: a changed or missing one is refused in words.
    image.write_bytes(jpeg + b"changed")
    with pytest.raises(BackupError, match="is not the one scanned"):
        verify_copy(Path(run.path))
    image.unlink()
    with pytest.raises(BackupError, match="is missing"):
        verify_copy(Path(run.path))


def test_the_administrators_download_is_a_zip_of_the_database_and_its_ballot_images(
    app: Flask, clock: Clock, tmp_path: Path
) -> None:
    jpeg = scanned(app, clock)
    answer = logged_in(app, "admin").post("/admin/backup")
    assert answer.status_code == 200 and answer.mimetype == "application/zip"
    bundle = zipfile.ZipFile(io.BytesIO(answer.data))
    answer.close()
    (db_name,) = [n for n in bundle.namelist() if n.endswith(".db")]
    copy = tmp_path / db_name
    copy.write_bytes(bundle.read(db_name))
    ((digest, name),) = scans_of(copy)
    assert hashlib.sha256(bundle.read(f"{SCANS}/{name}")).hexdigest() == digest
    assert digest == hashlib.sha256(jpeg).hexdigest()
    bundle.extractall(tmp_path)
    assert verify_copy(copy) > 0  # the unpacked zip is a checked backup as it stands
