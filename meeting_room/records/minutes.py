"""The minutes (会议纪要) of a meeting, generated from what happened: one typed document.

``build_minutes`` reads the record (attendance, speeches, overrides, polls, decisions) and
applies the clerk's summaries and corrections. The document is language-neutral data: the
HTML page, the PDF and the JSON API all render this one shape (``yishi.minutes/1``; fields are
only ever added). Secret polls carry no name; a named poll carries its list of names and choices.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.domain.quorum import QuorumRule, assess_quorum
from meeting_room.domain.words import PollStatus
from meeting_room.floor import agenda, discussion, timing
from meeting_room.followup.decisions import ActionView, action_view, meeting_decisions
from meeting_room.meetings.meetings import eligible_members, summarise_attendance
from meeting_room.meetings.snapshot import ClauseView, clause_view
from meeting_room.records.corrections import corrections, shown_texts, summaries
from meeting_room.store.models.floor import AgendaItem, RuleOverride
from meeting_room.store.models.meetings import Attendance, Meeting
from meeting_room.store.models.records import MinutesRecord
from meeting_room.store.models.roster import Member
from meeting_room.store.models.voting import Ballot, Poll
from meeting_room.voting.polls import options_of
from meeting_room.voting.words import explanations


class Header(BaseModel):
    """Title, time, venue and the people who signed the minutes."""

    meeting_id: int
    title: str
    starts_at: datetime
    ended_at: datetime | None = Field(description="When the last item finished, if it did.")
    venue: str
    moderator: str = Field(description="主持人; empty until the clerk names them.")
    clerk: str = Field(description="记录员; empty until named.")


class AttendanceRecord(BaseModel):
    """Attendance by headcount and by exclusive floor area, and the quorum verdict."""

    eligible: int
    present: int = Field(description="Eligible members counted: in person or by proxy.")
    eligible_area: str = Field(description="m², two decimals.")
    present_area: str
    in_person: int
    by_proxy: int
    observers: int
    guests: int
    quorum_met: bool
    quorum: list[ClauseView] = Field(description="Each clause of the meeting's quorum rule.")


class SpeechRecord(BaseModel):
    """One speech (or point of order), in the order given."""

    order: int
    member_id: int
    name: str
    stance: str = Field(description="for, against or neutral.")
    kind: str = Field(description="speech or point_of_order.")
    started_at: datetime
    seconds: int


class OverrideRecord(BaseModel):
    """A rule of order the moderator set aside."""

    rule: str = Field(description="max_speeches_reached, already_waiting or out_of_turn.")
    member_id: int
    name: str
    detail: str
    at: datetime


class TallyRecord(BaseModel):
    """Votes for one option."""

    option: str
    headcount: int
    area: str
    weight: str


class ClauseRecord(BaseModel):
    """One threshold of the poll's rule, checked exactly."""

    stage: str
    basis: str
    numerator: str
    denominator: str
    threshold: str
    comparison: str
    met: bool
    percent: str


class NamedBallot(BaseModel):
    """A named poll's ballot: who chose what (never present for a secret poll)."""

    member_no: str
    name: str
    choices: list[str]


class PollRecord(BaseModel):
    """A closed poll: its rule, tallies, verdict, explanation and the ballot list's hash."""

    id: int
    question: str
    kind: str
    secret: bool
    rule: str
    weighting: str
    status: str
    opened_at: datetime | None
    closed_at: datetime | None
    eligible: int
    eligible_area: str
    present: int
    cast: int
    tallies: list[TallyRecord]
    passed: bool | None = Field(description="None for a choice poll (see leaders).")
    leaders: list[str]
    clauses: list[ClauseRecord]
    explanation: dict[str, str] = Field(description="The verdict in words, by language.")
    final_hash: str | None
    ballots: list[NamedBallot] | None = Field(description="Named polls only; null when secret.")


class SummaryRecord(BaseModel):
    """The clerk's summary of an item."""

    text: str
    by: str
    at: datetime


class ItemRecord(BaseModel):
    """An agenda item and everything that happened on it."""

    id: int
    number: int
    title: str
    description: str
    kind: str
    started_at: datetime | None
    finished_at: datetime | None
    summary: SummaryRecord | None
    speeches: list[SpeechRecord]
    overrides: list[OverrideRecord]
    polls: list[PollRecord]


class DecisionRecord(BaseModel):
    """A decision with its action list."""

    id: int
    number: int
    item_id: int | None
    poll_id: int | None
    text: str
    actions: list[ActionView]


class CorrectionRecord(BaseModel):
    """A text corrected by the clerk: what it said, what it says, who changed it and when."""

    field: str = Field(description="e.g. meeting.title, item.12.title, decision.3.text.")
    before: str
    after: str
    by: str
    at: datetime


class Minutes(BaseModel):
    """The minutes of one meeting (stable shape ``yishi.minutes/1``)."""

    format: Literal["yishi.minutes/1"] = Field(
        default="yishi.minutes/1", description="The shape's name; fields are only ever added."
    )
    generated_at: datetime
    published_at: datetime | None
    published_by: str | None
    header: Header
    attendance: AttendanceRecord
    items: list[ItemRecord]
    other_polls: list[PollRecord] = Field(description="Closed polls on no agenda item.")
    decisions: list[DecisionRecord]
    corrections: list[CorrectionRecord]


