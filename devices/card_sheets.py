"""Printable answer cards: one card a page, A5 portrait, for the clerk to print and hand out.

The marker fills the page's width but for a white quiet zone and the side letters; the letters
sit upright for whoever holds that side on top, and the number and the legend go below, clear of
the marker. Every text uses the CJK font of the slips, embedded as a subset.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
from numpy.typing import NDArray
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, KeepInFrame, Paragraph

from devices.cards import ANSWERS, CELLS, Answer, marker_cells
from devices.printing import MISSING_GLYPH, PdfSlipPrinter

PAGE_WIDTH, PAGE_HEIGHT = A5
MARKER_SIDE = 100 * mm  # on a 12 MP photo (64° across): 40 px wide at 8 m, 160 px at 2 m
MARKER_LEFT = (PAGE_WIDTH - MARKER_SIDE) / 2
MARKER_TOP = 22 * mm  # from the page's top edge
LETTER_GAP = 8 * mm  # white between the marker and a side letter: two thirds of a cell
LETTER_SIZE = 30  # points: a capital about 7.5 mm tall
NUMBER_SIZE = 110  # points: digits about 28 mm tall, readable across the hall
MARGIN = 7 * mm


@dataclass(frozen=True)
class CardLegend:
    """The texts printed on every card, already in the reader's language."""

    lines: Sequence[str]  # under the marker, e.g. "A 赞成 · B 反对 · C 弃权", "把您的答案朝上举起"
    # Printed along a side instead of its bare letter, e.g. {"A": "A 赞成"}: keep the letter in.
    sides: Mapping[Answer, str] = field(default_factory=dict)


def card_sheet_pdf(
    numbers: Sequence[int], legend: CardLegend, *, font_path: str | Path | None = None
) -> bytes:
    """A PDF with one A5 page for each card in ``numbers``, in that order."""
    font = PdfSlipPrinter(font_path).font  # registers and checks the slips' CJK font
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A5, pageCompression=1, initialFontName=font)
    canvas.setCreator("Yishi")
    for number in numbers:
        cells = marker_cells(number)  # refuses a number outside the markers' range
        _draw_marker(canvas, cells)
        for answer in ANSWERS:
            _draw_side(canvas, font, _shown(font, legend.sides.get(answer, answer)), answer)
        canvas.setFont(font, NUMBER_SIZE)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, MARGIN, str(number))
        _draw_legend(canvas, font, legend.lines, canvas.stringWidth(str(number)))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_marker(canvas: Canvas, cells: NDArray[np.uint8]) -> None:
    """The marker's black cells as one rectangle a run of a row, crisp at any resolution."""
    cell = MARKER_SIDE / CELLS
    canvas.setFillGray(0)
    for row, values in enumerate(cells):
        y = PAGE_HEIGHT - MARKER_TOP - (row + 1) * cell
        black = np.r_[False, values == 0, False].astype(np.int8)
        starts, ends = np.flatnonzero(np.diff(black) == 1), np.flatnonzero(np.diff(black) == -1)
        for start, end in zip(starts, ends, strict=True):
            # Overlapping the row below by a hair keeps anti-aliasing viewers seamless.
            x = MARKER_LEFT + start * cell
            canvas.rect(x, y - 0.1, (end - start) * cell, cell + 0.1, stroke=0, fill=1)


def _draw_side(canvas: Canvas, font: str, text: str, answer: Answer) -> None:
    """``text`` outside ``answer``'s edge of the marker, upright when that edge is on top."""
    index = ANSWERS.index(answer)
    center_x = MARKER_LEFT + MARKER_SIDE / 2
    center_y = PAGE_HEIGHT - MARKER_TOP - MARKER_SIDE / 2
    canvas.saveState()
    canvas.translate(center_x, center_y)
    canvas.rotate(-90 * index)  # B is the right edge: a quarter-turn clockwise from A's
    # A long label shrinks to the marker's width rather than reach round the corner.
    width = canvas.stringWidth(text, font, LETTER_SIZE)
    canvas.setFont(font, LETTER_SIZE * min(1, MARKER_SIDE / width) if width else LETTER_SIZE)
    canvas.drawCentredString(0, MARKER_SIDE / 2 + LETTER_GAP, text)
    canvas.restoreState()


def _draw_legend(canvas: Canvas, font: str, lines: Sequence[str], number_width: float) -> None:
    """The legend in the bottom-left corner, beside the number, shrunk to fit if it must."""
    top = PAGE_HEIGHT - MARKER_TOP - MARKER_SIDE - LETTER_GAP - LETTER_SIZE - 4 * mm
    width = PAGE_WIDTH - 2 * MARGIN - number_width - 4 * mm
    style = ParagraphStyle(
        "card-legend", fontName=font, fontSize=16, leading=22, alignment=TA_LEFT, wordWrap="CJK"
    )
    body = [Paragraph(escape(_shown(font, line)), style) for line in lines]
    frame = Frame(MARGIN, MARGIN, width, top - MARGIN, 0, 0, 0, 0)
    frame.addFromList([KeepInFrame(width, top - MARGIN, body, mode="shrink")], canvas)


def _shown(font: str, text: str) -> str:
    """``text`` with a box for each character the font has no glyph for, as on the slips."""
    glyphs = pdfmetrics.getFont(font).face.charToGlyph
    return "".join(c if ord(c) in glyphs else MISSING_GLYPH for c in text)
