"""Plickers-style paper cards: find every card in a photo of the room and read its answer.

A card carries an AprilTag 36h11 marker (OpenCV's ``cv2.aruco``) with A, B, C, D printed
clockwise round it from the top; the side held on top is the answer. The family's codes differ
from each other, and from their own quarter-turns, in at least 11 of 36 cells; cards use only
the 526 codes that are also 7 cells or more from every mirror image (a card seen from behind,
against the light). The detector corrects at most 2 cells and our own re-read of the cells must
agree within 2, so a wrong number or answer would take 5 or more cells misread at once. A card
is dropped rather than guessed when held near a diagonal, when the re-read disagrees, or when
two copies of one number show different answers.
"""

from __future__ import annotations

import io
import math
import os
import re
import warnings
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Literal

# A photo of the room is at most ~50 MP (a 48 MP phone). A decompression bomb (a PNG of
# 30000×30000 pixels packs into 854 KB) is refused from its header, before any decoding
# (``photo_pixels``); OpenCV's own limit, read when cv2 loads, is the second line.
os.environ.setdefault("OPENCV_IO_MAX_IMAGE_PIXELS", "64000000")

import cv2
import numpy as np
from numpy.typing import NDArray

from devices.card_numbers import MAX_CARD_NUMBER

MAX_PHOTO_PIXELS = int(os.environ["OPENCV_IO_MAX_IMAGE_PIXELS"])
Answer = Literal["A", "B", "C", "D"]
ANSWERS: tuple[Answer, ...] = ("A", "B", "C", "D")  # printed clockwise, A along the top edge
Point = tuple[float, float]
Image = bytes | NDArray[np.uint8]

DICTIONARY = cv2.aruco.DICT_APRILTAG_36h11
CELLS = 8  # 6×6 code cells inside a one-cell black border
MIN_MIRROR_DISTANCE = 7  # changing it renumbers the markers: every printed card would be wrong
MAX_CORRECTED_CELLS = 2
MAX_TILT_DEGREES = 30.0  # off the nearest upright side; at 45° either side could be meant
MIN_SIDE_PX = 20.0  # 2.5 px a cell: smaller than this no reading is trustworthy
MIN_SIDE_RATIO = 0.3  # shortest over longest side: flatter than this is a card seen edge-on
REREAD_PX_PER_CELL = 6


class PhotoTooLarge(ValueError):
    """A photo declaring more pixels than ``MAX_PHOTO_PIXELS`` (refused before decoding)."""

    def __init__(self, pixels: int) -> None:
        super().__init__(f"the photo declares {pixels} pixels; at most {MAX_PHOTO_PIXELS}")
        self.pixels = pixels


@dataclass(frozen=True)
class CardReading:
    """One card seen in one photo: its number, the answer on top, where it is and how clearly."""

    number: int
    answer: Answer
    corners: tuple[Point, Point, Point, Point]  # the marker's printed TL, TR, BR, BL, image px
    center: Point
    side_px: float  # mean side length of the marker in the photo
    bit_errors: int  # code cells of our re-read that differ from the card's: 0 is a clean read


@dataclass(frozen=True)
class PhotoScan:
    """What one photo shows: the cards read for sure, and those seen but not read for sure."""

    readings: tuple[CardReading, ...]  # in order of number
    conflicts: frozenset[int] = field(default_factory=frozenset)  # copies showing two answers
    unclear: frozenset[int] = field(default_factory=frozenset)  # near a diagonal, or a bad re-read


def scan_photo(image: Image, issued: Collection[int] | None = None) -> PhotoScan:
    """Every card in ``image`` (an encoded photo, or a BGR or grey array) numbered in ``issued``."""
    gray = _grayscale(image)
    corners, ids, _ = _detector(*gray.shape).detectMarkers(gray)
    numbers = _numbers()
    seen: dict[int, list[CardReading | None]] = {}
    for quad, marker_id in zip(corners, [] if ids is None else ids.ravel(), strict=True):
        number = numbers.get(int(marker_id))
        if number is not None and (issued is None or number in issued):
            seen.setdefault(number, []).append(
                _reading(gray, number, quad.reshape(4, 2).astype(np.float64))
            )
    readings, conflicts, unclear = [], set(), set()
    for number, sightings in sorted(seen.items()):
        clear = [reading for reading in sightings if reading is not None]
        if not clear:
            unclear.add(number)
        elif len(clear) < len(sightings) or len({reading.answer for reading in clear}) > 1:
            conflicts.add(number)  # copies of one card that do not all show one answer
        else:  # copies of one card showing one answer count once
            readings.append(max(clear, key=lambda reading: reading.side_px))
    return PhotoScan(tuple(readings), frozenset(conflicts), frozenset(unclear))


