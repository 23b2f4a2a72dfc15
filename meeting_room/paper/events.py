"""Socket.IO events of the paper ballots (see docs/events.md): ``/paper``, the clerk's paper
screen of a voting period following the box's camera while it counts.

The camera itself is started and stopped by the screen's forms (``screens.paper_camera``); its
loop broadcasts ``camera`` snapshots to the period's room (``paper.camera``).
"""

from __future__ import annotations

from flask_socketio import join_room
from pydantic import BaseModel

from meeting_room.access.roles import Role
from meeting_room.access.sockets import namespace, on_event
from meeting_room.assembly.service import get_period
from meeting_room.paper.camera import CameraView, desk
from meeting_room.store.storage import transaction
from meeting_room.web.rooms import PAPER, paper_room


class PeriodIn(BaseModel):
    """Which voting period's paper screen joins."""

    period_id: int


class PaperJoined(BaseModel):
    """What the paper screen starts from: the camera as it is."""

    camera: CameraView


def join_paper(wanted: PeriodIn) -> PaperJoined:
    """Sent by the clerk's paper screen on (re)connect; answers the camera's snapshot, then
    the screen receives ``camera`` snapshots of the period."""
    with transaction() as s:
        get_period(s, wanted.period_id)  # refused in words when there is no such period
    join_room(paper_room(wanted.period_id))
    return PaperJoined(camera=desk().view(wanted.period_id))


def register() -> None:
    """Bind the namespace (clerks) and its ``join``."""
    namespace(PAPER, [Role.CLERK])
    on_event("join", join_paper, PAPER, [Role.CLERK])
