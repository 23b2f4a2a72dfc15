"""The hall's access point restarts in the middle of a vote (issue 19), at a small scale.

Every phone reaches the real server (``yishi run``) through ``bench/load/delay_proxy.py`` on
127.0.0.1: 40 ± 20 ms each way, and a ``cut`` that aborts every connection and refuses new
ones, as an access point does when it restarts. Two phones are real phone pages in Chromium
(the page's own retry path: a ballot keeps its client-made id in sessionStorage and goes again
after the rejoin, static/js/phone-ballot.js); 30 more are python-socketio clients that behave
like the page (Socket.IO's reconnection as the page sets it, ``join`` on every connect, a
waiting ballot sent again with its id after each join), half of them over WebSocket and half
over HTTP long-polling (which must pass the compression of pages untouched).

One Chromium phone's ballot reaches the server while the server's answers are held in the
proxy: its acknowledgement is lost in the cut. The other Chromium phone and 10 of the clients
tap while the access point is down. Meanwhile a member signs in at the desk (the meeting's
version moves on). When the link returns, every phone must rejoin and catch up to that
version, every waiting ballot must be counted, and each exactly once.
"""

from __future__ import annotations

import contextlib
import csv
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import socketio
from playwright.sync_api import Browser, Page, expect

from bench.load.delay_proxy import DelayProxy
from tests.browser.conftest import LiveServer, wait_joined
from tests.browser.test_floor import sign_in
from tests.browser.test_projector_clerk import api, demo_meeting
from tests.conftest import DEMO_ROSTER

pytestmark = pytest.mark.browser

CLIENTS = 30
TAPPING_DURING_OUTAGE = 10
BACK_WITHIN_S = 30.0  # a failure guard for a busy box; the measured time is printed


def until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Wait for ``condition`` (checked every 50 ms); fail naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.05)


@dataclass
class Phone:
    """A python-socketio client that behaves like the phone page over a flaky link."""

    token: str
    transport: str
    client: socketio.Client = field(init=False)
    joins: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    pending: dict[str, Any] | None = None
    receipts: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        # Socket.IO's reconnection as static/js/live.js sets it: 1 s, then up to 3 s, ±50 %.
        self.client = socketio.Client(reconnection=True, reconnection_delay_max=3)
        self.client.on("connect", self._join, namespace="/phone")

    def start(self, url: str) -> None:
        self.client.connect(url, transports=[self.transport], namespaces=["/phone"])

    def _join(self) -> None:
        def answered(answer: Any) -> None:
            with self.lock:
                self.joins.append((time.monotonic(), answer))
                waiting = self.pending
            if waiting is not None:
                self._send(waiting)

        self.client.emit("join", {"token": self.token}, namespace="/phone", callback=answered)

    def tap(self, poll_id: int, choice: str) -> None:
        """One ballot with one id, sent now if connected, else after the next join."""
        self.pending = {
            "token": self.token,
            "poll_id": poll_id,
            "choices": [choice],
            "client_id": uuid.uuid4().hex,
        }
        if self.client.connected:
            self._send(self.pending)

    def _send(self, ballot: dict[str, Any]) -> None:
        def answered(answer: Any) -> None:
            with self.lock:
                self.receipts.append(answer)
                if isinstance(answer, dict) and answer.get("ok"):
                    self.pending = None

        # Cut in the middle: it goes again after the rejoin.
        with contextlib.suppress(socketio.exceptions.BadNamespaceError):
            self.client.emit("ballot.cast", ballot, namespace="/phone", callback=answered)

    def joined_since(self, moment: float, version: int) -> bool:
        with self.lock:
            return any(t >= moment and a.get("version", -1) >= version for t, a in self.joins)


def owners(count: int) -> list[tuple[str, str]]:
    """(name, phone tail) of the demo roster's first owners, names unique."""
    with DEMO_ROSTER.open(encoding="utf-8") as roster:
        rows = [r for r in csv.DictReader(roster) if r["group"] == "业主"]
    names = [r["name"] for r in rows]
    unique = [r for r in rows if names.count(r["name"]) == 1]
    return [(r["name"], r["phone_tail"]) for r in unique[:count]]


@pytest.fixture
def proxy(live_server: LiveServer) -> Iterator[DelayProxy]:
    """The hall's access point between every phone and the server."""
    with DelayProxy(live_server.url.removeprefix("http://"), delay_ms=40, jitter_ms=20) as ap:
        yield ap


def open_phone(browser: Browser, url: str) -> Page:
    page = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 640}).new_page()
    page.goto(url)
    wait_joined(page)
    return page


