"""What a screen reader meets (issue 19), read from Chromium's own accessibility tree (CDP
``Accessibility.getFullAXTree``), not from the page's markup: the phone announces a poll
opening (politely), the attendee's turn to speak (assertively) and their ballot received
(politely, with the receipt code), and every option's accessible name says which motion it
answers. Then every chart on the wall has the same figures as a table: the poll's result by
headcount and by floor area, and the speaking statistics of a finished item.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import ARTIFACTS, LiveServer, wait_joined
from tests.browser.test_accessibility import add_hand_any
from tests.browser.test_floor import sign_in
from tests.browser.test_projector_clerk import api, demo_meeting
from tests.browser.test_voting import open_page

pytestmark = pytest.mark.browser

QUESTION = "是否同意在地下车库加装充电桩？"
ITEM = "地下车库充电桩"
BARS = """(field) => [...document.querySelectorAll(`[data-field="${field}"] .bar`)].map((bar) => [
  bar.querySelector(".bar-label").textContent, bar.querySelector(".bar-value").textContent,
])"""
TABLE = """(field) => {
  const table = document.querySelector(`table.figures-table[data-figures-of="${field}"]`);
  if (!table) return null;
  return {
    caption: table.caption ? table.caption.textContent : "",
    heads: [...table.tHead.rows[0].cells].map((cell) => cell.textContent),
    rows: [...table.tBodies[0].rows].map((row) => [...row.cells].map((cell) => cell.textContent)),
    hidden: document.querySelector(`[data-field="${field}"]`).getAttribute("aria-hidden"),
  };
}"""


def accessibility_tree(page: Page) -> list[dict[str, Any]]:
    """Chromium's accessibility tree of the page, as assistive technology gets it."""
    cdp = page.context.new_cdp_session(page)
    try:
        nodes: list[dict[str, Any]] = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    return nodes


def live_regions(page: Page) -> list[tuple[str, str]]:
    """Each live region of the tree: (politeness, the text it holds now)."""
    nodes = accessibility_tree(page)
    by_id = {node["nodeId"]: node for node in nodes}

    def text(node: dict[str, Any]) -> str:
        if node.get("role", {}).get("value") == "StaticText":
            return str(node.get("name", {}).get("value", ""))
        return "".join(text(by_id[child]) for child in node.get("childIds", []) if child in by_id)

    regions = []
    for node in nodes:
        props = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
        if props.get("live") in ("polite", "assertive") and not node.get("ignored"):
            regions.append((str(props["live"]), text(node)))
    return regions


def announced(page: Page, politeness: str, words: str) -> None:
    """Wait until a live region of ``politeness`` in the accessibility tree says ``words``."""
    for _ in range(200):
        if any(live == politeness and words in said for live, said in live_regions(page)):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never announced ({politeness}): {words!r}; {live_regions(page)}")


def button_names(page: Page) -> list[str]:
    """The accessible names of the buttons in the tree."""
    return [
        str(node.get("name", {}).get("value", ""))
        for node in accessibility_tree(page)
        if node.get("role", {}).get("value") == "button" and not node.get("ignored")
    ]


def figures(page: Page, field: str) -> dict[str, Any]:
    """A chart's bars and its table, which must say the same."""
    bars = page.evaluate(BARS, field)
    table = page.evaluate(TABLE, field)
    assert table is not None, f"the chart {field} has no table"
    assert bars, f"the chart {field} is empty"
    assert table["rows"] == bars, f"the table of {field} differs from its chart"
    assert table["hidden"] == "true"  # the bars are not read as well
    assert table["caption"] and all(table["heads"])
    return dict(table)


