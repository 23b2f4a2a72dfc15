"""The box's own rules: when an automatic backup is due, which backups rotation removes, and
when the clerk desk and the health page must warn (an old backup, a missing folder, a clock
that drifted from the staff's browsers). Pure: every function takes ``now``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

DAILY = timedelta(days=1)
# A failed backup (a USB stick pulled out, a secret vote open) is tried again this soon, not
# every round of the scheduler: each failure is a row the health page lists.
RETRY = timedelta(hours=1)
STALE = timedelta(days=1)  # the last good backup older than this: the desk warns
CLOCK_TOLERANCE = timedelta(minutes=2)  # box vs staff browser: more than this, warn
DEFAULT_KEEP = 14
KEEP_RANGE = range(1, 366)
BACKUP_PREFIX = "yishi-"
BACKUP_SUFFIX = ".db"


class BackupReason(StrEnum):
    """Why a backup was made."""

    DAILY = "daily"
    CLOSED = "closed"  # a meeting closed
    MANUAL = "manual"  # the administrator's "back up now"


class FolderState(StrEnum):
    """The backup folder as the box finds it."""

    READY = "ready"
    MISSING = "missing"  # e.g. the USB stick is not plugged in (its mount point is empty)
    UNWRITABLE = "unwritable"


class BackupWarning(StrEnum):
    """What the clerk desk and the health page warn about."""

    NONE_YET = "none_yet"
    OLD = "old"
    FOLDER_MISSING = "folder_missing"
    FOLDER_UNWRITABLE = "folder_unwritable"
    LAST_FAILED = "last_failed"


def daily_due(last_daily: datetime | None, last_failed: datetime | None, now: datetime) -> bool:
    """Whether the daily backup is due: a day after the last daily one that succeeded, and
    not within ``RETRY`` of the last failed try."""
    if last_failed is not None and now - last_failed < RETRY:
        return False
    return last_daily is None or now - last_daily >= DAILY


def backup_name(reason: BackupReason, now: datetime, meeting_id: int | None = None) -> str:
    """A backup's file name: sorts by time (UTC), says why it was made."""
    why = f"{reason.value}-{meeting_id}" if meeting_id is not None else reason.value
    return f"{BACKUP_PREFIX}{now.strftime('%Y%m%dT%H%M%SZ')}-{why}{BACKUP_SUFFIX}"


def is_backup_name(name: str) -> bool:
    """Whether a file name is one of ours (rotation never touches anything else in a folder)."""
    return name.startswith(BACKUP_PREFIX) and name.endswith(BACKUP_SUFFIX)


def to_rotate(names: Sequence[str], keep: int) -> list[str]:
    """The backups rotation removes: all but the newest ``keep`` of ours (others untouched)."""
    ours = sorted((n for n in names if is_backup_name(n)), reverse=True)
    return sorted(ours[max(keep, 1) :])


@dataclass(frozen=True)
class BackupFacts:
    """What the warnings are judged from."""

    last_good_at: datetime | None
    last_try_failed: bool
    folder: FolderState


def backup_warnings(facts: BackupFacts, now: datetime) -> list[BackupWarning]:
    """The warnings to show, most urgent first; none when all is well."""
    found: list[BackupWarning] = []
    if facts.folder is FolderState.MISSING:
        found.append(BackupWarning.FOLDER_MISSING)
    elif facts.folder is FolderState.UNWRITABLE:
        found.append(BackupWarning.FOLDER_UNWRITABLE)
    if facts.last_try_failed:
        found.append(BackupWarning.LAST_FAILED)
    if facts.last_good_at is None:
        found.append(BackupWarning.NONE_YET)
    elif now - facts.last_good_at > STALE:
        found.append(BackupWarning.OLD)
    return found


def clock_offset(box: datetime, browser: datetime) -> timedelta:
    """How far the box's clock is ahead of the browser's (negative: behind)."""
    return box - browser


def clock_is_off(offset: timedelta) -> bool:
    """Whether a clock difference is worth a warning (more than two minutes either way)."""
    return abs(offset) > CLOCK_TOLERANCE
