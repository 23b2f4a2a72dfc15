"""The administrator's health page: each fact, the clocks compared (the browser sends its
time), setting the box's clock through the clock device (faked: never this machine's clock),
audited; the backup settings and "back up now"; the audit chain's check cached by the app's
clock."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from devices.system_clock import FakeSystemClock
from meeting_room.store.audit import verify_log
from meeting_room.store.backups import backup_status
from meeting_room.store.models.audit import AuditEntry
from meeting_room.store.storage import sqlite_file
from tests.conftest import Clock, logged_in, unit
from tests.pg import server_url

SQLITE_ONLY = pytest.mark.skipif(
    server_url() is not None, reason="reads, backs up or edits the SQLite file"
)


def millis(clock: Clock, offset: timedelta = timedelta(0)) -> int:
    return int((clock.now + offset).timestamp() * 1000)


def system_clock(app: Flask) -> FakeSystemClock:
    fake = app.extensions["yishi.devices"].clock
    assert isinstance(fake, FakeSystemClock)
    return fake


def test_only_the_administrator_sees_the_box_health(app: Flask, client: FlaskClient) -> None:
    page = client.get("/admin/health?lang=en")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for heading in ("Box health", "Clock", "Backups", "Disk space left", "Database size"):
        assert heading in text
    assert "Connected phones" in text and "Speech waiting to be made" in text
    assert logged_in(app, "clerk").get("/admin/health").status_code == 403
    assert logged_in(app, "clerk").get("/admin/health.json").status_code == 403
    assert app.test_client().get("/admin/health.json").status_code in (302, 401)


@SQLITE_ONLY
def test_the_json_has_every_fact(app: Flask, client: FlaskClient, clock: Clock) -> None:
    facts = client.get("/admin/health.json").get_json()
    assert facts["disk"]["free_bytes"] > 0
    database = sqlite_file(app.config["DATABASE_URL"])
    assert database is not None
    assert facts["database_bytes"] >= database.stat().st_size
    assert facts["chain"]["intact"] is True and facts["chain"]["entries"] > 0
    assert set(facts["speech_waiting"]) == {"room", "read_aloud"}
    assert set(facts["screens"]) == {"projector", "kiosk", "booth"}
    assert facts["phones"] == 0
    assert facts["backups"]["warnings"] == ["none_yet"]
    assert facts["clock_offset_seconds"] is None  # no browser time given


def test_the_browsers_clock_against_the_boxs(client: FlaskClient, clock: Clock) -> None:
    near = client.get(f"/admin/health.json?browser={millis(clock, timedelta(minutes=-2))}")
    assert near.get_json()["clock_offset_seconds"] == 120.0
    assert near.get_json()["clock_off"] is False
    far = client.get(f"/admin/health.json?browser={millis(clock, timedelta(minutes=3))}")
    facts = far.get_json()
    assert facts["clock_offset_seconds"] == -180.0 and facts["clock_off"] is True
    assert "clock_off" in facts["warnings"]
    nonsense = client.get("/admin/health.json?browser=12").get_json()
    assert nonsense["clock_offset_seconds"] is None


def test_setting_the_boxs_clock_is_done_by_the_device_and_audited(
    app: Flask, client: FlaskClient, clock: Clock
) -> None:
    wanted = millis(clock, timedelta(minutes=7))
    answer = client.post("/admin/health/clock", json={"browser": wanted})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert [int(m.timestamp() * 1000) for m in system_clock(app).set_to] == [wanted]
    with unit(app) as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert entry is not None and entry.kind == "box.clock"
        assert '"by":1' in entry.detail and clock.now.isoformat() in entry.detail
        assert verify_log(session) is None


def test_a_clock_the_box_may_not_set_is_refused_in_words(
    app: Flask, client: FlaskClient, clock: Clock
) -> None:
    system_clock(app).refuse = "date: cannot set date: Operation not permitted"
    answer = client.post("/admin/health/clock?lang=en", json={"browser": millis(clock)})
    assert answer.status_code == 503
    message = answer.get_json()["error"]["message"]
    assert message.startswith("The box's clock could not be set:")
    assert "Operation not permitted" in message
    assert client.post("/admin/health/clock", json={"browser": "soon"}).status_code == 422
    assert client.post("/admin/health/clock", data="x").status_code == 422


@SQLITE_ONLY
def test_backup_settings_are_checked_saved_and_audited(
    app: Flask, client: FlaskClient, clock: Clock, tmp_path: Path
) -> None:
    bad = client.post("/admin/health/backup-settings?lang=en", data={"folder": "usb", "keep": "5"})
    assert bad.status_code == 422
    assert "Give the folder as a full path" in bad.get_data(as_text=True)
    zero = client.post("/admin/health/backup-settings", data={"folder": "", "keep": "0"})
    assert zero.status_code == 422
    stick = tmp_path / "stick"
    stick.mkdir()
    saved = client.post("/admin/health/backup-settings", data={"folder": str(stick), "keep": "3"})
    assert saved.status_code == 200
    assert "Backup settings saved." in saved.get_data(as_text=True)
    with app.app_context():
        status = backup_status(clock.now)
    assert status.setup.folder == stick and status.setup.keep == 3 and status.setup.chosen
    with unit(app) as session:
        kinds = session.scalars(select(AuditEntry.kind).order_by(AuditEntry.seq.desc())).first()
        assert kinds == "box_settings.insert"

    made = client.post("/admin/health/backup")
    assert made.status_code == 200
    assert "Backup written and verified" in made.get_data(as_text=True)
    assert len(list(stick.glob("yishi-*-manual.db"))) == 1
    shutil.rmtree(stick)  # the USB stick pulled out
    failed = client.post("/admin/health/backup")
    assert failed.status_code == 500
    assert "The backup failed" in failed.get_data(as_text=True)
    page = client.get("/admin/health").get_data(as_text=True)
    assert 'data-warning="folder_missing"' in page and 'data-ok="false"' in page


@SQLITE_ONLY
def test_the_chain_is_checked_at_most_every_ten_minutes(
    app: Flask, client: FlaskClient, clock: Clock
) -> None:
    assert client.get("/admin/health.json").get_json()["chain"]["intact"] is True
    database = sqlite_file(app.config["DATABASE_URL"])
    assert database is not None
    with sqlite3.connect(database) as db:  # a forger edits the log behind the app's back
        db.execute("UPDATE audit_log SET detail = '{}' WHERE seq = 2")
    clock.advance(9 * 60)
    assert client.get("/admin/health.json").get_json()["chain"]["intact"] is True  # cached
    clock.advance(60)
    chain = client.get("/admin/health.json").get_json()["chain"]
    assert chain["intact"] is False and chain["broken_seq"] == 2
    page = client.get("/admin/health?lang=en").get_data(as_text=True)
    assert "The audit log is broken" in page
