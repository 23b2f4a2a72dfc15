"""Polls before the first ballot: drafting one (correcting or removing the draft), opening it
(its eligible base is fixed then), and the queries every part of voting reads (a poll by id,
its options, its meeting, its turnout).

Casting is ``ballots`` (one ballot) and ``ballot_batch`` (phones in bulk); closing and counting
is ``results``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from meeting_room.domain.assembly import MatterKind, rule_for
from meeting_room.domain.counting import ART278_RULES, Rule, Weighting, YesNo
from meeting_room.domain.lifecycle import refuse_unless_open
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import Eligibility, MeetingStatus, MemberGroup, PollKind, PollStatus
from meeting_room.meetings.meetings import bump_version, eligible_members
from meeting_room.store.models.floor import AgendaItem
from meeting_room.store.models.meetings import Attendance, Meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.models.voting import Participation, Poll, PollTally, PollVoter
from meeting_room.voting.seals import seal_base

YES_NO = tuple(option.value for option in YesNo)  # plain strings, as ballots carry them
GROUPS_OF = {
    Eligibility.OWNERS: (MemberGroup.OWNER, MemberGroup.OWNERS_COMMITTEE),
    Eligibility.REPRESENTATIVES: (MemberGroup.REPRESENTATIVE,),
}


@dataclass(frozen=True)
class PollDraft:
    """What the moderator or clerk fills in."""

    question: str
    kind: PollKind = PollKind.YES_NO
    options: tuple[str, ...] = ()
    max_choices: int = 1
    eligibility: Eligibility = Eligibility.ALL
    groups: tuple[MemberGroup, ...] = ()
    secret: bool = True
    weighting: Weighting = Weighting.HEADCOUNT
    rule: Rule = Rule.SIMPLE_MAJORITY
    duration_s: int | None = None
    item_id: int | None = None
    # The matter of art. 278 para. 1 picked in the form (its rule must be the draft's rule).
    matter_kind: MatterKind | None = None


def _art278(kind: PollKind, rule: Rule) -> bool:
    return kind == PollKind.YES_NO and rule in ART278_RULES


def check_art278_base(kind: PollKind, rule: Rule, eligibility: Eligibility) -> None:
    """An art. 278 poll is decided by the owners, always (Civil Code art. 278 para. 2: area and
    number "of the owners"): refuse any other base, so no tenant or property staff is counted."""
    if _art278(kind, rule) and eligibility != Eligibility.OWNERS:
        raise Refusal(Problem.ART278_OWNERS_ONLY)


def options_of(poll: Poll) -> tuple[str, ...]:
    """The poll's options (for/against/abstain for a yes-no poll)."""
    return YES_NO if poll.kind == PollKind.YES_NO else tuple(poll.options)


def _checked_options(session: Session, meeting: Meeting, draft: PollDraft) -> tuple[str, ...]:
    """The draft's options once its options, choice limit, voters and item are checked."""
    options = tuple(o.strip() for o in draft.options if o.strip())
    if draft.kind == PollKind.CHOICE:
        if len(options) < 2 or len(set(options)) != len(options):
            raise Refusal(Problem.INVALID_INPUT, detail="options")
        if not 1 <= draft.max_choices <= len(options):
            raise Refusal(Problem.INVALID_INPUT, detail="max_choices")
    if draft.eligibility == Eligibility.GROUPS and not draft.groups:
        raise Refusal(Problem.INVALID_INPUT, detail="groups")
    if draft.item_id is not None:
        item = session.get(AgendaItem, draft.item_id)
        if item is None or item.meeting_id != meeting.id:
            raise Refusal(Problem.ITEM_NOT_FOUND, item_id=draft.item_id)
    check_art278_base(draft.kind, draft.rule, draft.eligibility)
    # The moderator picks the matter and its rule follows (Civil Code art. 278 para. 2).
    if draft.matter_kind is not None and (
        not _art278(draft.kind, draft.rule) or rule_for(draft.matter_kind) != draft.rule
    ):
        raise Refusal(Problem.INVALID_INPUT, detail="matter_kind")
    return options


def _fill(poll: Poll, draft: PollDraft, options: tuple[str, ...]) -> None:
    poll.item_id = draft.item_id
    poll.question = draft.question.strip()
    poll.kind = draft.kind
    poll.options = list(options) if draft.kind == PollKind.CHOICE else []
    poll.max_choices = draft.max_choices if draft.kind == PollKind.CHOICE else 1
    poll.eligibility = draft.eligibility
    poll.groups = [str(g) for g in draft.groups]
    poll.secret = draft.secret
    poll.weighting = draft.weighting
    poll.rule = draft.rule
    poll.duration_s = draft.duration_s
    poll.matter_kind = draft.matter_kind


