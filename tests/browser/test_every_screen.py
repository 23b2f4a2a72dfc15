"""Every screen the app serves, checked by axe-core in both languages (issue 19: "axe-core stays
at zero violations on every screen in both languages").

The screens are not listed by hand: the app's own routes are, so a new page is swept the day it
is added, or the test says which one it does not know how to open. The feature tests check
their screens in each state a person meets; this sweep checks that none is forgotten, each as a
clerk first sees it with the demo meeting, a member, a report period and a voting period.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, expect

from tests.browser.conftest import LiveServer, log_in
from tests.browser.test_accessibility import LANGS, Audit
from tests.browser.test_assembly_period import set_up
from tests.browser.test_floor import api, sign_in
from tests.browser.test_projector_clerk import demo_meeting

pytestmark = pytest.mark.browser

# Not pages: files, sounds, JSON and the API's own document (their routes end or start so).
NOT_SCREENS = re.compile(
    r"(\.(pdf|csv|json|png|xlsx|wav)$|/image$|/export/|^/audio/|^/apidoc/|/api/)"
)
# Screens that run on a paired device or need a live meeting's moment to mean anything: each is
# checked state by state, with axe, by the test named here (which this sweep checks exists).
IN_THEIR_OWN_TEST = {
    "/kiosk": "test_accessibility.py",
    "/kiosk/rate": "test_follow_up.py",
    "/kiosk/topics": "test_topics.py",
    "/booth": "test_accessibility.py",
    "/projector": "test_accessibility.py",
    "/moderator": "test_accessibility.py",
    "/clerk": "test_accessibility.py",
    "/pair": "test_accessibility.py",
    "/clerk/assembly/<int:period_id>/review": "test_paper_ballots.py",
}


def screen_rules() -> list[str]:
    """The rules of every GET route that renders a page, from the app itself."""
    import tempfile

    from meeting_room.app import create_app

    with tempfile.TemporaryDirectory() as folder:
        app: Flask = create_app(
            {
                "TESTING": True,
                "INSTANCE_PATH": folder,
                "DATABASE_URL": f"sqlite:///{Path(folder) / 'rules.db'}",
                "TTS": "fake",
                "PRINTER": "fake",
            }
        )
        rules = sorted(
            {
                rule.rule
                for rule in app.url_map.iter_rules()
                if "GET" in (rule.methods or set())
                and not rule.rule.startswith("/static/")
                and not NOT_SCREENS.search(rule.rule)
            }
        )
        app.extensions["yishi.storage"].engine.dispose()
    return rules


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("every-screen"))
    yield live
    live.stop()


def addresses(server: LiveServer, context: BrowserContext) -> dict[str, str]:
    """Each screen rule with path arguments → a path that opens it on this server's scene."""
    meeting = demo_meeting(server)
    member = api(server, "/api/v1/members?q=%E5%AD%99%E8%89%B3%E5%A8%9C")["members"][0]["id"]
    phone = sign_in(server, "孙艳娜", "6851")
    page = context.new_page()
    set_up(page, server)  # a voting period in draft, tied to the demo meeting
    period = re.search(r"/clerk/assembly/(\d+)", page.url)
    assert period is not None, page.url
    page.close()
    now = datetime.now(UTC)
    quarter = f"{now.year}-q{(now.month - 1) // 3 + 1}"
    return {
        "/board/assembly/<int:period_id>": f"/board/assembly/{period.group(1)}",
        "/board/meetings/<int:meeting_id>/minutes": f"/board/meetings/{meeting}/minutes",
        "/clerk/assembly/<int:period_id>": f"/clerk/assembly/{period.group(1)}",
        "/clerk/assembly/<int:period_id>/ballots": f"/clerk/assembly/{period.group(1)}/ballots",
        "/clerk/meetings/<int:meeting_id>/notice": f"/clerk/meetings/{meeting}/notice",
        "/clerk/prepare/<int:meeting_id>": f"/clerk/prepare/{meeting}",
        "/clerk/records/<int:meeting_id>": f"/clerk/records/{meeting}",
        "/clerk/reports/<key>": f"/clerk/reports/{quarter}",
        "/clerk/reports/<key>/figures/<figure>": f"/clerk/reports/{quarter}/figures/meetings",
        "/clerk/roster/members/<int:member_id>": f"/clerk/roster/members/{member}",
        "/v/<token>": phone,
        "/v/<token>/topics": f"{phone}/topics",
    }


@pytest.fixture(scope="module")
def scene(server: LiveServer, browser: Browser) -> dict[str, str]:
    """The paths of the screens with arguments, on a scene made once for both languages."""
    context = browser.new_context()
    log_in(context)
    try:
        return addresses(server, context)
    finally:
        context.close()


def test_every_screen_is_swept_or_named_with_the_test_that_checks_it(
    scene: dict[str, str],
) -> None:
    rules = screen_rules()
    assert "/clerk/roster" in rules and "/board" in rules, rules  # the routes were read
    unknown = [r for r in rules if r not in IN_THEIR_OWN_TEST and r not in scene and "<" in r]
    assert not unknown, f"a screen this sweep cannot open yet (add it to addresses): {unknown}"
    here = Path(__file__).parent
    for rule, test in IN_THEIR_OWN_TEST.items():
        assert rule in rules, f"{rule} is no longer a screen: remove it from IN_THEIR_OWN_TEST"
        assert ".assert_clean()" in (here / test).read_text(), f"{test} runs no axe check"


@pytest.mark.parametrize("lang", LANGS)
def test_every_screen_passes_axe(
    server: LiveServer, scene: dict[str, str], context: BrowserContext, lang: str
) -> None:
    rules = [r for r in screen_rules() if r not in IN_THEIR_OWN_TEST]
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    audit = Audit(lang)
    data = []
    for rule in rules:
        path = scene.get(rule, rule)
        response = page.goto(f"{server.url}{path}{'&' if '?' in path else '?'}lang={lang}")
        assert response is not None
        # A period's board page before its preliminary result: the refusal page, in words.
        expected = 409 if rule == "/board/assembly/<int:period_id>" else 200
        assert response.status == expected, f"{rule}: {response.status}"
        if "text/html" not in response.headers.get("content-type", ""):
            assert response.headers["content-type"].startswith("application/json"), rule
            data.append(rule)  # the data behind a page (a badge's counts), not a page
            continue
        expect(page.locator("body")).to_be_visible()
        if rule != "/login":
            assert "/login" not in page.url, f"{rule}: sent to the login page"
        audit.check(page, f"{rule} ({page.url.removeprefix(server.url)})")
    assert len(audit.found) == len(rules) - len(data) > 30, (len(audit.found), data)
    audit.assert_clean()
