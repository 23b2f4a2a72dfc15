"""Printed paper ballots (one A4 page a unit) and delivery lists (one table a building).

Every position comes from ``ballot_layout``, which the reader uses too; texts use the slips' CJK
font, embedded as a subset. The caller gives every text already in the reader's language.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import cv2
import numpy as np
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, KeepInFrame, Paragraph

from devices import ballot_layout as layout
from devices.printing import MISSING_GLYPH, PdfSlipPrinter
from devices.qr import qr_matrix

PAGE_HEIGHT = A4[1]


@dataclass(frozen=True)
class BallotWords:
    """The texts every ballot of a batch carries, in the reader's language."""

    title: str
    instructions: Sequence[str]  # in large type, e.g. "在每项的一个方框内打 ✓ 或 ✗"
    choices: tuple[str, str, str]  # 同意, 反对, 弃权
    signature: str
    date: str
    area_label: str  # "专有部分面积"


@dataclass(frozen=True)
class BallotPage:
    """One unit's ballot."""

    serial: str
    address: str
    area: str  # already formatted, e.g. "89.50 m²"
    matters: Sequence[str]


@dataclass(frozen=True)
class DeliveryRow:
    """One unit's line on a delivery list: where, its serial, and what is on record."""

    address: str
    serial: str
    status: str  # the delivery on record in words, or ""


def ballots_pdf(
    pages: Sequence[BallotPage], words: BallotWords, *, font_path: str | Path | None = None
) -> bytes:
    """A PDF with one A4 ballot for each of ``pages``, in that order."""
    font = PdfSlipPrinter(font_path).font
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=font)
    canvas.setCreator("Yishi")
    for page in pages:
        _ballot(canvas, font, page, words)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _y(top_mm: float) -> float:
    """A distance from the page's top in mm as reportlab's y (points from the bottom)."""
    return float(PAGE_HEIGHT - top_mm * mm)


def _ballot(canvas: Canvas, font: str, page: BallotPage, words: BallotWords) -> None:
    for index in range(4):
        _marker(canvas, index)
    _qr(canvas, layout.qr_text(page.serial, len(page.matters)))
    canvas.setFont(font, 20)
    canvas.drawString(30 * mm, _y(20), _shown(font, words.title))
    canvas.setFont(font, 16)
    canvas.drawString(14 * mm, _y(36), _shown(font, page.address))
    canvas.drawString(14 * mm, _y(44), _shown(font, f"{words.area_label}: {page.area}"))
    # The serial in clear text, its check character last: a clerk types it when the QR code
    # of a crumpled page cannot be read (the review queue checks it).
    canvas.setFont(font, 11)
    canvas.drawCentredString(
        (layout.QR_LEFT_MM + layout.QR_SIDE_MM / 2) * mm,
        _y(layout.QR_TOP_MM + layout.QR_SIDE_MM + 4),
        layout.printed_serial(page.serial),
    )
    # The instructions in large type (18 pt: about 6 mm a character), between header and rows.
    style = ParagraphStyle(
        "ballot-instructions",
        fontName=font,
        fontSize=18,
        leading=24,
        alignment=TA_LEFT,
        wordWrap="CJK",
    )
    body = [Paragraph(escape(_shown(font, line)), style) for line in words.instructions]
    width, height = 140 * mm, (layout.FIRST_ROW_MM - 52) * mm
    frame = Frame(14 * mm, _y(layout.FIRST_ROW_MM - 2), width, height, 0, 0, 0, 0)
    frame.addFromList([KeepInFrame(width, height, body, mode="shrink")], canvas)
    title_style = ParagraphStyle(
        "ballot-matter", fontName=font, fontSize=13, leading=17, wordWrap="CJK"
    )
    for number, matter in enumerate(page.matters):
        top = layout.row_top(number)
        canvas.setLineWidth(0.3)
        canvas.setStrokeGray(0.6)
        canvas.line(12 * mm, _y(top), 198 * mm, _y(top))
        text = Paragraph(escape(_shown(font, f"{number + 1}. {matter}")), title_style)
        box_w, box_h = 104 * mm, (layout.ROW_HEIGHT_MM - 3) * mm
        Frame(14 * mm, _y(top + layout.ROW_HEIGHT_MM - 1), box_w, box_h, 0, 0, 0, 0).addFromList(
            [KeepInFrame(box_w, box_h, [text], mode="shrink")], canvas
        )
        canvas.setFont(font, 12)
        canvas.setStrokeGray(0)
        canvas.setLineWidth(layout.BORDER_MM * mm)
        for choice, word in enumerate(words.choices):
            box = layout.box_rect(number, choice)
            canvas.drawCentredString(
                (box.left + box.width / 2) * mm, _y(box.top - 2), _shown(font, word)
            )
            half = layout.BORDER_MM / 2  # the stroke is centred on the path: keep it inside
            canvas.rect(
                (box.left + half) * mm,
                _y(box.top + box.height - half),
                (box.width - 2 * half) * mm,
                (box.height - 2 * half) * mm,
                stroke=1,
                fill=0,
            )
    canvas.setFont(font, 14)
    canvas.setLineWidth(0.5)
    for line, label in enumerate((words.signature, words.date)):
        y = layout.SIGNATURE_TOP_MM + 12 * line
        canvas.drawString(20 * mm, _y(y), _shown(font, label))
        canvas.line(60 * mm, _y(y), 170 * mm, _y(y))


