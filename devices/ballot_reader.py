"""Read a paper ballot from a photo or a scan: find its corners, straighten it, read its boxes.

The invariant is that a box is never read wrongly: a matter is read only when exactly one of
its three boxes holds a clear mark, the other two and the paper between them are clean, and
the boxes' printed borders are where the layout says (so the page is whole and the warp is
right). Everything else — no mark, two marks, a mark between boxes or too faint to call, a
torn or covered box — is left to a clerk with the reason (``Unclear``). A page whose corners or
QR code cannot be found is not read at all (``PageReading.problem``).

Ink is measured on the straightened page divided by its own paper (a wide dilation of the
page), so shadows and uneven light cancel out; the measure is the mean darkness of the box's
inside, which blur spreads but does not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import TypeVar

import cv2
import numpy as np
from numpy.typing import NDArray

from devices import ballot_layout as layout
from devices.cards import Image, _grayscale

_T = TypeVar("_T", bound=np.generic)

PX_PER_MM = 5  # the straightened page: 1050 × 1485 px
MAX_SIDE_PX = 2400  # larger photos are shrunk first: a marker keeps > 100 px
DICTIONARY = cv2.aruco.DICT_4X4_50

INSIDE_MARGIN_MM = 1.6  # away from the printed border and its blur
RING_MM = (1.5, 3.5)  # the paper round a box, from its border outwards
MARKED = 0.012  # mean darkness of the inside from which a box holds a mark
CLEAN = 0.003  # and up to which it holds none; between the two is too faint to call
GAP_CLEAN = 0.004  # the paper between boxes (a tick's tail may reach into it)
BORDER_DARK = 0.25  # darkness a printed border keeps even blurred
BORDER_SEEN = 0.7  # share of a border's length that must be seen
RING_PAPER = 0.85  # the ring round a box must be this near the page's paper: else torn, covered
PAPER_GRAIN = 0.06  # noise and JPEG on blank paper stay below this


class Unclear(StrEnum):
    """Why a matter was left to the clerk."""

    NONE = "none"  # no box marked
    TWO = "two"  # more than one box marked
    BETWEEN = "between"  # ink between boxes, or a mark too faint to call
    DAMAGED = "damaged"  # a box torn, covered or not where the layout says


class PageProblem(StrEnum):
    """Why a page was not read at all."""

    NO_MARKERS = "no_markers"  # fewer than three corner markers found
    NO_SERIAL = "no_serial"  # the QR code not found or not a ballot's


@dataclass(frozen=True)
class MatterReading:
    """One matter's row: the choice read (an index into CHOICES) or why it is unclear."""

    matter: int
    choice: int | None
    unclear: Unclear | None
    darkness: tuple[float, float, float]  # each box's, for the record and the review screen


@dataclass(frozen=True)
class PageReading:
    """What one photo of a ballot says."""

    serial: str | None
    matters: tuple[MatterReading, ...]
    problem: PageProblem | None
    page: NDArray[np.uint8] | None  # the straightened page, grey, PX_PER_MM px a mm

    def crop(self, matter: int) -> NDArray[np.uint8] | None:
        """The straightened row of ``matter`` (its title and boxes), for the review screen."""
        if self.page is None:
            return None
        top = layout.row_top(matter)
        return _px_slice(self.page, layout.Rect(8, top, 194, layout.ROW_HEIGHT_MM))


def read_ballot(image: Image) -> PageReading:
    """Read ``image`` (encoded bytes or an array); raises ValueError if it is not an image."""
    gray = _shrunk(_grayscale(image))
    page = straighten(gray)
    if page is None:
        return PageReading(None, (), PageProblem.NO_MARKERS, None)
    said = _qr(page) or _qr(gray)
    if said is None:
        return PageReading(None, (), PageProblem.NO_SERIAL, page)
    serial, count = said
    flat = _flat(page)
    return PageReading(serial, tuple(_matter(flat, m) for m in range(count)), None, page)


def read_with_serial(image: Image, serial: str, matters: int) -> PageReading:
    """Read ``image`` as the ballot ``serial`` of ``matters`` matters, its QR code unread: for a
    page whose markers are found but whose serial the clerk typed from its printed line."""
    page = straighten(_shrunk(_grayscale(image)))
    if page is None:
        return PageReading(None, (), PageProblem.NO_MARKERS, None)
    flat = _flat(page)
    return PageReading(serial, tuple(_matter(flat, m) for m in range(matters)), None, page)


