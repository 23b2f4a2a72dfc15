"""Bytes on the wire of a screen, first load and reload, as Chromium received them (issue 19).

A hall's access point shares a few Mbit/s between hundreds of phones: what a page costs is the
bytes the browser receives for it. ``weigh`` opens a page in a fresh profile (cold: empty
cache) and reloads it (warm: what a phone pays when its owner opens the page again), and sums
``encodedDataLength`` of Chromium's ``Network.loadingFinished`` events (DevTools' "transferred":
response headers plus the body as sent, compressed or not; a file served from the browser's
cache counts 0). The live connection's bytes (WebSocket handshake and frames until the screen
has joined) are counted apart: they are the same with or without a cache.

Used by ``tests/browser/test_page_weight.py`` (the targets, and the baseline
``bench/page_weight.json`` it compares with); the figures in BENCHMARKS.md come from its run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BASELINE = Path(__file__).resolve().parent / "page_weight.json"
JOINED = "() => connections.length > 0 && connections.every((c) => c.joined())"


@dataclass
class Load:
    """One load of a page: HTTP bytes and requests; the live connection's bytes apart."""

    bytes: int = 0
    requests: int = 0
    from_cache: int = 0
    socket_bytes: int = 0
    by_url: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "bytes": self.bytes,
            "requests": self.requests,
            "from_cache": self.from_cache,
            "socket_bytes": self.socket_bytes,
            "by_url": self.by_url,
        }


class Meter:
    """Counts what one page receives, through a CDP session on it."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.cdp = page.context.new_cdp_session(page)
        self.urls: dict[str, str] = {}
        self.cached: set[str] = set()
        self.load = Load()
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.requestServedFromCache", self._cached)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.webSocketHandshakeResponseReceived", self._handshake)
        self.cdp.on("Network.webSocketFrameReceived", self._frame)
        # The browser's cache stays on (the reload is the point); nothing throttled.
        self.cdp.send("Network.enable", {"maxTotalBufferSize": 0})

    def reset(self) -> None:
        self.load = Load()
        self.cached = set()

    def _sent(self, event: dict[str, Any]) -> None:
        self.urls[event["requestId"]] = event["request"]["url"]

    def _cached(self, event: dict[str, Any]) -> None:
        self.cached.add(event["requestId"])

    def _finished(self, event: dict[str, Any]) -> None:
        url = self.urls.get(event["requestId"], "?")
        if url.startswith("data:"):
            return
        size = int(event["encodedDataLength"])
        self.load.requests += 1
        if event["requestId"] in self.cached or size == 0:
            self.load.from_cache += 1
        self.load.bytes += size
        path = "/" + url.split("/", 3)[-1] if "://" in url else url
        self.load.by_url[path] = self.load.by_url.get(path, 0) + size

    def _handshake(self, event: dict[str, Any]) -> None:
        headers = event["response"].get("headersText") or "".join(
            f"{k}: {v}\r\n" for k, v in event["response"].get("headers", {}).items()
        )
        self.load.socket_bytes += len(headers.encode())

    def _frame(self, event: dict[str, Any]) -> None:
        self.load.socket_bytes += len(event["response"]["payloadData"].encode())


def settle(page: Any, live: bool) -> None:
    """Wait until the page has loaded, its live connections have joined (``live``), and the
    network has been idle (what the page fetches after its first paint is counted too)."""
    page.wait_for_load_state("load")
    if live:
        page.evaluate(
            'async () => { window.connections = (await import("/static/js/live.js")).connections; }'
        )
        page.wait_for_function(JOINED)
    page.wait_for_load_state("networkidle")


def weigh(context: Any, url: str, live: bool = True) -> dict[str, Any]:
    """Open ``url`` in ``context`` (a fresh profile) and reload it; both loads' bytes."""
    page = context.new_page()
    meter = Meter(page)
    try:
        page.goto(url)
        settle(page, live)
        cold = meter.load
        meter.reset()
        page.reload()
        settle(page, live)
        warm = meter.load
    finally:
        page.close()
    return {"url": url, "cold": cold.as_dict(), "reload": warm.as_dict()}
