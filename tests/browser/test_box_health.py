"""The administrator opens the box's health page: the browser's clock is 10 minutes ahead of the
box's, the page says so and sets the box's clock to the browser's (the clock device faked: never
this machine's clock), audited; a backup is made by hand and listed as verified. axe finds
nothing to fix in Chinese or English; screenshots of both."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS, LiveServer
from tests.browser.test_accounts_admin import violations

pytestmark = pytest.mark.browser


@pytest.fixture
def box(tmp_path: Path) -> Iterator[LiveServer]:
    """A live server whose clock device is the recording fake."""
    server = LiveServer(tmp_path, extra_env={"YISHI_SYSTEM_CLOCK": "fake"})
    yield server
    server.stop()


def test_the_health_page_warns_of_a_wrong_clock_and_sets_it(page: Page, box: LiveServer) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    started = datetime.now(UTC)
    browser_time = started + timedelta(minutes=10)
    page.clock.set_system_time(browser_time)
    page.goto(f"{box.url}/clerk")
    line = page.get_by_test_id("backup-line")
    expect(line).to_have_text("尚未进行过备份。请告知管理员（主机状态页）。")
    line.screenshot(path=str(ARTIFACTS / "box-clerk-backup-warning-zh.png"))
    page.get_by_test_id("health-link").click()
    expect(page.get_by_role("heading", name="主机状态", level=1)).to_be_visible()

    clock = page.get_by_test_id("health-clock")
    expect(clock).to_have_attribute("data-off", "true")
    # 10 minutes less the request's time in flight (up to 9 s on a busy box still reads 9.9)
    expect(clock.locator('[data-field="clock-result"]')).to_contain_text(
        re.compile("主机时钟比本浏览器慢 (10\\.0|9\\.9) 分钟")
    )
    warnings = page.get_by_test_id("health-warnings")
    expect(warnings.locator('[data-warning="clock_off"]')).to_have_text(
        "主机时钟与本浏览器的时钟相差超过 2 分钟。"
    )
    assert violations(page) == []
    page.screenshot(path=str(ARTIFACTS / "box-health-zh.png"), full_page=True)

    page.get_by_role("button", name="将主机时钟设为本浏览器的时间").click()
    expect(clock).to_have_attribute("data-set", "true")
    expect(clock.locator('[data-field="clock-result"]')).to_contain_text("主机时钟已设为")
    expect(warnings.locator('[data-warning="clock_off"]')).to_have_count(0)
    with sqlite3.connect(box.instance / "yishi.db") as db:
        (kind, detail) = db.execute(
            "SELECT kind, detail FROM audit_log ORDER BY seq DESC LIMIT 1"
        ).fetchone()
    assert kind == "box.clock"
    # The browser's time at the click: its clock runs on from browser_time, so the box was set
    # to a moment between browser_time and browser_time + the time the test has taken since.
    set_to = datetime.fromisoformat(json.loads(detail)["to"])
    assert (
        browser_time - timedelta(seconds=1)
        <= set_to
        <= browser_time + (datetime.now(UTC) - started) + timedelta(seconds=1)
    )

    page.get_by_role("button", name="立即备份").click()
    expect(page.get_by_test_id("health-notice")).to_contain_text("备份已写入并核验")
    expect(page.get_by_test_id("backup-runs").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("backup-runs")).to_contain_text("已核验")

    page.goto(f"{box.url}/admin/health?lang=en")
    expect(page.get_by_role("heading", name="Box health", level=1)).to_be_visible()
    expect(clock.locator('[data-field="clock-result"]')).to_contain_text(
        "minutes behind this browser"
    )
    expect(page.get_by_test_id("health-box")).to_contain_text("Connected phones")
    assert violations(page) == []
    page.screenshot(path=str(ARTIFACTS / "box-health-en.png"), full_page=True)

    page.goto(f"{box.url}/clerk")
    expect(page.get_by_test_id("backup-line")).to_contain_text("Last good backup:")
    expect(page.get_by_test_id("backup-line")).to_have_attribute("data-warnings", "")
    page.screenshot(path=str(ARTIFACTS / "box-clerk-backup-line.png"))


def test_the_running_server_backs_itself_up_without_being_asked(tmp_path: Path) -> None:
    """The scheduler is started by ``yishi run`` itself: a fresh box makes its first daily
    backup one round after it starts (a round of half a second here, a minute in a hall)."""
    server = LiveServer(tmp_path, extra_env={"YISHI_BACKUP_ROUND_SECONDS": "0.5"})
    try:
        # Waits for the backup's record, written once the copy is made and verified (the file
        # alone appears first). A failure guard: the wait ends at the sight.
        deadline = time.monotonic() + 120
        run = None
        while run is None and time.monotonic() < deadline:
            with closing(sqlite3.connect(f"file:{tmp_path / 'yishi.db'}?mode=ro", uri=True)) as db:
                run = db.execute("SELECT ok, audit_entries FROM backup_runs").fetchone()
            if run is None:
                time.sleep(0.2)
        assert run is not None, "no backup was recorded"
        ok, entries = run
        assert ok == 1 and entries > 0
        assert len(list((tmp_path / "backups").glob("yishi-*-daily.db"))) == 1
    finally:
        server.stop()
