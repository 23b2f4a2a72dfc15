"""Browser tests: the real server (gevent) in a subprocess, Debian's Chromium through Playwright.

A failing test leaves a screenshot of every open page in ``test-artifacts/``.
"""

from __future__ import annotations

import atexit
import http.cookiejar
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

from tests.browser.forkserver import ForkedServer, Zygote

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
# Debian's Chromium in its headless shell (package chromium-headless-shell: the same Blink
# without the desktop browser around it, as Playwright itself runs headless). Measured on 16
# tests: its processes took 40% less CPU than /usr/bin/chromium --headless, the suite's largest
# cost. YISHI_TEST_CHROMIUM=/usr/bin/chromium runs the tests in the full browser.
HEADLESS_SHELL = "/usr/bin/chromium-headless-shell"
CHROMIUM = os.environ.get("YISHI_TEST_CHROMIUM") or (
    HEADLESS_SHELL if os.access(HEADLESS_SHELL, os.X_OK) else "/usr/bin/chromium"
)
# Assertions wait for what the page shows; 5 s (Playwright's default) was too short on a busy
# box (the suite beside a second copy of itself). A failure guard: each wait ends at the sight.
expect.set_options(timeout=20_000)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Renderers share memory through files in /tmp, not /dev/shm: a container's /dev/shm can be
    # 64 MB, and a page that outgrows it crashes ("Page crashed", seen once in CI).
    "--disable-dev-shm-usage",
]

pytestmark = pytest.mark.browser

# Every live server of the browser tests shares this secret and gets the same staff accounts
# (admin first, so id 1), so one signed session cookie logs a browser in on any of them.
SECRET = "browser-tests-only-secret"
EPOCH = datetime(2026, 11, 21, 11, 0, tzinfo=UTC)
STAFF_IDS = {"admin": 1, "moderator": 2, "clerk": 3}


def ensure_accounts(instance: Path) -> dict[str, int]:
    """The staff accounts (one per role, password tests.conftest.PASSWORD) in a server's DB."""
    from sqlalchemy import select

    from meeting_room.access.accounts import STAFF_ROLES, create_account, set_password
    from meeting_room.store import audit
    from meeting_room.store.models.access import StaffAccount
    from meeting_room.store.storage import Storage, sqlite_url
    from tests.conftest import PASSWORD

    audit.install()  # as the app would: a password set here is in the log (yishi verify)
    storage = Storage(sqlite_url(instance / "yishi.db"))
    ids = {}
    try:
        with storage.transaction() as session:
            for role in STAFF_ROLES:
                found = session.scalar(select(StaffAccount).where(StaffAccount.username == role))
                if found is None:
                    found = create_account(session, role, PASSWORD, role, EPOCH)
                else:  # the demo's account, made by `yishi run` with a random password
                    set_password(found, PASSWORD, EPOCH)
                ids[role] = found.id
    finally:
        storage.engine.dispose()
    return ids


def import_demo_roster(instance: Path) -> None:
    """The shipped demo roster into a server's stopped database, as ``yishi run`` loads it into
    an empty box (``ops.demo_commands.load_demo``: the same file, now, in the audit log)."""
    from meeting_room.attendance.roster import import_rows
    from meeting_room.attendance.roster_io import read_roster_file
    from meeting_room.domain.roster import validate_rows
    from meeting_room.ops.demo_commands import DEMO_ROSTER
    from meeting_room.store import audit
    from meeting_room.store.storage import Storage, sqlite_url

    audit.install()
    moment = datetime.now(UTC)
    table = read_roster_file(DEMO_ROSTER)
    check = validate_rows(table.header, table.rows, this_year=moment.year)
    assert check.ok, check.errors[:3]
    storage = Storage(sqlite_url(instance / "yishi.db"))
    try:
        with storage.transaction() as session:
            import_rows(session, check.rows, DEMO_ROSTER.name, moment)
    finally:
        storage.engine.dispose()


# What a new box's folder holds once ``yishi run`` has migrated it and made the staff accounts
# (``ensure_accounts``), with the demo roster or without: made once per test process, copied
# into each server's empty instance folder (its own copy: no test sees another's writes).
# Migrating, hashing six passwords and importing the roster cost each server start 3 s of CPU.
# The demo meeting is not in it: each server posts its own at its start, at the real time.
# The secret key and the server's log are not copied (each box makes its own).
TEMPLATE_FILES = ("yishi.db", "demo-accounts.txt")
_templates: dict[bool, Path] = {}


