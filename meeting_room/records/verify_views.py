"""The administrator's verification page (/admin/verify): one button runs every check of
``yishi verify`` and shows each check's result in words, with an optional anchor read off the
minutes or the projector. Server-rendered (no script): the form posts, the page answers with
the report. It changes nothing, so it is safe to run during a meeting (it reads the whole
log: seconds on a big box, while the page shows that it is working)."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from meeting_room.access.roles import Role, allow
from meeting_room.records import service
from meeting_room.records.verify_report import Report
from meeting_room.records.verify_words import report_words

bp = Blueprint("verify_admin", __name__)
ANCHOR_FIELD_LIMIT = 2000  # a few anchors, one a line: longer input is cut, not an error


def _page(report: Report | None, anchors: str) -> ResponseReturnValue:
    checks = report_words(report.checks) if report else []
    page = render_template(
        "admin_verify.html",
        report=report,
        checks=checks,
        failed=sum(1 for c in checks if not c.ok),
        anchors=anchors,
    )
    return page, 200, {"Cache-Control": "no-store"}


@bp.get("/admin/verify")
@allow(Role.ADMIN)
def verify_page() -> ResponseReturnValue:
    """The form: an optional anchor (``?anchor=`` fills it in) and the button."""
    return _page(None, request.args.get("anchor", "")[:ANCHOR_FIELD_LIMIT])


@bp.post("/admin/verify")
@allow(Role.ADMIN)
def verify_now() -> ResponseReturnValue:
    """Run every check now and show the report (each anchor given, one a line, is checked)."""
    anchors = request.form.get("anchors", "")[:ANCHOR_FIELD_LIMIT]
    return _page(service.verify(anchors.splitlines()), anchors)
