"""Garbage collection at quiet moments: never while events come, cycles reclaimed even once
frozen (by the periodic full round)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from meeting_room.web.quiet_gc import QuietCollector, Round


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Node:
    """A reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def clock() -> Iterator[Clock]:
    yield Clock()
    gc.unfreeze()  # leave the test process as it was


@pytest.fixture
def collector(clock: Clock) -> QuietCollector:
    return QuietCollector(quiet_s=1.0, full_every_s=600.0, clock=clock)


def test_nothing_is_collected_while_events_keep_coming(
    collector: QuietCollector, clock: Clock
) -> None:
    for _ in range(10):
        collector.touch()
        clock.now += 0.9
        assert collector.step() is Round.NONE
    assert collector.events == 10


def test_a_quiet_moment_after_events_collects_and_freezes_once(
    collector: QuietCollector, clock: Clock
) -> None:
    gc.unfreeze()
    collector.touch()
    clock.now += 1.0
    assert collector.step() is Round.YOUNG
    assert gc.get_freeze_count() > 0
    clock.now += 5.0
    assert collector.step() is Round.NONE  # nothing happened since


def test_a_young_round_frees_cycles_made_since_the_last_one(
    collector: QuietCollector, clock: Clock
) -> None:
    cycle = Node()
    gone = weakref.ref(cycle)
    del cycle
    collector.touch()
    clock.now += 1.5
    assert collector.step() is Round.YOUNG
    assert gone() is None


def test_frozen_garbage_waits_for_the_full_round(collector: QuietCollector, clock: Clock) -> None:
    cycle = Node()
    gone = weakref.ref(cycle)
    collector.touch()
    clock.now += 1.5
    assert collector.step() is Round.YOUNG  # the cycle is alive: frozen
    del cycle
    collector.touch()
    clock.now += 1.5
    assert collector.step() is Round.YOUNG
    assert gone() is not None  # frozen objects are out of the young rounds' reach
    clock.now += 600.0
    assert collector.step() is Round.FULL  # due, though nothing happened since
    assert gone() is None


def test_a_due_full_round_still_waits_for_quiet(collector: QuietCollector, clock: Clock) -> None:
    clock.now += 700.0
    collector.touch()
    assert collector.step() is Round.NONE
    clock.now += 1.0
    assert collector.step() is Round.FULL
