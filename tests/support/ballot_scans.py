"""Photos of filled-in paper ballots, drawn by the tests themselves, with the truth of every box.

The page follows ``devices.ballot_layout`` (as the printed PDF does) but is drawn here with
OpenCV, independently of the printer: markers, QR code, boxes, lines of text. Then a voter's
hand (pen and pencil ticks, crosses, filled boxes, two marks, none, a mark between boxes, stray
marks elsewhere), then the camera's (tilt, perspective, blur, shadow, noise, JPEG, a torn
corner). ``Scan.truth`` holds, per matter, the box the voter marked, or None where no single box
was marked: a reader may send any matter to review, but must never read a value other than the
truth (and never read one where the truth is None).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np
from numpy.typing import NDArray

from devices import ballot_layout as layout
from devices.qr import qr_matrix

RENDER_PX_PER_MM = 6.0
Image = NDArray[np.uint8]

# Kinds of hand on one matter, with their weights: most voters mark one box clearly.
SINGLE = ("tick_pen", "tick_pencil", "cross", "fill")
AMBIGUOUS = ("none", "two", "between")
WEIGHTS = {
    "tick_pen": 30,
    "tick_pencil": 16,
    "cross": 20,
    "fill": 12,
    "none": 8,
    "two": 7,
    "between": 7,
}


@dataclass(frozen=True)
class Scan:
    """One generated photo and what is really on it."""

    jpeg: bytes
    serial: str
    truth: tuple[int | None, ...]  # per matter: the one box marked, or None
    kinds: tuple[str, ...]  # per matter: the hand drawn (for the report of a failure)
    torn: bool


def serial_for(index: int) -> str:
    """A fixed, valid serial for page ``index``."""
    rng = random.Random(f"serial-{index}")
    return "".join(rng.choice(layout.SERIAL_ALPHABET) for _ in range(layout.SERIAL_LENGTH))


def generate(
    index: int,
    *,
    matters: int | None = None,
    kinds: tuple[str, ...] | None = None,
    serial: str | None = None,
    torn: bool | None = None,
    stained_qr: bool = False,
) -> Scan:
    """Page ``index`` of the test set: the same page for the same index, on every machine.
    ``stained_qr``: ink spilt over the QR code (the corner markers and boxes left whole)."""
    rng = random.Random(index)
    count = matters or (len(kinds) if kinds else rng.randint(1, layout.MAX_MATTERS))
    serial = serial or serial_for(index)
    page = _blank(serial, count, rng)
    if stained_qr:  # drawn without the page's random numbers: nothing else changes
        top, left, side = _px(layout.QR_TOP_MM), _px(layout.QR_LEFT_MM), _px(layout.QR_SIDE_MM)
        cv2.circle(page, (left + side // 2, top + side // 2), side // 3, 25, -1)
    chosen = kinds or tuple(_kind(rng) for _ in range(count))
    truth = tuple(_hand(page, m, kind, rng) for m, kind in enumerate(chosen))
    _stray_marks(page, rng)
    tear = rng.random() < 0.12  # drawn always, so that forcing it changes nothing else
    torn = tear if torn is None else torn
    photo = _photograph(page, rng, torn)
    quality = rng.randint(60, 92)
    ok, jpeg = cv2.imencode(".jpg", photo, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return Scan(jpeg.tobytes(), serial, truth, chosen, torn)


def _kind(rng: random.Random) -> str:
    return rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]


def _px(mm: float) -> int:
    return round(mm * RENDER_PX_PER_MM)


@cache
def _marker(index: int) -> Image:
    dictionary = cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50)
    side = _px(layout.MARKER_SIDE_MM)
    return np.asarray(cv2.aruco.generateImageMarker(dictionary, layout.MARKER_IDS[index], side))


def _blank(serial: str, matters: int, rng: random.Random) -> Image:
    """The printed page: white paper, markers, QR code, text lines, boxes and their words."""
    height, width = _px(layout.PAGE_HEIGHT_MM), _px(layout.PAGE_WIDTH_MM)
    paper = rng.randint(228, 250)
    page = np.full((height, width), paper, np.uint8)
    for index in range(4):
        rect = layout.marker_rect(index)
        marker = _marker(index)
        top, left = _px(rect.top), _px(rect.left)
        page[top : top + marker.shape[0], left : left + marker.shape[1]] = marker
    modules = np.array(qr_matrix(layout.qr_text(serial, matters)), np.uint8)
    side = _px(layout.QR_SIDE_MM)
    code = cv2.resize((1 - modules) * paper, (side, side), interpolation=cv2.INTER_NEAREST)
    top, left = _px(layout.QR_TOP_MM), _px(layout.QR_LEFT_MM)
    page[top : top + side, left : left + side] = code
    font = cv2.FONT_HERSHEY_SIMPLEX
    cv2.putText(page, "OWNERS' ASSEMBLY BALLOT", (_px(30), _px(20)), font, 1.6, 20, 3)
    for line in range(4):  # the address, area and the instructions in large type
        words = "".join(rng.choice("ABCDEFGHIJKLMNOP 0123456789") for _ in range(26))
        cv2.putText(page, words, (_px(14), _px(40 + 12 * line)), font, 1.4, 30, 3)
    for matter in range(matters):
        row = layout.row_top(matter)
        for line in range(2):
            words = "".join(rng.choice("abcdefghijklmnop ") for _ in range(24))
            cv2.putText(page, words, (_px(14), _px(row + 10 + 7 * line)), font, 0.9, 40, 2)
        for choice, word in enumerate(("AGREE", "AGAINST", "ABSTAIN")):
            box = layout.box_rect(matter, choice)
            cv2.putText(page, word, (_px(box.left - 1), _px(box.top - 2)), font, 0.55, 40, 1)
            border = max(1, _px(layout.BORDER_MM))
            cv2.rectangle(
                page,
                (_px(box.left), _px(box.top)),
                (_px(box.left + box.width) - 1, _px(box.top + box.height) - 1),
                0,
                border,
            )
    for line in range(2):  # the signature and date lines
        y = _px(layout.SIGNATURE_TOP_MM + 12 * line)
        cv2.putText(page, "SIGNATURE" if line == 0 else "DATE", (_px(20), y), font, 1.0, 30, 2)
        cv2.line(page, (_px(60), y), (_px(170), y), 30, 2)
    return page


def _hand(page: Image, matter: int, kind: str, rng: random.Random) -> int | None:
    """Draw ``kind`` on ``matter``'s row; the box marked, or None when not exactly one."""
    if kind == "none":
        return None
    if kind == "two":
        first, second = rng.sample(range(3), 2)
        _mark(page, layout.box_rect(matter, first), rng.choice(("tick_pen", "cross")), rng)
        _mark(page, layout.box_rect(matter, second), rng.choice(("tick_pen", "cross", "fill")), rng)
        return None
    if kind == "between":
        gap = layout.gap_rect(matter, rng.randrange(2))
        centre_x = gap.left + gap.width / 2 + rng.uniform(-2, 2)
        spot = layout.Rect(centre_x - 5, gap.top + 1, 10, 10)
        _mark(page, spot, rng.choice(("tick_pen", "cross")), rng)
        return None
    choice = rng.randrange(3)
    _mark(page, layout.box_rect(matter, choice), kind, rng)
    return choice


