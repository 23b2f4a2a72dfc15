"""The phone landing page (/join): what a resident who scanned the projector's or the
printed QR from their seat sees. Not a staff page: the meeting (title, time, place, state),
its agenda, and the one thing to do, signing in at the kiosk for the personal voting code;
then the notice board. Open to anyone in the hall; nothing personal on it."""

from __future__ import annotations

from flask import Blueprint, render_template

from meeting_room.access.roles import Role, allow
from meeting_room.domain.problems import Refusal
from meeting_room.floor.agenda import items_in_order
from meeting_room.screens.common import meeting_in_view
from meeting_room.store.storage import transaction

bp = Blueprint("join", __name__)


@bp.get("/join")
@allow(Role.ANYONE)
def page() -> str:
    """The meeting in view for a resident's phone; without one, a page that says so and
    leads to the notice board (never an error page: the QR hangs on the wall all year)."""
    with transaction() as session:
        try:
            meeting = meeting_in_view(session)
        except Refusal:
            return render_template("join.html", meeting=None, agenda=[])
        return render_template(
            "join.html", meeting=meeting, agenda=items_in_order(session, meeting)
        )
