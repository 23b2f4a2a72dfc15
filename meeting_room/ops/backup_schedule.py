"""The backup scheduler: a background task of the server that backs the box up daily, and
once after every meeting closes, with nobody having to remember (``store.backups`` writes,
verifies and rotates; this decides when). Each round also makes the quarter's satisfaction
survey when it is due (``followup.periodic.ensure_periodic_survey``).

Each round reads the app's clock (``meeting_room.clock``), so tests move the clock and call
``run_due_backups`` once instead of waiting a day. A failed backup (the USB stick pulled out)
is tried again an hour later (``domain.box.RETRY``); a backup refused because a secret vote
is open is tried again next round, with nothing recorded. On PostgreSQL nothing is done: its
backups are pg_dump's.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, current_app

from meeting_room.clock import now
from meeting_room.domain.box import BackupReason, daily_due
from meeting_room.extensions import socketio
from meeting_room.followup.periodic import ensure_periodic_survey
from meeting_room.followup.schemas import SurveyView
from meeting_room.store.backup import SecretVoteOpen
from meeting_room.store.backups import RunOut, back_up, last_failed_at, last_good_at

log = logging.getLogger(__name__)
ROUND_SECONDS = 60.0


def run_due_backups(app: Flask) -> RunOut | None:
    """One round: the daily backup if it is due; the run made, or None."""
    with app.app_context():
        if not str(app.config["DATABASE_URL"]).startswith("sqlite"):
            return None
        moment = now()
        if not daily_due(last_good_at(), last_failed_at(), moment):
            return None
        try:
            made = back_up(BackupReason.DAILY, moment)
        except SecretVoteOpen:
            return None
    _log(made)
    return made


def keep_backing_up(app: Flask) -> None:
    """Run ``run_due_backups`` every ``BACKUP_ROUND_SECONDS`` (60), forever (the server starts
    it). The first round waits one: a box just switched on serves its screens first."""
    period = float(app.config.get("BACKUP_ROUND_SECONDS") or ROUND_SECONDS)
    while True:
        socketio.sleep(period)
        try:
            run_due_backups(app)
        except Exception as error:  # a lost database: try again next round
            log.error("the backup scheduler could not act this round: %s", type(error).__name__)
        try:
            run_due_survey(app)
        except Exception as error:  # the same: next round
            log.error("the survey scheduler could not act this round: %s", type(error).__name__)


def run_due_survey(app: Flask) -> SurveyView | None:
    """The quarter's satisfaction survey made and opened if due (``SURVEY_PERIODIC``; the
    first read of the surveys in the quarter does the same when no server round came first)."""
    with app.app_context():
        return ensure_periodic_survey()


def back_up_closed(app: Flask, meeting_id: int) -> RunOut | None:
    """The backup after ``meeting_id`` closed (None: refused, a secret vote is open elsewhere;
    the daily round catches up)."""
    with app.app_context():
        try:
            made = back_up(BackupReason.CLOSED, now(), meeting_id)
        except SecretVoteOpen:
            return None
    _log(made)
    return made


def backup_after_close(meeting_id: int) -> Any:
    """The backup after a meeting closed. Registered by the composition root under
    ``store.backups.AFTER_CLOSE``; ``store.backups.meeting_closed`` calls it. Serving (gevent),
    it runs in the background and the close answers at once (the greenlet is returned);
    elsewhere (tests, commands) it is done before returning (the run is returned), so no
    thread outlives its caller."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("SOCKETIO_ASYNC_MODE") == "gevent":
        return socketio.start_background_task(back_up_closed, app, meeting_id)
    return back_up_closed(app, meeting_id)


def _log(made: RunOut) -> None:
    if made.ok:
        log.info("backup written and verified: %s (%.2f s)", made.path, made.seconds)
    else:
        log.error("backup failed: %s", made.error)