def _mark(page: Image, box: layout.Rect, kind: str, rng: random.Random) -> None:
    """One mark of ``kind`` in ``box`` (mm), as a hand would make it."""
    pencil = kind == "tick_pencil"
    ink = rng.randint(100, 150) if pencil else rng.randint(10, 80)
    thick = max(2, _px(rng.uniform(0.3, 0.5) if pencil else rng.uniform(0.4, 0.9)))
    scale = rng.uniform(0.65, 1.05)
    cx = box.left + box.width / 2 + rng.uniform(-1, 1)
    cy = box.top + box.height / 2 + rng.uniform(-1, 1)
    half = box.width / 2 * scale
    # Drawn on a patch round the box (the whole page would be slow), then laid on the page.
    left, top = _px(box.left - 4), _px(box.top - 4)
    layer = np.zeros((_px(box.height + 8), _px(box.width + 8)), np.uint8)

    def at(x: float, y: float) -> tuple[int, int]:  # -1..1 across the mark
        return (_px(cx + x * half) - left, _px(cy + y * half) - top)

    if kind in ("tick_pen", "tick_pencil"):
        knee = (rng.uniform(-0.35, -0.1), rng.uniform(0.55, 0.9))
        points = [
            at(rng.uniform(-0.9, -0.6), rng.uniform(-0.1, 0.3)),
            at(*knee),
            at(rng.uniform(0.7, 1.0), rng.uniform(-1.0, -0.7)),
        ]
        cv2.polylines(layer, [np.array(points, np.int32)], False, 255, thick, cv2.LINE_AA)
        if pencil:  # graphite leaves the paper's grain showing through
            grain = np.random.default_rng(rng.randrange(2**32)).random(layer.shape) < 0.75
            np.floor_divide(layer, 3, out=layer, where=~grain)
    elif kind == "cross":
        cv2.line(layer, at(-0.8, -0.8), at(0.8, 0.85), 255, thick, cv2.LINE_AA)
        cv2.line(layer, at(0.85, -0.8), at(-0.8, 0.8), 255, thick, cv2.LINE_AA)
    elif kind == "fill":
        cover = rng.uniform(0.7, 0.95)
        cv2.rectangle(layer, at(-cover, -cover), at(cover, cover), 255, -1)
        for _ in range(6):  # the scribble's strokes, beyond its fill
            cv2.line(layer, at(rng.uniform(-1, 1), -0.9), at(rng.uniform(-1, 1), 0.9), 255, thick)
    else:
        raise ValueError(kind)
    _ink(page, layer, ink, left, top)


