"""The adapters this box uses, picked by configuration.

``build_devices`` is called once by the app factory. To add a device, give ``Devices`` a field
and add a table of adapters like ``_PRINTERS``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from devices.fakes import FakeSlipPrinter, FakeSpeaker
from devices.printing import PdfSlipPrinter, Slip, SlipPrinter
from devices.speech_cache import DEFAULT_MAX_BYTES
from devices.system_clock import DateCommandClock, FakeSystemClock, SystemClock
from devices.tts import DEFAULT_RATE, READ_ALOUD_WAITING, EspeakSpeaker, Speaker

if TYPE_CHECKING:  # OpenCV loads only when the camera is started
    from devices.camera import FrameSource

__all__ = ["Devices", "Slip", "SlipPrinter", "Speaker", "build_devices"]

Config = Mapping[str, Any]
DEFAULT_CAMERA = "/dev/video0"  # the first V4L2 camera: a USB document camera or webcam
T = TypeVar("T")


@dataclass
class Devices:
    """The adapters this box uses."""

    printer: SlipPrinter
    speaker: Speaker
    clock: SystemClock = field(default_factory=FakeSystemClock)
    # Opens the box's camera over the ballots; raises CameraNotFound (or OSError) when absent.
    camera: Callable[[], FrameSource] = field(default_factory=lambda: _camera("none"))


_PRINTERS: dict[str, Callable[[Config], SlipPrinter]] = {
    "pdf": lambda config: PdfSlipPrinter(font_path=config.get("CJK_FONT_PATH")),
    "fake": lambda config: FakeSlipPrinter(),
}

_SPEAKERS: dict[str, Callable[[Config], Speaker]] = {
    "espeak": lambda config: EspeakSpeaker(
        _tts_cache_dir(config),
        config.get("TTS_RATE") or DEFAULT_RATE,
        secret=config.get("SECRET_KEY"),
        cache_bytes=_cache_bytes(config),
        read_aloud_waiting=int(config.get("TTS_READ_ALOUD_WAITING") or READ_ALOUD_WAITING),
        playback=bool(config.get("TTS_PLAYBACK")),
    ),
    "fake": lambda config: FakeSpeaker(
        _tts_cache_dir(config), secret=config.get("SECRET_KEY"), cache_bytes=_cache_bytes(config)
    ),
}


_CLOCKS: dict[str, Callable[[Config], SystemClock]] = {
    "date": lambda config: DateCommandClock(),
    "fake": lambda config: FakeSystemClock(),
}


def build_devices(config: Config) -> Devices:
    """The devices named by ``config``.

    ``PRINTER``: "pdf" (default) or "fake". ``TTS``: "espeak" (default) or "fake", with
    ``TTS_CACHE_DIR`` (where WAVs go), ``TTS_CACHE_MB`` (their budget), ``TTS_RATE`` (words a
    minute), ``TTS_READ_ALOUD_WAITING`` (read-aloud texts that may wait) and ``TTS_PLAYBACK``
    (also play announcements on the box's own sound card). The cache's file names are keyed
    with ``SECRET_KEY``. ``SYSTEM_CLOCK``: "date" (default; sets the box's clock) or "fake".
    ``CAMERA``: the camera over the ballots: a V4L2 device's index or path (0, /dev/video0),
    "fake:<folder>" (image files played as frames) or "none"; unset: /dev/video0.
    """
    return Devices(
        printer=_pick(_PRINTERS, "PRINTER", config.get("PRINTER") or "pdf")(config),
        speaker=_pick(_SPEAKERS, "TTS", config.get("TTS") or "espeak")(config),
        camera=_camera(config.get("CAMERA")),
        clock=_pick(_CLOCKS, "SYSTEM_CLOCK", config.get("SYSTEM_CLOCK") or _default_clock(config))(
            config
        ),
    )


def _default_clock(config: Config) -> str:
    """Tests (``TESTING``) never set the machine's clock unless they ask for it."""
    return "fake" if config.get("TESTING") else "date"


def _cache_bytes(config: Config) -> int:
    """``TTS_CACHE_MB`` in bytes (the default budget when unset)."""
    megabytes = config.get("TTS_CACHE_MB")
    return int(megabytes) * 1024 * 1024 if megabytes else DEFAULT_MAX_BYTES


def _tts_cache_dir(config: Config) -> Path:
    """``TTS_CACHE_DIR``, else a folder in the system's temporary directory."""
    return Path(config.get("TTS_CACHE_DIR") or Path(tempfile.gettempdir()) / "yishi-tts")


def _pick(adapters: Mapping[str, T], key: str, name: str) -> T:
    """The adapter called ``name``, or an error naming the setting and its choices."""
    try:
        return adapters[name]
    except KeyError:
        choices = ", ".join(sorted(adapters))
        raise ValueError(f"{key}={name!r} is not a known adapter; choose from {choices}") from None


def _camera(setting: object) -> Callable[[], FrameSource]:
    """What opens the camera ``CAMERA`` names (see ``build_devices``), when the clerk starts it."""

    def open_camera() -> FrameSource:
        from devices.camera import CameraNotFound, OpenCvCamera
        from devices.fakes import FakeFrames

        named = str(setting if setting is not None else "").strip() or DEFAULT_CAMERA
        if named == "none":
            raise CameraNotFound("the camera is switched off (CAMERA=none)")
        if named.startswith("fake:"):
            return FakeFrames(Path(named.removeprefix("fake:")))
        return OpenCvCamera(int(named) if named.isdigit() else named)

    return open_camera
