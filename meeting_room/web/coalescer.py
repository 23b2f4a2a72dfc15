"""Coalesced broadcasts: a burst of changes to a meeting becomes one snapshot per window.

A thousand ballots in a second must not become a thousand counts sent to every screen: the
first change asks for a flush ``delay`` seconds later, and the changes until then ride on it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from flask import Flask

from meeting_room.extensions import socketio

FLUSH_ATTEMPTS = 5
log = logging.getLogger(__name__)


class Coalescer:
    """At most one pending ``flush(key)`` per key, run ``delay`` seconds after the first ask."""

    def __init__(self, app: Flask, delay: float, flush: Callable[[int], None]) -> None:
        self.app = app
        self.delay = delay
        self.flush = flush
        self.pending: set[int] = set()
        self.lock = threading.Lock()

    def request(self, key: int) -> None:
        """Ask for a flush of ``key``; immediate when the delay is zero."""
        if self.delay <= 0:
            self.flush(key)
            return
        with self.lock:
            if key in self.pending:
                return
            self.pending.add(key)
        socketio.start_background_task(self._later, key)

    def _later(self, key: int, attempt: int = 0) -> None:
        socketio.sleep(self.delay)
        with self.lock:
            self.pending.discard(key)
        try:
            with self.app.app_context():
                self.flush(key)
        except Exception:
            # The last flush of a burst must not be lost (the screens would keep an old count):
            # try again a few times, e.g. when every database connection was busy.
            log.warning("a coalesced broadcast failed (attempt %d)", attempt + 1, exc_info=True)
            if attempt + 1 < FLUSH_ATTEMPTS:
                with self.lock:
                    if key in self.pending:
                        return
                    self.pending.add(key)
                socketio.start_background_task(self._later, key, attempt + 1)