def _ink(page: Image, layer: Image, ink: int, left: int, top: int) -> None:
    """Darken ``page`` towards ``ink`` where ``layer`` (0–255, its corner at left, top) says."""
    area = np.s_[top : top + layer.shape[0], left : left + layer.shape[1]]
    alpha = layer.astype(np.float32) / 255
    under = page[area].astype(np.float32)
    page[area] = np.rint(under * (1 - alpha) + np.minimum(under, ink) * alpha).astype(np.uint8)


def _stray_marks(page: Image, rng: random.Random) -> None:
    """Marks away from the boxes: a doodle by the title, a dot in the margin, a line of text."""
    for _ in range(rng.randint(0, 4)):
        x = rng.uniform(14, 95)  # left of the boxes' column, or in the header and footer
        y = rng.choice((rng.uniform(30, 90), rng.uniform(100, 240), rng.uniform(252, 270)))
        end = (x + rng.uniform(-15, 15), y + rng.uniform(-6, 6))
        thick = max(2, _px(rng.uniform(0.3, 0.8)))
        cv2.line(page, (_px(x), _px(y)), (_px(end[0]), _px(end[1])), rng.randint(20, 120), thick)


def _photograph(page: Image, rng: random.Random, torn: bool) -> Image:
    """``page`` as a phone or a scanner sees it: on a table, tilted, shaded, blurred, noisy."""
    height, width = page.shape
    if torn:
        page = page.copy()
        _tear(page, rng)
    scale = rng.uniform(0.6, 0.9)  # of the photo's 1500 × 2000 px frame the page spans
    frame_w, frame_h = 1500, 2000
    corners = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    page_w, page_h = frame_h * scale * width / height, frame_h * scale
    angle = math.radians(rng.uniform(-15, 15) + (180 if rng.random() < 0.1 else 0))
    centre = np.array([frame_w / 2 + rng.uniform(-60, 60), frame_h / 2 + rng.uniform(-60, 60)])
    target = []
    for x, y in corners:
        u = (x / width - 0.5) * page_w
        v = (y / height - 0.5) * page_h
        rotated = [
            u * math.cos(angle) - v * math.sin(angle),
            u * math.sin(angle) + v * math.cos(angle),
        ]
        jitter = [rng.uniform(-0.06, 0.06) * page_w, rng.uniform(-0.05, 0.05) * page_h]
        target.append(centre + rotated + jitter)
    homography = cv2.getPerspectiveTransform(corners, np.array(target, np.float32))
    table = rng.choice((40, 70, 110, 160, 200))
    photo = cv2.warpPerspective(
        page,
        homography,
        (frame_w, frame_h),
        flags=cv2.INTER_AREA,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=table,
    )
    light = _light(frame_h, frame_w, rng)
    photo = photo.astype(np.float32) * light
    sigma = rng.uniform(0.0, 2.2)
    if sigma > 0.3:
        photo = cv2.GaussianBlur(photo, (0, 0), sigma)
    noise = np.random.default_rng(rng.randrange(2**32)).standard_normal(photo.shape, np.float32)
    photo += noise * rng.uniform(1, 6)
    grey = np.clip(photo, 0, 255, out=photo).astype(np.uint8)
    return np.asarray(cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR), np.uint8)


