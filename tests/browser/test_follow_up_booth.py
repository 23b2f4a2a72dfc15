"""Rating finished work and answering the hall's survey at the voting booth (/booth, while no
vote is open), in elder mode, once: the booth's answers are recorded with channel "booth".
axe-core clean in Chinese and English; screenshots under test-artifacts/follow-booth-*.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.conftest import ARTIFACTS, LiveServer, scan_burst
from tests.browser.test_accessibility import Audit
from tests.browser.test_follow_up import action, decision_on, hall_today
from tests.browser.test_kiosk import assert_elder_mode, screen
from tests.browser.test_reconnect import pair
from tests.browser.test_records_screen import records_scene

pytestmark = pytest.mark.browser


def test_a_resident_rates_finished_work_and_answers_the_survey_at_the_booth(
    context: BrowserContext, live_server: LiveServer
) -> None:
    server = live_server
    meeting, _poll, phone = records_scene(server)
    decision = decision_on(server, meeting)
    done = action(server, decision, "更换小区路灯", hall_today() + timedelta(days=10))
    server.api(f"/api/v1/actions/{done}", {"status": "done"}, method="PATCH")
    start = hall_today().replace(day=1)
    survey = server.api(
        "/api/v1/surveys",
        {
            "title": "议事厅满意度测评",
            "question": "您对本季度议事厅的工作满意吗？",
            "period_start": start.isoformat(),
            "period_end": (start + timedelta(days=27)).isoformat(),
            "open_days": 10,
            "by": "张记录",
        },
    )
    server.api(f"/api/v1/surveys/{survey['id']}/open", {})
    audits = {lang: Audit(lang) for lang in ("zh_CN", "en")}

    # The booth is a paired device of its own (no staff login), as in the hall.
    assert context.browser is not None
    device = context.browser.new_context(locale="zh-CN")
    device.add_cookies(
        [
            {
                "name": "yishi_device",
                "value": pair(server, "booth"),
                "domain": "127.0.0.1",
                "path": "/",
            }
        ]
    )
    booth = device.new_page()
    booth.set_viewport_size({"width": 1280, "height": 800})
    booth.goto(f"{server.url}/booth?meeting={meeting}&lang=zh_CN")
    expect(booth.get_by_test_id("booth-no-poll")).to_be_visible()
    booth.get_by_test_id("booth-rate-link").click()
    expect(booth.locator("html")).to_have_attribute("data-ready", "true")
    slip = server.url + phone  # 孙艳娜's sign-in slip under the booth's scanner
    scan_burst(booth, slip)
    screen(booth, "choose")
    box = booth.locator("[data-kind='survey']")
    expect(box).to_contain_text("议事厅满意度测评")
    box.get_by_role("button", name="4 满意").click()
    expect(box.get_by_role("button", name="4 满意")).to_have_attribute("aria-pressed", "true")
    assert_elder_mode(booth, "the survey at the booth")
    ARTIFACTS.mkdir(exist_ok=True)
    booth.screenshot(path=str(ARTIFACTS / "follow-booth-survey-elder-zh.png"), full_page=True)
    audits["zh_CN"].check(booth, "booth-survey")
    box.get_by_test_id("rate-send").click()
    message = booth.locator("[data-screen='choose'] [data-role='message']")
    expect(message).to_have_text("谢谢您，孙艳娜：您的测评答复已记录。")
    expect(box.locator(".rate-yours")).to_have_text("您的评价：4 / 5")

    work = booth.locator("[data-kind='action']").filter(has_text="更换小区路灯")
    work.get_by_role("button", name="5 很满意").click()
    work.get_by_test_id("rate-send").click()
    expect(message).to_have_text("谢谢您，孙艳娜：您对“更换小区路灯”的评价已记录。")
    expect(work).to_have_attribute("data-rated", "true")
    assert_elder_mode(booth, "the rated list at the booth")
    booth.screenshot(path=str(ARTIFACTS / "follow-booth-rated-elder-zh.png"), full_page=True)
    audits["zh_CN"].check(booth, "booth-rated")

    # Once each: back at the booth in English, both shown as given, and off.
    booth.get_by_test_id("rate-finish").click()
    booth.goto(f"{server.url}/booth?meeting={meeting}&lang=en")
    booth.get_by_test_id("booth-rate-link").click()
    expect(booth.locator("html")).to_have_attribute("data-ready", "true")
    scan_burst(booth, slip)
    screen(booth, "choose")
    expect(booth.locator("[data-kind='survey'] .rate-yours")).to_have_text("Your rating: 4 of 5")
    expect(work.locator(".rate-yours")).to_have_text("Your rating: 5 of 5")
    expect(work.get_by_role("button", name="2 Dissatisfied")).to_be_disabled()
    assert_elder_mode(booth, "the booth's list in English")
    booth.screenshot(path=str(ARTIFACTS / "follow-booth-rated-elder-en.png"), full_page=True)
    audits["en"].check(booth, "booth-rated")
    device.close()

    # Recorded as given at the booth.
    answers = server.api("/api/v1/surveys")["surveys"][0]
    assert (answers["count"], answers["by_channel"]) == (1, {"booth": 1})
    with sqlite3.connect(server.instance / "yishi.db") as db:
        rows = db.execute("SELECT stars, channel FROM action_ratings WHERE action_id = ?", (done,))
        assert rows.fetchall() == [(5, "booth")]
    for audit in audits.values():
        audit.assert_clean()
