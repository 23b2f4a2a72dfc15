"""The action list's rules of the calendar: when unfinished work is overdue, and in what order
the list is shown. Pure: the hall's ``today`` is an argument."""

from __future__ import annotations

from datetime import date

from meeting_room.domain.words import ActionStatus

# Overdue first, then work under way, then work not started, then what is done.
SHOWN_ORDER = {
    ActionStatus.OVERDUE: 0,
    ActionStatus.IN_PROGRESS: 1,
    ActionStatus.NOT_STARTED: 2,
    ActionStatus.DONE: 3,
}


def action_status(stored: ActionStatus, deadline: date, today: date) -> ActionStatus:
    """The status shown on ``today``: unfinished work is overdue from the day after its deadline."""
    if stored is not ActionStatus.DONE and today > deadline:
        return ActionStatus.OVERDUE
    return stored


def shown_order(
    status: ActionStatus, deadline: date, completed_on: date | None, key: int
) -> tuple[int, int, int]:
    """Where an item stands in the list: by status, then what is done latest-completed first and
    the rest nearest-deadline first, then by ``key`` (its id)."""
    if status is ActionStatus.DONE:
        return SHOWN_ORDER[status], -(completed_on or deadline).toordinal(), key
    return SHOWN_ORDER[status], deadline.toordinal(), key


def deadline_passed(deadline: date, today: date) -> bool:
    """Whether a deadline set now would already be behind: any day before ``today``."""
    return deadline < today
