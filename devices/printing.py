"""Sign-in slips: who the attendee is, the meeting, and their personal voting QR code.

For now the "printer" is a PDF that the kiosk's browser opens and prints; a thermal printer
adapter can implement the same ``SlipPrinter`` later.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Container
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

# Only these reportlab modules load with the app (they hold constants and take no memory);
# the rest, and the CJK font (~36 MB parsed), load when the first page is drawn.
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A6
from reportlab.lib.units import mm

from devices.qr import qr_matrix

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing
    from reportlab.platypus import Flowable, Paragraph

DEFAULT_CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")

MARGIN = 7 * mm
QR_SIDE = 64 * mm  # quiet zone included; about 1.8 mm a module for a typical ballot URL
# Printed for a character the font has no glyph for (e.g. 𠮷, U+20BB7, is not in WenQuanYi Zen
# Hei): a visible box, as Chinese print shows a rare character it lacks, not a silent gap.
MISSING_GLYPH = "□"


@dataclass(frozen=True)
class Slip:
    """What goes on one attendee's slip, every text already in the reader's language."""

    meeting_title: str
    meeting_time: str
    venue: str
    name: str
    address: str
    url: str
    heading: str
    instructions: list[str]
    footer: str


class SlipPrinter(Protocol):
    """Something that prints slips."""

    def print_slip(self, slip: Slip) -> bytes:
        """Print ``slip`` and return it as PDF bytes."""
        ...


class FontMissingError(FileNotFoundError):
    """The CJK font for slips is not where the configuration says."""


class PdfSlipPrinter:
    """Renders a slip as a one-page A6 PDF with the CJK font embedded (subset)."""

    def __init__(self, font_path: str | Path | None = None, subfont_index: int = 0) -> None:
        path = Path(font_path) if font_path else DEFAULT_CJK_FONT
        if not path.is_file():
            raise FontMissingError(
                f"CJK font for printed slips not found at {path}; install Debian's "
                "fonts-wqy-zenhei or set CJK_FONT_PATH to a .ttf/.ttc with Chinese glyphs"
            )
        where = hashlib.sha256(f"{path.resolve()}#{subfont_index}".encode()).hexdigest()[:12]
        self._name = f"YishiCJK-{where}"  # reportlab's registry is global: one name per font file
        self._path = path
        self._subfont_index = subfont_index
        self._glyph_set: Container[int] | None = None

    @property
    def font(self) -> str:
        """The font's name in reportlab's registry, registered on first use (not at start-up)."""
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        if self._name not in pdfmetrics.getRegisteredFontNames():
            font = TTFont(self._name, str(self._path), subfontIndex=self._subfont_index)
            pdfmetrics.registerFont(font)
        return self._name

    @property
    def _glyphs(self) -> Container[int]:
        """The characters the font has a glyph for."""
        if self._glyph_set is None:
            from reportlab.pdfbase import pdfmetrics

            self._glyph_set = pdfmetrics.getFont(self.font).face.charToGlyph
        return self._glyph_set

    def print_slip(self, slip: Slip) -> bytes:
        """The slip as PDF bytes: one A6 page."""
        from reportlab.pdfgen.canvas import Canvas
        from reportlab.platypus import Frame, KeepInFrame

        buffer = io.BytesIO()
        page_width, page_height = A6
        width = page_width - 2 * MARGIN
        # The CJK font as the initial font keeps an unembedded Helvetica out of the file.
        canvas = Canvas(buffer, pagesize=A6, pageCompression=1, initialFontName=self.font)
        canvas.setTitle(slip.heading)
        canvas.setCreator("Yishi")

        footer_height = 0.0
        if slip.footer:
            footer = self._paragraph(slip.footer, 8, align=TA_CENTER)
            footer_height = footer.wrap(width, page_height)[1] + 2 * mm
            footer.drawOn(canvas, MARGIN, MARGIN)

        body_height = page_height - 2 * MARGIN - footer_height
        frame = Frame(MARGIN, MARGIN + footer_height, width, body_height, 0, 0, 0, 0)
        # A long name or many instructions shrink the slip's content rather than spill a page.
        body = KeepInFrame(width, body_height, self._body(slip), mode="shrink")
        frame.addFromList([body], canvas)
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()

    def _body(self, slip: Slip) -> list[Flowable]:
        """The slip from top to bottom, above the footer."""
        from reportlab.platypus import HRFlowable, Spacer

        text = self._paragraph
        body: list[Flowable] = [
            text(slip.heading, 13, align=TA_CENTER),
            Spacer(0, 1.5 * mm),
            text(slip.meeting_title, 10.5, align=TA_CENTER),
            Spacer(0, 0.8 * mm),
            text(f"{slip.meeting_time}  {slip.venue}", 8, align=TA_CENTER),
            HRFlowable(width="100%", thickness=0.6, spaceBefore=2 * mm, spaceAfter=2.5 * mm),
            text(slip.name, 30, align=TA_CENTER),
            Spacer(0, 1 * mm),
            text(slip.address, 11, align=TA_CENTER),
            _qr_drawing(slip.url, QR_SIDE, self.font),
            text(masked_url(slip.url), 7.5, align=TA_CENTER),
            Spacer(0, 2 * mm),
        ]
        body += [text(line, 8.5) for line in slip.instructions]
        return body

    def _paragraph(self, text: str, size: float, *, align: int = TA_LEFT) -> Paragraph:
        """``text`` in the CJK font, wrapping between any two Han characters."""
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.platypus import Paragraph

        shown = "".join(c if ord(c) in self._glyphs else MISSING_GLYPH for c in text)
        style = ParagraphStyle(
            f"slip-{size}-{align}",
            fontName=self.font,
            fontSize=size,
            leading=size * 1.3,
            alignment=align,
            wordWrap="CJK",
        )
        return Paragraph(escape(shown), style)


def masked_url(url: str) -> str:
    """The URL up to its first path segment, e.g. ``http://10.0.0.2:5000/v/…``, hiding the token."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    shown = f"/{segments[0]}" if len(segments) > 1 else ""
    return f"{parts.scheme}://{parts.netloc}{shown}/…"


def _qr_drawing(data: str, side: float, font: str) -> Drawing:
    """``data``'s QR code as vector rectangles, crisp at any printer resolution."""
    from reportlab.graphics.shapes import Drawing, Rect
    from reportlab.lib import colors

    matrix = qr_matrix(data)
    module = side / len(matrix)
    # A drawing selects its initial font even with no text; the slip's own keeps Helvetica out.
    drawing = Drawing(side, side, initialFontName=font)
    drawing.hAlign = "CENTER"
    for row, modules in enumerate(matrix):
        y = side - (row + 1) * module
        col = 0
        while col < len(modules):
            if not modules[col]:
                col += 1
                continue
            start = col
            while col < len(modules) and modules[col]:
                col += 1
            # One rectangle per run of dark modules, slightly overlapping the next row's so
            # viewers that anti-alias do not draw hairlines between rows.
            drawing.add(
                Rect(
                    start * module,
                    y - 0.05,
                    (col - start) * module,
                    module + 0.05,
                    fillColor=colors.black,
                    strokeColor=None,
                )
            )
    return drawing
