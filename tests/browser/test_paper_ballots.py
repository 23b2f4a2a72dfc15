"""Paper ballots in Debian's Chromium against the real server: the clerk prints the batch (the
PDF link), records a delivery, uploads a phone photo of a returned ballot and resolves its
disputed mark in the review queue; axe-clean in Chinese and English. Screenshots:
``test-artifacts/paper-*.png``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import select

from meeting_room.app import create_app
from meeting_room.assembly import service as assembly
from meeting_room.domain.assembly import MatterKind
from meeting_room.paper.snapshot import in_address_order
from meeting_room.store.models.assembly import ExclusiveUnit
from meeting_room.store.models.paper import PaperBallot
from meeting_room.store.storage import transaction
from tests.browser.conftest import ARTIFACTS, LiveServer, log_in
from tests.browser.test_accessibility import LANGS, Audit
from tests.support.ballot_scans import generate

pytestmark = pytest.mark.browser


def open_period(server: LiveServer) -> int:
    """A voting period of two matters opened on the live box's demo roster (set up through the
    service in this process, on the server's database: the screens are under test)."""
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(server.instance),
            "DATABASE_URL": f"sqlite:///{server.instance / 'yishi.db'}",
            "PRINTER": "fake",
            "TTS": "fake",
        }
    )
    with app.app_context():
        now = datetime.now(UTC)
        period = assembly.create_period(
            assembly.PeriodDraft(
                title="2026年第二次业主大会",
                opens_at=now - timedelta(minutes=1),
                closes_at=now + timedelta(days=14),
                matters=(
                    assembly.MatterIn("使用维修资金更换7栋电梯", MatterKind.FUND_USE),
                    assembly.MatterIn("选聘新的物业服务企业", MatterKind.PROPERTY_MANAGER),
                ),
            ),
            "clerk",
        )
        assembly.open_period(period, "clerk", assume_owners=True)
    app.extensions["yishi.storage"].engine.dispose()
    return period


def first_ballots(server: LiveServer, period: int, count: int = 2) -> list[tuple[str, str]]:
    """The serial and address of the first ``count`` units' printed ballots."""
    app = create_app(
        {"TESTING": True, "INSTANCE_PATH": str(server.instance),
         "DATABASE_URL": f"sqlite:///{server.instance / 'yishi.db'}", "PRINTER": "fake",
         "TTS": "fake"}
    )  # fmt: skip
    with app.app_context(), transaction() as s:
        units = in_address_order(
            s.scalars(select(ExclusiveUnit).where(ExclusiveUnit.period_id == period))
        )
        found = [
            (
                s.scalars(select(PaperBallot).where(PaperBallot.unit_id == u.id)).one().serial,
                u.address,
            )
            for u in units[:count]
        ]
    app.extensions["yishi.storage"].engine.dispose()
    return found


def clerk_on_paper(context: BrowserContext, server: LiveServer, audit: Audit) -> tuple[Page, int]:
    """A period opened, the clerk logged in on its paper ballots' page in ``audit``'s language."""
    period = open_period(server)
    log_in(context, "clerk")
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server.url}/clerk/assembly/{period}/ballots?lang={audit.lang}")
    return page, period


@pytest.mark.parametrize("lang", LANGS)
def test_print_deliver_upload_a_photo_and_resolve_a_disputed_mark(
    context: BrowserContext, live_server: LiveServer, lang: str
) -> None:
    server = live_server
    audit = Audit(lang)
    page, period = clerk_on_paper(context, server, audit)
    audit.check(page, "paper ballots")

    # Printing: the link gives the batch as a PDF (and gives every unit its serial).
    link = page.get_by_test_id("print-ballots")
    pdf = page.request.get(server.url + str(link.get_attribute("href")))
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    lists = page.request.get(
        server.url + str(page.get_by_test_id("print-deliveries").get_attribute("href"))
    )
    assert lists.body().startswith(b"%PDF")
    (serial, address), (other_serial, _) = first_ballots(server, period)
    page.reload()

    # Delivery: who, when, how; the row says it at once.
    row = page.locator(f'[data-testid="unit-row"][data-address="{address}"]')
    expect(row).to_contain_text(serial)
    row.locator('select[name="delivery"]').select_option("left")
    row.locator('input[name="delivered_by"]').fill("王志愿者")
    row.get_by_role("button").click()
    row = page.locator(f'[data-testid="unit-row"][data-address="{address}"]')
    expect(row).to_have_attribute("data-delivery", "left")
    expect(row.get_by_test_id("delivery-status")).to_contain_text("王志愿者")
    audit.check(page, "delivery recorded")
    page.screenshot(path=str(ARTIFACTS / f"paper-ballots-{audit.lang}.png"), full_page=True)

    # Two phone photos of returned ballots, sent one by one with progress: on the first,
    # matter 1 is marked twice and matter 2 ticked; on the second both matters are clear.
    disputed = generate(7001, kinds=("two", "tick_pen"), serial=serial, torn=False)
    clear = generate(7002, kinds=("tick_pen", "cross"), serial=other_serial, torn=False)
    page.get_by_test_id("scan-files").set_input_files(
        [
            {"name": "phone-1.jpg", "mimeType": "image/jpeg", "buffer": disputed.jpeg},
            {"name": "phone-2.jpg", "mimeType": "image/jpeg", "buffer": clear.jpeg},
        ]
    )
    page.get_by_test_id("scan-submit").click()
    expect(page.get_by_test_id("report-pages")).to_have_text("2")
    expect(page.get_by_test_id("paper-message").first).to_contain_text(serial)
    expect(page.get_by_test_id("report-marks-read")).to_have_text("3")
    expect(page.get_by_test_id("review-link")).to_contain_text("(1)")
    audit.check(page, "photo read")

    # The review queue: the row's image beside the unit; the clerk decides.
    page.get_by_test_id("review-link").click()
    item = page.get_by_test_id("review-item").first
    expect(item).to_contain_text(address)
    expect(item).to_have_attribute("data-decided", "false")
    crop = item.locator("img")
    expect(crop).to_be_visible()
    # Loaded, with pixels: the crop is a request of its own, cut from the scan on the server.
    crop.evaluate(
        "(img) => img.complete && img.naturalWidth > 0"
        " || new Promise((done, failed) => { img.onload = done; img.onerror = failed; })"
    )
    assert crop.evaluate("(img) => img.complete && img.naturalWidth > 0")
    audit.check(page, "review queue")
    page.screenshot(path=str(ARTIFACTS / f"paper-review-{audit.lang}.png"), full_page=True)
    item.get_by_test_id("decide-against").click()
    item = page.get_by_test_id("review-item").first
    expect(item).to_have_attribute("data-decided", "true")
    expect(item.get_by_test_id("review-decision")).to_contain_text("clerk")
    audit.check(page, "review decided")
    audit.assert_clean()
