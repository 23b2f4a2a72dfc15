"""Page weight (issue 19): the residents' and the room's screens, first load and reload, bytes
on the wire as Chromium received them (bench/page_weight.py).

The phone page must cost ≤ 60 KB the first time and ≤ 5 KB on reload (a hall's Wi-Fi shares a
few Mbit/s between hundreds of phones); no screen may weigh twice what it weighed when the
baseline ``bench/page_weight.json`` was recorded; on reload no screen fetches any static file
again (fingerprinted, kept a year). Speech (``/audio/…`` WAVs the projector plays when it
announces) is counted apart: whether it is fetched before the page settles is a race.

``YISHI_RECORD_PAGE_WEIGHT=1`` rewrites the baseline with this run's figures; every run writes
them to ``test-artifacts/page-weight.json`` (BENCHMARKS.md has the table).
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import Browser

from bench.page_weight import BASELINE, weigh
from tests.browser.conftest import ARTIFACTS, LiveServer
from tests.browser.test_floor import sign_in
from tests.browser.test_reconnect import pair

pytestmark = pytest.mark.browser

PHONE_FIRST_LOAD = 60_000  # bytes (KB = 1,000 bytes here, as in BENCHMARKS.md)
PHONE_RELOAD = 5_000
DOUBLED = 2.0
SPEECH = "/audio/"


def without_speech(load: dict[str, Any]) -> dict[str, Any]:
    """The load with the projector's announcements (WAVs) taken out and counted apart."""
    speech = {url: n for url, n in load["by_url"].items() if url.startswith(SPEECH)}
    return {
        **load,
        "bytes": load["bytes"] - sum(speech.values()),
        "requests": load["requests"] - len(speech),
        "speech_bytes": sum(speech.values()),
        "by_url": {url: n for url, n in load["by_url"].items() if url not in speech},
    }


def test_each_screen_is_light_on_first_load_and_almost_free_on_reload(
    live_server: LiveServer, browser: Browser
) -> None:
    server = live_server
    screens: list[tuple[str, str, str | None]] = [
        ("phone", sign_in(server, "孙艳娜", "6851"), None),
        ("kiosk", "/kiosk", "kiosk"),
        ("booth", "/booth", "booth"),
        ("projector", "/projector", "projector"),
        ("board", "/board", None),
    ]
    measured: dict[str, Any] = {}
    for name, path, device in screens:
        context = browser.new_context(locale="zh-CN")
        if device:
            credential = pair(server, device)
            context.add_cookies(
                [{"name": "yishi_device", "value": credential, "domain": "127.0.0.1", "path": "/"}]
            )
        try:
            weighed = weigh(context, server.url + path)
        finally:
            context.close()
        measured[name] = {
            "cold": without_speech(weighed["cold"]),
            "reload": without_speech(weighed["reload"]),
        }

    ARTIFACTS.mkdir(exist_ok=True)
    report = {"measured": datetime.now(UTC).isoformat(timespec="seconds"), "screens": measured}
    (ARTIFACTS / "page-weight.json").write_text(json.dumps(report, indent=2) + "\n")
    figures = {
        name: {"cold": m["cold"]["bytes"], "reload": m["reload"]["bytes"]}
        for name, m in measured.items()
    }
    for name, m in measured.items():
        print(
            f"{name:10} first load {m['cold']['bytes']:>7,} B in {m['cold']['requests']:>2} "
            f"requests; reload {m['reload']['bytes']:>6,} B; live connection "
            f"{m['cold']['socket_bytes']:,} B; speech {m['cold']['speech_bytes']:,} B"
        )
    if os.environ.get("YISHI_RECORD_PAGE_WEIGHT") == "1":
        BASELINE.write_text(
            json.dumps({"recorded": report["measured"], **figures}, indent=2) + "\n"
        )

    phone = measured["phone"]
    assert phone["cold"]["bytes"] <= PHONE_FIRST_LOAD, phone["cold"]["by_url"]
    assert phone["reload"]["bytes"] <= PHONE_RELOAD, phone["reload"]["by_url"]

    # A reload asks for the page alone: every static file comes from the browser's cache.
    for name, m in measured.items():
        fetched = {u: n for u, n in m["reload"]["by_url"].items() if u.startswith("/static/")}
        assert all(n == 0 for n in fetched.values()), f"{name} fetched again: {fetched}"

    baseline = json.loads(BASELINE.read_text())
    for name, now in figures.items():
        for load in ("cold", "reload"):
            limit = DOUBLED * baseline[name][load]
            assert now[load] < limit, (
                f"the {name} page's {load} load weighs {now[load]:,} B, at least twice its "
                f"recorded {baseline[name][load]:,} B (bench/page_weight.json)"
            )
