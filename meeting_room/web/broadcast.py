"""Coalesced broadcasts: a burst of changes to a meeting becomes one snapshot per window."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from flask import Flask, current_app

from meeting_room.extensions import socketio
from meeting_room.store.storage import transaction

EXTENSION_KEY = "yishi.broadcast"
FLUSH_ATTEMPTS = 5
log = logging.getLogger(__name__)

# Namespaces, one per kind of client (see docs/events.md).
PROJECTOR = "/projector"
CLERK = "/clerk"
KIOSK = "/kiosk"
PHONE = "/phone"
MODERATOR = "/moderator"
BOOTH = "/booth"


def meeting_room_name(meeting_id: int) -> str:
    """The Socket.IO room of every screen following one meeting (same name in each namespace)."""
    return f"meeting:{meeting_id}"


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


def emit_attendance(meeting_id: int) -> None:
    """Send the meeting's attendance snapshot to its projectors, clerk desks and kiosks."""
    from meeting_room.attendance.snapshot import attendance_snapshot
    from meeting_room.meetings.meetings import get_meeting, summarise_attendance

    with transaction() as session:
        snapshot = attendance_snapshot(
            summarise_attendance(session, get_meeting(session, meeting_id))
        )
    payload = snapshot.model_dump(mode="json")
    for namespace in (PROJECTOR, CLERK, KIOSK):
        socketio.emit("attendance", payload, namespace=namespace, to=meeting_room_name(meeting_id))


def init_app(app: Flask) -> None:
    """Create the app's attendance coalescer."""
    app.extensions[EXTENSION_KEY] = Coalescer(app, app.config["BROADCAST_DELAY"], emit_attendance)


def attendance_changed(meeting_id: int) -> None:
    """Tell the screens (soon, coalesced) that a meeting's attendance changed."""
    coalescer: Coalescer = current_app.extensions[EXTENSION_KEY]
    coalescer.request(meeting_id)


def alert_clerks(meeting_id: int, payload: dict[str, object]) -> None:
    """Push an alert (a member locked at the kiosk, ...) to the meeting's clerk desks at once."""
    socketio.emit("alert", payload, namespace=CLERK, to=meeting_room_name(meeting_id))
