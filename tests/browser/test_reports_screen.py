"""The reports screen in Debian's Chromium against the real server: the quarter's charts and
tables (axe-clean in Chinese and English), a figure opened to the meeting behind it, the PDF
downloaded and rendered to an image, the credit settings turned on and the member's own credit
on their phone (elder mode) and at the kiosk with a slip. Screenshots: test-artifacts/reports-*.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import ARTIFACTS, LiveServer, scan_burst
from tests.browser.test_accessibility import Audit
from tests.browser.test_kiosk import assert_elder_mode, screen, tap
from tests.browser.test_records_screen import records_scene

pytestmark = pytest.mark.browser


def shot(page: Page, name: str) -> None:
    """Save the screen as test-artifacts/reports-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"reports-{name}.png"), full_page=True)


def test_the_quarters_report_shows_charts_tables_and_what_lies_behind_a_figure(
    context: BrowserContext, live_server: LiveServer
) -> None:
    server = live_server
    meeting, _poll, _phone = records_scene(server)
    audits = {lang: Audit(lang) for lang in ("zh_CN", "en")}
    page = context.new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{server.url}/clerk/reports?lang=zh_CN")
    report = page.get_by_test_id("reports")
    expect(report).to_have_attribute("data-period", re.compile(r"^\d{4}-q[1-4]$"))
    targets = page.get_by_test_id("table-targets")
    participation = targets.locator("tr[data-figure='participation']")
    eligible = int(participation.get_attribute("data-whole") or "0")
    took_part = int(participation.get_attribute("data-part") or "0")
    assert eligible > 0 and took_part >= 12  # the 12 owners signed in (孙艳娜 if eligible)
    expect(participation.locator("td").nth(1)).to_have_text(f"{took_part * 100 / eligible:.1f}%")
    expect(targets.locator("tr[data-figure='meetings'] td").first).to_have_text("1")
    expect(page.get_by_test_id("figure-by-meeting").locator(".report-bar")).to_have_count(1)
    shot(page, "screen-zh")
    audits["zh_CN"].check(page, "reports")

    targets.get_by_role("link", name="参与率", exact=True).click()
    behind = page.get_by_test_id("behind-table")
    expect(behind).to_contain_text(f"{took_part} / {eligible}")
    expect(behind.get_by_role("link")).to_have_count(1)
    shot(page, "behind-participation-zh")
    audits["zh_CN"].check(page, "reports-behind")
    behind.get_by_role("link").click()
    expect(page).to_have_url(f"{server.url}/clerk/records/{meeting}")

    page.goto(f"{server.url}/clerk/reports?lang=en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reports")
    page.get_by_label("Report for").select_option("year")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("reports")).to_have_attribute("data-period", re.compile(r"^\d{4}$"))
    shot(page, "screen-year-en")
    audits["en"].check(page, "reports-year")
    with page.expect_download() as download:
        page.get_by_test_id("report-pdf").click()
    pdf = ARTIFACTS / "reports-year.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-f",
                "1",
                "-l",
                "1",
                str(pdf),
                str(ARTIFACTS / "reports-pdf"),
            ],
            check=True,
        )
    with page.expect_download() as workbook:
        page.get_by_test_id("report-xlsx").click()
    assert workbook.value.suggested_filename.endswith(".xlsx")
    # What lies behind a figure, in English too.
    targets = page.get_by_test_id("table-targets")
    targets.locator("tr[data-figure='participation']").get_by_role("link").first.click()
    behind = page.get_by_test_id("behind-table")
    expect(behind).to_contain_text(" / ")
    shot(page, "behind-participation-en")
    audits["en"].check(page, "reports-behind")
    for audit in audits.values():
        audit.assert_clean()


def test_credit_is_the_members_own_on_their_phone_and_on_a_kiosk_slip(
    context: BrowserContext, live_server: LiveServer
) -> None:
    server = live_server
    meeting, _poll, phone_path = records_scene(server)
    audits = {lang: Audit(lang) for lang in ("zh_CN", "en")}
    phone = context.new_page()
    phone.set_viewport_size({"width": 412, "height": 915})
    phone.goto(f"{server.url}{phone_path}?lang=zh_CN")
    expect(phone.get_by_test_id("phone-name")).to_have_text("孙艳娜")
    expect(phone.get_by_test_id("credit")).to_have_count(0)  # off by default

    staff = context.new_page()
    staff.set_viewport_size({"width": 1366, "height": 900})
    staff.goto(f"{server.url}/clerk/credits?lang=zh_CN")
    expect(staff.get_by_test_id("credit-settings")).to_have_attribute("data-enabled", "false")
    staff.get_by_test_id("credit-enabled").check()
    staff.get_by_test_id("points-sign_in").fill("5")
    staff.get_by_test_id("credit-save").click()
    expect(staff.get_by_test_id("credit-message")).to_have_text("积分已启用。")
    expect(staff.get_by_test_id("credit-settings")).to_have_attribute("data-enabled", "true")
    shot(staff, "credit-settings-zh")
    audits["zh_CN"].check(staff, "credit-settings")
    staff.goto(f"{server.url}/clerk/credits?lang=en")
    audits["en"].check(staff, "credit-settings")

    phone.reload()
    credit = phone.get_by_test_id("credit")
    expect(credit).to_have_attribute("data-total", "5")  # signed in once, 5 points
    expect(credit.locator("tr[data-deed='sign_in'] td").first).to_have_text("1")
    credit.scroll_into_view_if_needed()
    credit.screenshot(path=str(ARTIFACTS / "reports-phone-credit-zh.png"))
    audits["zh_CN"].check(phone, "phone-credit")
    phone.goto(f"{server.url}{phone_path}?lang=en")
    credit = phone.get_by_test_id("credit")
    expect(credit).to_have_attribute("data-total", "5")
    credit.scroll_into_view_if_needed()
    credit.screenshot(path=str(ARTIFACTS / "reports-phone-credit-en.png"))
    lines = credit.locator("thead th").evaluate_all(
        """cells => cells.map(cell => {
          const range = document.createRange();
          range.selectNodeContents(cell);
          return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
        })"""
    )
    assert lines[1:] == [1, 1], lines  # "Times", "Points": each on one line, unbroken
    audits["en"].check(phone, "phone-credit")

    kiosk = context.new_page()
    kiosk.set_viewport_size({"width": 1280, "height": 800})
    kiosk.goto(f"{server.url}/kiosk/rate?meeting={meeting}&lang=zh_CN")
    expect(kiosk.locator("html")).to_have_attribute("data-ready", "true")
    scan_burst(kiosk, "YISHI:M00002")
    screen(kiosk, "tail")
    tap(kiosk, "tail", "6851")
    screen(kiosk, "choose")
    box = kiosk.get_by_test_id("kiosk-credit")
    expect(box.locator("[data-role='credit-total']")).to_have_text("5")
    assert_elder_mode(kiosk, "the kiosk's credit")
    shot(kiosk, "kiosk-credit-zh")
    audits["zh_CN"].check(kiosk, "kiosk-credit")
    with kiosk.expect_response(f"{server.url}/kiosk/credit/slip") as slip:
        box.get_by_test_id("credit-slip").click()
    assert slip.value.ok and slip.value.headers["content-type"] == "application/pdf"
    expect(box.locator("[data-role='print-status']")).to_have_text("积分单已打印。")
    kiosk.get_by_test_id("rate-finish").click()
    screen(kiosk, "start")
    expect(kiosk.locator("iframe.slip-frame")).to_have_count(0)  # the next person finds none
    for audit in audits.values():
        audit.assert_clean()
