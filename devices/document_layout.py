"""How ``devices.document_pdf`` lays a document out on A4 pages with reportlab.

Imported when the first document is drawn, not with the app: reportlab's flowables and the
CJK font take tens of MB.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from devices.document_pdf import Bars, Block, Code, Document, Grid, Heading, Signatures, Text
from devices.printing import MISSING_GLYPH, PdfSlipPrinter
from devices.qr import qr_matrix

MARGIN = 18 * mm
BODY_SIZE = 10.5
SIZES = {0: 18.0, 1: 14.0, 2: 12.0}
Command = tuple[Any, ...]  # a reportlab table style command
TONES = {"good": colors.Color(0.04, 0.36, 0.12), "bad": colors.Color(0.61, 0.05, 0.05)}
QR_SIDE = 24 * mm  # a phone reads a code of ~40 modules this size from a printed page


class _QrCode(Flowable):  # type: ignore[misc]  # reportlab ships no types
    """A QR code drawn as squares (sharp at any printer resolution), quiet zone included."""

    def __init__(self, data: str, side: float) -> None:
        super().__init__()
        self.matrix = qr_matrix(data)
        self.width = self.height = side

    def draw(self) -> None:
        module = self.width / len(self.matrix)
        canvas = self.canv
        canvas.setFillColor(colors.black)
        for row, line in enumerate(self.matrix):
            for column, dark in enumerate(line):
                if dark:
                    y = self.height - (row + 1) * module
                    canvas.rect(column * module, y, module, module, stroke=0, fill=1)


class _Bar(Flowable):  # type: ignore[misc]  # reportlab ships no types
    """One bar of a chart: a grey track, the share filled dark, the target as a red line."""

    def __init__(self, share: float | None, target: float | None, width: float) -> None:
        super().__init__()
        self.share, self.target = share, target
        self.width, self.height = width, 4 * mm

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFillColor(colors.Color(0.88, 0.88, 0.88))
        canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        if self.share is not None:
            canvas.setFillColor(colors.Color(0.1, 0.3, 0.55))
            canvas.rect(
                0, 0, self.width * min(max(self.share, 0), 1), self.height, stroke=0, fill=1
            )
        if self.target is not None:
            canvas.setStrokeColor(TONES["bad"])
            canvas.setLineWidth(1.2)
            x = self.width * self.target
            canvas.line(x, -1, x, self.height + 1)


class _Layout:
    """Turns blocks into reportlab flowables in the CJK font."""

    def __init__(self, font: str) -> None:
        self.font = font
        self.glyphs = pdfmetrics.getFont(font).face.charToGlyph

    def shown(self, text: str) -> str:
        return "".join(c if ord(c) in self.glyphs or c == "\n" else MISSING_GLYPH for c in text)

    def paragraph(self, text: str, size: float, align: int = TA_LEFT, tone: str = "") -> Paragraph:
        style = ParagraphStyle(
            f"doc-{size}-{align}-{tone}",
            fontName=self.font,
            fontSize=size,
            leading=size * 1.45,
            alignment=align,
            wordWrap="CJK",
            textColor=TONES.get(tone, colors.black),
        )
        return Paragraph(escape(self.shown(text)).replace("\n", "<br/>"), style)

    def flowables(self, block: Block, width: float) -> list[Flowable]:
        if isinstance(block, Heading):
            size = SIZES.get(block.level, BODY_SIZE)
            space = Spacer(0, size * (0.9 if block.level else 0.3))
            align = TA_CENTER if block.level == 0 else TA_LEFT
            return [space, self.paragraph(block.text, size, align), Spacer(0, size * 0.3)]
        if isinstance(block, Text):
            size = BODY_SIZE - 2 if block.small else BODY_SIZE
            align = TA_CENTER if block.centered else TA_LEFT
            return [self.paragraph(block.text, size, align, block.tone), Spacer(0, 1.5 * mm)]
        if isinstance(block, Grid):
            return [self.grid(block, width), Spacer(0, 3 * mm)]
        if isinstance(block, Code):
            return [self.code(block, width), Spacer(0, 2 * mm)]
        if isinstance(block, Bars):
            return [self.bars(block, width), Spacer(0, 3 * mm)]
        return [self.signatures(block, width)]

    def code(self, block: Code, width: float) -> Table:
        """The QR code at the left, its text beside it."""
        text = self.paragraph(block.text, BODY_SIZE - 2)
        code = QR_SIDE + 4 * mm
        table = Table([[_QrCode(block.data, QR_SIDE), text]], colWidths=[code, width - code])
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.font),  # not reportlab's Helvetica
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (0, 0), 0),
                ]
            )
        )
        table.hAlign = "LEFT"
        return table

    def bars(self, block: Bars, width: float) -> Table:
        """A row per bar: its label, the bar, its figure."""
        size = BODY_SIZE - 1.5
        label, figure = width * 0.34, width * 0.22
        bar = width - label - figure - 4 * mm
        rows = [
            [self.paragraph(name, size), _Bar(share, target, bar), self.paragraph(text, size)]
            for name, share, text, target in block.rows
        ]
        table = Table(rows, colWidths=[label, bar + 4 * mm, figure])
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.font),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        table.hAlign = "LEFT"
        return table

    def grid(self, grid: Grid, width: float) -> Table:
        size = BODY_SIZE - 1.5
        lines = [grid.header, *grid.rows] if grid.header else list(grid.rows)
        rows = [[self.paragraph(cell, size) for cell in row] for row in lines]
        columns = len(lines[0]) if lines else 1
        shares = grid.widths or [1 / columns] * columns
        table = Table(
            rows, colWidths=[width * s for s in shares], repeatRows=1 if grid.header else 0
        )
        style: list[Command] = [
            ("FONTNAME", (0, 0), (-1, -1), self.font),  # else Table selects an unembedded Helvetica
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        if grid.header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)))
        table.setStyle(TableStyle(style))
        return table

    def signatures(self, block: Signatures, width: float) -> Flowable:
        """Each label over a line to sign on, then a line for the date; a gap between them."""
        gap = 12 * mm
        count = len(block.labels)
        column = (width - gap * (count - 1)) / count
        sign = [self.paragraph(f"{label}：", BODY_SIZE) for label in block.labels]
        date = [self.paragraph(f"{block.date_label}：", BODY_SIZE) for _ in block.labels]
        rows = [_spaced(sign), _spaced(date)]
        widths = [column if i % 2 == 0 else gap for i in range(2 * count - 1)]
        style: list[Command] = [
            ("FONTNAME", (0, 0), (-1, -1), self.font),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ]
        for i in range(0, 2 * count - 1, 2):
            style += [
                ("LINEBELOW", (i, 0), (i, 1), 0.6, colors.black),
                ("TOPPADDING", (i, 0), (i, 0), 12 * mm),
                ("TOPPADDING", (i, 1), (i, 1), 6 * mm),
            ]
        table = Table(rows, colWidths=widths)
        table.setStyle(TableStyle(style))
        return KeepTogether([Spacer(0, 8 * mm), table])


def _spaced(cells: list[Paragraph]) -> list[Paragraph | str]:
    """Cells with an empty gap column between each two."""
    row: list[Paragraph | str] = []
    for number, cell in enumerate(cells):
        row += ([""] if number else []) + [cell]
    return row


def render(document: Document, font_path: str | Path | None = None) -> bytes:
    """``document`` as A4 PDF bytes."""
    font = PdfSlipPrinter(font_path).font  # registers and checks the slips' CJK font
    layout = _Layout(font)
    buffer = io.BytesIO()
    page = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=document.title,
        creator="Yishi",
        initialFontName=font,
    )

    def footer(canvas: Canvas, template: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        page_number = document.page.replace("{page}", str(template.page))
        text = layout.shown(" · ".join(t for t in (document.footer, page_number) if t))
        canvas.drawCentredString(A4[0] / 2, MARGIN / 2, text)
        canvas.restoreState()

    story = [f for block in document.blocks for f in layout.flowables(block, page.width)]
    page.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
