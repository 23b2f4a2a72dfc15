"""Logging in and pairing, as staff and a new kiosk see them (with CSRF on, as in the hall)."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ARTIFACTS, LiveServer, log_in, wait_joined
from tests.conftest import PASSWORD


def shot(page: Page, name: str) -> None:
    """Save the screen as test-artifacts/access-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"access-{name}.png"))


def test_the_clerk_pairs_a_new_kiosk_with_a_code_and_revokes_it(
    browser: Browser, live_server: LiveServer
) -> None:
    desk_context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    kiosk_context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    try:
        # The clerk logs in through the form (wrong password first).
        desk = desk_context.new_page()
        desk.goto(f"{live_server.url}/clerk")
        expect(desk).to_have_url(re.compile(r"/login\?next=/clerk$"))
        desk.get_by_label("用户名").fill("clerk")
        desk.get_by_label("密码").fill("not the password")
        desk.get_by_role("button", name="登录").click()
        expect(desk.locator(".access-error")).to_have_text("用户名或密码不对。")
        shot(desk, "login-refused")
        desk.get_by_label("密码").fill(PASSWORD)
        desk.get_by_role("button", name="登录").click()
        expect(desk).to_have_url(re.compile(r"/clerk$"))
        expect(desk.locator(".account-bar")).to_contain_text("已登录：clerk")

        # A new screen at the door is not paired: it asks for a code.
        kiosk = kiosk_context.new_page()
        kiosk.goto(f"{live_server.url}/kiosk")
        expect(kiosk.get_by_role("heading", name="配对这块屏幕")).to_be_visible()
        shot(kiosk, "pair-page")

        wait_joined(desk)  # the desk's modules are running: the view buttons answer a click
        desk.get_by_test_id("view-devices").click()
        desk.get_by_label("设备名称").fill("大厅签到机")
        desk.get_by_role("button", name="生成配对码").click()
        code = desk.get_by_test_id("pair-code").locator("[data-field=code]")
        expect(code).to_have_text(re.compile(r"^\d{6}$"))
        shot(desk, "pair-code")

        kiosk.get_by_label("配对码（6 位数字）").fill(code.inner_text())
        kiosk.get_by_role("button", name="配对").click()
        expect(kiosk.locator("#kiosk[data-ready='true']")).to_be_attached()

        desk.reload()
        wait_joined(desk)
        desk.get_by_test_id("view-devices").click()
        row = desk.get_by_test_id("device-rows").locator("tr", has_text="大厅签到机")
        expect(row).to_contain_text("签到机")
        shot(desk, "devices")
        desk.once("dialog", lambda dialog: dialog.accept())
        row.get_by_role("button", name="撤销 大厅签到机").click()
        expect(row).to_contain_text("已撤销")

        kiosk.reload()
        expect(kiosk.get_by_role("heading", name="配对这块屏幕")).to_be_visible()
    finally:
        desk_context.close()
        kiosk_context.close()


def test_a_moderator_account_cannot_open_the_clerk_desk(
    browser: Browser, live_server: LiveServer
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    try:
        log_in(context, "moderator")
        page = context.new_page()
        page.goto(f"{live_server.url}/clerk")
        expect(page.locator("main.error-page h1")).to_have_text(
            "您的账号或设备不能做这件事。需要：记录员、管理员。"
        )
        expect(page.get_by_role("link", name="换一个账号登录")).to_have_attribute(
            "href", "/login?next=/clerk"
        )
        page.goto(f"{live_server.url}/moderator")
        expect(page.locator(".account-bar")).to_contain_text("moderator")
        page.get_by_role("button", name="退出登录").click()
        expect(page).to_have_url(re.compile(r"/login$"))
        page.goto(f"{live_server.url}/moderator")
        expect(page).to_have_url(re.compile(r"/login\?next=/moderator$"))
    finally:
        context.close()
