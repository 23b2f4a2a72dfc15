"""Guests: walk-ins not on the roster, observers who never count and never vote.

``register_guest`` is one unit of work on a ``Session`` the caller commits
(``attendance.service``); it does not read the clock.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.attendance.members import refuse_if_closed
from meeting_room.attendance.tokens import request_hash
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import SignInChannel
from meeting_room.meetings.meetings import bump_version
from meeting_room.store.models.meetings import Guest, Meeting


def register_guest(
    session: Session,
    meeting: Meeting,
    name: str,
    note: str,
    channel: SignInChannel,
    now: datetime,
    request_id: str | None = None,
) -> Guest:
    """Add a guest (name cut to 64 characters, note to 200).

    With ``request_id`` (the kiosk's, kept across its retries) a repeated registration
    answers the guest the first one made instead of adding a second.
    """
    hashed = request_hash(request_id)
    if hashed is not None:
        earlier = session.scalar(
            select(Guest).where(Guest.meeting_id == meeting.id, Guest.request_hash == hashed)
        )
        if earlier is not None:
            return earlier
    refuse_if_closed(meeting)
    if not name.strip():
        raise Refusal(Problem.GUEST_NAME_REQUIRED)
    guest = Guest(
        meeting_id=meeting.id,
        name=name.strip()[:64],
        note=note.strip()[:200],
        channel=channel,
        signed_in_at=now,
        request_hash=hashed,
    )
    session.add(guest)
    bump_version(meeting)
    session.flush()
    return guest


def meeting_guests(session: Session, meeting: Meeting) -> list[Guest]:
    """The meeting's guests in the order they came (the clerk's list, the CSV, the exports)."""
    return list(
        session.scalars(
            select(Guest).where(Guest.meeting_id == meeting.id).order_by(Guest.signed_in_at)
        )
    )
