"""What the clerk adds to the minutes: names, item summaries, corrections, publication.

A correction never rewrites the record of what happened (the audited meeting, agenda and
polls; a poll's question is even part of its ballot list's hash). It is kept beside it, with
who made it and when, and the minutes show the corrected text and list every correction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import MeetingStatus
from meeting_room.meetings import lifecycle
from meeting_room.store.models.floor import AgendaItem
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.records import ItemSummary, MinutesCorrection, MinutesRecord
from meeting_room.store.models.voting import Poll


def recorded_texts(session: Session, meeting: Meeting) -> dict[str, str]:
    """The texts of the minutes that a correction may replace, as recorded, by field name."""
    texts = {"meeting.title": meeting.title, "meeting.venue": meeting.venue}
    for item in session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)):
        texts[f"item.{item.id}.title"] = item.title
        texts[f"item.{item.id}.description"] = item.description
    for poll in session.scalars(select(Poll).where(Poll.meeting_id == meeting.id)):
        texts[f"poll.{poll.id}.question"] = poll.question
    return texts


def corrections(session: Session, meeting: Meeting) -> list[MinutesCorrection]:
    """Every correction of the meeting's minutes, oldest first."""
    return list(
        session.scalars(
            select(MinutesCorrection)
            .where(MinutesCorrection.meeting_id == meeting.id)
            .order_by(MinutesCorrection.at, MinutesCorrection.id)
        )
    )


def shown_texts(session: Session, meeting: Meeting) -> dict[str, str]:
    """The recorded texts with the latest correction of each applied."""
    texts = recorded_texts(session, meeting)
    for correction in corrections(session, meeting):
        if correction.field in texts:
            texts[correction.field] = correction.after
    return texts


def correct(
    session: Session, meeting: Meeting, field: str, text: str, by: str, now: datetime
) -> MinutesCorrection:
    """Correct one text of the minutes (e.g. ``item.12.title``); the change is kept."""
    texts = shown_texts(session, meeting)
    if field not in texts:
        raise Refusal(Problem.NOT_CORRECTABLE, field=field)
    wanted = text.strip()
    if wanted == texts[field]:
        raise Refusal(Problem.NOTHING_CHANGED)
    correction = MinutesCorrection(
        meeting_id=meeting.id, field=field, before=texts[field], after=wanted, by=by.strip(), at=now
    )
    session.add(correction)
    session.flush()
    return correction


def summaries(session: Session, item_ids: list[int]) -> dict[int, ItemSummary]:
    """The clerk's summaries of these items, by item id."""
    rows = session.scalars(select(ItemSummary).where(ItemSummary.item_id.in_(item_ids)))
    return {row.item_id: row for row in rows}


def write_summary(
    session: Session, meeting: Meeting, item_id: int, text: str, by: str, now: datetime
) -> ItemSummary:
    """Write an item's summary; rewriting an earlier one is kept as a correction."""
    item = session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        raise Refusal(Problem.ITEM_NOT_FOUND, item_id=item_id)
    wanted = text.strip()
    summary = session.get(ItemSummary, item_id)
    if summary is None:
        summary = ItemSummary(item_id=item_id, text=wanted, written_by=by.strip(), written_at=now)
        session.add(summary)
    else:
        if summary.text == wanted:
            raise Refusal(Problem.NOTHING_CHANGED)
        session.add(
            MinutesCorrection(
                meeting_id=meeting.id,
                field=f"item.{item_id}.summary",
                before=summary.text,
                after=wanted,
                by=by.strip(),
                at=now,
            )
        )
        summary.text, summary.written_by, summary.written_at = wanted, by.strip(), now
    session.flush()
    return summary


def minutes_record(session: Session, meeting: Meeting) -> MinutesRecord:
    """The minutes' own row (made on first use)."""
    record = session.get(MinutesRecord, meeting.id)
    if record is None:
        record = MinutesRecord(meeting_id=meeting.id, moderator="", clerk="")
        session.add(record)
    return record


def name_signatories(session: Session, meeting: Meeting, moderator: str, clerk: str) -> None:
    """Name the moderator and the clerk who sign the minutes."""
    record = minutes_record(session, meeting)
    record.moderator, record.clerk = moderator.strip(), clerk.strip()
    session.flush()


def publish_minutes(session: Session, meeting: Meeting, by: str, now: datetime) -> MinutesRecord:
    """Put the minutes on the notice board (once; later corrections stay listed in them): the
    meeting, closed, moves to "minutes published" (``MEETING_STATE`` before it is closed)."""
    if meeting.status != MeetingStatus.MINUTES_PUBLISHED:
        lifecycle.move(session, meeting, MeetingStatus.MINUTES_PUBLISHED, by.strip(), now)
    record = minutes_record(session, meeting)
    if record.published_at is None:
        record.published_at, record.published_by = now, by.strip()
    session.flush()
    return record