def cast_for(page: Page) -> None:
    ballot = page.get_by_test_id("ballot")
    ballot.get_by_role("button", name=re.compile("^赞成 — ")).click()
    ballot.get_by_role("button", name="确认投票").click()


def test_after_the_access_point_restarts_every_phone_rejoins_and_each_ballot_counts_once(
    live_server: LiveServer, proxy: DelayProxy, browser: Browser
) -> None:
    server = live_server
    meeting = demo_meeting(server)
    people = owners(CLIENTS + 3)
    paths = [sign_in(server, name, tail) for name, tail in people[: CLIENTS + 2]]
    poll = api(
        server,
        f"/api/v1/meetings/{meeting}/polls",
        {"question": "无线网络中断时的表决？", "rule": "simple_majority"},
    )
    api(server, f"/api/v1/polls/{poll['id']}/open", {})

    held_phone = open_phone(browser, proxy.url + paths[0])
    late_phone = open_phone(browser, proxy.url + paths[1])
    clients = [
        Phone(path.rsplit("/", 1)[1], "websocket" if n % 2 else "polling")
        for n, path in enumerate(paths[2:])
    ]
    try:
        for phone in clients:
            phone.start(proxy.url)
        until(lambda: all(p.joins for p in clients), 60, "every client joined")
        assert {p.client.transport() for p in clients} == {"websocket", "polling"}

        # The held ballot: it reaches the server; the server's answer stays in the proxy.
        proxy.hold()
        cast_for(held_phone)
        until(lambda: polled(server, poll["id"])["cast"] == 1, 30, "the held ballot counted")
        cut = proxy.cut()
        assert cut["cut"] >= CLIENTS + 2  # every phone's connection (pages: one socket each)

        # The access point is down: phones tap, the meeting moves on without them.
        expect(late_phone.locator("#live-banner")).to_be_visible()
        cast_for(late_phone)
        expect(late_phone.get_by_test_id("ballot-retrying")).to_be_visible()
        tapping = clients[:TAPPING_DURING_OUTAGE]
        until(lambda: not any(p.client.connected for p in tapping), 30, "the clients saw the cut")
        for phone in tapping:
            phone.tap(poll["id"], "against")
        name, tail = people[-1]
        sign_in(server, name, tail)  # straight to the server, not through the access point
        moved_on = int(api(server, f"/api/v1/meetings/{meeting}")["attendance"]["version"])
        assert polled(server, poll["id"])["cast"] == 1  # nothing went through the cut

        restored = float(proxy.restore()["at"])
        until(
            lambda: all(p.joined_since(restored, moved_on) for p in clients),
            BACK_WITHIN_S,
            "every client rejoined and caught up with the meeting",
        )
        clients_back = time.monotonic() - restored
        for page in (held_phone, late_phone):
            wait_joined(page, timeout=BACK_WITHIN_S * 1000)
            page.wait_for_function(
                f"() => connections[0].version('floor') >= {moved_on}",
                timeout=BACK_WITHIN_S * 1000,
            )
            expect(page.get_by_test_id("ballot").get_by_test_id("receipt")).to_be_visible()
        expected = 2 + TAPPING_DURING_OUTAGE
        until(lambda: all(p.pending is None for p in tapping), BACK_WITHIN_S, "ballots resent")
        print(
            f"{CLIENTS} clients rejoined and caught up {clients_back:.1f} s after the link "
            f"returned; every ballot counted {time.monotonic() - restored:.1f} s after it"
        )
    finally:
        for phone in clients:
            phone.client.disconnect()

    # Exactly once: the held phone's ballot went twice (the page resent it with its id), the
    # server answered the same receipt; each waiting ballot is in the count once.
    answers = [a for p in tapping for a in p.receipts if isinstance(a, dict) and a.get("ok")]
    assert len({a["receipt"] for a in answers}) == TAPPING_DURING_OUTAGE
    held_receipt = held_phone.get_by_test_id("ballot").get_by_test_id("receipt")
    assert held_receipt.get_attribute("data-receipt")
    closed = api(server, f"/api/v1/polls/{poll['id']}/close", {})
    tallies = {k: v["headcount"] for k, v in closed["result"]["tallies"].items()}
    assert closed["cast"] == expected
    assert tallies == {"for": 2, "against": TAPPING_DURING_OUTAGE, "abstain": 0}


def polled(server: LiveServer, poll_id: int) -> dict[str, Any]:
    """The poll as the staff's API shows it (asked straight, not through the access point)."""
    found: dict[str, Any] = api(server, f"/api/v1/polls/{poll_id}")
    return found
