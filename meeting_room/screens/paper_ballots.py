"""The clerk's paper ballots of a voting period (/clerk/assembly/<period>/ballots): print the
batch and the delivery lists, record deliveries, upload photos or scans of returned ballots,
decide the marks the reader left to the clerk, and the report of what was read.

Server-rendered forms: each posts here, calls ``paper.service`` (the one writer, audited) and
comes back with what happened in words; a refusal is said on the page.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from meeting_room.access.principal import current_principal
from meeting_room.access.roles import Role, allow
from meeting_room.assembly.service import get_period
from meeting_room.clock import local, now
from meeting_room.domain.paper import Delivery, ReviewDecision, ReviewReason, ScanResult, Unread
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.paper import service, snapshot
from meeting_room.store.models.paper import BallotScan, MarkReview
from meeting_room.store.storage import transaction
from meeting_room.web.messages import describe

# The PDF makers load reportlab and OpenCV: only when a PDF is asked for (a phone never does).
if TYPE_CHECKING:
    from devices.ballot_pdf import BallotWords

bp = Blueprint("paper_ballots", __name__)


def _(message: str, **values: object) -> str:
    return str(gettext(message, **values))


def _by() -> str:
    who = current_principal()
    return who.username or who.device_name


def _folder() -> Path:
    """Where scans and crops are kept: the instance folder, private like the database."""
    return Path(current_app.instance_path) / "ballot-scans"


def delivery_name(delivery: Delivery | None) -> str:
    """A delivery in the screen's words."""
    return {
        Delivery.HANDED: _("Handed to the owner"),
        Delivery.LEFT: _("Left at the door"),
        Delivery.REFUSED: _("Refused"),
        None: _("Not delivered yet"),
    }[delivery]


def reason_name(reason: ReviewReason) -> str:
    """Why the reader left a mark to the clerk, in words."""
    return {
        ReviewReason.NONE: _("No box is marked"),
        ReviewReason.TWO: _("More than one box is marked"),
        ReviewReason.BETWEEN: _("A mark between boxes, or too faint to tell"),
        ReviewReason.DAMAGED: _("The page is torn or covered at the boxes"),
    }[reason]


def decision_name(decision: ReviewDecision) -> str:
    """The clerk's decision in words."""
    return {
        ReviewDecision.FOR: _("For"),
        ReviewDecision.AGAINST: _("Against"),
        ReviewDecision.ABSTAIN: _("Abstain"),
        ReviewDecision.INVALID: _("No valid choice"),
    }[decision]


def result_name(result: ScanResult) -> str:
    """What became of a page, in words."""
    return {
        ScanResult.COUNTED: _("Counted"),
        ScanResult.REVIEW: _("Counted; some marks wait for the clerk"),
        ScanResult.UNREADABLE: _(
            "Not read: corners or QR code not found. Take the photo again, flat and whole."
        ),
        ScanResult.UNKNOWN: _("Refused: no ballot of this box has this serial"),
        ScanResult.WRONG_PERIOD: _("Refused: this ballot belongs to another voting period"),
        ScanResult.TWICE: _("Refused: this ballot was counted already"),
        ScanResult.LAYOUT: _("Refused: the page's matters are not this period's"),
    }[result]


def unread_name(unread: Unread | None) -> str:
    """Why a page was not read, and what the clerk can do, in words."""
    if unread is Unread.NO_SERIAL:
        return _(
            "Not read: its QR code could not be read. Type the serial printed under it in "
            "the review queue."
        )
    return _("Not read: its corner squares were not found. Take the photo again, flat and whole.")


def _outcome_message(name: str, outcome: service.ScanOutcome) -> tuple[str, str]:
    """The message for one uploaded page and its kind (done or refused)."""
    unread = outcome.result is ScanResult.UNREADABLE
    said = unread_name(outcome.unread) if unread else result_name(outcome.result)
    if outcome.result in (ScanResult.COUNTED, ScanResult.REVIEW):
        text = _(
            "%(name)s: %(address)s (%(serial)s) %(result)s: %(read)d read, %(review)d to review.",
            name=name,
            address=outcome.address,
            serial=outcome.serial or "",
            result=said,
            read=outcome.read,
            review=outcome.review,
        )
        if outcome.refused_matters:
            text += " " + _(
                "Not counted again (the unit had voted on them): %(matters)s.",
                matters="、".join(outcome.refused_matters),
            )
        return text, "done"
    where = f" {outcome.address}" if outcome.address else ""
    return f"{name}:{where} {outcome.serial or ''} {said}", "refused"