def instance_template(demo: bool) -> Path:
    """The folder of the template (see ``TEMPLATE_FILES``), made at its first use."""
    if demo not in _templates:
        folder = Path(tempfile.mkdtemp(prefix="yishi-template-"))
        atexit.register(shutil.rmtree, folder, True)
        if demo:
            seed(instance_template(False), folder)
            import_demo_roster(folder)
        else:
            LiveServer(folder, demo=False, template=False).stop()
        with sqlite3.connect(folder / "yishi.db") as db:  # everything in the file itself
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _templates[demo] = folder
    return _templates[demo]


def seed(template: Path, instance: Path) -> None:
    """Copy the template's files into ``instance`` (made if missing)."""
    instance.mkdir(parents=True, exist_ok=True)
    for name in TEMPLATE_FILES:
        if (template / name).exists():
            shutil.copy2(template / name, instance / name)


def session_cookie(account_id: int) -> str:
    """The signed Flask session of a logged-in account (as the server would set it)."""
    from flask import Flask
    from flask.sessions import SecureCookieSessionInterface

    signer = Flask("cookie")
    signer.secret_key = SECRET
    serializer = SecureCookieSessionInterface().get_signing_serializer(signer)
    assert serializer is not None
    # With its CSRF secret already in it: pages of one context opened at once share one token.
    data = {"account": account_id, "epoch": EPOCH.isoformat(), "csrf_token": "0" * 40}
    return str(serializer.dumps(data))


def session_csrf_header() -> dict[str, str]:
    """The CSRF header matching the session of ``log_in`` (for direct API calls of a test)."""
    from itsdangerous import URLSafeTimedSerializer

    token = URLSafeTimedSerializer(SECRET, salt="wtf-csrf-token").dumps("0" * 40)
    return {"X-CSRFToken": str(token)}


def csrf_token(page: Page) -> str:
    """The CSRF token of the page's session (what static/js/http.js sends)."""
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    assert token
    return token


def module(path: str) -> str:
    """A JS expression for the page's own ES module static/js/``path`` (``import()`` gives the
    instance the page runs), for the async functions given to ``page.evaluate``."""
    return f'(await import("/static/js/{path}"))'


def expose(page: Page, path: str, name: str) -> None:
    """``window[name]``: that export of the page's module static/js/``path``, for the checks of
    ``wait_for_function`` (which cannot wait for an import). Again after each reload."""
    page.evaluate(f"async () => {{ window[{name!r}] = {module(path)}[{name!r}]; }}")


def wait_joined(page: Page, timeout: float | None = None) -> None:
    """Wait until every live connection of the page has joined its meeting (static/js/live.js)."""
    expose(page, "live.js", "connections")
    page.wait_for_function(
        "() => connections.length > 0 && connections.every((c) => c.joined())", timeout=timeout
    )


def log_in(context: BrowserContext, role: str = "admin") -> None:
    """Put the session of the account of ``role`` into a browser context (any live server)."""
    context.add_cookies(
        [
            {
                "name": "session",
                "value": session_cookie(STAFF_IDS[role]),
                "domain": "127.0.0.1",
                "path": "/",
            }
        ]
    )


def scan_burst(page: Page, code: str) -> None:
    """A USB scanner's burst and its Enter (static/kiosk/scanner.js), dispatched in one go inside
    the page: keystrokes typed from the test can arrive further apart than a scanner's on a busy
    machine, and a burst split in two reads as no card at all."""
    page.evaluate(
        """(code) => {
          for (const key of [...code, "Enter"]) {
            document.body.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true }));
          }
        }""",
        code,
    )


