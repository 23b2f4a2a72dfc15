"""The clerk's second look at paper ballots: a page whose QR code was not read, counted under
the serial the clerk types from its printed line; and any page read, matter by matter, its crop
beside the value read, where the clerk may change a value with a written reason until the
preliminary result is published (``paper.service.enter_serial`` and ``dispute``).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask.typing import ResponseReturnValue

from meeting_room.access.roles import Role, allow
from meeting_room.assembly.service import get_period
from meeting_room.clock import local, now
from meeting_room.domain.assembly import ballot_refused
from meeting_room.domain.paper import ReviewDecision, ScanResult
from meeting_room.domain.problems import Refusal
from meeting_room.paper import service, snapshot
from meeting_room.screens.paper_ballots import (
    _,
    _by,
    _folder,
    answer,
    decision_name,
    reason_name,
    result_name,
)
from meeting_room.store.models.paper import BallotScan
from meeting_room.store.storage import transaction

bp = Blueprint("paper_disputes", __name__)


@bp.post("/clerk/assembly/<int:period_id>/scans/<int:scan_id>/serial")
@allow(Role.CLERK)
def enter_serial(period_id: int, scan_id: int) -> ResponseReturnValue:
    """Count a page whose QR code was not read under the serial the clerk typed."""
    back = "paper_ballots.review"
    try:
        outcome = service.enter_serial(
            period_id, scan_id, request.form.get("serial", ""), _by(), _folder()
        )
    except Refusal as refusal:
        return answer(period_id, refusal, f"unread-{scan_id}", endpoint=back)
    said = _(
        "%(address)s (%(serial)s): counted under the serial you typed, recorded with your name: "
        "%(read)d read, %(review)d to review.",
        address=outcome.address,
        serial=outcome.serial or "",
        read=outcome.read,
        review=outcome.review,
    )
    return answer(period_id, said, kind="done", endpoint=back)


@bp.get("/clerk/assembly/<int:period_id>/scans/<int:scan_id>")
@allow(Role.CLERK)
def page_read(period_id: int, scan_id: int) -> ResponseReturnValue:
    """A page read, matter by matter: the crop, the value read, what counts, the disputes."""
    with transaction() as s:
        period = get_period(s, period_id)
        detail = snapshot.page_detail(s, period_id, scan_id)
        if detail is None:
            abort(404)
        # Disputes are taken while paper is still counted: until the preliminary result.
        open_for_disputes = ballot_refused(period.state, True, now(), period.closes_at) is None
        html = render_template(
            "clerk_paper_page.html",
            period=period,
            detail=detail,
            counted=detail.scan.result in (ScanResult.COUNTED, ScanResult.REVIEW),
            open_for_disputes=open_for_disputes,
            published=period.preliminary_at is not None,
            decisions=list(ReviewDecision),
            decision_name=decision_name,
            reason_name=reason_name,
            result_name=result_name,
            local=local,
        )
    return html, 200, {"Cache-Control": "no-store"}


@bp.post("/clerk/assembly/<int:period_id>/scans/<int:scan_id>/matters/<int:matter>/dispute")
@allow(Role.CLERK)
def dispute(period_id: int, scan_id: int, matter: int) -> ResponseReturnValue:
    """Change a value the reader read by itself, with a written reason (kept with the name)."""
    anchor = f"matter-{matter}"
    back = "paper_disputes.page_read"
    try:
        decision = ReviewDecision(request.form.get("decision", ""))
    except ValueError:
        return answer(
            period_id, _("Please choose a decision."), anchor, endpoint=back, scan_id=scan_id
        )
    try:
        address = service.dispute(
            period_id, scan_id, matter, decision, request.form.get("reason", ""), _by()
        )
    except Refusal as refusal:
        return answer(period_id, refusal, anchor, endpoint=back, scan_id=scan_id)
    said = _(
        "%(address)s, matter %(num)d: changed to “%(decision)s”, recorded with your name and "
        "reason; the reader's value is kept beside it.",
        address=address,
        num=matter,
        decision=decision_name(decision),
    )
    return answer(period_id, said, anchor, "done", back, scan_id=scan_id)


@bp.get("/clerk/assembly/<int:period_id>/scans/<int:scan_id>/matters/<int:matter>/crop.png")
@allow(Role.CLERK)
def matter_crop(period_id: int, scan_id: int, matter: int) -> ResponseReturnValue:
    """The straightened row of one matter of a kept page (made from the image when first asked)."""
    with transaction() as s:
        scan = s.get(BallotScan, scan_id)
        if scan is None or scan.period_id != period_id or not 1 <= matter <= len(scan.readings):
            abort(404)
        digest, image_path, matters = scan.sha256, scan.image_path, len(scan.readings)
    try:
        png = service.matter_crop(_folder(), digest, image_path, matter - 1, matters)
    except (OSError, ValueError):
        abort(404)
    return Response(png, mimetype="image/png", headers={"Cache-Control": "no-store"})
