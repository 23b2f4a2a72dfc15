"""The paper ballots' second look in Debian's Chromium against the real server: the clerk counts
with the box's camera (its frames played from files made of generated ballots, ``YISHI_CAMERA=
fake:<folder>``: the only fake, for the camera itself), follows it live; types the printed serial
of a page whose QR code is stained; and changes a value read, with a reason. axe-clean in
Chinese and English. Screenshots: ``test-artifacts/paper-camera-*.png``,
``paper-serial-*.png``, ``paper-dispute-*.png``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from devices import ballot_layout as layout
from tests.browser.conftest import ARTIFACTS, LiveServer
from tests.browser.test_accessibility import LANGS, Audit
from tests.browser.test_paper_ballots import clerk_on_paper, first_ballots
from tests.support.ballot_scans import generate
from tests.support.camera_frames import jittered, moving, photo, session, table, write_frames

pytestmark = pytest.mark.browser


@pytest.fixture
def camera_server(tmp_path: Path) -> Iterator[LiveServer]:
    """A server whose camera plays the image files of ``tmp_path/frames`` (written later)."""
    server = LiveServer(tmp_path, extra_env={"YISHI_CAMERA": f"fake:{tmp_path / 'frames'}"})
    yield server
    server.stop()


@pytest.mark.parametrize("lang", LANGS)
def test_count_with_the_camera_type_a_serial_and_change_a_value_read(
    context: BrowserContext, camera_server: LiveServer, lang: str
) -> None:
    server = camera_server
    audit = Audit(lang)
    page, period = clerk_on_paper(context, server, audit)
    base = f"{server.url}/clerk/assembly/{period}"
    page.request.get(server.url + str(page.get_by_test_id("print-ballots").get_attribute("href")))
    (serial, address), (other_serial, other_address), (third, _) = first_ballots(server, period, 3)

    # The camera's session: page 1 slid in, held still and left there, page 2 swapped in, the
    # table empty, then page 1 put back (counted already: refused, as a photo would be).
    first = photo(8201, kinds=("tick_pen", "cross"), serial=serial, torn=False)
    second = photo(8202, kinds=("two", "fill"), serial=other_serial, torn=False)
    frames = session(first, second)
    frames += [moving(first, -200), *(jittered(first, 300 + n) for n in range(5)), table(first)]
    write_frames(server.instance / "frames", frames)

    page.get_by_test_id("camera-link").click()
    camera = page.get_by_test_id("camera")
    expect(camera).to_have_attribute("data-status", "stopped")
    audit.check(page, "camera stopped")
    page.get_by_test_id("camera-start").click()
    expect(page.get_by_test_id("tally-pages")).to_have_text("3", timeout=60_000)
    expect(camera).to_have_attribute("data-status", "no_page", timeout=30_000)
    expect(page.get_by_test_id("tally-counted")).to_have_text("2")
    expect(page.get_by_test_id("tally-marks")).to_have_text("3")  # 2 + 1, one mark to review
    expect(page.get_by_test_id("tally-review")).to_have_text("1")
    expect(page.get_by_test_id("tally-refused")).to_have_text("1")
    last = page.get_by_test_id("camera-last")
    expect(last).to_have_attribute("data-result", "twice")
    expect(last).to_contain_text(address)
    preview = page.get_by_test_id("camera-preview")
    expect(preview).to_be_visible()
    shown(page, "[data-testid=camera-preview]")
    audit.check(page, "camera counted")
    page.screenshot(path=str(ARTIFACTS / f"paper-camera-{audit.lang}.png"), full_page=True)
    page.get_by_test_id("camera-stop").click()
    expect(camera).to_have_attribute("data-running", "false")
    expect(page.get_by_test_id("camera-start")).to_be_visible()
    # Who counted with the camera, and when: its start and its stop, in the audit log.
    assert camera_log(server) == [
        {"camera": "on", "device": f"fake:{server.instance / 'frames'}", "by": "clerk"},
        {"camera": "off", "device": f"fake:{server.instance / 'frames'}", "by": "clerk"},
    ]

    # A page whose QR code is stained: its markers are found, the clerk types the serial.
    page.get_by_test_id("paper-link").click()
    stained = generate(8203, kinds=("cross", "tick_pen"), serial=third, torn=False, stained_qr=True)
    page.get_by_test_id("scan-files").set_input_files(
        [{"name": "stained.jpg", "mimeType": "image/jpeg", "buffer": stained.jpeg}]
    )
    page.get_by_test_id("scan-submit").click()
    expect(page.get_by_test_id("paper-message").first).to_have_attribute("data-kind", "refused")
    page.get_by_test_id("review-link").click()
    unread = page.get_by_test_id("unread-item").first
    expect(unread).to_have_attribute("data-unread", "no_serial")
    audit.check(page, "serial to type")
    page.screenshot(path=str(ARTIFACTS / f"paper-serial-{audit.lang}.png"), full_page=True)
    printed_line = layout.printed_serial(stained.serial)
    unread.get_by_test_id("serial-input").fill(printed_line[:-1] + wrong_check(printed_line))
    unread.get_by_test_id("serial-submit").click()
    expect(page.get_by_test_id("paper-message").first).to_have_attribute("data-kind", "refused")
    page.get_by_test_id("unread-item").first.get_by_test_id("serial-input").fill(printed_line)
    page.get_by_test_id("unread-item").first.get_by_test_id("serial-submit").click()
    message = page.get_by_test_id("paper-message").first
    expect(message).to_have_attribute("data-kind", "done")
    expect(message).to_contain_text(stained.serial)
    expect(page.get_by_test_id("unread-item")).to_have_count(0)
    audit.check(page, "serial typed")

    # A value the reader read, changed by the clerk with a reason.
    page.goto(f"{base}/ballots#scans")
    page.locator(f'[data-testid="scan-page-link"]:text("{other_address}")').first.click()
    matter = page.get_by_test_id("page-matter").nth(1)  # "fill": read by itself
    before = matter.get_attribute("data-counted")
    assert before in ("for", "against", "abstain")
    crop = matter.locator("img")
    expect(crop).to_be_visible()
    shown(page, "[data-testid=page-matter] img")
    audit.check(page, "page read")
    matter.locator("summary").click()
    changed = next(c for c in ("for", "against", "abstain") if c != before)
    matter.get_by_test_id("dispute-decision").select_option(changed)
    matter.get_by_test_id("dispute-reason").fill("复核原票：涂满的是另一个框")
    matter.get_by_test_id("dispute-submit").click()
    expect(page.get_by_test_id("paper-message").first).to_have_attribute("data-kind", "done")
    matter = page.get_by_test_id("page-matter").nth(1)
    expect(matter).to_have_attribute("data-counted", changed)
    expect(matter.get_by_test_id("matter-dispute")).to_contain_text("复核原票")
    expect(matter.get_by_test_id("matter-dispute")).to_contain_text("clerk")
    audit.check(page, "value changed")
    page.screenshot(path=str(ARTIFACTS / f"paper-dispute-{audit.lang}.png"), full_page=True)
    audit.assert_clean()


def camera_log(server: LiveServer) -> list[dict[str, str]]:
    """The camera's starts and stops in the box's audit log, oldest first."""
    with sqlite3.connect(f"file:{server.instance / 'yishi.db'}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT detail FROM audit_log WHERE kind = 'paper.camera' ORDER BY seq")
        return [json.loads(detail) for (detail,) in rows]


def shown(page: Page, selector: str) -> None:
    """Wait until every image ``selector`` finds has loaded and has pixels."""
    page.wait_for_function(
        "(s) => [...document.querySelectorAll(s)].every((i) => i.complete && i.naturalWidth > 0)",
        arg=selector,
    )


def wrong_check(line: str) -> str:
    """A check character other than ``line``'s."""
    return next(c for c in layout.SERIAL_ALPHABET if c != line[-1])