def free_port() -> int:
    """A TCP port free on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LiveServer:
    """``yishi run`` on 127.0.0.1 with its own instance folder (demo roster and meeting; with
    ``demo=False``, ``yishi run --no-demo``: an empty box, only the staff accounts).

    An instance folder without a database starts as a copy of the process's template
    (``instance_template``): what the first start would have made there, made once; with
    ``template=False`` the server makes it all itself (migrations, accounts, roster)."""

    def __init__(
        self,
        instance: Path,
        extra_env: dict[str, str] | None = None,
        prefix: list[str] | None = None,  # e.g. prlimit's, to start as a stock service would
        open_meeting: bool = True,
        demo: bool = True,
        template: bool = True,
    ) -> None:
        seeded = template and not (instance / "yishi.db").exists()
        if seeded:
            seed(instance_template(demo), instance)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.instance = instance
        env = {
            **os.environ,
            "YISHI_INSTANCE": str(instance),
            "YISHI_PUBLIC_BASE_URL": self.url,
            "YISHI_SECRET_KEY": SECRET,
            # The real clock runs here: no quarter's survey made by itself unless a test asks,
            # and no backup by the box's own scheduler (its first would come a minute after the
            # start, in the middle of a long test) unless a test sets the round.
            "YISHI_SURVEY_PERIODIC": "false",
            "YISHI_BACKUP_ROUND_SECONDS": "86400",
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
        self.log = (instance / "server.log").open("w")
        arguments = [
            "run",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            *([] if demo else ["--no-demo"]),
        ]
        self.process: subprocess.Popen[bytes] | ForkedServer
        if prefix or os.environ.get("YISHI_TEST_FORK") == "0":
            self.process = subprocess.Popen(
                [*(prefix or []), sys.executable, "-m", "meeting_room.ops.cli", *arguments],
                cwd=ROOT,
                env=env,
                stdout=self.log,
                stderr=subprocess.STDOUT,
            )
        else:  # the same command, forked from an interpreter that has loaded its modules
            self.process = Zygote.start_server(arguments, env, ROOT, instance / "server.log")
        self.wait_ready()
        # A seeded box has the accounts of ``ensure_accounts`` already (the template's).
        self.accounts = dict(STAFF_IDS) if seeded else ensure_accounts(instance)
        assert self.accounts == STAFF_IDS, self.accounts
        if open_meeting and demo:
            self.open_demo_meeting()

    def open_demo_meeting(self) -> None:
        """Open the demo meeting (posted by the demo) as the moderator would, without quorum,
        confirmed: the screens' tests run items and polls, which only an open meeting allows.
        ``LiveServer(..., open_meeting=False)`` keeps it posted (tests of the meeting's life)."""
        meeting = self.api("/api/v1/meetings")["meetings"][0]
        if meeting["status"] == "announced":
            self.api(f"/api/v1/meetings/{meeting['id']}/open", {"confirm_without_quorum": True})

    def opener(self, role: str = "admin") -> urllib.request.OpenerDirector:
        """A urllib opener logged in as ``role`` that sends the CSRF token on every call."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        cookie = http.cookiejar.Cookie(
            0, "session", session_cookie(self.accounts[role]), None, False, "127.0.0.1", False,
            False, "/", True, False, None, True, None, None, {},
        )  # fmt: skip
        jar.set_cookie(cookie)
        with opener.open(f"{self.url}/login", timeout=60) as page:
            token = re.search(r'name="csrf-token" content="([^"]+)"', page.read().decode())
        assert token is not None
        opener.addheaders = [("X-CSRFToken", token.group(1))]
        return opener

    def api(
        self, path: str, body: Any = None, method: str | None = None, role: str = "admin"
    ) -> Any:
        """Call the JSON API as staff (to set a scene); raises HTTPError on a refusal."""
        request = urllib.request.Request(
            self.url + path,
            method=method or ("POST" if body is not None else "GET"),
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json", "Accept-Language": "zh-CN"},
        )
        with self.opener(role).open(request, timeout=60) as response:
            return json.load(response)

    def wait_ready(self, timeout: float = 240) -> None:
        """Return once the API answers; fail with the server's output otherwise. The bounds are
        failure guards for a busy box (the suite beside a second copy of itself): the first
        request builds the API's spec, which took over 2 s there; the loop ends at the answer."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.url}/api/v1/openapi.json", timeout=30):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("server did not start:\n" + (self.instance / "server.log").read_text())

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL)."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.log.close()


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """A fresh server with the demo loaded."""
    server = LiveServer(tmp_path)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """Playwright's driver."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless (never a downloaded browser)."""
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def context(browser: Browser, request: pytest.FixtureRequest) -> Iterator[BrowserContext]:
    """A clean browser profile, logged in as the administrator (who may open every screen);
    on failure every page it opened is saved as a screenshot."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    log_in(ctx)
    yield ctx
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        for number, page in enumerate(ctx.pages):
            name = f"{request.node.name}-{number}.png"
            try:
                page.screenshot(path=str(ARTIFACTS / name), full_page=True)
            except Exception as error:  # a crashed page must not hide the test's own failure
                print(f"screenshot {name} failed: {error}")
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    """A tab."""
    return context.new_page()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Iterator[None]:
    """Keep each phase's report on the test item, for the screenshot-on-failure fixture."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
