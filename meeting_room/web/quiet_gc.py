"""Garbage collection when the hall is quiet (docs/performance.md, "Garbage collection").

CPython starts a full collection when enough new objects have piled up, which is exactly
when the server is busiest: in a burst of ballots or while a speech start goes out to every
phone. With a thousand phones connected (about 300 tracked objects each) a full collection
walks half a million objects and stops the server for 30–140 ms.

So the server collects when nothing has happened for a moment instead, and then freezes the
survivors (``gc.freeze``): the collections CPython starts by itself afterwards walk only what
was made since, a few milliseconds. Frozen objects are still freed by reference counting;
only cycles among them wait, for the full round (unfreeze, collect, freeze) that runs at a
quiet moment every ``full_every_s``, so memory stays flat over a long meeting.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable
from enum import StrEnum

log = logging.getLogger(__name__)


class Round(StrEnum):
    """What a step of the collector did."""

    NONE = "none"
    YOUNG = "young"  # collected what is not frozen, then froze the survivors
    FULL = "full"  # unfroze everything, collected it all, froze the survivors


class QuietCollector:
    """Collects garbage between events rather than during them.

    ``touch`` is called by every Socket.IO event handler (it costs a clock read); ``step``
    decides, ``run`` calls it every ``check_s`` while serving. ``clock`` is injectable for
    tests.
    """

    def __init__(
        self,
        quiet_s: float = 1.0,
        full_every_s: float = 600.0,
        check_s: float = 0.25,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.quiet_s = quiet_s
        self.full_every_s = full_every_s
        self.check_s = check_s
        self.clock = clock
        self.last_event = clock()
        self.last_full = clock()
        self.events = 0  # handled since the last round
        self.slowest_ms = 0.0  # the longest round so far (logged when it grows)

    def touch(self) -> None:
        """An event is being handled: not a moment to collect."""
        self.last_event = self.clock()
        self.events += 1

    def step(self) -> Round:
        """Collect if the server has been quiet for ``quiet_s`` and something happened since
        the last round (or a full round is due)."""
        moment = self.clock()
        if moment - self.last_event < self.quiet_s:
            return Round.NONE
        full = moment - self.last_full >= self.full_every_s
        if not full and self.events == 0:
            return Round.NONE
        started = time.perf_counter()
        if full:
            gc.unfreeze()
            self.last_full = moment
        gc.collect()
        gc.freeze()
        self.events = 0
        took_ms = (time.perf_counter() - started) * 1000
        if took_ms > self.slowest_ms:
            self.slowest_ms = took_ms
            log.info(
                "quiet garbage collection took %.0f ms (%s)", took_ms, "full" if full else "young"
            )
        return Round.FULL if full else Round.YOUNG

    def run(self, sleep: Callable[[float], object]) -> None:
        """Step every ``check_s`` for as long as the server runs."""
        while True:
            sleep(self.check_s)
            self.step()


COLLECTOR = QuietCollector()
