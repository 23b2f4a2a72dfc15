"""The box's camera over the ballots: a document camera or a webcam on a stand, the clerk laying
the returned ballots under it one after another.

``CaptureLoop.step`` takes one frame and says what the camera sees (``Seen``). A page is handed
on to be counted once, when it has lain still and sharp with its corner markers in the frame
(``PageWatcher``); a page left under the camera is not handed on again. The key is the serial:
a new page is one whose serial differs from the last one handed on, or any page once the
markers have left the frame (so the same ballot put back is handed on again, and the counting
refuses it as counted already, in words). A page whose QR code cannot be read is handed on once
too (the clerk types its printed serial in the review queue) and not again while it lies there.

``OpenCvCamera`` reads a V4L2 device (``/dev/video0``, or its index) through OpenCV; a frame
that cannot be read says the camera is gone. ``devices.fakes.FakeFrames`` plays image files
instead, for tests and for a box without a camera. Nothing here touches the database: the
caller counts the page (``meeting_room.paper.camera``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

import cv2
import numpy as np
from numpy.typing import NDArray

from devices.ballot_reader import markers_seen, read_serial

Frame = NDArray[np.uint8]

LOOK_SIDE_PX = 1000  # frames are judged shrunk to this long side: markers keep > 25 px
THUMB_SIDE_PX = 160  # and compared with the last one at this size, for motion
MOTION = 4.0  # mean grey-level change between two frames above which the page is moving
SHARP = 100.0  # variance of the Laplacian (at LOOK_SIDE_PX) below which a frame is too blurred:
# generated ballots at the reader's limit of blur give 158 and more, an empty table's noise 47
STILL_FRAMES = 3  # frames in a row, still and sharp, before a page is read
GONE_FRAMES = 2  # frames in a row without markers before the page counts as taken away
PREVIEW_SIDE_PX = 320  # the clerk's small preview
PAGE_JPEG_QUALITY = 95  # the frame kept as the ballot's image


class CameraNotFound(Exception):
    """No camera at the configured device, or it stopped giving frames."""


class FrameSource(Protocol):
    """Where frames come from: the box's camera, or image files in tests."""

    def read(self) -> Frame | None:
        """The next frame (BGR or grey), or None when the camera gives none."""

    def close(self) -> None:
        """Release the device."""


class OpenCvCamera:
    """A V4L2 camera through ``cv2.VideoCapture``: ``device`` is an index (0 for /dev/video0)
    or a path. Raises ``CameraNotFound`` when it cannot be opened."""

    def __init__(self, device: int | str, width: int = 1920, height: int = 1080) -> None:
        self._capture = cv2.VideoCapture(device, cv2.CAP_V4L2)
        if not self._capture.isOpened():
            raise CameraNotFound(f"no camera at {device!r}")
        # As large as the camera gives: a ballot's boxes need about 4 px a millimetre.
        self._capture.set(cv2.CAP_PROP_FRAME_WIDTH, width)
        self._capture.set(cv2.CAP_PROP_FRAME_HEIGHT, height)

    def read(self) -> Frame | None:
        """The next frame (blocks until the camera gives it), or None if it gave none."""
        ok, frame = self._capture.read()
        return np.asarray(frame, np.uint8) if ok else None

    def close(self) -> None:
        """Release the device for another program."""
        self._capture.release()


class Status(StrEnum):
    """What the camera sees, for the clerk's screen."""

    NO_PAGE = "no_page"  # no ballot's markers in the frame: waiting for a page
    MOVING = "moving"  # a page is there but moving, or not yet still for long enough
    BLURRED = "blurred"  # still, but out of focus
    NEW_PAGE = "new_page"  # a still, sharp page not handed on before: count it
    SAME_PAGE = "same_page"  # the page handed on last still lies there
    GONE = "gone"  # the camera gave no frame


@dataclass(frozen=True)
class Look:
    """What one frame shows, measured: corner markers seen, sharpness, motion since the last."""

    markers: int
    sharpness: float
    motion: float


