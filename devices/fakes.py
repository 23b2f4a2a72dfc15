"""Recording fakes of the devices, for tests and for boxes without the hardware."""

from __future__ import annotations

from dataclasses import dataclass, field

from devices.printing import Slip

FAKE_PDF = b"%PDF-fake"


@dataclass
class FakeSlipPrinter:
    """Keeps every slip it is asked to print in ``printed`` and returns ``FAKE_PDF``."""

    printed: list[Slip] = field(default_factory=list)

    def print_slip(self, slip: Slip) -> bytes:
        """Record ``slip``; no PDF is rendered."""
        self.printed.append(slip)
        return FAKE_PDF
