"""What the wall and the minutes say of a count, in Debian's Chromium against the real server: a
tie at the last place of a K-of-N poll (9/9/9/8 for two places), and a share of exactly 2/3
written with its fraction. Saved as ``test-artifacts/counting-*.png``.
"""

from __future__ import annotations

import csv
import re
import urllib.parse
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import ARTIFACTS, LiveServer
from tests.browser.test_floor import sign_in
from tests.browser.test_projector_clerk import OVERFLOWING, api, demo_meeting, open_projector
from tests.browser.test_voting import open_page

pytestmark = pytest.mark.browser

ROSTER = Path(__file__).resolve().parents[2] / "meeting_room" / "ops" / "demo" / "roster-demo.csv"


def shot(page: Page, name: str) -> None:
    """Save the screen as test-artifacts/counting-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"counting-{name}.png"))


def sign_in_owners(server: LiveServer, meeting: int, count: int) -> list[int]:
    """Sign in the first ``count`` owners of the demo roster (by the clerk); their ids."""
    with ROSTER.open(encoding="utf-8-sig") as source:
        rows = [row for row in csv.DictReader(source) if row["group"] == "业主"][:count]
    ids = []
    for row in rows:
        found = api(server, f"/api/v1/members?q={row['room']}")["members"]
        (member,) = [m for m in found if m["name"] == row["name"]]
        api(server, f"/api/v1/meetings/{meeting}/sign-in", {"member_id": member["id"],
            "phone_tail": row["phone_tail"]})  # fmt: skip
        ids.append(int(member["id"]))
    return ids


def hold(
    server: LiveServer, meeting: int, draft: dict[str, object], votes: list[tuple[int, list[str]]]
) -> int:
    poll = api(server, f"/api/v1/meetings/{meeting}/polls", draft)
    api(server, f"/api/v1/polls/{poll['id']}/open", {})
    for member_id, choices in votes:
        api(server, f"/api/v1/polls/{poll['id']}/assisted",
            {"member_id": member_id, "choices": choices, "helper": "王记录"})  # fmt: skip
    api(server, f"/api/v1/polls/{poll['id']}/close", {})
    return int(poll["id"])


def test_the_wall_says_a_tie_for_the_last_places_and_an_exact_two_thirds(
    context: BrowserContext, live_server: LiveServer
) -> None:
    server = live_server
    meeting = demo_meeting(server)
    people = sign_in_owners(server, meeting, 36)
    projector = open_projector(context, server)

    # Four candidates for two places: 9, 9, 9 and 8 votes.
    picks = "甲" * 9 + "乙" * 9 + "丙" * 9 + "丁" * 8
    tie_poll = hold(
        server,
        meeting,
        {
            "question": "推选两名楼栋长",
            "kind": "choice",
            "options": ["甲", "乙", "丙", "丁"],
            "max_choices": 2,
        },
        [(m, [o]) for m, o in zip(people, picks, strict=False)],
    )
    verdict = projector.get_by_test_id("poll-verdict")
    expect(verdict).to_contain_text("平票：甲、乙、丙（由会议决定）")
    explanation = projector.get_by_test_id("poll-explanation")
    expect(explanation).to_contain_text("最后2个名额出现平票：甲、乙、丙，各得9 票。")
    expect(explanation).to_contain_text(
        "可对平票选项再行表决（决选），或按主持人在表决前宣布的规则处理"
    )
    expect(projector.locator(".wall")).not_to_contain_text("得票最多")
    assert not projector.evaluate(OVERFLOWING), "the wall scrolls sideways"
    shot(projector, "projector-tie-1920x1080")

    # The minutes say the same.
    api(server, f"/api/v1/polls/{tie_poll}/publish", {})
    minutes = context.new_page()
    minutes.set_viewport_size({"width": 1000, "height": 1200})
    minutes.goto(f"{server.url}/board/meetings/{meeting}/minutes")
    expect(minutes.locator("body")).to_contain_text("平票：甲、乙、丙（由会议决定）")
    expect(minutes.locator("body")).to_contain_text("决选")
    minutes.get_by_text("推选两名楼栋长").first.scroll_into_view_if_needed()
    shot(minutes, "minutes-tie")

    # Two thirds of the 36 present, exactly: "24/36 (66.67%) ≥ 2/3", never a bare 66.7 %.
    hold(
        server,
        meeting,
        {"question": "是否同意调整保洁时间？", "rule": "two_thirds_present"},
        [(m, ["for" if i < 24 else "against"]) for i, m in enumerate(people)],
    )
    expect(verdict).to_have_attribute("data-passed", "true")
    expect(explanation).to_have_text("通过：同意人数占比 24/36（66.67%）≥ 2/3")
    expect(projector.locator('.bar[data-option="for"]')).to_contain_text("24 票 · 66.67%")
    shot(projector, "projector-exact-1920x1080")


def test_a_phone_shows_the_later_vote_that_counts_under_its_receipt(
    context: BrowserContext, live_server: LiveServer
) -> None:
    server = live_server
    meeting = demo_meeting(server)
    phone_path = sign_in(server, "孙艳娜", "6851")
    member = api(server, f"/api/v1/members?q={urllib.parse.quote('孙艳娜')}")["members"][0]
    poll = api(
        server,
        f"/api/v1/meetings/{meeting}/polls",
        {"question": "是否同意更换单元门禁？", "secret": False},
    )
    api(server, f"/api/v1/polls/{poll['id']}/open", {})
    phone = open_page(context, server.url + phone_path, 360, 640)
    ballot = phone.get_by_test_id("ballot")
    ballot.get_by_role("button", name=re.compile("^反对 — ")).click()
    ballot.get_by_role("button", name="确认投票").click()
    receipt = ballot.get_by_test_id("receipt")
    expect(receipt).to_be_visible()
    code = receipt.get_attribute("data-receipt")
    # Then she asks the clerk to record 赞成 for her: that later vote counts, and her phone says so.
    api(server, f"/api/v1/polls/{poll['id']}/assisted",
        {"member_id": member["id"], "choices": ["for"], "helper": "王记录"})  # fmt: skip
    note = ballot.get_by_test_id("ballot-counted-by")
    expect(note).to_have_text(
        "您之后的一票（由工作人员代填）已替代这一票：计票以那一票为准，回执码不变。"
    )
    expect(ballot).to_contain_text("您的选择：赞成")
    expect(receipt).to_have_attribute("data-receipt", code or "")
    assert not phone.evaluate(OVERFLOWING), "the phone page scrolls sideways"
    shot(phone, "phone-counted-by-360x640")
    api(server, f"/api/v1/polls/{poll['id']}/close", {})
    line = ballot.get_by_test_id("ballot-receipt-line")
    expect(line).to_contain_text("您的选择：赞成")
    expect(ballot.get_by_test_id("ballot-result-counted-by")).to_be_visible()
    shot(phone, "phone-counted-by-result-360x640")
