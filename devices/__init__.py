"""The room's hardware behind small interfaces; configuration picks each adapter.

``build_devices`` is called once by the app factory. To add a device (the ``speaker`` for
text-to-speech next), give ``Devices`` a field and add a table of adapters like ``_PRINTERS``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from devices.fakes import FakeSlipPrinter
from devices.printing import PdfSlipPrinter, Slip, SlipPrinter

__all__ = ["Devices", "Slip", "SlipPrinter", "build_devices"]

Config = Mapping[str, Any]
T = TypeVar("T")


@dataclass
class Devices:
    """The adapters this box uses."""

    printer: SlipPrinter


_PRINTERS: dict[str, Callable[[Config], SlipPrinter]] = {
    "pdf": lambda config: PdfSlipPrinter(font_path=config.get("CJK_FONT_PATH")),
    "fake": lambda config: FakeSlipPrinter(),
}


def build_devices(config: Config) -> Devices:
    """The devices named by ``config`` (``PRINTER``: "pdf", the default, or "fake")."""
    return Devices(printer=_pick(_PRINTERS, "PRINTER", config.get("PRINTER") or "pdf")(config))


def _pick(adapters: Mapping[str, T], key: str, name: str) -> T:
    """The adapter called ``name``, or an error naming the setting and its choices."""
    try:
        return adapters[name]
    except KeyError:
        choices = ", ".join(sorted(adapters))
        raise ValueError(f"{key}={name!r} is not a known adapter; choose from {choices}") from None
