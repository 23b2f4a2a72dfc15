"""Meetings: creating them, finding the current one, and measuring their quorum."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.quorum import QuorumResult, QuorumRule, assess_quorum, parse_ratio
from meeting_room.domain.words import MandateStatus, MeetingStatus, MemberGroup, Presence
from meeting_room.store.models.meetings import Attendance, Guest, Meeting
from meeting_room.store.models.roster import Member


@dataclass(frozen=True)
class MeetingDraft:
    """What the clerk fills in to create a meeting."""

    title: str
    starts_at: datetime
    venue: str
    eligible_groups: tuple[MemberGroup, ...] = ()
    quorum_headcount: str | None = "1/2"
    quorum_area: str | None = None
    max_proxies_per_person: int = 1


def create_meeting(session: Session, draft: MeetingDraft, now: datetime) -> Meeting:
    """Add a meeting in draft (the clerk posts it later) after checking its quorum rule."""
    for text in (draft.quorum_headcount, draft.quorum_area):
        if text is not None:
            try:
                parse_ratio(text)
            except (ValueError, ZeroDivisionError) as error:
                raise Refusal(Problem.BAD_QUORUM_RULE, value=text) from error
    meeting = Meeting(
        title=draft.title.strip(),
        starts_at=draft.starts_at,
        venue=draft.venue.strip(),
        status=MeetingStatus.DRAFT,
        eligible_groups=[str(group) for group in draft.eligible_groups],
        quorum_headcount=draft.quorum_headcount,
        quorum_area=draft.quorum_area,
        max_proxies_per_person=draft.max_proxies_per_person,
        version=0,
        created_at=now,
    )
    session.add(meeting)
    session.flush()
    return meeting


def get_meeting(session: Session, meeting_id: int) -> Meeting:
    """The meeting with this id, or a refusal."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise Refusal(Problem.MEETING_NOT_FOUND, meeting_id=meeting_id)
    return meeting


def current_meeting(session: Session, now: datetime) -> Meeting | None:
    """The open meeting, else the next one not yet open, posted or in draft (or one that was
    to start in the last 12 h), else one closed in the last 12 h (the clerk's records)."""
    in_progress = session.scalars(
        select(Meeting).where(Meeting.status == MeetingStatus.OPEN).order_by(Meeting.starts_at)
    ).first()
    if in_progress is not None:
        return in_progress
    return (
        session.scalars(
            select(Meeting)
            .where(Meeting.status.in_((MeetingStatus.DRAFT, MeetingStatus.ANNOUNCED)))
            .where(Meeting.starts_at >= now - timedelta(hours=12))
            .order_by(Meeting.starts_at)
        ).first()
        or session.scalars(
            select(Meeting)
            .where(Meeting.status == MeetingStatus.CLOSED)
            .where(Meeting.closed_at >= now - timedelta(hours=12))
            .order_by(Meeting.closed_at.desc())
        ).first()
    )


def quorum_rule(meeting: Meeting) -> QuorumRule:
    """The meeting's rule as exact shares."""
    return QuorumRule(
        headcount=parse_ratio(meeting.quorum_headcount) if meeting.quorum_headcount else None,
        area=parse_ratio(meeting.quorum_area) if meeting.quorum_area else None,
    )


def is_eligible(meeting: Meeting, member: Member) -> bool:
    """Whether the member counts for this meeting's quorum (and, later, votes)."""
    return not meeting.eligible_groups or member.group in meeting.eligible_groups


def eligible_members(session: Session, meeting: Meeting) -> list[Member]:
    """Every member of the roster eligible for this meeting."""
    query = select(Member)
    if meeting.eligible_groups:
        query = query.where(Member.group.in_(meeting.eligible_groups))
    return list(session.scalars(query))


@dataclass(frozen=True)
class AttendanceSummary:
    """Who is here, measured against the quorum rule, with the meeting's state version."""

    meeting: Meeting
    quorum: QuorumResult
    in_person: int
    by_proxy: int
    proxies_pending: int
    observers: int
    guests: int


def summarise_attendance(session: Session, meeting: Meeting) -> AttendanceSummary:
    """Count the room and check the quorum (a proxy counts for the member represented)."""
    eligible = {m.id: Fraction(m.area_m2) for m in eligible_members(session, meeting)}
    rows = session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id)).all()
    counted = [row for row in rows if row.counts]
    guests = session.query(Guest).filter(Guest.meeting_id == meeting.id).count()
    return AttendanceSummary(
        meeting=meeting,
        quorum=assess_quorum(quorum_rule(meeting), eligible, (row.member_id for row in counted)),
        in_person=sum(
            1 for r in counted if r.member_id in eligible and r.presence == Presence.IN_PERSON
        ),
        by_proxy=sum(
            1 for r in counted if r.member_id in eligible and r.presence == Presence.PROXY
        ),
        proxies_pending=sum(
            1 for r in rows if r.signed_out_at is None and r.mandate_status == MandateStatus.PENDING
        ),
        observers=sum(1 for r in counted if r.member_id not in eligible),
        guests=guests,
    )


def bump_version(meeting: Meeting) -> int:
    """Advance the meeting's state version (clients drop snapshots older than theirs)."""
    meeting.version += 1
    return meeting.version