def read_cards(image: Image, issued: Collection[int] | None = None) -> list[CardReading]:
    """The cards read for sure in ``image``, in order of number (``scan_photo`` says more)."""
    return list(scan_photo(image, issued).readings)


def merge_readings(photos: Sequence[Sequence[CardReading] | PhotoScan]) -> dict[int, CardReading]:
    """Each card's reading from the latest of ``photos`` (in time order) that sees it.

    A card that the latest photo saw but could not read for sure (a ``PhotoScan``'s conflicts
    and unclear numbers) has no reading: its earlier answer may be stale, so it is missing.
    """
    merged: dict[int, CardReading] = {}
    for photo in photos:
        if isinstance(photo, PhotoScan):
            for number in photo.conflicts | photo.unclear:
                merged.pop(number, None)
            photo = photo.readings
        merged.update((reading.number, reading) for reading in photo)
    return merged


def marker_cells(number: int) -> NDArray[np.uint8]:
    """Card ``number``'s marker, CELLS×CELLS cells with its border: 0 black, 255 white."""
    if not 1 <= number <= MAX_CARD_NUMBER:
        raise ValueError(f"card numbers run from 1 to {MAX_CARD_NUMBER}, not {number}")
    return _cells(_marker_ids()[number - 1])


def _cells(marker_id: int) -> NDArray[np.uint8]:
    """The marker ``marker_id`` as CELLS×CELLS cells."""
    return np.asarray(cv2.aruco.generateImageMarker(_dictionary(), marker_id, CELLS), np.uint8)


@cache
def _dictionary() -> cv2.aruco.Dictionary:
    """AprilTag 36h11 correcting MAX_CORRECTED_CELLS (OpenCV 4 says 0 for the family, 5 says 5)."""
    family = cv2.aruco.getPredefinedDictionary(DICTIONARY)
    return cv2.aruco.Dictionary(family.bytesList, family.markerSize, MAX_CORRECTED_CELLS)


@cache
def _marker_ids() -> tuple[int, ...]:
    """The marker id of each card number in turn: the codes far from every mirror image."""
    count = len(_dictionary().bytesList)
    codes = np.array([_cells(i)[1:-1, 1:-1] > 127 for i in range(count)])
    mirrors = codes[:, :, ::-1].reshape(count, 1, -1)
    nearest = np.full(count, codes[0].size)
    for turn in range(4):
        turned = np.rot90(codes, turn, axes=(1, 2)).reshape(1, count, -1)
        nearest = np.minimum(nearest, (mirrors != turned).sum(axis=2).min(axis=0))
    usable = np.flatnonzero(nearest >= MIN_MIRROR_DISTANCE)
    if len(usable) < MAX_CARD_NUMBER:
        raise RuntimeError("this OpenCV's AprilTag 36h11 codes are not the published ones")
    return tuple(int(i) for i in usable[:MAX_CARD_NUMBER])


@cache
def _numbers() -> dict[int, int]:
    """Card number by marker id."""
    return {marker_id: number for number, marker_id in enumerate(_marker_ids(), start=1)}


def photo_pixels(data: bytes) -> int | None:
    """The pixels an encoded photo declares in its header (nothing is decoded), or None when
    Pillow does not know its format (OpenCV then decides, within its own limit)."""
    from PIL import Image as Pillow  # Pillow comes with qrcode[pil]; it reads headers only here

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Pillow.DecompressionBombWarning)
        try:
            with Pillow.open(io.BytesIO(data)) as header:
                width, height = header.size
        except Pillow.DecompressionBombError as bomb:  # over twice Pillow's own limit
            said = re.search(r"\((\d+) pixels\)", str(bomb))
            return int(said.group(1)) if said else 2 * (Pillow.MAX_IMAGE_PIXELS or 0) + 1
        except (OSError, SyntaxError, ValueError):
            return None
    return int(width) * int(height)


