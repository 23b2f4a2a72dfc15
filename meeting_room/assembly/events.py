"""Socket.IO events of the voting period (see docs/events.md).

/clerk: period.join with {period_id}: the organisers' view follows the period; answered with
its snapshot, then sent ``period`` after every committed change (``assembly.live``).
"""

from __future__ import annotations

from flask_socketio import join_room

from meeting_room.access.roles import Role
from meeting_room.access.sockets import on_event
from meeting_room.assembly.live import period_room
from meeting_room.assembly.schemas import PeriodIn, PeriodJoined
from meeting_room.assembly.snapshot import period_live
from meeting_room.store.storage import transaction
from meeting_room.web.rooms import CLERK


def period_join(wanted: PeriodIn) -> PeriodJoined:
    """The organisers' view: follow a period; answers its snapshot now."""
    with transaction() as s:
        joined = PeriodJoined(period=period_live(s, wanted.period_id))
    join_room(period_room(wanted.period_id))
    return joined


def register() -> None:
    """Bind the voting period's handlers on this app's server."""
    on_event("period.join", period_join, CLERK, [Role.CLERK])