def _tear(page: Image, rng: random.Random) -> None:
    """Tear one corner off: the table shows through a ragged triangle."""
    height, width = page.shape
    size = rng.uniform(15, 45) * RENDER_PX_PER_MM
    corner = rng.randrange(4)
    cx, cy = [(0, 0), (width, 0), (width, height), (0, height)][corner]
    sx, sy = (1 if cx == 0 else -1), (1 if cy == 0 else -1)
    points = [(cx, cy), (cx + sx * size * rng.uniform(0.8, 1.4), cy)]
    for step in range(1, 6):  # the ragged edge from one side to the other
        t = step / 6
        reach = size * rng.uniform(0.85, 1.15)
        points.append((cx + sx * reach * (1 - t), cy + sy * reach * t))
    points.append((cx, cy + sy * size * rng.uniform(0.8, 1.4)))
    cv2.fillPoly(page, [np.array(points, np.int32)], rng.choice((60, 120, 0)))


def _light(height: int, width: int, rng: random.Random) -> NDArray[np.float32]:
    """Uneven light: a gradient across the frame and sometimes a soft shadow of a hand or phone."""
    small_h, small_w = height // 8, width // 8  # light varies slowly: drawn small, then enlarged
    ys, xs = np.mgrid[0:small_h, 0:small_w].astype(np.float32)
    direction = rng.uniform(0, 2 * math.pi)
    ramp = (xs * math.cos(direction) + ys * math.sin(direction)) / max(small_h, small_w)
    low = rng.uniform(0.55, 1.0)
    light = low + (1 - low) * (ramp - ramp.min()) / max(float(np.ptp(ramp)), 1e-6)
    if rng.random() < 0.35:
        shadow = np.zeros((small_h, small_w), np.float32)
        x0, y0 = rng.uniform(0, small_w), rng.uniform(0, small_h)
        cv2.ellipse(
            shadow,
            (int(x0), int(y0)),
            (int(small_w * 0.3), int(small_h * 0.2)),
            rng.uniform(0, 180),
            0,
            360,
            1.0,
            -1,
        )
        shadow = cv2.GaussianBlur(shadow, (0, 0), 60 / 8)
        light = light * (1 - rng.uniform(0.2, 0.4) * shadow)
    return np.asarray(
        cv2.resize(light, (width, height), interpolation=cv2.INTER_LINEAR), np.float32
    )
