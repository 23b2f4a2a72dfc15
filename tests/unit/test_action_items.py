"""The action list's calendar: overdue from the day after the deadline, overdue work first."""

from __future__ import annotations

from datetime import date, timedelta

from meeting_room.domain.action_items import action_status, shown_order
from meeting_room.domain.words import ActionStatus

DEADLINE = date(2026, 11, 21)


def test_unfinished_work_is_overdue_from_the_day_after_its_deadline() -> None:
    day_after = DEADLINE + timedelta(days=1)
    assert action_status(ActionStatus.IN_PROGRESS, DEADLINE, DEADLINE) is ActionStatus.IN_PROGRESS
    assert action_status(ActionStatus.IN_PROGRESS, DEADLINE, day_after) is ActionStatus.OVERDUE
    assert action_status(ActionStatus.NOT_STARTED, DEADLINE, day_after) is ActionStatus.OVERDUE
    assert action_status(ActionStatus.DONE, DEADLINE, day_after) is ActionStatus.DONE


def test_overdue_work_comes_first_nearest_deadline_first_and_done_work_latest_first() -> None:
    earlier, later = DEADLINE - timedelta(days=5), DEADLINE
    items = {
        "done long ago": shown_order(ActionStatus.DONE, later, earlier, 1),
        "done lately": shown_order(ActionStatus.DONE, earlier, later, 2),
        "not started, due later": shown_order(ActionStatus.NOT_STARTED, later, None, 3),
        "not started, due sooner": shown_order(ActionStatus.NOT_STARTED, earlier, None, 4),
        "under way": shown_order(ActionStatus.IN_PROGRESS, later, None, 5),
        "overdue": shown_order(ActionStatus.OVERDUE, later, None, 6),
    }
    assert sorted(items, key=items.__getitem__) == [
        "overdue",
        "under way",
        "not started, due sooner",
        "not started, due later",
        "done lately",
        "done long ago",
    ]
