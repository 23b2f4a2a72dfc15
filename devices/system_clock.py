"""The box's own clock, set by hand: a hall's mini PC has no internet time, and a clock that
drifted puts a wrong time on every record. The administrator's health page compares it with
the staff browser's and offers to set it.

``DateCommandClock`` runs ``timedatectl set-time`` (systemd's, allowed to the service's user by
the polkit rule ``yishi install-service`` writes; it sets the hardware clock too), else
``date -u -s @<seconds>`` (with the CAP_SYS_TIME capability the service unit grants, or root).
``FakeSystemClock`` records what it was asked (tests, and boxes where nobody may set the clock).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

Runner = Callable[[Sequence[str]], subprocess.CompletedProcess[str]]


class ClockNotSet(RuntimeError):
    """The box's clock could not be set; the message says why (the commands' own words)."""


class SystemClock(Protocol):
    """Sets the box's time of day."""

    def set_time(self, moment: datetime) -> None:
        """Set the system clock to ``moment`` (aware); ``ClockNotSet`` if it cannot."""
        ...


def _run(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(command), capture_output=True, text=True, timeout=15, check=False)


def clock_commands(moment: datetime) -> list[list[str]]:
    """The commands tried in order, each enough on its own. ``timedatectl`` first: systemd sets
    the hardware clock too, so the time survives a restart (the service's user may, by the
    polkit rule of ``yishi install-service``); it refuses while network time is on. Then
    ``date``, which sets only the running system's clock (with CAP_SYS_TIME)."""
    utc = moment.astimezone(UTC)
    return [
        ["timedatectl", "set-time", utc.strftime("%Y-%m-%d %H:%M:%S UTC")],
        ["date", "-u", "-s", f"@{utc.timestamp():.0f}"],
    ]


@dataclass
class DateCommandClock:
    """Sets the clock with ``date`` (or ``timedatectl``); ``runner`` runs a command."""

    runner: Runner = _run

    def set_time(self, moment: datetime) -> None:
        """Try each command until one succeeds; ``ClockNotSet`` with every answer if none does."""
        answers = []
        for command in clock_commands(moment):
            try:
                done = self.runner(command)
            except (OSError, subprocess.SubprocessError) as error:
                answers.append(f"{command[0]}: {error}")
                continue
            if done.returncode == 0:
                return
            answers.append(f"{command[0]}: {(done.stderr or done.stdout).strip()[:200]}")
        raise ClockNotSet("; ".join(answers))


@dataclass
class FakeSystemClock:
    """Keeps every time it is asked to set in ``set_to``; fails with ``refuse`` when given."""

    set_to: list[datetime] = field(default_factory=list)
    refuse: str = ""

    def set_time(self, moment: datetime) -> None:
        """Record ``moment`` (or refuse, as a box without the capability would)."""
        if self.refuse:
            raise ClockNotSet(self.refuse)
        self.set_to.append(moment)
