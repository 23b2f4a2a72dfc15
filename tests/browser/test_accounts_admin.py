"""The administrator makes a staff account on the accounts screen (CSRF on, as in the hall), hands
over the generated password, and the new person logs in with it; axe finds nothing to fix."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import ARTIFACTS, LiveServer
from tests.browser.test_accessibility import AXE_JS, RUN_AXE, WCAG_A_AA

pytestmark = pytest.mark.browser


def violations(page: Page) -> list[str]:
    """axe's WCAG A/AA findings on what the page shows now."""
    page.add_script_tag(path=str(AXE_JS))
    return [
        f"{rule['id']}: {node['target']} {node['summary']}"
        for rule in page.evaluate(RUN_AXE, WCAG_A_AA)
        for node in rule["nodes"]
    ]


def test_an_account_is_made_with_a_generated_password_that_logs_in(
    browser: Browser, context: BrowserContext, page: Page, live_server: LiveServer
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{live_server.url}/admin/accounts")
    expect(page.get_by_role("heading", name="账户管理", level=1)).to_be_visible()
    assert violations(page) == []

    page.get_by_label("用户名").fill("zhang")
    page.get_by_label("显示名称").fill("张会计")
    page.get_by_label("角色").select_option(label="记录员")
    page.get_by_role("button", name="创建并自动生成密码").click()
    expect(page.get_by_test_id("accounts-notice")).to_have_text("已创建账户 zhang。")
    shown = page.get_by_test_id("issued-value").inner_text()
    assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", shown), shown
    row = page.locator('tr[data-username="zhang"]')
    expect(row).to_contain_text("张会计")
    expect(row).to_contain_text("记录员")
    expect(row.locator('[data-field="state"]')).to_have_text("已启用")
    page.screenshot(path=str(ARTIFACTS / "accounts-admin-created.png"), full_page=True)
    assert violations(page) == []

    # Shown once: the page opened again does not have it.
    page.goto(f"{live_server.url}/admin/accounts")
    expect(page.locator('tr[data-username="zhang"]')).to_be_visible()
    assert shown not in page.content()

    # A refusal in words next to the form, and a reset form opened: still nothing for axe.
    page.get_by_label("用户名").fill("zhang")
    page.get_by_role("button", name="创建并自动生成密码").click()
    expect(page.get_by_test_id("create-error")).to_have_text("已经有名为 zhang 的账号。")
    page.locator('tr[data-username="clerk"] summary').click()
    page.screenshot(path=str(ARTIFACTS / "accounts-admin-refused.png"), full_page=True)
    assert violations(page) == []

    # The new clerk logs in, in a browser of their own.
    newcomer: BrowserContext = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="zh-CN"
    )
    try:
        login = newcomer.new_page()
        login.goto(f"{live_server.url}/login")
        login.get_by_label("用户名").fill("zhang")
        login.get_by_label("密码").fill(shown)
        login.get_by_role("button", name="登录").click()
        expect(login).to_have_url(re.compile(r"/clerk$"))
        expect(login.locator(".account-bar")).to_contain_text("已登录：zhang")
        expect(login.get_by_test_id("accounts-link")).to_have_count(0)  # not an administrator
    finally:
        newcomer.close()

    page.goto(f"{live_server.url}/admin/accounts?lang=en")
    expect(page.get_by_role("heading", name="Staff accounts", level=1)).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "accounts-admin-en.png"), full_page=True)
    assert violations(page) == []
