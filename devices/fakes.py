"""Recording fakes of the devices, for tests and for boxes without the hardware."""

from __future__ import annotations

import tempfile
import wave
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from devices.printing import Slip
from devices.speech_cache import DEFAULT_MAX_BYTES, SpeechCache
from devices.tts import Lane, wav_bytes

if TYPE_CHECKING:  # OpenCV loads only where frames are read
    from devices.camera import Frame

FAKE_PDF = b"%PDF-fake"
SILENCE_FRAMES = 2205  # a tenth of a second at 22,050 Hz, espeak-ng's rate


@dataclass
class FakeSlipPrinter:
    """Keeps every slip it is asked to print in ``printed`` and returns ``FAKE_PDF``."""

    printed: list[Slip] = field(default_factory=list)

    def print_slip(self, slip: Slip) -> bytes:
        """Record ``slip``; no PDF is rendered."""
        self.printed.append(slip)
        return FAKE_PDF


@dataclass
class FakeSpeaker:
    """Keeps (text, language) of everything it is asked to say in ``said`` (and the lane in
    ``lanes``); its WAVs are silent, named and kept within a budget as the real speaker's."""

    cache_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="yishi-tts-")))
    said: list[tuple[str, str]] = field(default_factory=list)
    secret: bytes | str | None = None
    cache_bytes: int = DEFAULT_MAX_BYTES
    lanes: list[Lane] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._cache = SpeechCache(self.cache_dir, self.secret, self.cache_bytes)

    def prepare(
        self, text: str, language: str = "zh", rate: int | None = None, lane: Lane = Lane.ROOM
    ) -> Path:
        """Record the text; its WAV is a tenth of a second of silence, written at once."""
        self.said.append((text, language))
        self.lanes.append(lane)
        path = self.cache_dir / self._cache.name(text, language, rate or 0)
        if not self._cache.touch(path):
            path.parent.mkdir(parents=True, exist_ok=True)
            with wave.open(str(path), "wb") as audio:
                audio.setnchannels(1)
                audio.setsampwidth(2)
                audio.setframerate(22050)
                audio.writeframes(bytes(2 * SILENCE_FRAMES))
            self._cache.stored(path)
        return path

    def clear_cache(self) -> int:
        """Remove every cached WAV; how many there were."""
        return self._cache.clear()

    def private_wav(self, text: str, language: str = "zh", rate: int | None = None) -> bytes:
        """Record the text; a tenth of a second of silence, in memory only."""
        self.said.append((text, language))
        return wav_bytes((bytes(2 * SILENCE_FRAMES), 22050))

    def wav(self, text: str, language: str = "zh", rate: int | None = None) -> Path:
        """As ``prepare``: the fake's file is there at once."""
        return self.prepare(text, language, rate)

    def speak(self, text: str, language: str = "zh", rate: int | None = None) -> None:
        """Record the text; nothing is played."""
        self.said.append((text, language))


@dataclass
class FakeFrames:
    """A camera that plays the image files of ``folder`` in name order, then keeps showing the
    last one (a camera over a table left as it was); ``read`` counts the frames given."""

    folder: Path
    given: int = 0
    closed: bool = False
    _frames: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._frames = sorted(p for p in self.folder.iterdir() if p.is_file())
        if not self._frames:
            raise FileNotFoundError(f"no frames in {self.folder}")

    def read(self) -> Frame | None:
        """The next file's image (None where a file is not an image: a camera's bad frame)."""
        import cv2
        import numpy as np

        path = self._frames[min(self.given, len(self._frames) - 1)]
        self.given += 1
        image = cv2.imread(str(path), cv2.IMREAD_COLOR)
        return None if image is None else np.asarray(image, np.uint8)

    def close(self) -> None:
        """Nothing to release."""
        self.closed = True