@dataclass
class PageWatcher:
    """The capture loop's decisions, frame by frame (pure: no image here, only ``Look``s)."""

    still_frames: int = STILL_FRAMES
    gone_frames: int = GONE_FRAMES
    motion: float = MOTION
    sharp: float = SHARP
    _still: int = 0
    _missing: int = 0
    _settled: bool = False  # this still spell's page was looked at already
    _left: bool = True  # the markers left the frame since a page was handed on
    _last: str | None = None  # the serial handed on last
    _handed: bool = False  # a page (with or without a serial) was handed on

    def see(self, look: Look) -> Status:
        """NEW_PAGE once per still spell that may be a new page (the caller then reads its
        serial and asks ``is_new``); otherwise what the clerk should be told."""
        if look.markers < 3:
            self._still = 0
            self._settled = False
            self._missing += 1
            if self._missing >= self.gone_frames:
                self._left = True
            return Status.NO_PAGE
        self._missing = 0
        if look.motion > self.motion:
            self._still = 0
            self._settled = False
            return Status.MOVING
        if look.sharpness < self.sharp:
            self._still = 0
            return Status.BLURRED
        self._still += 1
        if self._still < self.still_frames:
            return Status.MOVING
        if self._settled:
            return Status.SAME_PAGE
        self._settled = True
        return Status.NEW_PAGE

    def is_new(self, serial: str | None) -> bool:
        """Whether the still page whose serial is ``serial`` (None: unreadable) is to be handed
        on; if so it is remembered as the last one."""
        new = not self._handed or self._left or (serial is not None and serial != self._last)
        if new:
            self._handed, self._left, self._last = True, False, serial
        return new


@dataclass(frozen=True)
class Seen:
    """One step of the loop: what the camera sees, the preview, and a page to count."""

    status: Status
    preview: bytes = b""  # a small JPEG of the frame ("" when there is none)
    page: bytes = b""  # the frame as a JPEG when it is a new page to count
    serial: str | None = None  # the serial read from it, if any


@dataclass
class CaptureLoop:
    """Frames from ``source`` judged one by one (see the module)."""

    source: FrameSource
    watcher: PageWatcher = field(default_factory=PageWatcher)
    _thumb: NDArray[np.float32] | None = None

    def step(self) -> Seen:
        """Take and judge one frame (CPU work: run it off the event loop)."""
        frame = self.source.read()
        if frame is None:
            return Seen(Status.GONE)
        gray = np.asarray(
            frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY), np.uint8
        )
        look, self._thumb = measure(gray, self._thumb)
        status = self.watcher.see(look)
        preview = _jpeg(_resized(frame, PREVIEW_SIDE_PX), 70)
        if status is not Status.NEW_PAGE:
            return Seen(status, preview)
        serial = read_serial(gray)
        if not self.watcher.is_new(serial):
            return Seen(Status.SAME_PAGE, preview, serial=serial)
        return Seen(Status.NEW_PAGE, preview, _jpeg(frame, PAGE_JPEG_QUALITY), serial)

    def close(self) -> None:
        """Release the camera."""
        self.source.close()


def measure(
    gray: Frame, last_thumb: NDArray[np.float32] | None
) -> tuple[Look, NDArray[np.float32]]:
    """The frame's ``Look`` (markers, sharpness, motion against ``last_thumb``) and its thumb."""
    small = _resized(gray, LOOK_SIDE_PX)
    sharpness = float(cv2.Laplacian(small, cv2.CV_64F).var())
    thumb = cv2.GaussianBlur(_resized(small, THUMB_SIDE_PX).astype(np.float32), (3, 3), 0)
    motion = (
        float(np.abs(thumb - last_thumb).mean())
        if last_thumb is not None and last_thumb.shape == thumb.shape
        else float("inf")
    )
    return Look(markers_seen(small), sharpness, motion), np.asarray(thumb, np.float32)


def _resized(image: Frame, side: int) -> Frame:
    """``image`` shrunk to at most ``side`` px on its long side."""
    scale = side / max(image.shape[:2])
    if scale >= 1:
        return image
    size = (round(image.shape[1] * scale), round(image.shape[0] * scale))
    return np.asarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA), np.uint8)


def _jpeg(image: Frame, quality: int) -> bytes:
    ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("the frame could not be encoded")
    return bytes(encoded.tobytes())
