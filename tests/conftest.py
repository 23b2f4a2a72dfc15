"""Fixtures shared by every test: a real SQLite file per test, the app, its clients, a clock."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from hypothesis import HealthCheck, settings
from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.access.accounts import STAFF_ROLES, create_account
from meeting_room.app import create_app
from meeting_room.attendance.roster import import_rows
from meeting_room.attendance.roster_io import read_roster_file
from meeting_room.domain.roster import validate_rows
from meeting_room.domain.words import MeetingStatus
from meeting_room.meetings import lifecycle
from meeting_room.meetings.meetings import MeetingDraft, create_meeting
from meeting_room.store import audit
from meeting_room.store.migrate import upgrade
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.storage import Storage, sqlite_url
from tests.pg import database_for_test
from tests.support import warm

warm.install()  # each test's app shares its routes' builders and compiled templates

# Property tests judge the rules, not the machine's speed: on a busy box (CI beside a second
# copy of the suite) one example may take seconds, which is no failure. No deadline, and no
# "too slow" health check; the number of examples stays Hypothesis's own.
settings.register_profile(
    "busy-box",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("busy-box")

ROOT = Path(__file__).resolve().parent.parent
# The template database has one account per role, named after it, all with this password.
PASSWORD = "correct horse battery staple"
DEMO_ROSTER = ROOT / "meeting_room" / "ops" / "demo" / "roster-demo.csv"
START = datetime(2026, 11, 21, 11, 0, tzinfo=UTC)  # 19:00 in the hall


def pytest_configure(config: pytest.Config) -> None:
    """Compile the catalogs, so a run straight after editing a .po file sees the change. Once,
    in the main process: pytest-xdist's workers would otherwise write the same .mo files at
    once, and one could read another's half-written catalog."""
    if hasattr(config, "workerinput"):
        return
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [str(ROOT / "scripts" / "i18n.sh"), "compile"],
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYBABEL": str(pybabel)},
        capture_output=True,
    )


# The order files are handed to the processes of `make test` (one file each at a time, pytest-
# xdist's loadfile, told with --no-loadscope-reorder to keep this order rather than its own,
# most tests first, which put the browser files of 1 to 3 long tests last): the long ones
# first, so that the run ends on the many short files of the unit tests, not on a browser scene
# left for last with the other processes idle.
RUN_FIRST = ("browser", "security", "robustness", "web/test_fuzz", "web", "cluster", "unit")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Long files first (``RUN_FIRST``); within a file, the order it was written in."""

    def rank(item: pytest.Item) -> int:
        where = item.path.relative_to(ROOT / "tests").as_posix()
        return next((n for n, start in enumerate(RUN_FIRST) if where.startswith(start)), 99)

    items.sort(key=rank)  # stable: each file's tests stay together and in order


@dataclass
class Clock:
    """A clock the tests move by hand (the app reads it through ``CLOCK``)."""

    now: datetime = field(default=START)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the time forward."""
        self.now += timedelta(seconds=seconds)


@pytest.fixture(scope="session")
def roster_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database holding the demo roster, made once and copied into each test."""
    path = tmp_path_factory.mktemp("template") / "roster.db"
    upgrade(sqlite_url(path))
    audit.install()  # as the app would: the roster's import is in the log (yishi verify)
    table = read_roster_file(DEMO_ROSTER)
    check = validate_rows(table.header, table.rows, this_year=START.year)
    assert check.ok, check.errors[:3]
    storage = Storage(sqlite_url(path))
    with storage.transaction() as session:
        import_rows(session, check.rows, DEMO_ROSTER.name, START)
        for role in STAFF_ROLES:
            create_account(session, role, PASSWORD, role, START)
    storage.engine.dispose()
    return path


@pytest.fixture
def clock() -> Clock:
    """The app's clock, starting at ``START``."""
    return Clock()


