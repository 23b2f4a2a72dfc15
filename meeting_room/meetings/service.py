"""Meetings' one writer: creating and correcting a meeting (the clerk's API and preparation
workspace, ``yishi create-meeting``).

One committed transaction and no broadcast: no screen lists the meetings live; each page
finds its meeting when it loads (``screens.common.meeting_in_view``).
"""

from __future__ import annotations

from meeting_room.clock import now
from meeting_room.meetings import meetings
from meeting_room.meetings.meetings import MeetingDraft
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.storage import transaction


def create_meeting(draft: MeetingDraft) -> Meeting:
    """Add a scheduled meeting; ``BAD_QUORUM_RULE`` when a share cannot be read. The meeting
    is answered as committed (its columns stay readable after the transaction)."""
    with transaction() as session:
        return meetings.create_meeting(session, draft, now())


def edit_meeting(meeting_id: int, draft: MeetingDraft) -> Meeting:
    """Correct a meeting that has not begun (``MEETING_STARTED`` once it has, ``BAD_QUORUM_RULE``
    for a share that cannot be read); every change is in the audit log (store.audit)."""
    with transaction() as session:
        return meetings.edit_meeting(session, meeting_id, draft)
