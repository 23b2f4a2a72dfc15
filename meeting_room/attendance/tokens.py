"""What is kept of what a client holds: a personal token (the phone page, the slip, the booth)
and a kiosk's request id. Both are stored only as their SHA-256."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.tokens import token_hash
from meeting_room.store.models.meetings import Attendance


def attendance_by_token(session: Session, token: str) -> Attendance:
    """The attendance a personal token belongs to; ``TOKEN_UNKNOWN`` when there is none, or the
    token was voided (signed out, signed in again, mandate refused)."""
    row = session.scalars(
        select(Attendance).where(Attendance.token_hash == token_hash(token))
    ).first()
    if row is None or row.signed_out_at is not None:
        raise Refusal(Problem.TOKEN_UNKNOWN)
    return row


def request_hash(request_id: str | None) -> str | None:
    """What is stored of a kiosk's request id (kept across the retries of one submission)."""
    return hashlib.sha256(request_id.encode()).hexdigest() if request_id else None
