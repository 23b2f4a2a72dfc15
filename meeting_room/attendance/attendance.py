"""Signing in and out: members in person, proxies with a mandate, and guests.

Each function is one unit of work on a ``Session`` the caller commits; none reads the clock.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from meeting_room.domain.lockout import LockoutPolicy, lock_state
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.tokens import new_token, token_hash
from meeting_room.domain.words import MandateStatus, MeetingStatus, Presence, SignInChannel
from meeting_room.meetings.meetings import bump_version, is_eligible
from meeting_room.store.models.meetings import Alert, Attendance, ConfirmFailure, Guest, Meeting
from meeting_room.store.models.roster import Member


@dataclass(frozen=True)
class SignedIn:
    """The outcome of a sign-in; ``token`` is shown once (QR code, slip) and never stored."""

    attendance: Attendance
    token: str
    first_signed_in_at: datetime | None
    replaced_proxy: bool = False

    @property
    def again(self) -> bool:
        """True when the member had already signed in (signing in twice is harmless)."""
        return self.first_signed_in_at is not None


def _member(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        raise Refusal(Problem.MEMBER_NOT_FOUND, member_id=member_id)
    return member


def _open(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CLOSED:
        raise Refusal(Problem.MEETING_CLOSED, title=meeting.title)


def attendance_of(session: Session, meeting: Meeting, member: Member) -> Attendance | None:
    """The member's attendance row at this meeting, if any."""
    return session.scalars(
        select(Attendance).where(
            Attendance.meeting_id == meeting.id, Attendance.member_id == member.id
        )
    ).first()


def check_phone_tail(
    session: Session,
    meeting: Meeting,
    member: Member,
    phone_tail: str,
    policy: LockoutPolicy,
    now: datetime,
) -> Refusal | None:
    """Check a phone tail; a wrong one is recorded and the try that reaches the limit locks.

    The refusal is returned, not raised, so the caller commits the wrong try (and the
    clerk's alert) before refusing: a lock survives a reload.
    """
    failures = session.scalars(
        select(ConfirmFailure.at).where(
            ConfirmFailure.meeting_id == meeting.id, ConfirmFailure.member_id == member.id
        )
    ).all()
    state = lock_state(policy, failures, now)
    if state.is_locked(now):
        return Refusal(Problem.LOCKED, until=state.locked_until, name=member.name)
    if phone_tail.strip() == member.phone_tail:
        session.execute(
            delete(ConfirmFailure).where(
                ConfirmFailure.meeting_id == meeting.id, ConfirmFailure.member_id == member.id
            )
        )
        return None
    session.add(ConfirmFailure(meeting_id=meeting.id, member_id=member.id, at=now))
    after = lock_state(policy, [*failures, now], now)
    if after.is_locked(now):
        session.add(
            Alert(
                meeting_id=meeting.id,
                kind="kiosk_lockout",
                member_id=member.id,
                detail=member.name,
                created_at=now,
            )
        )
        bump_version(meeting)
        return Refusal(Problem.LOCKED, until=after.locked_until, name=member.name, just_locked=True)
    return Refusal(Problem.WRONG_PHONE_TAIL, remaining=policy.attempts - after.failures)


def request_hash(request_id: str | None) -> str | None:
    """What is stored of a kiosk's request id (kept across the retries of one submission)."""
    return hashlib.sha256(request_id.encode()).hexdigest() if request_id else None


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
    _open(meeting)
    member = _member(session, member_id)
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
    return SignedIn(row, token, first, replaced_proxy)


@dataclass(frozen=True)
class ProxyRequest:
    """A proxy signing in for an absent member: a roster member or a person on the mandate."""

    represented_id: int
    proxy_member_id: int | None = None
    proxy_name: str | None = None
    checked_by: str | None = None


