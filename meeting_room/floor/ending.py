"""The meeting's end: the moderator finishing the last open agenda item seals the audit chain's
head (an anchor: the projector shows it, the minutes print it), so the whole record of the
meeting, sign-ins, speeches and votes, can be proven later against that paper.

Finishing an item again after it was reopened seals again: the newest seal is the meeting's end.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.domain.words import ItemStatus
from meeting_room.store import anchors
from meeting_room.store.anchors import Anchor
from meeting_room.store.models.floor import AgendaItem
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.voting import Poll


def _subject(meeting: Meeting) -> str:
    return f"meetings:{meeting.id}"


def all_done(items: list[AgendaItem]) -> bool:
    """Whether the agenda has items and every one of them is finished."""
    return bool(items) and all(item.status == ItemStatus.DONE for item in items)


def seal_if_ended(session: Session, meeting: Meeting, items: list[AgendaItem]) -> None:
    """Seal the meeting's end when ``items`` (its agenda, as now) are all finished: the
    final hash of every closed poll is named in the seal. Call it last in the transaction."""
    if not all_done(items):
        return
    polls = session.execute(
        select(Poll.id, Poll.final_hash)
        .where(Poll.meeting_id == meeting.id, Poll.final_hash.is_not(None))
        .order_by(Poll.id)
    )
    detail = {"items": len(items), "final_hashes": {str(i): h for i, h in polls}}
    anchors.seal(session, anchors.MEETING_ENDED, _subject(meeting), detail)


def meeting_end(session: Session, meeting: Meeting) -> Anchor | None:
    """The chain's head when the meeting's last item was finished (None until then)."""
    return anchors.sealed(session, anchors.MEETING_ENDED, _subject(meeting))
