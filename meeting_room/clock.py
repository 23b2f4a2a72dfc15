"""The one place entry points read the time; the domain takes ``now`` as an argument."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
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


def offset_clock(path: Path) -> Callable[[], datetime]:
    """A clock ahead of the real one by the seconds written in ``path`` (none: not ahead).

    Only for browser tests, whose server runs in another process (``YISHI_CLOCK_OFFSET_FILE``):
    they move its time by writing the file, as other tests set ``CLOCK``. Never set on a box.
    """

    def ahead() -> datetime:
        try:
            seconds = float(path.read_text() or 0)
        except (OSError, ValueError):
            seconds = 0.0
        return datetime.now(UTC) + timedelta(seconds=seconds)

    return ahead
