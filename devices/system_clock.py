"""The box's own clock, set by hand: a hall's mini PC has no internet time, and a clock that
drifted puts a wrong time on every record. The administrator's health page compares it with
the staff browser's and offers to set it.

``DateCommandClock`` runs ``date -u -s @<seconds>`` (it needs the CAP_SYS_TIME capability, which
the service unit from ``yishi install-service`` grants, or root), else ``timedatectl set-time``
(through systemd's polkit rules). ``FakeSystemClock`` records what it was asked (tests, and
boxes where nobody may set the clock).
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
    """The commands tried in order, each enough on its own."""
    utc = moment.astimezone(UTC)
    return [
        ["date", "-u", "-s", f"@{utc.timestamp():.0f}"],
        ["timedatectl", "set-time", utc.astimezone().strftime("%Y-%m-%d %H:%M:%S")],
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