@pytest.fixture
def app(tmp_path: Path, roster_db: Path, clock: Clock) -> Iterator[Flask]:
    """The real app on its own SQLite file (with the demo roster), broadcasting at once."""
    database = tmp_path / "yishi.db"
    shutil.copy(roster_db, database)
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": database_for_test(roster_db, database),
            "SOCKETIO_ASYNC_MODE": "threading",
            "BROADCAST_DELAY": 0,
            "PRINTER": "fake",
            "TTS": "fake",
            "CLOCK": clock,
            "PUBLIC_BASE_URL": "http://192.0.2.10:5000",
            # The browser tests run with CSRF on (the real pages send the token); here the
            # test clients post without it, except in the tests of CSRF itself.
            "WTF_CSRF_ENABLED": False,
        }
    )
    yield app
    app.extensions["yishi.storage"].engine.dispose()


@contextmanager
def unit(app: Flask) -> Iterator[Session]:
    """A committed unit of work on the app's database, in its app context."""
    with app.app_context(), app.extensions["yishi.storage"].transaction() as session:
        yield session


def logged_in(app: Flask, role: str = "admin") -> FlaskClient:
    """A test client holding the session of the template's account for ``role``."""
    from meeting_room.store.models.access import StaffAccount

    with app.app_context(), app.extensions["yishi.storage"].transaction() as session:
        account = session.scalars(select(StaffAccount).where(StaffAccount.username == role)).one()
        account_id, epoch = account.id, account.password_changed_at.isoformat()
    client = app.test_client()
    with client.session_transaction() as data:
        data["account"] = account_id
        data["epoch"] = epoch
    return client


def paired(app: Flask, kind: str) -> FlaskClient:
    """A test client of a freshly paired device of ``kind`` (kiosk, projector, booth)."""
    from meeting_room.access.devices import issue_device
    from meeting_room.clock import now

    with app.app_context(), app.extensions["yishi.storage"].transaction() as session:
        credential = issue_device(session, kind, f"test {kind}", now=now())
    client = app.test_client()
    client.set_cookie("yishi_device", credential)
    return client


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client logged in as the administrator (who may use every staff and device view)."""
    return logged_in(app, "admin")


@pytest.fixture
def stranger(app: Flask) -> FlaskClient:
    """A test client with no account and no paired device."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A runner of the app's ``yishi`` commands."""
    return app.test_cli_runner()


def opened(session: Session, meeting: Meeting, now: datetime) -> Meeting:
    """Post and open ``meeting`` as the clerk and the moderator would (without quorum,
    confirmed): the shared fixtures run items and polls, which only an open meeting allows."""
    lifecycle.move(session, meeting, MeetingStatus.ANNOUNCED, "clerk", now)
    lifecycle.open_meeting(session, meeting, "moderator", now, confirmed=True)
    return meeting


def open_now(app: Flask, meeting_id: int) -> None:
    """Post and open a meeting made another way (the API, a command), at the app's time."""
    with unit(app) as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        opened(session, meeting, app.config["CLOCK"]())


def owners_meeting(app: Flask, clock: Clock, open_it: bool = True) -> Meeting:
    """An owners' meeting (业主, 业委会 eligible) with a 2/3 headcount and 2/3 area quorum,
    open unless ``open_it`` is false (then a draft: ``draft_meeting``)."""
    from meeting_room.domain.words import MemberGroup

    with app.app_context(), app.extensions["yishi.storage"].transaction() as session:
        made = create_meeting(
            session,
            MeetingDraft(
                title="7栋加装电梯业主大会",
                starts_at=clock.now + timedelta(minutes=30),
                venue="幸福里社区议事厅",
                eligible_groups=(MemberGroup.OWNER, MemberGroup.OWNERS_COMMITTEE),
                quorum_headcount="2/3",
                quorum_area="2/3",
            ),
            clock.now,
        )
        return opened(session, made, clock.now) if open_it else made


@pytest.fixture
def meeting(app: Flask, clock: Clock) -> Meeting:
    """An owners' meeting, open (see ``owners_meeting``)."""
    return owners_meeting(app, clock)


@pytest.fixture
def draft_meeting(app: Flask, clock: Clock) -> Meeting:
    """The same owners' meeting in draft: neither posted nor open."""
    return owners_meeting(app, clock, open_it=False)
