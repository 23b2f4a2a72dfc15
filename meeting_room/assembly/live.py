"""The organisers' live view of a voting period over Socket.IO (/clerk, room ``period:<id>``).

Ballots reach a period through several writers: the office and the room (``assembly.service``,
``assembly.room``), the paper ballots' scans, deliveries and the clerk's review decisions
(``meeting_room.paper``). Rather than each of them remembering to broadcast, a flush listener
notes which periods a unit of work changed (any of the period's own rows, a paper ballot, a
mark review) and, once that unit of work has committed (``store.storage.after_commit``), asks
for one ``period`` snapshot per period: one broadcast per transaction at the most, coalesced
over ``BROADCAST_DELAY`` in a burst (a folder of 300 scans), as the polls' counts are.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from meeting_room.assembly.snapshot import period_live
from meeting_room.extensions import socketio
from meeting_room.store.models.assembly import (
    ExclusiveUnit,
    Objection,
    PeriodMatter,
    UnitBallot,
    VotingPeriod,
)
from meeting_room.store.models.paper import BallotScan, MarkReview, PaperBallot
from meeting_room.store.storage import after_commit, transaction
from meeting_room.web.coalescer import Coalescer
from meeting_room.web.rooms import CLERK

LIVE_KEY = "yishi.period_live"
TOUCHED = "yishi.periods_touched"
EVENT = "period"
OF_A_PERIOD = (
    UnitBallot,
    Objection,
    PeriodMatter,
    ExclusiveUnit,
    PaperBallot,
    BallotScan,
    MarkReview,
)


def period_room(period_id: int) -> str:
    """The Socket.IO room of the screens following one period (in /clerk)."""
    return f"period:{period_id}"


def emit_period(period_id: int) -> None:
    """Send the period's snapshot now to every screen following it."""
    with transaction() as s:
        snapshot = period_live(s, period_id)
    socketio.emit(
        EVENT, snapshot.model_dump(mode="json"), namespace=CLERK, to=period_room(period_id)
    )


def _period_of(row: object) -> int | None:
    if isinstance(row, VotingPeriod):
        return row.id
    if isinstance(row, OF_A_PERIOD):
        return row.period_id
    return None


def _after_flush(session: Session, _context: Any) -> None:
    touched = {
        period_id
        for row in chain(session.new, session.dirty, session.deleted)
        if (period_id := _period_of(row)) is not None
    }
    if not touched or not has_app_context() or LIVE_KEY not in current_app.extensions:
        return
    session.info.setdefault(TOUCHED, set()).update(touched)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    after_commit(session, LIVE_KEY, lambda: _broadcast(app, session.info.pop(TOUCHED, set())))


def _broadcast(app: Flask, periods: set[int]) -> None:
    coalescer: Coalescer = app.extensions[LIVE_KEY]
    for period_id in sorted(periods):
        coalescer.request(period_id)


def init_app(app: Flask) -> None:
    """Follow the periods' changes (once per process) and coalesce their broadcasts."""
    app.extensions[LIVE_KEY] = Coalescer(app, app.config["BROADCAST_DELAY"], emit_period)
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