@bp.get("/clerk/assembly/<int:period_id>/ballots")
@allow(Role.CLERK)
def page(period_id: int) -> ResponseReturnValue:
    """Printing, delivery, scanning and the report, on one page."""
    with transaction() as s:
        period = get_period(s, period_id)
        buildings = snapshot.units_by_building(s, period_id)
        report = snapshot.scan_report(s, period_id)
        waiting = sum(1 for r in snapshot.review_lines(s, period_id) if r.decision is None)
        waiting += sum(
            1 for p in snapshot.unread_pages(s, period_id) if p.unread is Unread.NO_SERIAL
        )
        scans = snapshot.scan_lines(s, period_id)
        html = render_template(
            "clerk_paper_ballots.html",
            period=period,
            buildings=buildings,
            report=report,
            waiting=waiting,
            scans=scans,
            deliveries=list(Delivery),
            delivery_name=delivery_name,
            result_name=result_name,
            unread_name=unread_name,
            local=local,
            now=local(now()),
        )
    return html, 200, {"Cache-Control": "no-store"}


def answer(
    period_id: int,
    said: str | Refusal,
    anchor: str = "",
    kind: str = "refused",
    endpoint: str = "paper_ballots.page",
    **values: Any,
) -> ResponseReturnValue:
    """Every paper form's answer: what happened (a refusal in words) said on the page it came
    from (``endpoint``, the paper page unless named), back at ``anchor``."""
    flash(describe(said) if isinstance(said, Refusal) else said, kind)
    where = url_for(endpoint, period_id=period_id, **values)
    return redirect(where + (f"#{anchor}" if anchor else ""))


def _words() -> BallotWords:
    from devices.ballot_pdf import BallotWords

    return BallotWords(
        title=_("Owners' assembly ballot"),
        instructions=[
            _("Mark ONE box for each matter with √ or ×, or fill it in."),
            _("A page with two marks, or a mark outside the boxes, is decided by the clerk."),
            _("Sign, then put it into the sealed ballot box or hand it in at the office."),
        ],
        choices=(_("Agree"), _("Against"), _("Abstain")),  # 同意 / 反对 / 弃权, as halls print
        signature=_("Signature"),
        date=_("Date"),
        area_label=_("Exclusive floor area"),
    )


@bp.get("/clerk/assembly/<int:period_id>/ballots.pdf")
@allow(Role.CLERK)
def ballots_file(period_id: int) -> ResponseReturnValue:
    """Every unit's ballot as one PDF (a serial is given to each unit that has none)."""
    from devices.ballot_pdf import BallotPage, ballots_pdf

    try:
        printed = service.print_batch(period_id, _by())
    except Refusal as refusal:
        return answer(period_id, refusal, "print")
    with transaction() as s:
        matters = [m.title for m in service.matters_of(s, period_id)]
    pages = [
        BallotPage(ballot.serial, unit.address, f"{unit.area_m2:.2f} m²", matters)
        for ballot, unit in printed
    ]
    pdf = ballots_pdf(pages, _words())
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f"inline; filename=ballots-{period_id}.pdf"},
    )


@bp.get("/clerk/assembly/<int:period_id>/deliveries.pdf")
@allow(Role.CLERK)
def deliveries_file(period_id: int) -> ResponseReturnValue:
    """The delivery lists, one a building, with what is on record so far."""
    from devices.ballot_pdf import DeliveryRow, delivery_lists_pdf

    with transaction() as s:
        get_period(s, period_id)
        buildings = snapshot.units_by_building(s, period_id)
    lists = [
        (
            _("Building %(building)s", building=building),
            [
                DeliveryRow(
                    u.address, u.serial or "", delivery_name(u.delivery) if u.delivery else ""
                )
                for u in units
            ],
        )
        for building, units in buildings
    ]
    headings = (_("Address"), _("Serial"), _("On record"), _("Delivered by"), _("Delivery time"))
    pdf = delivery_lists_pdf(lists, headings)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f"inline; filename=deliveries-{period_id}.pdf"},
    )


@bp.post("/clerk/assembly/<int:period_id>/ballots/<int:ballot_id>/delivery")
@allow(Role.CLERK)
def record_delivery(period_id: int, ballot_id: int) -> ResponseReturnValue:
    """Record a ballot's delivery: who took it, when, and how it was received."""
    anchor = f"ballot-{ballot_id}"
    try:
        delivery = Delivery(request.form.get("delivery", ""))
        at = datetime.fromisoformat(request.form.get("delivered_at", ""))
    except ValueError:
        return answer(period_id, _("Please choose how the ballot was delivered and when."), anchor)
    if at.tzinfo is None:  # typed in the hall's time, as the screen shows it
        at = at.replace(tzinfo=ZoneInfo(current_app.config["TIMEZONE"]))
    try:
        address = service.record_delivery(
            period_id, ballot_id, delivery, request.form.get("delivered_by", ""), at, _by()
        )
    except Refusal as refusal:
        return answer(period_id, refusal, anchor)
    said = _(
        "Delivery recorded for %(address)s: %(how)s.", address=address, how=delivery_name(delivery)
    )
    return answer(period_id, said, anchor, "done")