def _m2(value: Fraction) -> str:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _attendance(session: Session, meeting: Meeting) -> AttendanceRecord:
    summary = summarise_attendance(session, meeting)
    areas = {m.id: Fraction(m.area_m2) for m in eligible_members(session, meeting)}
    rows = session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id))
    both = assess_quorum(
        QuorumRule(Fraction(0), Fraction(0)), areas, (r.member_id for r in rows if r.counts)
    )
    people, area = both.clauses
    return AttendanceRecord(
        eligible=len(areas),
        present=int(people.present),
        eligible_area=_m2(area.total),
        present_area=_m2(area.present),
        in_person=summary.in_person,
        by_proxy=summary.by_proxy,
        observers=summary.observers,
        guests=summary.guests,
        quorum_met=summary.quorum.met,
        quorum=[clause_view(c) for c in summary.quorum.clauses],
    )


def _named_ballots(session: Session, poll: Poll) -> list[NamedBallot]:
    rows = session.execute(
        select(Member.member_no, Member.name, Ballot.choices)
        .join(Member, Ballot.member_id == Member.id)
        .where(Ballot.poll_id == poll.id)
        .order_by(Member.member_no)
    ).all()
    return [NamedBallot(member_no=no, name=name, choices=list(c)) for no, name, c in rows]


def poll_record(session: Session, poll: Poll, question: str) -> PollRecord:
    """A closed poll as the minutes carry it."""
    result = poll.result or {}
    tallies = result.get("tallies", {})
    return PollRecord(
        id=poll.id,
        question=question,
        kind=poll.kind,
        secret=poll.secret,
        rule=poll.rule,
        weighting=poll.weighting,
        status=poll.status,
        opened_at=poll.opened_at,
        closed_at=poll.closed_at,
        eligible=result.get("eligible", {}).get("headcount", 0),
        eligible_area=result.get("eligible", {}).get("area", "0.00"),
        present=result.get("present", 0),
        cast=result.get("cast", 0),
        tallies=[
            TallyRecord(option=o, headcount=t["headcount"], area=t["area"], weight=t["weight"])
            for o in options_of(poll)
            if (t := tallies.get(o)) is not None
        ],
        passed=result.get("passed"),
        leaders=list(result.get("leaders", [])),
        clauses=[ClauseRecord(**c) for c in result.get("clauses", [])],
        explanation=explanations(result) or {},
        final_hash=poll.final_hash,
        ballots=None if poll.secret else _named_ballots(session, poll),
    )


def _closed_polls(session: Session, meeting: Meeting) -> list[Poll]:
    return list(
        session.scalars(
            select(Poll)
            .where(
                Poll.meeting_id == meeting.id,
                Poll.status.in_((PollStatus.CLOSED, PollStatus.PUBLISHED)),
            )
            .order_by(Poll.closed_at, Poll.id)
        )
    )


def _item(
    session: Session,
    item: AgendaItem,
    texts: dict[str, str],
    polls: list[PollRecord],
    now: datetime,
) -> ItemRecord:
    summary = summaries(session, [item.id]).get(item.id)
    return ItemRecord(
        id=item.id,
        number=item.position,
        title=texts[f"item.{item.id}.title"],
        description=texts[f"item.{item.id}.description"],
        kind=item.kind,
        started_at=item.started_at,
        finished_at=item.finished_at,
        summary=SummaryRecord(text=summary.text, by=summary.written_by, at=summary.written_at)
        if summary
        else None,
        speeches=[
            SpeechRecord(
                order=order,
                member_id=s.member_id,
                name=s.member.name,
                stance=s.stance,
                kind=s.kind,
                started_at=s.started_at,
                seconds=round(timing.clock_of(s).elapsed(now).total_seconds()),
            )
            for order, s in enumerate(discussion.speeches(session, item), start=1)
        ],
        overrides=[
            OverrideRecord(
                rule=o.rule,
                member_id=o.member_id,
                name=member.name if (member := session.get(Member, o.member_id)) else "",
                detail=o.detail,
                at=o.at,
            )
            for o in session.scalars(
                select(RuleOverride)
                .where(RuleOverride.item_id == item.id)
                .order_by(RuleOverride.at)
            )
        ],
        polls=polls,
    )


def build_minutes(session: Session, meeting: Meeting, now: datetime, today: date) -> Minutes:
    """The minutes of ``meeting`` as of ``now`` (action items' status as of ``today``)."""
    texts = shown_texts(session, meeting)
    record = session.get(MinutesRecord, meeting.id)
    items = agenda.items_in_order(session, meeting)
    by_item: dict[int | None, list[PollRecord]] = {}
    for poll in _closed_polls(session, meeting):
        question = texts[f"poll.{poll.id}.question"]
        by_item.setdefault(poll.item_id, []).append(poll_record(session, poll, question))
    other = [p for key, polls in by_item.items() if key not in {i.id for i in items} for p in polls]
    finished = [i.finished_at for i in items if i.finished_at is not None]
    return Minutes(
        generated_at=now,
        published_at=record.published_at if record else None,
        published_by=record.published_by if record else None,
        header=Header(
            meeting_id=meeting.id,
            title=texts["meeting.title"],
            starts_at=meeting.starts_at,
            ended_at=max(finished) if finished and len(finished) == len(items) else None,
            venue=texts["meeting.venue"],
            moderator=record.moderator if record else "",
            clerk=record.clerk if record else "",
        ),
        attendance=_attendance(session, meeting),
        items=[_item(session, i, texts, by_item.get(i.id, []), now) for i in items],
        other_polls=other,
        decisions=[
            DecisionRecord(
                id=d.id,
                number=number,
                item_id=d.item_id,
                poll_id=d.poll_id,
                text=d.text,
                actions=[action_view(session, a, today) for a in d.actions],
            )
            for number, d in enumerate(meeting_decisions(session, meeting), start=1)
        ],
        corrections=[
            CorrectionRecord(field=c.field, before=c.before, after=c.after, by=c.by, at=c.at)
            for c in corrections(session, meeting)
        ],
    )
