"""The paper screen's camera mode (/clerk/assembly/<period>/camera): the clerk starts and stops
the box's camera, lays the ballots under it one after another, and follows what it sees, the
last frame small and the running tally, live over ``/paper`` (``paper.camera``).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from flask.typing import ResponseReturnValue

from meeting_room.access.roles import Role, allow
from meeting_room.assembly.service import get_period
from meeting_room.clock import local
from meeting_room.domain.paper import ScanResult
from meeting_room.paper.camera import desk
from meeting_room.paper.service import camera_switched
from meeting_room.screens.paper_ballots import _, _by, _folder, answer, result_name
from meeting_room.store.storage import transaction

bp = Blueprint("paper_camera", __name__)
PAGE = "paper_camera.page"


def status_words() -> dict[str, str]:
    """What the camera sees, in the screen's words, by the snapshot's status."""
    return {
        "stopped": _("The camera is stopped."),
        "starting": _("Starting the camera…"),
        "not_found": _(
            "Camera not found. Plug the USB camera into the box, check it is the one "
            "configured, and start again."
        ),
        "refused": _(
            "The camera stopped: this voting period takes no more paper ballots (the "
            "preliminary result is published)."
        ),
        "no_page": _("Waiting for a page: lay a ballot flat under the camera."),
        "moving": _("A page is there: hold it still…"),
        "blurred": _("The page is blurred: hold it still, or focus the camera."),
        "new_page": _("Reading the page…"),
        "same_page": _("This page was read already: lay the next one."),
        "page_read": _("Page read: take it away and lay the next one."),
    }


@bp.get("/clerk/assembly/<int:period_id>/camera")
@allow(Role.CLERK)
def page(period_id: int) -> ResponseReturnValue:
    """The camera mode of the period's paper ballots."""
    with transaction() as s:
        period = get_period(s, period_id)
    view = desk().view(period_id)
    html = render_template(
        "clerk_paper_camera.html",
        period=period,
        view=view,
        status_words=status_words(),
        results={r.value: result_name(r) for r in ScanResult},
        local=local,
    )
    return html, 200, {"Cache-Control": "no-store"}


@bp.post("/clerk/assembly/<int:period_id>/camera/start")
@allow(Role.CLERK)
def start(period_id: int) -> ResponseReturnValue:
    """Start counting with the camera (stopping it for any other period); audited."""
    with transaction() as s:
        get_period(s, period_id)
    before = desk().view(period_id)
    if not before.running:  # in the log first: the screens hear of the camera as it starts
        camera_switched(period_id, True, _by(), before.device)
    desk().start(period_id, _by(), _folder())
    return answer(
        period_id,
        _("The camera is on: lay the ballots under it one by one."),
        "camera",
        "done",
        PAGE,
    )


@bp.post("/clerk/assembly/<int:period_id>/camera/stop")
@allow(Role.CLERK)
def stop(period_id: int) -> ResponseReturnValue:
    """Stop the camera (the page in hand is finished first); audited."""
    before = desk().view(period_id)
    if before.running:  # in the log first: the screens hear of the stop as it happens
        camera_switched(period_id, False, _by(), before.device)
    desk().stop(period_id)
    return answer(period_id, _("The camera is stopped."), "camera", "done", PAGE)


@bp.get("/clerk/assembly/<int:period_id>/camera/preview.jpg")
@allow(Role.CLERK)
def preview(period_id: int) -> ResponseReturnValue:
    """The camera's last frame, small (404 before the first)."""
    body = desk().preview(period_id)
    if not body:
        abort(404)
    return Response(body, mimetype="image/jpeg", headers={"Cache-Control": "no-store"})
