"""The deadline watcher: while serving, it acts on the deadlines stored in the database.

Speeches past their time stop where the meeting chose automatic stop, polls whose countdown
ran out close, and the projector hears "closing in one minute"; a database rebuild that could
not be done when a secret poll closed is tried again (``voting.secrecy``). It reads the stored
deadlines, so a restarted server still acts on time. On several workers only the leader runs it
(``ops.cluster``).
"""

from __future__ import annotations

import logging

from flask import Flask

from meeting_room.extensions import socketio
from meeting_room.floor import service as floor
from meeting_room.voice.announcements import announce_closing
from meeting_room.voting.secrecy import forget_if_due
from meeting_room.voting.service import close_expired

log = logging.getLogger(__name__)


def watch_deadlines(app: Flask, period: float = 0.5) -> None:
    """Act on every deadline that has passed, every ``period`` seconds, forever."""
    while True:
        try:
            with app.app_context():
                floor.stop_overruns()
            close_expired(app)
            announce_closing(app)
            forget_if_due(app)
        except Exception as error:  # a full disk, a lost database: try again next round
            log.error("the deadline watcher could not act this round: %s", type(error).__name__)
        socketio.sleep(period)
