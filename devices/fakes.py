"""Recording fakes of the devices, for tests and for boxes without the hardware."""

from __future__ import annotations

import tempfile
import wave
from dataclasses import dataclass, field
from pathlib import Path

from devices.printing import Slip
from devices.tts import cache_name, wav_bytes

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
    """Keeps (text, language) of everything it is asked to say in ``said``; its WAVs are silent."""

    cache_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="yishi-tts-")))
    said: list[tuple[str, str]] = field(default_factory=list)

    def prepare(self, text: str, language: str = "zh", rate: int | None = None) -> Path:
        """Record the text; its WAV is a tenth of a second of silence, written at once."""
        self.said.append((text, language))
        path = self.cache_dir / cache_name(text, language, rate or 0)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            with wave.open(str(path), "wb") as audio:
                audio.setnchannels(1)
                audio.setsampwidth(2)
                audio.setframerate(22050)
                audio.writeframes(bytes(2 * SILENCE_FRAMES))
        return path

    def wav(self, text: str, language: str = "zh", rate: int | None = None) -> Path:
        """As ``prepare``: the fake's file is there at once."""
        return self.prepare(text, language, rate)

    def speak(self, text: str, language: str = "zh", rate: int | None = None) -> None:
        """Record the text; nothing is played."""
        self.said.append((text, language))

    def private_wav(self, text: str, language: str = "zh", rate: int | None = None) -> bytes:
        """Record the text; a tenth of a second of silence, in memory only."""
        self.said.append((text, language))
        return wav_bytes((bytes(2 * SILENCE_FRAMES), 22050))
