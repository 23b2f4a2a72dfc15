"""The voting period live, in Debian's Chromium against the real server: the committee's view
of /clerk/assembly/<id> follows a ballot entered at the office on another screen without a
reload (over /clerk, event ``period``), and an owner whose unit already voted at the office
hears it on their phone the moment they tap in the room's named vote put to that matter (in
elder mode; the ballot is kept; the phone still says it after a reload, in English too; axe
clean in both).

Screenshots: ``test-artifacts/assembly-live-*.png``.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.browser.conftest import ARTIFACTS, LiveServer, log_in, wait_joined
from tests.browser.test_accessibility import Audit, visit
from tests.browser.test_assembly_period import (
    QUESTION,
    office_ballot,
    open_assumed,
    put_to_room,
    set_up,
)
from tests.browser.test_floor import api, sign_in
from tests.browser.test_projector_clerk import demo_meeting

pytestmark = pytest.mark.browser


def test_the_committee_view_follows_the_office_live_and_a_voter_hears_their_unit_voted(
    context: BrowserContext, browser: Browser, live_server: LiveServer
) -> None:
    server = live_server
    ARTIFACTS.mkdir(exist_ok=True)
    log_in(context, "clerk")
    desk = context.new_page()
    desk.set_viewport_size({"width": 1280, "height": 900})
    set_up(desk, server)
    open_assumed(desk)
    watching = context.new_page()  # the committee's view, left open on another screen
    watching.set_viewport_size({"width": 1280, "height": 900})
    watching.goto(desk.url.split("#")[0])
    wait_joined(watching)
    watching.evaluate("window.stillTheSamePage = true")
    expect(watching.get_by_test_id("turnout-heads")).to_contain_text("0 / ")

    office_ballot(desk, "1栋1单元202", "for", "against")  # 孙艳娜's unit, at the office
    expect(desk.locator(".prep-done")).to_contain_text("1栋1单元202")
    expect(watching.get_by_test_id("turnout-heads")).to_contain_text("1 / ")
    expect(watching.get_by_test_id("by-channel")).to_contain_text("办公室")
    assert watching.evaluate("window.stillTheSamePage") is True  # no reload
    watching.screenshot(path=str(ARTIFACTS / "assembly-live-desk.png"), full_page=True)

    meeting = demo_meeting(server)
    poll = api(
        server,
        f"/api/v1/meetings/{meeting}/polls",
        {
            "question": QUESTION,
            "rule": "art278_ordinary:fund_use",
            "eligibility": "owners",
            "secret": False,
        },
    )
    put_to_room(desk, int(poll["id"]))
    phone_path = sign_in(server, "孙艳娜", "6851")  # 1栋1单元202
    api(server, f"/api/v1/polls/{poll['id']}/open", {})
    residents = browser.new_context(locale="zh-CN")
    phone = residents.new_page()
    phone.set_viewport_size({"width": 360, "height": 640})
    phone.goto(server.url + phone_path)
    ballot = phone.get_by_test_id("ballot")
    ballot.get_by_test_id("elder-mode").click()
    ballot.get_by_role("button", name=re.compile("^反对 — ")).click()
    ballot.get_by_role("button", name="确认投票").click()
    expect(ballot.get_by_test_id("receipt")).to_be_visible()
    note = ballot.get_by_test_id("ballot-unit-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("您家（1栋1单元202）已在社区办公室就本事项投过票")
    expect(note).to_contain_text("两张选票都已保存")
    size = note.evaluate("(node) => parseFloat(getComputedStyle(node).fontSize)")
    assert size >= 24  # elder mode
    note.scroll_into_view_if_needed()
    phone.screenshot(path=str(ARTIFACTS / "assembly-live-phone-elder.png"), full_page=True)
    zh = Audit("zh_CN")
    zh.check(phone, "phone, the unit had voted")
    zh.assert_clean()
    # The phone keeps what it was told: after a reload, in English too.
    en = Audit("en")
    visit(phone, server, phone_path, "en")
    wait_joined(phone)
    expect(note).to_contain_text("Your home (1栋1单元202) has already voted on this matter")
    en.check(phone, "phone, the unit had voted")
    en.assert_clean()
    residents.close()