def read_serial(gray: NDArray[np.uint8]) -> str | None:
    """Only the serial of the ballot in ``gray`` (its QR code on the straightened page, else on
    the whole frame), or None: how the camera tells one page from the next."""
    page = straighten(_shrunk(gray))
    said = (_qr(page) if page is not None else None) or _qr(gray)
    return said[0] if said else None


def markers_seen(gray: NDArray[np.uint8]) -> int:
    """How many of the ballot's four corner markers are in ``gray``."""
    _, ids, _ = _detector().detectMarkers(gray)
    return len({int(i) for i in ([] if ids is None else ids.ravel())} & set(layout.MARKER_IDS))


def straighten(gray: NDArray[np.uint8]) -> NDArray[np.uint8] | None:
    """The page warped flat from its corner markers (three suffice), or None."""
    corners, ids, _ = _detector().detectMarkers(gray)
    found: list[NDArray[np.float64]] = []
    printed: list[tuple[float, float]] = []
    seen: set[int] = set()
    for quad, marker_id in zip(corners, [] if ids is None else ids.ravel(), strict=True):
        index = int(marker_id)
        if index in layout.MARKER_IDS and index not in seen:
            seen.add(index)
            found.append(quad.reshape(4, 2).astype(np.float64))
            printed.extend(layout.marker_corners(layout.MARKER_IDS.index(index)))
    if len(seen) < 3:
        return None
    source = np.concatenate(found).astype(np.float32)
    target = np.array(printed, np.float32) * PX_PER_MM
    homography, _ = cv2.findHomography(source, target, cv2.RANSAC, 3.0 * PX_PER_MM)
    if homography is None:
        return None
    size = (round(layout.PAGE_WIDTH_MM * PX_PER_MM), round(layout.PAGE_HEIGHT_MM * PX_PER_MM))
    warped = cv2.warpPerspective(gray, homography, size, flags=cv2.INTER_AREA, borderValue=0)
    return np.asarray(warped, np.uint8)


def _shrunk(gray: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """``gray`` at most MAX_SIDE_PX on its long side."""
    scale = MAX_SIDE_PX / max(gray.shape)
    if scale >= 1:
        return gray
    size = (round(gray.shape[1] * scale), round(gray.shape[0] * scale))
    return np.asarray(cv2.resize(gray, size, interpolation=cv2.INTER_AREA), np.uint8)


@cache
def _detector() -> cv2.aruco.ArucoDetector:
    """A marker detector for the ballot's four corners."""
    params = cv2.aruco.DetectorParameters()
    params.cornerRefinementMethod = cv2.aruco.CORNER_REFINE_SUBPIX
    params.adaptiveThreshWinSizeMax = 63
    dictionary = cv2.aruco.getPredefinedDictionary(DICTIONARY)
    return cv2.aruco.ArucoDetector(dictionary, params)


def _qr(gray: NDArray[np.uint8]) -> tuple[str, int] | None:
    """The serial and matter count of the ballot QR code in ``gray``, or None."""
    detector = cv2.QRCodeDetector()
    is_page = gray.shape == (
        round(layout.PAGE_HEIGHT_MM * PX_PER_MM),
        round(layout.PAGE_WIDTH_MM * PX_PER_MM),
    )
    region = layout.Rect(layout.QR_LEFT_MM, layout.QR_TOP_MM, layout.QR_SIDE_MM, layout.QR_SIDE_MM)
    images = [_px_slice(gray, region.inset(-4))] if is_page else [gray]
    for image in images:
        for candidate in (image, cv2.GaussianBlur(image, (3, 3), 0)):
            try:
                text, _, _ = detector.detectAndDecode(candidate)
            except cv2.error:
                continue
            said = layout.parse_qr_text(text) if text else None
            if said is not None:
                return said
    return None


def _flat(page: NDArray[np.uint8]) -> NDArray[np.float32]:
    """The page's darkness, 0 on its paper and 1 on black, its light evened out."""
    small = cv2.resize(page, None, fx=1 / PX_PER_MM, fy=1 / PX_PER_MM, interpolation=cv2.INTER_AREA)
    # The paper: the page closed by a 25 mm square (wider than a filled box, so ink goes, and
    # a closing rather than a dilation, so the paper follows a shadow's edge instead of the
    # brightest spot near it).
    paper = cv2.morphologyEx(
        small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (25, 25))
    )
    paper = cv2.GaussianBlur(paper, (0, 0), 2)
    paper = cv2.resize(paper, (page.shape[1], page.shape[0]), interpolation=cv2.INTER_LINEAR)
    ratio = page.astype(np.float32) / np.maximum(paper.astype(np.float32), 1.0)
    return np.asarray(np.clip(1.0 - ratio, 0.0, 1.0), np.float32)


