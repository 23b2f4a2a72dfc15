"""The staff's reports screen (/clerk/reports): the hall's figures for a month, quarter or year
as charts, each chart also a table with the same figures, each figure a link to what it was
counted from; the same report as a PDF and an Excel file; and the participation credit
settings (/clerk/credits), whose one writer is ``reports.service`` (audited).

The period is picked by a plain form (it works without a script) and named in the URL
(``2026-q4``, ``2026-m12``, ``2026``), so a report can be bookmarked and reopened.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from pydantic import ValidationError

from meeting_room.access.roles import Role, allow
from meeting_room.clock import today
from meeting_room.domain.credits import Deed
from meeting_room.domain.reports import Period, PeriodKind, parse_period, period, period_of
from meeting_room.reports import service
from meeting_room.reports.documents import generated_at, header, report_pdf, report_xlsx
from meeting_room.reports.drill import drill
from meeting_room.reports.schemas import CreditSettingsIn
from meeting_room.reports.tables import period_name, tables
from meeting_room.reports.words import deed_name
from meeting_room.screens.forms import field_errors, staff_name
from meeting_room.screens.forms import words as _

bp = Blueprint("reports", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period(key: str) -> Period:
    try:
        return parse_period(key)
    except (ValueError, KeyError):
        abort(404)


def _to(chosen: Period) -> ResponseReturnValue:
    """To the report of ``chosen``, in the language asked for (if one was)."""
    return redirect(url_for("reports.page", key=chosen.key, lang=request.args.get("lang")))


@bp.get("/clerk/reports")
@allow(Role.CLERK, Role.MODERATOR)
def index() -> ResponseReturnValue:
    """The period form's answer (kind, year, number), or this quarter."""
    kind_word = request.args.get("kind", "")
    if kind_word not in set(PeriodKind):
        return _to(period_of(PeriodKind.QUARTER, today()))
    kind = PeriodKind(kind_word)
    try:
        year = int(request.args.get("year", today().year))
        number = int(request.args.get("quarter" if kind is PeriodKind.QUARTER else "month", 1))
        chosen = period(kind, year, number)
    except ValueError:
        flash(_("Please pick a month, a quarter or a year."), "refused")
        return _to(period_of(PeriodKind.QUARTER, today()))
    return _to(chosen)


@bp.get("/clerk/reports/<key>")
@allow(Role.CLERK, Role.MODERATOR)
def page(key: str) -> str:
    """The figures of one period, charts and tables, each figure linked to what lies behind it."""
    chosen = _period(key)
    report = service.period_report(chosen)
    return render_template(
        "reports.html",
        report=report,
        period=chosen,
        period_words=period_name(chosen),
        tables=tables(report),
        header=header(),
        years=range(today().year - 5, today().year + 1),
    )


@bp.get("/clerk/reports/<key>/figures/<figure>")
@allow(Role.CLERK, Role.MODERATOR)
def figure(key: str, figure: str) -> str:
    """What one figure was counted from: the meetings, action items or ratings behind it."""
    chosen = _period(key)
    behind = drill(service.period_report(chosen), figure)
    if behind is None:
        abort(404)
    return render_template(
        "reports_figure.html", behind=behind, period=chosen, period_words=period_name(chosen)
    )


@bp.get("/clerk/reports/<key>/report.pdf")
@allow(Role.CLERK, Role.MODERATOR)
def pdf(key: str) -> Response:
    """The report as a PDF to print and file."""
    report = service.period_report(_period(key))
    name = f"report-{key}.pdf"
    return Response(
        report_pdf(report, generated_at()),
        mimetype="application/pdf",
        headers={"Content-Disposition": f"attachment; filename={name}"},
    )


@bp.get("/clerk/reports/<key>/report.xlsx")
@allow(Role.CLERK, Role.MODERATOR)
def xlsx(key: str) -> Response:
    """The report as an Excel workbook."""
    report = service.period_report(_period(key))
    return Response(
        report_xlsx(report),
        mimetype=XLSX,
        headers={"Content-Disposition": f"attachment; filename=report-{key}.xlsx"},
    )


@bp.get("/clerk/credits")
@allow(Role.CLERK)
def credits_page() -> str:
    """The participation credit settings: on or off, and the points of each deed."""
    return render_template(
        "credit_settings.html", setup=service.credit_setup(), deeds=list(Deed), deed_name=deed_name
    )


@bp.post("/clerk/credits")
@allow(Role.CLERK)
def save_credits() -> ResponseReturnValue:
    """Save the credit settings (audited) and come back with what happened in words."""
    fields: dict[str, object] = {k: v for k, v in request.form.items() if k != "csrf_token"}
    fields["enabled"] = "enabled" in request.form
    try:
        wanted = CreditSettingsIn.model_validate(fields)
    except ValidationError as error:
        labels = {deed.value: deed_name(deed) for deed in Deed}
        for words in field_errors(error, labels):
            flash(words, "refused")
        return redirect(url_for("reports.credits_page"))
    service.save_credit_setup(wanted, staff_name())
    flash(_("Credit is on.") if wanted.enabled else _("Credit is off."), "done")
    return redirect(url_for("reports.credits_page"))
