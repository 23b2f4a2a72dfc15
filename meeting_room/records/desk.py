"""What the clerk's records screen shows: the minutes as of now, the texts a correction may
replace, and how complete the record is. Reads only; the screen's forms write through
``records.service`` and ``followup.service``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from meeting_room.clock import now, today
from meeting_room.domain.completeness import Completeness, completeness
from meeting_room.meetings.meetings import get_meeting
from meeting_room.records.build import build_minutes
from meeting_room.records.corrections import shown_texts
from meeting_room.records.minutes import Minutes
from meeting_room.records.purge_record import sealed_minutes
from meeting_room.store.storage import transaction


@dataclass(frozen=True)
class Desk:
    """The records of one meeting as the clerk works on them."""

    minutes: Minutes
    texts: dict[str, str]  # correctable field → its text as the minutes show it now
    completeness: Completeness
    today: date
    sealed: bool  # purged: the minutes are sealed and nothing can be added


def minutes_completeness(minutes: Minutes) -> Completeness:
    """How complete these minutes are (a summary per item, both signatories, publication)."""
    return completeness(
        [i.number for i in minutes.items],
        {i.number for i in minutes.items if i.summary is not None},
        minutes.header.moderator,
        minutes.header.clerk,
        minutes.published_at is not None,
    )


def records_desk(meeting_id: int) -> Desk:
    """The records screen's content for a meeting; may refuse ``meeting_not_found``."""
    day = today()
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        sealed = sealed_minutes(session, meeting.id)
        minutes = sealed or build_minutes(session, meeting, now(), day)
        return Desk(
            minutes=minutes,
            texts=shown_texts(session, meeting),
            completeness=minutes_completeness(minutes),
            today=day,
            sealed=sealed is not None,
        )
