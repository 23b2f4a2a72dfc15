"""The one place entry points read the time; the domain takes ``now`` as an argument."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def now() -> datetime:
    """The current time (aware UTC); tests set ``CLOCK`` in the config to move it."""
    clock: Callable[[], datetime] | None = current_app.config.get("CLOCK")
    return clock() if clock else datetime.now(UTC)


def local(moment: datetime) -> datetime:
    """``moment`` in the hall's time zone."""
    return moment.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))


def today() -> date:
    """Today's date in the hall's time zone: action items fall due by the hall's calendar."""
    return local(now()).date()
