"""Frames a camera over the ballot table would give, made from the generated ballot photos: an
empty table, a page sliding in (motion-blurred), the page held still, left there, a second page
swapped in, the table empty again. Written as image files for ``devices.fakes.FakeFrames``."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

from tests.support.ballot_scans import generate

Image = NDArray[np.uint8]


def photo(index: int, **kinds: object) -> Image:
    """Generated page ``index`` as a decoded colour frame (see ``ballot_scans.generate``)."""
    scan = generate(index, **kinds)  # type: ignore[arg-type]
    return np.asarray(cv2.imdecode(np.frombuffer(scan.jpeg, np.uint8), cv2.IMREAD_COLOR))


def moving(frame: Image, shift: int) -> Image:
    """``frame`` slid sideways by ``shift`` px and blurred along the way, as a moving hand's."""
    kernel = np.zeros((1, 61), np.float32)
    kernel[0, :] = 1 / 61
    blurred = cv2.filter2D(frame, -1, kernel)
    matrix = np.float32([[1, 0, shift], [0, 1, 0]])  # type: ignore[arg-type]
    size = (frame.shape[1], frame.shape[0])
    return np.asarray(cv2.warpAffine(blurred, matrix, size, borderValue=(90, 90, 90)))


def table(like: Image) -> Image:
    """The empty table under the camera, the size of ``like``."""
    rng = np.random.default_rng(7)
    grey = np.clip(rng.normal(90, 3, like.shape[:2]), 0, 255).astype(np.uint8)
    return np.asarray(cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR))


def jittered(frame: Image, seed: int) -> Image:
    """``frame`` with a camera's sensor noise (a still page never gives two equal frames)."""
    noise = np.random.default_rng(seed).normal(0, 1.5, frame.shape)
    return np.clip(frame.astype(np.float32) + noise, 0, 255).astype(np.uint8)


def session(first: Image, second: Image) -> list[Image]:
    """An empty table, ``first`` slid in and held still, left there, ``second`` swapped in and
    held still, the table empty again."""
    empty = table(first)
    frames = [empty, moving(first, -300), moving(first, -120)]
    frames += [jittered(first, n) for n in range(8)]  # held still, then left there
    frames += [moving(second, 150), moving(second, 40)]
    frames += [jittered(second, 100 + n) for n in range(5)]
    frames += [empty, empty]
    return frames


def write_frames(folder: Path, frames: list[Image]) -> Path:
    """Write ``frames`` into ``folder`` as numbered JPEGs (the order FakeFrames plays)."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, frame in enumerate(frames):
        cv2.imwrite(str(folder / f"{number:03d}.jpg"), frame, [cv2.IMWRITE_JPEG_QUALITY, 92])
    return folder
