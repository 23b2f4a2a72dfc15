"""The records in Debian's Chromium against the real server: the clerk's records screen (a
decision, an action with co-responsible parties, publishing, the completeness indicator), the
notice board showing them, and the projector's result bars at 1920×1080 (labels never drawn
over the numbers). Screenshots: ``test-artifacts/records-*.png``.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import ARTIFACTS, LiveServer
from tests.browser.test_counting_screens import hold, sign_in_owners
from tests.browser.test_projector_clerk import OVERFLOWING, demo_meeting, open_projector

pytestmark = pytest.mark.browser

# Each result bar's label box against its number box: any overlap, or a number cut short.
BAR_CLASHES = """
() => [...document.querySelectorAll(".poll .bar")].flatMap((bar) => {
  const label = bar.querySelector(".bar-label");
  const value = bar.querySelector(".bar-value");
  const a = label.getBoundingClientRect();
  const b = value.getBoundingClientRect();
  const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
  const problems = [];
  if (!apart) problems.push(`${label.textContent} over ${value.textContent}`);
  if (value.scrollWidth > value.clientWidth + 1) problems.push(`${value.textContent} is cut`);
  if (label.scrollWidth > label.clientWidth + 1) problems.push(`${label.textContent} is cut`);
  return problems;
})
"""


def shot(page: Page, name: str) -> None:
    """Save the screen as test-artifacts/records-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"records-{name}.png"), full_page=True)


def test_the_projector_never_draws_a_label_over_a_five_digit_area(
    context: BrowserContext, live_server: LiveServer
) -> None:
    server = live_server
    meeting = demo_meeting(server)
    people = sign_in_owners(server, meeting, 120)
    projector = open_projector(context, server)
    hold(
        server,
        meeting,
        {"question": "是否同意使用维修资金更换7栋电梯？", "weighting": "area", "secret": False},
        [(m, ["for" if i < 110 else "against" if i < 116 else "abstain"]) for i, m in
         enumerate(people)],
    )  # fmt: skip
    bars = projector.locator('[data-field="bars-area"] .bar')
    expect(bars.first).to_contain_text("赞成")
    expect(bars.first).to_contain_text("平方米")
    area = projector.locator('[data-field="bars-area"] .bar[data-option="for"] .bar-value')
    assert len(area.inner_text().split(".")[0].replace(" ", "")) >= 5, area.inner_text()
    assert projector.evaluate(BAR_CLASHES) == []
    assert not projector.evaluate(OVERFLOWING), "the wall scrolls sideways"
    projector.screenshot(path=str(ARTIFACTS / "records-projector-area-1920x1080.png"))
