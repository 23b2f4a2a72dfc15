"""The period's report as files the street can file: a PDF (charts and tables, the CJK font
embedded) and an Excel workbook (a sheet per table, and the meetings and action items behind
them), both made from ``reports.tables`` so they say what the screen says."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext

from devices.document_pdf import Bars, Block, Document, Grid, Heading, Text, document_pdf
from meeting_room.clock import now
from meeting_room.domain.credits import Credit
from meeting_room.records.document import when
from meeting_room.records.spreadsheets import Cell, to_xlsx_book
from meeting_room.records.spreadsheets import Table as Sheet
from meeting_room.reports.drill import Drill, drill
from meeting_room.reports.figures import Report
from meeting_room.reports.tables import Table, period_name, tables
from meeting_room.reports.words import deed_name


def _(message: str, **values: object) -> str:
    return str(gettext(message, **values))


def header() -> list[str]:
    """The columns of every figure table."""
    return [_("Figure"), _("Count"), _("Share (%)"), _("Target"), _("Target met")]


def _lines(table: Table) -> list[list[Cell]]:
    return [[r.label, r.counts, r.percent, r.target, r.verdict] for r in table.rows]


def _bars(table: Table) -> Bars:
    return Bars(
        [
            (
                r.label,
                float(r.ratio) if r.ratio is not None else None,
                f"{r.percent}%" if r.percent else "—",
                float(r.share.target) if r.share.target is not None else None,
            )
            for r in table.rows
            if not r.count_only
        ]
    )


def _behind(report: Report) -> list[Drill]:
    """The lists every figure was counted from, for the files."""
    found = [drill(report, key) for key in ("publication", "records", "actions", "ratings")]
    return [d for d in found if d is not None]


def title(report: Report) -> str:
    """The report's title."""
    return _("Report of the deliberation hall · %(period)s", period=period_name(report.period))


def report_pdf(report: Report, generated: str) -> bytes:
    """The report as a PDF in the current language."""
    blocks: list[Block] = [
        Heading(title(report), 0),
        Text(
            _("As of %(day)s · generated %(time)s", day=report.today.isoformat(), time=generated),
            small=True,
            centered=True,
        ),
    ]
    for table in tables(report):
        blocks += [Heading(table.title), Text(table.note, small=True)]
        if any(not r.count_only for r in table.rows):
            blocks.append(_bars(table))
        blocks.append(
            Grid(
                header(),
                [[str(c) for c in line] for line in _lines(table)],
                (0.4, 0.15, 0.15, 0.15, 0.15),
            )
        )
    for behind in _behind(report):
        blocks += [
            Heading(behind.title, 2),
            Grid(behind.header, [[c.text for c in row] for row in behind.rows]),
        ]
    document = Document(
        title=title(report),
        blocks=blocks,
        footer=title(report),
        page=_("page %(page)s", page="{page}"),
    )
    return document_pdf(document, font_path=current_app.config.get("CJK_FONT_PATH"))


def report_xlsx(report: Report) -> bytes:
    """The report as an Excel workbook: a sheet per table, then the lists behind them."""
    sheets = [Sheet(t.title, header(), _lines(t)) for t in tables(report)]
    sheets += [
        Sheet(d.title, d.header, [[c.text for c in row] for row in d.rows]) for d in _behind(report)
    ]
    return to_xlsx_book(sheets)


def generated_at() -> str:
    """Now, as the files' footers write it."""
    return when(now())


def credit_slip_pdf(name: str, credit: Credit) -> bytes:
    """A member's own credit slip: each deed, its count and points, the total (no rank)."""
    lines = [[deed_name(line.deed), str(line.count), str(line.points)] for line in credit.lines]
    heading = _("Participation credit of %(name)s", name=name)
    document = Document(
        title=heading,
        blocks=[
            Heading(heading, 0),
            Text(_("As of %(time)s", time=generated_at()), small=True, centered=True),
            Grid([_("What you did"), _("Times"), _("Points")], lines, (0.6, 0.2, 0.2)),
            Text(_("Total: %(total)s points", total=credit.total)),
            Text(_("Only you see your credit. Thank you for taking part."), small=True),
        ],
        footer=_("Yishi"),
        page=_("page %(page)s", page="{page}"),
    )
    return document_pdf(document, font_path=current_app.config.get("CJK_FONT_PATH"))
