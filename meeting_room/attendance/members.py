"""Members signing in and out in person, and finding a member's attendance at a meeting.

Each write is one unit of work on a ``Session`` the caller commits (``attendance.service``);
none reads the clock. The queries (``attendance_of``, ``meeting_rows``) are public: the floor,
voting and the screens read attendance through them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.attendance.tokens import request_hash
from meeting_room.domain.lifecycle import may_sign_in
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.tokens import new_token, token_hash
from meeting_room.domain.words import MeetingStatus, Presence, SignInChannel
from meeting_room.meetings.meetings import bump_version
from meeting_room.store.models.meetings import Attendance, Meeting
from meeting_room.store.models.roster import Member


@dataclass(frozen=True)
class SignedIn:
    """The outcome of a sign-in; ``token`` is shown once (QR code, slip) and never stored."""

    attendance: Attendance
    token: str
    first_signed_in_at: datetime | None
    replaced_proxy: bool = False
    # A personal code someone holds stopped working: the member's own from an earlier sign-in,
    # or a proxy's (the clerk desk is told: a stranger knowing the phone tail could do this).
    voided_code: bool = False

    @property
    def again(self) -> bool:
        """True when the member had already signed in (signing in twice is harmless)."""
        return self.first_signed_in_at is not None


def find_member(session: Session, member_id: int) -> Member:
    """The member with this id, or ``MEMBER_NOT_FOUND``."""
    member = session.get(Member, member_id)
    if member is None:
        raise Refusal(Problem.MEMBER_NOT_FOUND, member_id=member_id)
    return member


def refuse_if_closed(meeting: Meeting) -> None:
    """Nobody signs in to a closed meeting (``MEETING_CLOSED``): sign-in stops at the close."""
    if not may_sign_in(MeetingStatus(meeting.status)):
        raise Refusal(Problem.MEETING_CLOSED, title=meeting.title)


def attendance_of(session: Session, meeting: Meeting, member: Member) -> Attendance | None:
    """The member's attendance row at this meeting, if any."""
    return session.scalars(
        select(Attendance).where(
            Attendance.meeting_id == meeting.id, Attendance.member_id == member.id
        )
    ).first()


def attendance_of_many(
    session: Session, meeting: Meeting, member_ids: list[int]
) -> dict[int, Attendance]:
    """The attendance rows of these members at this meeting, by member id, in one query."""
    rows = session.scalars(
        select(Attendance).where(
            Attendance.meeting_id == meeting.id, Attendance.member_id.in_(member_ids)
        )
    )
    return {row.member_id: row for row in rows}


def meeting_rows(session: Session, meeting: Meeting) -> list[Attendance]:
    """The meeting's attendance rows in sign-in order (the clerk's list, the CSV, the exports)."""
    return list(
        session.scalars(
            select(Attendance)
            .where(Attendance.meeting_id == meeting.id)
            .order_by(Attendance.signed_in_at)
        )
    )


def sign_in(
    session: Session,
    meeting: Meeting,
    member_id: int,
    channel: SignInChannel,
    now: datetime,
    request_id: str | None = None,
) -> SignedIn:
    """Sign a member in person; a second sign-in says when the first one was and renews the QR.

    A member represented by a proxy who arrives in person takes their own seat back: the
    proxy's personal code stops working. A retry of the same kiosk request (``request_id``)
    whose first try did arrive is no second sign-in: it renews the QR and says nothing of
    "already signed in".
    """
    refuse_if_closed(meeting)
    member = find_member(session, member_id)
    token = new_token()
    row = attendance_of(session, meeting, member)
    first: datetime | None = None
    replaced_proxy = False
    hashed = request_hash(request_id)
    if row is None:
        row = Attendance(meeting_id=meeting.id, member_id=member.id, signed_in_at=now)
        session.add(row)
    elif row.signed_out_at is None and row.presence == Presence.IN_PERSON:
        first = None if hashed is not None and row.request_hash == hashed else row.signed_in_at
    else:
        replaced_proxy = row.presence == Presence.PROXY and row.signed_out_at is None
        row.signed_in_at = now
    row.presence = Presence.IN_PERSON
    row.channel = channel
    row.signed_out_at = None
    row.proxy_member_id = row.proxy_name = row.mandate_status = None
    row.mandate_checked_by = None
    row.mandate_checked_at = None
    row.token_hash = token_hash(token)
    row.request_hash = hashed
    bump_version(meeting)
    session.flush()
    return SignedIn(row, token, first, replaced_proxy, first is not None or replaced_proxy)


def sign_out(session: Session, meeting: Meeting, member_id: int, now: datetime) -> Attendance:
    """Record that a member (or their proxy) left; their personal code stops working.

    Refused with ``NOT_SIGNED_IN`` when the member is not in the room.
    """
    member = find_member(session, member_id)
    row = attendance_of(session, meeting, member)
    if row is None or row.signed_out_at is not None:
        raise Refusal(Problem.NOT_SIGNED_IN, name=member.name)
    row.signed_out_at = now
    row.token_hash = None
    bump_version(meeting)
    return row