def _matter(flat: NDArray[np.float32], matter: int) -> MatterReading:
    """Read ``matter``'s row of the flattened page."""
    boxes = [layout.box_rect(matter, choice) for choice in range(3)]
    papers = [_paper(flat, box) for box in boxes]
    darkness = tuple(
        _ink(flat, box.inset(INSIDE_MARGIN_MM), paper)
        for box, paper in zip(boxes, papers, strict=True)
    )
    dark3 = (darkness[0], darkness[1], darkness[2])
    if not all(
        paper is not None and _bordered(flat, box) for box, paper in zip(boxes, papers, strict=True)
    ):
        return MatterReading(matter, None, Unclear.DAMAGED, dark3)
    marked = [i for i, value in enumerate(darkness) if value >= MARKED]
    faint = [i for i, value in enumerate(darkness) if CLEAN < value < MARKED]
    gaps = [layout.gap_rect(matter, gap) for gap in range(2)]
    paper = max(p or 0.0 for p in papers)
    between = any(_ink(flat, _gap_inside(gap), paper) > GAP_CLEAN for gap in gaps)
    if len(marked) > 1:
        return MatterReading(matter, None, Unclear.TWO, dark3)
    if faint or between:
        return MatterReading(matter, None, Unclear.BETWEEN, dark3)
    if not marked:
        return MatterReading(matter, None, Unclear.NONE, dark3)
    return MatterReading(matter, marked[0], None, dark3)


def _gap_inside(gap: layout.Rect) -> layout.Rect:
    """The paper between two boxes, clear of a tick's tail reaching out of either box."""
    side = INSIDE_MARGIN_MM + 1.0
    return layout.Rect(gap.left + side, gap.top, gap.width - 2 * side, gap.height)


def _bordered(flat: NDArray[np.float32], box: layout.Rect) -> bool:
    """Whether ``box``'s printed border is there all round (the page is whole, the warp right)."""
    border = layout.BORDER_MM
    edges = [
        layout.Rect(box.left, box.top, box.width, border),
        layout.Rect(box.left, box.top + box.height - border, box.width, border),
        layout.Rect(box.left, box.top, border, box.height),
        layout.Rect(box.left + box.width - border, box.top, border, box.height),
    ]
    for edge in edges:
        strip = _px_slice(flat, edge.inset(-0.6))
        # Along the edge, each position's darkest pixel across the (blurred) line.
        along = strip.max(axis=0) if edge.width > edge.height else strip.max(axis=1)
        if (along > BORDER_DARK).mean() < BORDER_SEEN:
            return False
    return True


def _paper(flat: NDArray[np.float32], box: layout.Rect) -> float | None:
    """The darkness of the paper round ``box`` (its ring's median), or None when it is not paper.

    Most of the ring is blank paper on a whole page; a tear, or a hand over it, is dark all round.
    """
    inner, outer = RING_MM
    ring = _px_slice(flat, box.inset(-outer)).copy()
    hole = box.inset(-inner)
    top = round((hole.top - box.top + outer) * PX_PER_MM)
    left = round((hole.left - box.left + outer) * PX_PER_MM)
    side = round(hole.width * PX_PER_MM)
    ring[top : top + side, left : left + side] = np.nan
    median = float(np.nanmedian(ring))
    return median if median < 1 - RING_PAPER else None


def _ink(flat: NDArray[np.float32], rect: layout.Rect, paper: float | None) -> float:
    """The mean darkness inside ``rect`` beyond the paper's own and its grain."""
    darker = _px_slice(flat, rect) - ((paper or 0.0) + PAPER_GRAIN)
    return float(np.clip(darker, 0.0, None).mean())


def _px_slice(image: NDArray[_T], rect: layout.Rect) -> NDArray[_T]:
    """The pixels of ``rect`` on a straightened page."""
    top, left = round(rect.top * PX_PER_MM), round(rect.left * PX_PER_MM)
    bottom = round((rect.top + rect.height) * PX_PER_MM)
    right = round((rect.left + rect.width) * PX_PER_MM)
    return image[max(top, 0) : bottom, max(left, 0) : right]
