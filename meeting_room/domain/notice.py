"""The notice period (公示期): a meeting is announced on the board some days before it starts.

The notice runs from the meeting's publication on the board (its creation) to its start; less
than the required days is short notice, and the clerk is warned (nothing is refused).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class NoticeCheck:
    """How far ahead a meeting was announced, against the days required."""

    announced: timedelta
    required_days: int

    @property
    def short(self) -> bool:
        """Announced less than the required days before it starts (to the second)."""
        return self.announced < timedelta(days=self.required_days)

    @property
    def days(self) -> int:
        """Whole days of notice (none for a meeting announced after it started)."""
        return max(self.announced.days, 0)


def notice_check(published_at: datetime, starts_at: datetime, required_days: int) -> NoticeCheck:
    """The notice a meeting was given, from its publication on the board to its start."""
    return NoticeCheck(starts_at - published_at, required_days)