def sign_in_proxy(
    session: Session,
    meeting: Meeting,
    request: ProxyRequest,
    channel: SignInChannel,
    now: datetime,
    request_id: str | None = None,
) -> SignedIn:
    """Record a proxy for one absent member; it counts once a clerk has checked the mandate.

    One level only: a represented member cannot act as a proxy, nor be represented by one
    who is. A proxy carries at most ``meeting.max_proxies_per_person`` members. A retry of
    the same kiosk request (``request_id``) renews the row and its QR, and keeps a mandate
    decision a clerk made in between.
    """
    _open(meeting)
    represented = _member(session, request.represented_id)
    existing = attendance_of(session, meeting, represented)
    if (
        existing is not None
        and existing.signed_out_at is None
        and existing.presence == Presence.IN_PERSON
    ):
        raise Refusal(Problem.ALREADY_PRESENT, name=represented.name)
    name = (request.proxy_name or "").strip()
    if request.proxy_member_id is not None:
        proxy = _member(session, request.proxy_member_id)
        if proxy.id == represented.id:
            raise Refusal(Problem.PROXY_IS_SELF)
        own = attendance_of(session, meeting, proxy)
        if own is not None and own.signed_out_at is None and own.presence == Presence.PROXY:
            raise Refusal(Problem.PROXY_IS_REPRESENTED, name=proxy.name)
        name = proxy.name
        carried = Attendance.proxy_member_id == proxy.id
    elif name:
        carried = (Attendance.proxy_name == name) & Attendance.proxy_member_id.is_(None)
    else:
        raise Refusal(Problem.PROXY_NAME_REQUIRED)
    already = session.scalar(
        select(func.count())
        .select_from(Attendance)
        .where(
            Attendance.meeting_id == meeting.id,
            Attendance.signed_out_at.is_(None),
            Attendance.member_id != represented.id,
            carried,
        )
    )
    if (already or 0) >= meeting.max_proxies_per_person:
        raise Refusal(Problem.PROXY_LIMIT, name=name, limit=meeting.max_proxies_per_person)
    if _represents_others(session, meeting, represented):
        raise Refusal(Problem.PROXY_IS_REPRESENTED, name=represented.name)

    token = new_token()
    hashed = request_hash(request_id)
    repeat = (
        existing is not None
        and hashed is not None
        and existing.request_hash == hashed
        and existing.presence == Presence.PROXY
        and existing.signed_out_at is None
    )
    row = existing or Attendance(meeting_id=meeting.id, member_id=represented.id, signed_in_at=now)
    if existing is None:
        session.add(row)
    row.request_hash = hashed
    if repeat:
        row.token_hash = token_hash(token)
        bump_version(meeting)
        session.flush()
        return SignedIn(row, token, None)
    row.signed_in_at = now
    row.signed_out_at = None
    row.presence = Presence.PROXY
    row.channel = channel
    row.proxy_member_id = request.proxy_member_id
    row.proxy_name = name
    row.token_hash = token_hash(token)
    if request.checked_by:
        row.mandate_status = MandateStatus.ACCEPTED
        row.mandate_checked_by = request.checked_by.strip()
        row.mandate_checked_at = now
    else:
        row.mandate_status = MandateStatus.PENDING
        row.mandate_checked_by = row.mandate_checked_at = None
    bump_version(meeting)
    session.flush()
    return SignedIn(row, token, None)


def _represents_others(session: Session, meeting: Meeting, member: Member) -> bool:
    """Whether the member acts as a proxy for someone at this meeting."""
    return bool(
        session.scalar(
            select(func.count())
            .select_from(Attendance)
            .where(
                Attendance.meeting_id == meeting.id,
                Attendance.proxy_member_id == member.id,
                Attendance.signed_out_at.is_(None),
            )
        )
    )


def decide_mandate(
    session: Session, meeting: Meeting, attendance_id: int, accept: bool, clerk: str, now: datetime
) -> Attendance:
    """A clerk accepts or refuses a proxy's written mandate (委托书), and is recorded."""
    row = session.get(Attendance, attendance_id)
    if row is None or row.meeting_id != meeting.id or row.presence != Presence.PROXY:
        raise Refusal(Problem.NOT_A_PROXY, attendance_id=attendance_id)
    row.mandate_status = MandateStatus.ACCEPTED if accept else MandateStatus.REFUSED
    row.mandate_checked_by = clerk.strip()
    row.mandate_checked_at = now
    if not accept:
        row.token_hash = None
    bump_version(meeting)
    return row


def sign_out(session: Session, meeting: Meeting, member_id: int, now: datetime) -> Attendance:
    """Record that a member (or their proxy) left; their personal code stops working."""
    member = _member(session, member_id)
    row = attendance_of(session, meeting, member)
    if row is None or row.signed_out_at is not None:
        raise Refusal(Problem.NOT_SIGNED_IN, name=member.name)
    row.signed_out_at = now
    row.token_hash = None
    bump_version(meeting)
    return row


def register_guest(
    session: Session,
    meeting: Meeting,
    name: str,
    note: str,
    channel: SignInChannel,
    now: datetime,
    request_id: str | None = None,
) -> Guest:
    """A walk-in not on the roster: an observer, never counted, never voting.

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
    _open(meeting)
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


def attendance_by_token(session: Session, token: str) -> Attendance:
    """The attendance a personal token belongs to (signed-out or refused tokens are void)."""
    row = session.scalars(
        select(Attendance).where(Attendance.token_hash == token_hash(token))
    ).first()
    if row is None or row.signed_out_at is not None:
        raise Refusal(Problem.TOKEN_UNKNOWN)
    return row


def counts_for_quorum(meeting: Meeting, row: Attendance) -> bool:
    """Whether this attendance counts: it counts (see ``Attendance.counts``) and is eligible."""
    return row.counts and is_eligible(meeting, row.member)


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
