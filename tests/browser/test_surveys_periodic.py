"""/clerk/surveys on a box that makes each quarter's survey by itself (``SURVEY_PERIODIC``, the
default; the other browser tests turn it off): the page says the next automatic survey's date.
axe-core clean in Chinese and English; screenshots under test-artifacts/follow-surveys-next-*.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect

from meeting_room.domain.follow_up import quarter_of
from tests.browser.conftest import ARTIFACTS, LiveServer
from tests.browser.test_accessibility import Audit
from tests.browser.test_follow_up import hall_today

pytestmark = pytest.mark.browser


@pytest.fixture
def periodic_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    instance: Path = tmp_path_factory.mktemp("surveys-periodic")
    server = LiveServer(instance, extra_env={"YISHI_SURVEY_PERIODIC": "true"})
    yield server
    server.stop()


def test_the_surveys_screen_says_when_the_next_automatic_survey_comes(
    context: BrowserContext, periodic_server: LiveServer
) -> None:
    server = periodic_server
    # Whatever today is: in a quarter's first 14 days the page's read makes this quarter's
    # survey (and the next is the next quarter's); later, the next is the next quarter's.
    _start, end = quarter_of(hall_today())
    following = end + timedelta(days=1)
    page = context.new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    audits = {lang: Audit(lang) for lang in ("zh_CN", "en")}
    for lang in ("zh_CN", "en"):
        page.goto(f"{server.url}/clerk/surveys?lang={lang}")
        line = page.get_by_test_id("survey-next")
        expect(line).to_have_attribute("data-day", following.isoformat())
        words = (
            f"下一次自动测评：{following.year}年{following.month}月{following.day}日"
            if lang == "zh_CN"
            else "Next automatic survey:"
        )
        expect(line).to_contain_text(words)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"follow-surveys-next-{lang}.png"), full_page=True)
        audits[lang].check(page, "surveys-periodic")
    for audit in audits.values():
        audit.assert_clean()
