"""Meetings' one writer: creating a meeting (the clerk's API, ``yishi create-meeting``).

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
