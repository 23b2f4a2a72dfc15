"""The clerk desk's storage alarm: when the database cannot take a write (a full disk, a
read-only database, a disk error) every clerk desk shows a banner at once, and the banner goes
when a write works again.

Events on /clerk (to every desk, whatever meeting it follows): ``storage.alarm``
``{"code": "storage_full" | "storage_read_only" | "storage_failed", "since": ISO time}`` and
``storage.ok`` ``{}``. A desk opened while the alarm is on gets the banner in the page
(template global ``storage_alarm()``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Flask

from meeting_room.domain.problems import Problem
from meeting_room.store.storage import Storage

EXTENSION_KEY = "yishi.storage_alarm"
log = logging.getLogger(__name__)
Tell = Callable[[str, dict[str, str]], None]


@dataclass(frozen=True)
class Alarm:
    """The storage problem on now and since when."""

    problem: Problem
    since: datetime


class StorageAlarm:
    """The alarm of one app: raised by a failed write, cleared by the next successful one."""

    def __init__(self, tell: Tell) -> None:
        self.current: Alarm | None = None
        self.lock = threading.Lock()
        self.tell = tell

    def failed(self, problem: Problem) -> None:
        """A write failed: raise the alarm (desks hear of it once per new problem)."""
        with self.lock:
            if self.current is not None and self.current.problem == problem:
                return
            self.current = Alarm(problem, datetime.now(UTC))
            since = self.current.since.isoformat()
        self._tell("storage.alarm", {"code": problem.value, "since": since})

    def wrote(self) -> None:
        """A write worked: clear the alarm."""
        with self.lock:
            if self.current is None:
                return
            self.current = None
        self._tell("storage.ok", {})

    def _tell(self, event: str, payload: dict[str, str]) -> None:
        """Best effort: a failing broadcast must not hide the storage failure it reports."""
        try:
            self.tell(event, payload)
        except Exception:  # the refusal itself still reaches the caller
            log.warning("could not tell the clerk desks: %s", event)

    def code(self) -> str | None:
        """The current problem's code, for the clerk desk's page."""
        alarm = self.current
        return alarm.problem.value if alarm else None


def install(app: Flask, storage: Storage, tell: Tell) -> StorageAlarm:
    """Listen to the app's storage, ``tell`` the clerk desks of each change (the app factory
    gives the socket layer's emit), and offer ``storage_alarm()`` to templates."""
    alarm = StorageAlarm(tell)
    storage.on_failure.append(alarm.failed)
    storage.on_write.append(alarm.wrote)
    app.extensions[EXTENSION_KEY] = alarm
    app.add_template_global(alarm.code, "storage_alarm")
    return alarm