def create_poll(session: Session, meeting: Meeting, draft: PollDraft, now: datetime) -> Poll:
    """A poll in draft; its options and choice limit are checked here."""
    options = _checked_options(session, meeting, draft)
    poll = Poll(meeting_id=meeting.id, status=PollStatus.DRAFT, created_at=now)
    _fill(poll, draft, options)
    session.add(poll)
    bump_version(meeting)
    session.flush()
    return poll


def _draft_of(session: Session, meeting: Meeting, poll_id: int) -> Poll:
    poll = get_poll(session, poll_id)
    if poll.meeting_id != meeting.id:
        raise Refusal(Problem.POLL_NOT_FOUND, poll_id=poll_id)
    if poll.status != PollStatus.DRAFT:
        raise Refusal(Problem.POLL_NOT_DRAFT)
    return poll


def edit_draft(session: Session, meeting: Meeting, poll_id: int, draft: PollDraft) -> Poll:
    """Correct a poll still in draft (``POLL_NOT_DRAFT`` once it has opened)."""
    poll = _draft_of(session, meeting, poll_id)
    _fill(poll, draft, _checked_options(session, meeting, draft))
    bump_version(meeting)
    session.flush()
    return poll


def remove_draft(session: Session, meeting: Meeting, poll_id: int) -> None:
    """Delete a poll still in draft: nobody has seen it, so nothing of it is kept but the log."""
    session.delete(_draft_of(session, meeting, poll_id))
    bump_version(meeting)
    session.flush()


def get_poll(session: Session, poll_id: int) -> Poll:
    """The poll with this id, or a refusal."""
    poll = session.get(Poll, poll_id)
    if poll is None:
        raise Refusal(Problem.POLL_NOT_FOUND, poll_id=poll_id)
    return poll


def _in_poll(poll: Poll, member: Member) -> bool:
    if poll.eligibility == Eligibility.ALL:
        return True
    if poll.eligibility == Eligibility.GROUPS:
        return member.group in poll.groups
    groups = GROUPS_OF[Eligibility(poll.eligibility)]
    return member.group in groups


def open_poll(session: Session, meeting: Meeting, poll: Poll, now: datetime) -> Poll:
    """Open a draft: the eligible base (with who is present now) is fixed from this moment.
    Only in an open meeting (``MEETING_NOT_OPEN``)."""
    refuse_unless_open(MeetingStatus(meeting.status), "poll")
    if poll.status != PollStatus.DRAFT:
        raise Refusal(Problem.POLL_NOT_DRAFT)
    already = session.scalars(
        select(Poll).where(Poll.meeting_id == meeting.id, Poll.status == PollStatus.OPEN)
    ).first()
    if already is not None:
        raise Refusal(Problem.ANOTHER_POLL_OPEN, question=already.question)
    base = [member for member in eligible_members(session, meeting) if _in_poll(poll, member)]
    if _art278(poll.kind, poll.rule):
        _check_owners_base(meeting, poll, base)
    here = {
        row.member_id: row
        for row in session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id))
    }
    voters: list[dict[str, Any]] = [
        {
            "poll_id": poll.id,
            "member_id": member.id,
            "area_m2": member.area_m2,
            "weight": member.weight if member.weight is not None else Decimal(1),
            "present": member.id in here and here[member.id].counts,
        }
        for member in base
    ]
    if voters:  # derived rows, not audited: one insert for the whole base (its digest is)
        session.execute(insert(PollVoter), voters)
    seal_base(
        session, poll, [(v["member_id"], v["area_m2"], v["weight"], v["present"]) for v in voters]
    )
    for option in options_of(poll):
        session.add(PollTally(poll_id=poll.id, option=option, headcount=0, area_m2=0, weight=0))
    poll.status = PollStatus.OPEN
    poll.opened_at = now
    poll.closes_at = now + timedelta(seconds=poll.duration_s) if poll.duration_s else None
    bump_version(meeting)
    return poll


def _check_owners_base(meeting: Meeting, poll: Poll, base: list[Member]) -> None:
    """The base of an art. 278 poll is every owner on the roster, and only them: the poll's
    voters are the owners, the meeting leaves none out, and there is at least one."""
    check_art278_base(poll.kind, poll.rule, poll.eligibility)
    wanted = GROUPS_OF[Eligibility.OWNERS]
    if meeting.eligible_groups and not set(wanted) <= set(meeting.eligible_groups):
        raise Refusal(Problem.ART278_OWNERS_LEFT_OUT, groups=list(meeting.eligible_groups))
    if not base:
        raise Refusal(Problem.ART278_NO_OWNERS)
    assert all(member.group in wanted for member in base), "an art. 278 base holds owners only"


def poll_meeting(session: Session, poll: Poll) -> Meeting:
    """The meeting a poll belongs to."""
    meeting = session.get(Meeting, poll.meeting_id)
    assert meeting is not None
    return meeting


def ballots_cast(session: Session, poll: Poll) -> int:
    """How many members have voted."""
    return len(
        session.scalars(
            select(Participation.member_id).where(Participation.poll_id == poll.id)
        ).all()
    )
