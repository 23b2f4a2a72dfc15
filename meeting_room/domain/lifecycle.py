"""A meeting's life: draft → announced → open → closed → minutes published, one step at a time.

Pure rules: which step may follow which, and what a meeting in each state allows (signing in,
running items and polls). The writer (``meetings.lifecycle``) records each step with who and
when; nothing here reads the clock or the database.
"""

from __future__ import annotations

from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import MeetingStatus

# The one step that may follow each state (no skipping, no going back).
NEXT: dict[MeetingStatus, MeetingStatus] = {
    MeetingStatus.DRAFT: MeetingStatus.ANNOUNCED,
    MeetingStatus.ANNOUNCED: MeetingStatus.OPEN,
    MeetingStatus.OPEN: MeetingStatus.CLOSED,
    MeetingStatus.CLOSED: MeetingStatus.MINUTES_PUBLISHED,
}
ENDED = frozenset({MeetingStatus.CLOSED, MeetingStatus.MINUTES_PUBLISHED})


def check_move(current: MeetingStatus, wanted: MeetingStatus) -> None:
    """Refuse (``MEETING_STATE``) any move but the one next step from ``current``."""
    if NEXT.get(current) != wanted:
        raise Refusal(Problem.MEETING_STATE, current=current.value, wanted=wanted.value)


def may_sign_in(status: MeetingStatus) -> bool:
    """People sign in before the opening (the quorum at opening counts them) and during the
    meeting; once it is closed, sign-in stops."""
    return status not in ENDED


def refuse_unless_open(status: MeetingStatus, what: str) -> None:
    """Refuse to start ``what`` ("item" or "poll") unless the meeting is open
    (``MEETING_NOT_OPEN``; the message says whether it has not begun or is over)."""
    if status != MeetingStatus.OPEN:
        raise Refusal(Problem.MEETING_NOT_OPEN, what=what, ended=status in ENDED)