@bp.post("/clerk/assembly/<int:period_id>/scans")
@allow(Role.CLERK)
def upload_scans(period_id: int) -> ResponseReturnValue:
    """Read every uploaded photo or scan, one page each, and say what became of each."""
    from devices.cards import PhotoTooLarge  # OpenCV: only when pages are read

    files = [f for f in request.files.getlist("pages") if f.filename]
    if not files:
        return answer(period_id, _("Please choose one or more photos or scans."), "scan")
    for upload in files:
        name = Path(upload.filename or "").name or "camera"
        try:
            outcome = service.scan_page(period_id, upload.read(), name, _by(), _folder())
            message, kind = _outcome_message(name, outcome)
            flash(message, kind)
        except PhotoTooLarge as large:
            flash(
                describe(
                    Refusal(Problem.PHOTO_TOO_LARGE, pixels=large.pixels // 1_000_000, limit=64)
                ),
                "refused",
            )
        except ValueError:
            flash(describe(Refusal(Problem.PAPER_NOT_AN_IMAGE, name=name)), "refused")
        except Refusal as refusal:
            flash(f"{name}: {describe(refusal)}", "refused")
    return redirect(url_for("paper_ballots.page", period_id=period_id) + "#scan")


@bp.get("/clerk/assembly/<int:period_id>/review")
@allow(Role.CLERK)
def review(period_id: int) -> ResponseReturnValue:
    """What waits for the clerk: the marks the reader left (each row's image beside its unit and
    matter) and the pages whose QR code was not read (the clerk types the printed serial)."""
    with transaction() as s:
        period = get_period(s, period_id)
        lines = snapshot.review_lines(s, period_id)
        html = render_template(
            "clerk_paper_review.html",
            period=period,
            lines=lines,
            unread=snapshot.unread_pages(s, period_id),
            decisions=list(ReviewDecision),
            decision_name=decision_name,
            reason_name=reason_name,
            unread_name=unread_name,
            local=local,
        )
    return html, 200, {"Cache-Control": "no-store"}


@bp.post("/clerk/assembly/<int:period_id>/review/<int:review_id>")
@allow(Role.CLERK)
def decide(period_id: int, review_id: int) -> ResponseReturnValue:
    """Decide a disputed mark (recorded with the clerk's name)."""
    back = "paper_ballots.review"
    try:
        decision = ReviewDecision(request.form.get("decision", ""))
    except ValueError:
        return answer(period_id, _("Please choose a decision."), endpoint=back)
    try:
        address = service.decide_review(period_id, review_id, decision, _by())
    except Refusal as refusal:
        return answer(period_id, refusal, endpoint=back)
    said = _(
        "%(address)s: decided “%(decision)s”, recorded with your name.",
        address=address,
        decision=decision_name(decision),
    )
    return answer(period_id, said, kind="done", endpoint=back)


@bp.get("/clerk/assembly/<int:period_id>/review/<int:review_id>/crop.png")
@allow(Role.CLERK)
def crop(period_id: int, review_id: int) -> ResponseReturnValue:
    """The straightened row of a disputed mark."""
    with transaction() as s:
        review = s.get(MarkReview, review_id)
        if review is None or review.period_id != period_id:
            abort(404)
        path = _folder() / review.crop_path
    if not path.is_file():
        abort(404)
    return Response(path.read_bytes(), mimetype="image/png", headers={"Cache-Control": "no-store"})


@bp.get("/clerk/assembly/<int:period_id>/scans/<int:scan_id>/image")
@allow(Role.CLERK)
def scan_image(period_id: int, scan_id: int) -> ResponseReturnValue:
    """The page as it was photographed or scanned (kept, its SHA-256 on record)."""
    with transaction() as s:
        scan = s.get(BallotScan, scan_id)
        if scan is None or scan.period_id != period_id:
            abort(404)
        path = _folder() / scan.image_path
    if not path.is_file():
        abort(404)
    body = path.read_bytes()
    kind = "png" if body.startswith(b"\x89PNG") else "webp" if body[8:12] == b"WEBP" else "jpeg"
    return Response(body, mimetype=f"image/{kind}", headers={"Cache-Control": "no-store"})
