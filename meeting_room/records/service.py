"""Records' entry points: what the clerk adds to the minutes, and what routes, the board and the
``yishi`` commands read of them.

Nothing is broadcast: no screen shows the minutes live (the board and the minutes pages are
read when they load).
"""

from __future__ import annotations

from meeting_room.clock import now, today
from meeting_room.meetings.meetings import get_meeting
from meeting_room.records.exports import Export, export_table
from meeting_room.records.spreadsheets import FileFormat, written
from meeting_room.store.storage import transaction


def export_file(meeting_id: int, what: Export, file_format: FileFormat) -> bytes:
    """One of the meeting's records as a file, in the current language; may refuse
    ``meeting_not_found``."""
    with transaction() as session:
        table = export_table(session, get_meeting(session, meeting_id), what, now(), today())
    return written(table, file_format)
