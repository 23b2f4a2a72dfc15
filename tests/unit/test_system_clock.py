"""The box's clock device: systemd's timedatectl first (it keeps the hardware clock too), then
date; each refusal in the commands' own words. Commands are recorded, never run."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from devices.adapters import build_devices
from devices.system_clock import ClockNotSet, DateCommandClock, FakeSystemClock

MOMENT = datetime(2026, 12, 7, 14, 0, 5, tzinfo=UTC)


def test_the_clock_tries_systemd_then_date_and_says_why_neither_worked() -> None:
    asked: list[list[str]] = []

    def refusing(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
        asked.append(list(command))
        ok = command[0] == "date" and len(asked) > 2  # the second time round, date works
        said = "" if ok else f"{command[0]}: Operation not permitted"
        return subprocess.CompletedProcess(list(command), 0 if ok else 1, "", said)

    with pytest.raises(ClockNotSet, match=r"timedatectl: .*not permitted; date: .*not permitted"):
        DateCommandClock(refusing).set_time(MOMENT)
    assert asked == [
        ["timedatectl", "set-time", "2026-12-07 14:00:05 UTC"],
        ["date", "-u", "-s", "@1796652005"],
    ]
    DateCommandClock(refusing).set_time(MOMENT)  # timedatectl refuses (network time), date works
    assert [command[0] for command in asked[2:]] == ["timedatectl", "date"]


def test_a_missing_command_is_a_refusal_in_words() -> None:
    def missing(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
        raise FileNotFoundError(2, "No such file or directory", command[0])

    with pytest.raises(ClockNotSet, match="No such file"):
        DateCommandClock(missing).set_time(MOMENT)


def test_tests_never_set_this_machines_clock_unless_asked() -> None:
    assert isinstance(build_devices({"TESTING": True, "TTS": "fake"}).clock, FakeSystemClock)
    assert isinstance(build_devices({"TTS": "fake"}).clock, DateCommandClock)
    assert isinstance(build_devices({"TTS": "fake", "SYSTEM_CLOCK": "fake"}).clock, FakeSystemClock)
