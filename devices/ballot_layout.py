"""Where everything sits on a paper ballot: one A4 portrait page, in millimetres from its top left.

The printer (``ballot_pdf``) draws from these numbers and the reader (``ballot_reader``) looks
for the same places after rectifying a photo, so they must only ever change together: a ballot
printed before a change would be read at the wrong places. The QR code carries the number of
matters, so a page says by itself how many rows of boxes it has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0

# Four ArUco markers (4×4 family, ids 0–3, top left then clockwise) mark the corners for the
# perspective warp; their ids say which way up the page lies. Away from the card scanner's
# AprilTag family, so a ballot held up in the room is never read as a card.
MARKER_SIDE_MM = 15.0
MARKER_INSET_MM = 10.0
MARKER_IDS = (0, 1, 2, 3)

QR_LEFT_MM = 158.0
QR_TOP_MM = 30.0
QR_SIDE_MM = 40.0  # quiet zone included

FIRST_ROW_MM = 100.0
ROW_HEIGHT_MM = 24.0
MAX_MATTERS = 6
BOX_SIDE_MM = 12.0
BOX_TOP_IN_ROW_MM = 9.0  # the choice's word sits above its box
BOX_LEFTS_MM = (124.0, 150.0, 176.0)  # 同意, 反对, 弃权: 14 mm of paper between two boxes
BORDER_MM = 0.5
SIGNATURE_TOP_MM = 250.0

CHOICES = ("for", "against", "abstain")  # left to right, as the boxes are printed

SERIAL_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: a clerk may type it
SERIAL_LENGTH = 12  # 31**12 ≈ 8e17: a guessed serial is never a real one
_QR_TEXT = re.compile(rf"^YSB1:([{SERIAL_ALPHABET}]{{{SERIAL_LENGTH}}}):([1-{MAX_MATTERS}])$")


@dataclass(frozen=True)
class Rect:
    """A rectangle on the page in millimetres: left, top, width, height."""

    left: float
    top: float
    width: float
    height: float

    def inset(self, by: float) -> Rect:
        """This rectangle shrunk by ``by`` mm on every side (grown when negative)."""
        return Rect(self.left + by, self.top + by, self.width - 2 * by, self.height - 2 * by)


def marker_rect(index: int) -> Rect:
    """Marker ``index``'s square (0 top left, 1 top right, 2 bottom right, 3 bottom left)."""
    right = PAGE_WIDTH_MM - MARKER_INSET_MM - MARKER_SIDE_MM
    bottom = PAGE_HEIGHT_MM - MARKER_INSET_MM - MARKER_SIDE_MM
    left, top = [
        (MARKER_INSET_MM, MARKER_INSET_MM),
        (right, MARKER_INSET_MM),
        (right, bottom),
        (MARKER_INSET_MM, bottom),
    ][index]
    return Rect(left, top, MARKER_SIDE_MM, MARKER_SIDE_MM)


def marker_corners(index: int) -> tuple[tuple[float, float], ...]:
    """Marker ``index``'s printed corners in mm, in ArUco's order: TL, TR, BR, BL."""
    r = marker_rect(index)
    right, bottom = r.left + r.width, r.top + r.height
    return ((r.left, r.top), (right, r.top), (right, bottom), (r.left, bottom))


def row_top(matter: int) -> float:
    """The top of matter ``matter``'s row (0-based)."""
    if not 0 <= matter < MAX_MATTERS:
        raise ValueError(f"a ballot holds 1 to {MAX_MATTERS} matters, not row {matter + 1}")
    return FIRST_ROW_MM + matter * ROW_HEIGHT_MM


def box_rect(matter: int, choice: int) -> Rect:
    """The printed square (outer edge of its border) of ``choice`` (0–2) for ``matter``."""
    return Rect(BOX_LEFTS_MM[choice], row_top(matter) + BOX_TOP_IN_ROW_MM, BOX_SIDE_MM, BOX_SIDE_MM)


def gap_rect(matter: int, gap: int) -> Rect:
    """The paper between box ``gap`` and box ``gap + 1`` of ``matter``'s row."""
    left = box_rect(matter, gap)
    right = box_rect(matter, gap + 1)
    return Rect(left.left + left.width, left.top, right.left - left.left - left.width, left.height)


def qr_text(serial: str, matters: int) -> str:
    """What the ballot's QR code says: a version tag, the serial and the number of matters."""
    if not 1 <= matters <= MAX_MATTERS:
        raise ValueError(f"a ballot holds 1 to {MAX_MATTERS} matters, not {matters}")
    text = f"YSB1:{serial}:{matters}"
    if not _QR_TEXT.match(text):
        raise ValueError(f"not a ballot serial: {serial!r}")
    return text


def parse_qr_text(text: str) -> tuple[str, int] | None:
    """The serial and the number of matters a ballot's QR code says, or None if it is not one."""
    found = _QR_TEXT.match(text.strip())
    return (found.group(1), int(found.group(2))) if found else None


def check_character(serial: str) -> str:
    """The check character printed after a serial: the sum of each character's place in the
    alphabet times its position (1–12), modulo 31. 31 is prime and above 12, so one mistyped
    character, or two neighbours swapped, always changes it."""
    total = sum((i + 1) * SERIAL_ALPHABET.index(c) for i, c in enumerate(serial))
    return SERIAL_ALPHABET[total % len(SERIAL_ALPHABET)]


def printed_serial(serial: str) -> str:
    """The serial as printed under the QR code for a clerk to type: ABCD-EFGH-JKMN-P, the last
    character the check."""
    groups = [serial[i : i + 4] for i in range(0, len(serial), 4)]
    return "-".join([*groups, check_character(serial)])


def typed_serial(text: str) -> tuple[str, bool | None] | None:
    """The serial a clerk typed (spaces, dashes and case ignored) and whether its check
    character matches (None when it was left out), or None when it is not a serial at all."""
    plain = re.sub(r"[\s\-·.]", "", text).upper()
    if len(plain) not in (SERIAL_LENGTH, SERIAL_LENGTH + 1):
        return None
    if any(c not in SERIAL_ALPHABET for c in plain):
        return None
    serial = plain[:SERIAL_LENGTH]
    check = plain[SERIAL_LENGTH:]
    return serial, (check == check_character(serial)) if check else None
