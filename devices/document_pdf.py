"""Printable documents (the minutes): headings, text, tables, QR codes and signature lines on A4
pages.

The caller hands in every text already in the reader's language; this module only lays it
out, with the slips' CJK font embedded as a subset, page numbers in the footer, and a box for
any character the font lacks (as on the slips). The layout itself (reportlab's flowables and
the font) is in ``devices.document_layout``, loaded when the first document is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar


@dataclass(frozen=True)
class Heading:
    """A title (level 0), a section (1) or a subsection (2)."""

    text: str
    level: int = 1
    kind: ClassVar[str] = "heading"


@dataclass(frozen=True)
class Text:
    """A paragraph; ``small`` for notes and hashes."""

    text: str
    small: bool = False
    centered: bool = False
    tone: str = ""  # "good" or "bad": a verdict, printed in dark green or dark red
    kind: ClassVar[str] = "text"


@dataclass(frozen=True)
class Grid:
    """A table, with a header row unless ``header`` is empty; ``widths``: shares of the width."""

    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths: Sequence[float] = field(default_factory=tuple)
    kind: ClassVar[str] = "grid"


@dataclass(frozen=True)
class Signatures:
    """Lines to sign on, each after its label (e.g. "主持人（签字）"), with a line for the date."""

    labels: Sequence[str]
    date_label: str
    kind: ClassVar[str] = "signatures"


@dataclass(frozen=True)
class Code:
    """A QR code of ``data`` beside a short text (an anchor of the audit log, to be scanned or
    typed later); ``label`` names the code for screen readers."""

    data: str
    text: str
    label: str
    kind: ClassVar[str] = "code"


@dataclass(frozen=True)
class Bars:
    """A bar chart: per row its label, its share (0–1; None draws no bar), its figure in words
    and its target (0–1, drawn as a line across the bar; None for none)."""

    rows: Sequence[tuple[str, float | None, str, float | None]]
    kind: ClassVar[str] = "bars"


Block = Heading | Text | Grid | Signatures | Code | Bars


@dataclass(frozen=True)
class Document:
    """A whole document; each page's footer is ``footer`` and ``page`` ({page}: its number)."""

    title: str
    blocks: Sequence[Block]
    footer: str = ""
    page: str = "{page}"


def document_pdf(document: Document, *, font_path: str | Path | None = None) -> bytes:
    """``document`` as A4 PDF bytes."""
    from devices.document_layout import render

    return render(document, font_path)
