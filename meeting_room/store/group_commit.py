"""Group commit: many callers' small writes in one transaction, each answered after the commit.

A burst of a thousand ballots costs a thousand transactions if each is written alone: a
thousand commits (each an fsync on SQLite), a thousand audit-head updates, a thousand poll
row locks on PostgreSQL. Here every caller queues its item and waits for the writer lock;
whoever holds it writes everything queued so far in one batch, answers every caller of the
batch, and lets the next waiter in. While a batch is written (the server's one loop is busy),
the next ballots queue up, so batches grow with the load and stay at one under a light one.

Nobody is answered before the batch's transaction has committed: an acknowledged ballot is
stored, as with one transaction per ballot. A batch the database refuses (a full disk) is
refused to each of its callers; a batch that fails for any other reason is written again one
item at a time, so one bad item cannot take the others with it.

Under ``yishi run`` the locks are gevent's (the server is monkey-patched); in a threaded
server and in tests they are ordinary thread locks; the code is the same.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from meeting_room.domain.problems import Refusal

log = logging.getLogger(__name__)

Item = TypeVar("Item")
Result = TypeVar("Result")

# Writes a batch in one transaction; per item, its result or the refusal it gets.
WriteBatch = Callable[[Sequence[Item]], Sequence["Result | Refusal"]]


@dataclass
class _Entry(Generic[Item, Result]):
    item: Item
    outcome: Result | BaseException | None = None
    done: bool = False


@dataclass
class Batches:
    """How the batches went: how many items had to be written again alone."""

    retried_alone: int = 0


class GroupCommit(Generic[Item, Result]):
    """Write items in batches with ``write`` (one transaction per call, one answer per item).

    ``window``: how long the writer waits for more items before it takes a batch (seconds).
    """

    def __init__(
        self, write: WriteBatch[Item, Result], max_batch: int = 256, window: float = 0.0
    ) -> None:
        self.write = write
        self.max_batch = max_batch
        self.window = window
        self.stats = Batches()
        self._queue: list[_Entry[Item, Result]] = []
        self._mutex = threading.Lock()
        self._writer = threading.Lock()

    def submit(self, item: Item) -> Result:
        """Queue one item, wait until a batch holding it has committed; its result.

        Raises the item's ``Refusal`` (or the error that made it fail).
        """
        entry: _Entry[Item, Result] = _Entry(item)
        with self._mutex:
            self._queue.append(entry)
        with self._writer:
            # Let the items that are arriving join the batch before it is taken: under a
            # burst, a batch then holds what arrives in the window plus what arrived while
            # the previous batch was written; alone, an item waits the window once.
            if not entry.done and len(self._queue) < self.max_batch:
                time.sleep(self.window)
            # More than a batch may be queued ahead of this item (a thousand phones at once):
            # write batch after batch until this one's is written, never answer unwritten.
            while not entry.done:
                self._write_queued()
        if isinstance(entry.outcome, BaseException):
            raise entry.outcome
        return entry.outcome  # type: ignore[return-value]

    def _write_queued(self) -> None:
        with self._mutex:
            batch = self._queue[: self.max_batch]
            del self._queue[: self.max_batch]
        if not batch:
            return
        items = [entry.item for entry in batch]
        try:
            outcomes: Sequence[Result | BaseException] = self._checked(
                self.write(items), len(items)
            )
        except Refusal as refusal:  # the whole batch refused (the database cannot take a write)
            outcomes = [refusal] * len(items)
        except Exception:
            log.exception("a batch of %d failed; writing its items one at a time", len(items))
            outcomes = [self._alone(item) for item in items]
        for entry, outcome in zip(batch, outcomes, strict=True):
            entry.outcome = outcome
            entry.done = True

    def _alone(self, item: Item) -> Result | BaseException:
        self.stats.retried_alone += 1
        try:
            return self._checked(self.write([item]), 1)[0]
        except Exception as error:
            return error

    @staticmethod
    def _checked(outcomes: Sequence[Result | Refusal], count: int) -> Sequence[Result | Refusal]:
        if len(outcomes) != count:
            raise RuntimeError(f"a batch of {count} got {len(outcomes)} answers")
        return outcomes
