"""Proxies (代理人) and their written mandates (委托书): one level, a limit per proxy, and a
clerk's check before a proxy counts.

Each function is one unit of work on a ``Session`` the caller commits (``attendance.service``);
none reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from meeting_room.attendance.members import (
    SignedIn,
    attendance_of,
    find_member,
    refuse_if_closed,
)
from meeting_room.attendance.tokens import request_hash
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.tokens import new_token, token_hash
from meeting_room.domain.words import MandateStatus, Presence, SignInChannel
from meeting_room.meetings.meetings import bump_version
from meeting_room.store.models.meetings import Attendance, Meeting
from meeting_room.store.models.roster import Member


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
    refuse_if_closed(meeting)
    represented = find_member(session, request.represented_id)
    existing = attendance_of(session, meeting, represented)
    if (
        existing is not None
        and existing.signed_out_at is None
        and existing.presence == Presence.IN_PERSON
    ):
        raise Refusal(Problem.ALREADY_PRESENT, name=represented.name)
    name = (request.proxy_name or "").strip()
    if request.proxy_member_id is not None:
        proxy = find_member(session, request.proxy_member_id)
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
    voided = existing is not None and existing.token_hash is not None and not repeat
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
    return SignedIn(row, token, None, voided_code=voided)


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
    """A clerk accepts or refuses a proxy's written mandate, and is recorded; a refused proxy's
    personal code stops working. ``NOT_A_PROXY`` for any other row."""
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


def proxies_of(session: Session, meeting: Meeting) -> dict[int, str]:
    """Member id → the name of the proxy who acts for that member at this meeting (signed out
    too: the records keep saying who spoke), so screens can say "曹小明（代曹凤）"."""
    rows = session.execute(
        select(Attendance.member_id, Attendance.proxy_name).where(
            Attendance.meeting_id == meeting.id,
            Attendance.presence == Presence.PROXY,
            Attendance.proxy_name.is_not(None),
        )
    )
    return {member_id: name for member_id, name in rows if name}


def refuse_unchecked_mandate(row: Attendance, label: str) -> None:
    """A proxy acts (asks for the floor, votes) only once a clerk has accepted the written
    mandate (委托书): refused in words before. 物业管理条例 art. 12 lets an owner entrust a
    proxy to attend the owners' assembly; the written mandate is the proxy's only authority,
    so nothing is done in the member's name (speech or ballot) before it is checked."""
    if row.presence == Presence.PROXY and row.mandate_status != MandateStatus.ACCEPTED:
        raise Refusal(Problem.MANDATE_NOT_CHECKED, name=label)