def _marker(canvas: Canvas, index: int) -> None:
    """Corner marker ``index`` as black cells (6×6: the 4×4 code in a one-cell border)."""
    dictionary = cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50)
    cells = np.asarray(cv2.aruco.generateImageMarker(dictionary, layout.MARKER_IDS[index], 6))
    rect = layout.marker_rect(index)
    _dark_cells(canvas, (cells == 0).tolist(), rect.left, rect.top, rect.width / 6)


def _qr(canvas: Canvas, text: str) -> None:
    """The QR code of ``text`` in its place, quiet zone included."""
    matrix = qr_matrix(text)
    side = layout.QR_SIDE_MM / len(matrix)
    _dark_cells(canvas, matrix, layout.QR_LEFT_MM, layout.QR_TOP_MM, side)


def _dark_cells(
    canvas: Canvas, dark: Sequence[Sequence[bool]], left: float, top: float, cell: float
) -> None:
    """Each dark cell of a grid (rows first) as a black square, ``cell`` mm a side, from
    ``left``, ``top``; a hair larger, so that viewers that anti-alias show no seams."""
    canvas.setFillGray(0)
    for row, values in enumerate(dark):
        for col, is_dark in enumerate(values):
            if is_dark:
                x, y = (left + col * cell) * mm, _y(top + (row + 1) * cell)
                canvas.rect(x, y, cell * mm + 0.1, cell * mm + 0.1, stroke=0, fill=1)


def delivery_lists_pdf(
    buildings: Sequence[tuple[str, Sequence[DeliveryRow]]],
    headings: tuple[str, str, str, str, str],
    *,
    font_path: str | Path | None = None,
) -> bytes:
    """One list a building: each unit, its serial, what is on record and blank columns for the
    deliverer (who, when, handed / left / refused) — the paper the volunteer carries."""
    font = PdfSlipPrinter(font_path).font
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=font)
    canvas.setCreator("Yishi")
    columns = (14, 64, 104, 134, 168)  # mm from the left: address, serial, on record, who, when
    for building, rows in buildings:
        top = 20.0
        for start in range(0, max(len(rows), 1), 28):
            canvas.setFont(font, 18)
            canvas.drawString(14 * mm, _y(top), _shown(font, building))
            canvas.setFont(font, 11)
            for x, heading in zip(columns, headings, strict=True):
                canvas.drawString(x * mm, _y(top + 10), _shown(font, heading))
            y = top + 18
            for row in rows[start : start + 28]:
                canvas.drawString(columns[0] * mm, _y(y), _shown(font, row.address))
                canvas.drawString(columns[1] * mm, _y(y), row.serial)
                canvas.drawString(columns[2] * mm, _y(y), _shown(font, row.status))
                canvas.setLineWidth(0.3)
                canvas.line(12 * mm, _y(y + 3), 198 * mm, _y(y + 3))
                y += 9
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _shown(font: str, text: str) -> str:
    """``text`` with a box for each character the font has no glyph for, as on the slips."""
    glyphs = pdfmetrics.getFont(font).face.charToGlyph
    return "".join(c if ord(c) in glyphs else MISSING_GLYPH for c in text)