def test_phone_announces_poll_turn_and_receipt_and_charts_have_tables(
    live_server: LiveServer, context: BrowserContext
) -> None:
    server = live_server
    meeting = demo_meeting(server)
    phone_path = sign_in(server, "孙艳娜", "6851")
    sign_in(server, "邱秀德", "3657")
    phone = open_page(context, server.url + phone_path, 360, 640)
    projector = open_page(context, server.url + "/projector", 1920, 1080)
    console = context.new_page()
    console.goto(f"{server.url}/moderator")
    wait_joined(console)

    # A poll opens: said politely, with its question; each option names its motion.
    poll = api(
        server,
        f"/api/v1/meetings/{meeting}/polls",
        {"question": QUESTION, "rule": "art278_ordinary", "eligibility": "owners"},
    )
    api(server, f"/api/v1/polls/{poll['id']}/open", {})
    announced(phone, "polite", f"表决开始：{QUESTION}")
    names = button_names(phone)
    for option in ("赞成", "反对", "弃权"):
        assert f"{option} — 议题：{QUESTION}" in names, names
    ballot = phone.get_by_test_id("ballot")
    ballot.get_by_role("button", name=f"赞成 — 议题：{QUESTION}", exact=True).click()
    ballot.get_by_role("button", name="确认投票").click()
    receipt = ballot.get_by_test_id("receipt")
    expect(receipt).to_be_visible()
    code = receipt.get_attribute("data-receipt") or ""
    assert len(code) == 8
    # Received: said politely, the code sign by sign (a reader says "3F7K" as a word).
    announced(phone, "polite", "已收到您的选票。回执码 " + " ".join(code))
    assert not any(live == "assertive" and said for live, said in live_regions(phone))

    # The wall's result: each chart (headcount, floor area) has its table, the same figures.
    api(server, f"/api/v1/polls/{poll['id']}/close", {})
    expect(projector.get_by_test_id("poll-verdict")).not_to_have_text("")
    shown = api(server, f"/api/v1/meetings/{meeting}/polls")["polls"]
    result = next(p for p in shown if p["id"] == poll["id"])["result"]
    headcount = figures(projector, "bars-headcount")
    area = figures(projector, "bars-area")
    assert headcount["caption"] == "按人数" and area["caption"] == "按专有部分面积"
    tally = result["tallies"]["for"]
    assert headcount["rows"][0][0] == "赞成"
    assert headcount["rows"][0][1] == f"{tally['headcount']} 票 · {tally['percent_headcount']}%"
    assert headcount["rows"][0][1].startswith("1 ")
    assert area["rows"][0][1] == f"{tally['area']} 平方米 · {tally['percent_area']}%"
    ARTIFACTS.mkdir(exist_ok=True)
    projector.screenshot(path=str(ARTIFACTS / "figures-poll-result.png"))

    # Their turn to speak: said assertively, with the item.
    console.bring_to_front()
    console.locator("#add-item input[name='title']").fill(ITEM)
    console.locator("#add-item button[type='submit']").click()
    item = console.locator(".agenda-item", has_text=ITEM)
    item.locator("[data-action='start']").click()
    # The demo's quorum is far off: the console asks first, and the start is confirmed.
    console.get_by_test_id("confirm-dialog").get_by_role("button", name="是，开始").click()
    expect(console.get_by_test_id("console-item")).to_contain_text(ITEM)
    add_hand_any(console, "孙艳娜")
    expect(console.get_by_test_id("queue").locator("li")).to_have_count(1)
    assert not any(live == "assertive" and said for live, said in live_regions(phone))
    console.get_by_test_id("next-speaker").click()
    expect(phone.locator(".floor-step[data-step='speaking']")).to_be_visible()
    announced(phone, "assertive", f"轮到您发言了：{ITEM}")

    # The item ends: the speaking statistics, each chart with its table.
    console.bring_to_front()
    item.locator("[data-action='finish']").click()
    expect(projector.get_by_test_id("item-stats")).to_have_attribute("data-loaded", "true")
    by_group = figures(projector, "by-group")
    by_stance = figures(projector, "by-stance")
    people = figures(projector, "people")
    assert people["rows"][0][0] == "孙艳娜"
    assert people["rows"][0][1].startswith("1 次 · ")
    assert sum(float(row[1].split("%")[0]) for row in by_stance["rows"]) == pytest.approx(100)
    assert by_group["heads"] == ["类别或发言人", "发言时间"]
    # The turn is over: the assertive region is empty again (nothing is said twice).
    for _ in range(200):
        if not any(live == "assertive" and said for live, said in live_regions(phone)):
            break
        phone.wait_for_timeout(100)
    else:
        raise AssertionError(f"still said after the turn: {live_regions(phone)}")
    projector.screenshot(path=str(ARTIFACTS / "figures-speaking-stats.png"))