def _grayscale(image: Image) -> NDArray[np.uint8]:
    """``image`` as one grey channel, an encoded photo turned upright by its EXIF orientation.

    Raises ``PhotoTooLarge`` for a photo declaring too many pixels (before decoding it), and
    ValueError for anything OpenCV cannot decode.
    """
    if isinstance(image, bytes):
        pixels = photo_pixels(image)
        if pixels is not None and pixels > MAX_PHOTO_PIXELS:
            raise PhotoTooLarge(pixels)
        # imdecode applies the EXIF orientation: a sideways phone photo would turn every answer.
        try:
            gray = cv2.imdecode(np.frombuffer(image, np.uint8), cv2.IMREAD_GRAYSCALE)
        except cv2.error as error:  # e.g. over OPENCV_IO_MAX_IMAGE_PIXELS in a format Pillow lacks
            raise ValueError(f"OpenCV refused the photo: {error}") from error
        if gray is None:
            raise ValueError("the photo is not an image OpenCV can decode (JPEG, PNG, WebP)")
        return np.asarray(gray, np.uint8)
    if image.ndim == 2:
        return image
    code = cv2.COLOR_BGRA2GRAY if image.shape[2] == 4 else cv2.COLOR_BGR2GRAY
    return np.asarray(cv2.cvtColor(image, code), np.uint8)


@lru_cache(maxsize=8)
def _detector(height: int, width: int) -> cv2.aruco.ArucoDetector:
    """A detector tuned for phone photos of a room, for images of this size."""
    params = cv2.aruco.DetectorParameters()
    # Thresholding windows from a far card's cell (5 px) to a near card's (50 px).
    params.adaptiveThreshWinSizeMin = 3
    params.adaptiveThreshWinSizeMax = 53
    params.adaptiveThreshWinSizeStep = 10
    params.adaptiveThreshConstant = 10  # ignores faint texture; a card's black is far darker
    params.minMarkerPerimeterRate = 4 * MIN_SIDE_PX / max(height, width)
    params.perspectiveRemovePixelPerCell = 8
    params.errorCorrectionRate = 1.0  # all of the dictionary's MAX_CORRECTED_CELLS
    params.cornerRefinementMethod = cv2.aruco.CORNER_REFINE_SUBPIX
    return cv2.aruco.ArucoDetector(_dictionary(), params)


def _reading(gray: NDArray[np.uint8], number: int, quad: NDArray[np.float64]) -> CardReading | None:
    """The reading of card ``number`` found at ``quad``, or None when its answer is not certain."""
    edges = np.roll(quad, -1, axis=0) - quad
    sides = np.linalg.norm(edges, axis=1)
    turns = edges[:, 0] * np.roll(edges[:, 1], -1) - edges[:, 1] * np.roll(edges[:, 0], -1)
    if (turns <= 0).any() or sides.min() < max(MIN_SIDE_PX, MIN_SIDE_RATIO * sides.max()):
        return None  # not a convex, clockwise, roughly square quadrilateral
    up = (quad[0] + quad[1] - quad[2] - quad[3]) / 2  # from the bottom edge to the A edge
    angle = math.degrees(math.atan2(up[0], -up[1]))  # 0 when A is on top, 90 when A faces right
    quarter = round(angle / 90)
    if abs(angle - 90 * quarter) > MAX_TILT_DEGREES:
        return None
    errors = _reread_errors(gray, number, quad)
    if errors > MAX_CORRECTED_CELLS:
        return None
    corners = [(float(x), float(y)) for x, y in quad]
    center = quad.mean(axis=0)
    return CardReading(
        number=number,
        answer=ANSWERS[-quarter % 4],  # A facing right: turned clockwise, so D is on top
        corners=(corners[0], corners[1], corners[2], corners[3]),
        center=(float(center[0]), float(center[1])),
        side_px=float(sides.mean()),
        bit_errors=errors,
    )


def _reread_errors(gray: NDArray[np.uint8], number: int, quad: NDArray[np.float64]) -> int:
    """How many code cells, sampled anew inside ``quad``, differ from card ``number``'s."""
    side = CELLS * REREAD_PX_PER_CELL
    square = np.array([[0, 0], [side, 0], [side, side], [0, side]], np.float32)
    homography = cv2.getPerspectiveTransform(quad.astype(np.float32), square)
    patch = cv2.warpPerspective(gray, homography, (side, side), flags=cv2.INTER_LINEAR)
    # Each cell's middle, away from the blur at its edges, split into black and white by Otsu.
    margin = REREAD_PX_PER_CELL // 3
    cells = patch.reshape(CELLS, REREAD_PX_PER_CELL, CELLS, REREAD_PX_PER_CELL)
    middles = np.rint(cells[:, margin:-margin, :, margin:-margin].mean(axis=(1, 3)))
    _, seen = cv2.threshold(middles.astype(np.uint8), 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return int((seen != marker_cells(number))[1:-1, 1:-1].sum())
