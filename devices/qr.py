"""QR codes for personal ballot links: inline SVG for pages, PNG for files, text for terminals.

Every code uses error correction M (15 % of the code may be smudged or creased and still scan).
"""

from __future__ import annotations

import io

import qrcode
from qrcode.compat.etree import ET  # lxml when installed, else the standard library, as qrcode
from qrcode.image.pil import PilImage
from qrcode.image.svg import SvgPathFillImage

QUIET_ZONE = 4
TERMINAL_QUIET_ZONE = 2


def _code(data: str, *, border: int = QUIET_ZONE, box_size: int = 10) -> qrcode.QRCode:
    """The smallest QR code that holds ``data`` at error correction M."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=border
    )
    code.add_data(data)
    code.make(fit=True)
    return code


def qr_matrix(data: str, *, border: int = QUIET_ZONE) -> list[list[bool]]:
    """The module matrix of ``data``'s QR code, rows first, True for dark, with a quiet zone."""
    matrix: list[list[bool]] = _code(data, border=border).get_matrix()
    return matrix


def qr_svg(data: str, *, scale: int = 8, label: str | None = None) -> str:
    """An inline ``<svg>`` of ``data``'s QR code, ``scale`` px a module, on white, safe to embed.

    The label (escaped here) becomes the image's accessible name and tooltip; without one the
    image is hidden from assistive technology, so say what it is in the text next to it.
    """
    # box_size 10 makes one module one viewBox unit; width and height then set the drawn size.
    code = _code(data)
    root = code.make_image(image_factory=SvgPathFillImage).get_image()
    side = str((code.modules_count + 2 * QUIET_ZONE) * scale)
    root.set("width", side)
    root.set("height", side)
    root.set("shape-rendering", "crispEdges")
    for path in root.iter("path"):
        path.attrib.pop("id", None)  # qrcode's fixed id would clash with a second code on a page
    if label is None:
        root.set("aria-hidden", "true")  # an image without a name is hidden from screen readers
    else:
        root.set("role", "img")
        root.set("aria-label", label)
        title = ET.Element("title")
        title.text = label
        root.insert(0, title)
    svg: str = ET.tostring(root, encoding="unicode")
    return svg


def qr_png(data: str, box_size: int = 10) -> bytes:
    """A black-on-white PNG of ``data``'s QR code, ``box_size`` px a module, quiet zone included."""
    image = _code(data, box_size=box_size).make_image(image_factory=PilImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


# Glyph for a (top, bottom) pair of modules, True meaning the module is LIGHT. The code is drawn
# inverted: glyph ink stands for the light modules and the quiet zone, blank cells for the dark
# ones. On a dark terminal (light text on black, the usual case) that gives dark modules on a
# light quiet zone, the polarity every scanner reads. On a light terminal it shows inverted,
# which phone cameras (WeChat, iOS, ZXing-based readers) mostly read too, but not all.
_HALF_BLOCKS = {
    (False, False): " ",
    (True, False): "▀",
    (False, True): "▄",
    (True, True): "█",
}


def qr_terminal(data: str) -> str:
    """``data``'s QR code in half-block characters, two module rows a line, for a dark terminal."""
    matrix = qr_matrix(data, border=TERMINAL_QUIET_ZONE)
    lines = []
    for top in range(0, len(matrix), 2):
        upper = matrix[top]
        # An odd last row pairs with a dark (blank) row: blank is the terminal's own background.
        lower = matrix[top + 1] if top + 1 < len(matrix) else [True] * len(upper)
        lines.append("".join(_HALF_BLOCKS[not a, not b] for a, b in zip(upper, lower, strict=True)))
    return "\n".join(lines)
