"""The projector (/projector): what the whole room reads on the wall: attendance and quorum,
the floor, and a poll while it is open and for five minutes after it closed."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Blueprint, render_template
from flask_babel import gettext

from meeting_room.access.roles import Role, allow
from meeting_room.clock import now
from meeting_room.domain.words import PollStatus
from meeting_room.floor.snapshot import floor_snapshot
from meeting_room.followup import service as followup
from meeting_room.meetings.meetings import summarise_attendance
from meeting_room.meetings.snapshot import attendance_snapshot
from meeting_room.screens.common import meeting_in_view
from meeting_room.store.models.voting import Poll
from meeting_room.store.storage import transaction
from meeting_room.voting.snapshot import current_poll, poll_view
from meeting_room.web.addresses import join_url, qr_svg
from meeting_room.web.messages import escalation_name

bp = Blueprint("projector", __name__)
# How long a closed poll's result stays on the wall before the floor layout comes back.
POLL_RESULT_SECONDS = 300


def poll_on_wall(poll: Poll | None, moment: datetime) -> bool:
    """Whether the wall shows the poll: while it is open, and for a while after it closed."""
    if poll is None or poll.status == PollStatus.DRAFT:
        return False
    if poll.status == PollStatus.OPEN:
        return True
    return poll.closed_at is not None and moment - poll.closed_at < timedelta(
        seconds=POLL_RESULT_SECONDS
    )


@bp.get("/projector")
@allow(Role.PROJECTOR, Role.MODERATOR, Role.CLERK)
def page() -> str:
    """The wall screen: attendance and quorum with the kiosk's QR code; the floor (speaker,
    countdown, queue) while an item is under discussion; its statistics once it is done; a poll
    while it is open, then its result, ahead of the floor."""
    moment = now()
    with transaction() as session:
        meeting_id = meeting_in_view(session).id
    follow_item_id, follow_actions = followup.report_of(meeting_id)
    with transaction() as session:
        meeting = meeting_in_view(session)
        snapshot = attendance_snapshot(summarise_attendance(session, meeting))
        poll = current_poll(session, meeting)
        return render_template(
            "projector.html",
            meeting=meeting,
            snapshot=snapshot.model_dump(mode="json"),
            floor=floor_snapshot(session, meeting, moment).model_dump(mode="json"),
            poll=poll_view(session, poll, moment).model_dump(mode="json") if poll else None,
            poll_on_wall=poll_on_wall(poll, moment),
            poll_result_seconds=POLL_RESULT_SECONDS,
            # A phone that scans it gets /join (the meeting, and the way to the kiosk).
            join_qr=qr_svg(join_url(), label=gettext("QR code of the meeting's phone page")),
            join_url=join_url(),
            server_now=moment,
            follow_item_id=follow_item_id,
            follow_actions=follow_actions,
            escalation_name=escalation_name,
        )
