"""The box's rules: when the daily backup is due, what rotation removes, the desk's warnings and
the clock's tolerance, each at its boundary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from meeting_room.domain.box import (
    CLOCK_TOLERANCE,
    DAILY,
    RETRY,
    STALE,
    BackupFacts,
    BackupReason,
    BackupWarning,
    FolderState,
    backup_name,
    backup_warnings,
    clock_is_off,
    clock_offset,
    daily_due,
    is_backup_name,
    to_rotate,
)

NOW = datetime(2026, 11, 21, 11, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def test_the_first_daily_backup_is_due_at_once() -> None:
    assert daily_due(None, None, NOW)


def test_the_daily_backup_is_due_exactly_a_day_after_the_last_good_one() -> None:
    assert not daily_due(NOW - DAILY + SECOND, None, NOW)
    assert daily_due(NOW - DAILY, None, NOW)


def test_a_failed_try_waits_an_hour_before_the_next() -> None:
    assert not daily_due(None, NOW - RETRY + SECOND, NOW)
    assert daily_due(None, NOW - RETRY, NOW)


def test_backup_names_sort_by_time_and_say_why() -> None:
    earlier = backup_name(BackupReason.CLOSED, NOW, meeting_id=7)
    later = backup_name(BackupReason.DAILY, NOW + SECOND)
    assert earlier == "yishi-20261121T110000Z-closed-7.db"
    assert sorted([later, earlier]) == [earlier, later]
    assert is_backup_name(earlier) and not is_backup_name("holiday-photos.db")


def test_rotation_keeps_the_newest_and_never_touches_other_files() -> None:
    names = [backup_name(BackupReason.DAILY, NOW + i * DAILY) for i in range(5)]
    names += ["notes.txt", "yishi.db"]
    assert to_rotate(names, 3) == names[:2]
    assert to_rotate(names, 5) == []
    assert to_rotate(names, 0) == names[:4]  # one is always kept


def _facts(good: datetime | None, failed: bool = False, folder: FolderState = FolderState.READY):
    return BackupFacts(last_good_at=good, last_try_failed=failed, folder=folder)


def test_no_warning_for_a_backup_a_day_old_and_one_a_second_older() -> None:
    assert backup_warnings(_facts(NOW - STALE), NOW) == []
    assert backup_warnings(_facts(NOW - STALE - SECOND), NOW) == [BackupWarning.OLD]


def test_a_missing_folder_and_a_failed_try_come_first() -> None:
    found = backup_warnings(_facts(None, True, FolderState.MISSING), NOW)
    assert found == [
        BackupWarning.FOLDER_MISSING,
        BackupWarning.LAST_FAILED,
        BackupWarning.NONE_YET,
    ]
    unwritable = backup_warnings(_facts(NOW, False, FolderState.UNWRITABLE), NOW)
    assert unwritable == [BackupWarning.FOLDER_UNWRITABLE]


def test_the_clock_warns_beyond_two_minutes_either_way() -> None:
    assert not clock_is_off(clock_offset(NOW + CLOCK_TOLERANCE, NOW))
    assert clock_is_off(clock_offset(NOW + CLOCK_TOLERANCE + SECOND, NOW))
    assert clock_is_off(clock_offset(NOW - CLOCK_TOLERANCE - SECOND, NOW))
    assert clock_offset(NOW, NOW + timedelta(minutes=5)) == -timedelta(minutes=5)
