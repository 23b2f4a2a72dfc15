"""The minutes made from what happened: ``build_minutes`` reads the record (attendance,
speeches, overrides, polls, decisions) and applies the clerk's summaries and corrections.

Functions of the caller's ``Session``; the time comes in as ``now`` (speeches' durations, the
document's date) and ``today`` (action items' status); none reads the clock.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.assembly.deliveries import delivery_record
from meeting_room.attendance.guests import meeting_guests
from meeting_room.attendance.members import meeting_rows
from meeting_room.attendance.proxies import proxies_of
from meeting_room.domain.assembly import PublishMode
from meeting_room.domain.quorum import QuorumRule, assess_quorum
from meeting_room.domain.words import PollStatus, Presence
from meeting_room.floor import agenda, discussion, timing
from meeting_room.floor.ending import all_done, meeting_end
from meeting_room.followup.actions import action_view
from meeting_room.followup.decisions import meeting_decisions
from meeting_room.meetings.meetings import eligible_members, summarise_attendance
from meeting_room.meetings.snapshot import clause_view
from meeting_room.records.corrections import corrections, shown_texts, summaries
from meeting_room.records.minutes import (
    AssistRecord,
    AttendanceRecord,
    AttendeeRecord,
    BuildingDeliveries,
    ClauseRecord,
    CorrectionRecord,
    DecisionRecord,
    DeliveryLine,
    DeliveryRecord,
    GuestRecord,
    Header,
    ItemRecord,
    Minutes,
    NamedBallot,
    OverrideRecord,
    PollRecord,
    SpeechRecord,
    SummaryRecord,
    TallyRecord,
    TopicOrigin,
)
from meeting_room.store.models.assembly import VotingPeriod
from meeting_room.store.models.floor import AgendaItem, RuleOverride
from meeting_room.store.models.meetings import Attendance, Meeting
from meeting_room.store.models.records import MinutesRecord
from meeting_room.store.models.roster import Member
from meeting_room.store.models.voting import Ballot, Participation, Poll
from meeting_room.topics.snapshot import topic_of_item, topic_view
from meeting_room.voting.polls import options_of
from meeting_room.voting.seals import poll_anchor
from meeting_room.voting.words import explanations


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


def _attendees(session: Session, meeting: Meeting) -> list[AttendeeRecord]:
    return [
        AttendeeRecord(
            member_no=row.member.member_no,
            name=row.member.name,
            address=row.member.address,
            presence=row.presence,
            proxy=(row.proxy_member.name if row.proxy_member else row.proxy_name)
            if row.presence == Presence.PROXY
            else None,
            counts=row.counts,
            signed_in_at=row.signed_in_at,
        )
        for row in meeting_rows(session, meeting)
    ]


def _assisted(session: Session, meeting: Meeting) -> list[AssistRecord]:
    rows = session.execute(
        select(Participation.poll_id, Member.name, Participation.helper)
        .join(Member, Participation.member_id == Member.id)
        .join(Poll, Participation.poll_id == Poll.id)
        .where(Poll.meeting_id == meeting.id, Participation.helper.is_not(None))
        .order_by(Participation.poll_id, Member.member_no)
    ).all()
    return [
        AssistRecord(poll_id=poll_id, name=name, helper=helper or "")
        for poll_id, name, helper in rows
    ]


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
        matter_kind=poll.matter_kind,
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
        # "leaders" is what results before the places rule stored (the options with most votes).
        leaders=list(result.get("chosen", result.get("leaders", []))),
        tied=list((result.get("tie") or {}).get("options", [])),
        clauses=[ClauseRecord(**c) for c in result.get("clauses", [])],
        explanation=explanations(result) or {},
        final_hash=poll.final_hash,
        ballots=None if poll.secret else _named_ballots(session, poll),
        anchor=poll_anchor(session, poll.id),
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
    proxies: dict[int, str],
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
                proxy_name=proxies.get(s.member_id),
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
        origin=_origin(session, item.id),
    )


def _origin(session: Session, item_id: int) -> TopicOrigin | None:
    """The residents' topic this item was accepted from, with its source and signatures."""
    topic = topic_of_item(session, item_id)
    if topic is None:
        return None
    view = topic_view(session, topic)
    return TopicOrigin(
        topic_id=topic.id,
        source=topic.source,
        proposer_place=view.proposer_place,
        signatures=view.signatures,
        signed_households=view.signed,
        households=view.households,
        needed=view.needed,
        threshold_percent=view.threshold_percent,
    )


def _deliveries(session: Session, meeting: Meeting) -> list[DeliveryRecord]:
    """The paper ballots' delivery (入户送达) of each voting period tied to the meeting: the
    issue of the owners' assembly makes it part of the minutes."""
    records = []
    periods = session.scalars(
        select(VotingPeriod).where(VotingPeriod.meeting_id == meeting.id).order_by(VotingPeriod.id)
    )
    for period in periods:
        record = delivery_record(session, period.id)
        named = period.publish_mode is PublishMode.NAMED
        records.append(
            DeliveryRecord(
                period_id=period.id,
                period_title=period.title,
                units=sum(
                    b["handed"] + b["left"] + b["refused"] + len(b["none"])
                    for b in record["buildings"]
                ),
                printed=record["printed"],
                handed=record["handed"],
                left=record["left"],
                refused=record["refused"],
                none=record["none"],
                by_address=named,
                buildings=[
                    BuildingDeliveries(
                        building=b["building"],
                        handed=b["handed"],
                        left=b["left"],
                        refused=b["refused"],
                        none=len(b["none"]),
                        not_delivered=b["none"] if named else [],
                    )
                    for b in record["buildings"]
                ],
                delivered=[
                    DeliveryLine(
                        address=d["address"],
                        delivery=d["delivery"],
                        by=d["by"],
                        at=datetime.fromisoformat(d["at"]) if d["at"] else None,
                        recorded_by=d["recorded_by"],
                    )
                    for d in record["units"]
                    if named
                ],
            )
        )
    return records


def build_minutes(session: Session, meeting: Meeting, now: datetime, today: date) -> Minutes:
    """The minutes of ``meeting`` as of ``now`` (action items' status as of ``today``)."""
    texts = shown_texts(session, meeting)
    record = session.get(MinutesRecord, meeting.id)
    items = agenda.items_in_order(session, meeting)
    by_item: dict[int | None, list[PollRecord]] = {}
    closed = _closed_polls(session, meeting)
    for poll in closed:
        question = texts[f"poll.{poll.id}.question"]
        by_item.setdefault(poll.item_id, []).append(poll_record(session, poll, question))
    other = [p for key, polls in by_item.items() if key not in {i.id for i in items} for p in polls]
    finished = [i.finished_at for i in items if i.finished_at is not None]
    # Without a recorded opening: the first item's start, else (no item) the first vote's.
    started = [i.started_at for i in items if i.started_at is not None] or [
        p.opened_at for p in closed if p.opened_at is not None
    ]
    if not items:  # a meeting of votes only ended with its last vote
        finished = [p.closed_at for p in closed if p.closed_at is not None]
    proxies = proxies_of(session, meeting)
    return Minutes(
        generated_at=now,
        published_at=record.published_at if record else None,
        published_by=record.published_by if record else None,
        header=Header(
            meeting_id=meeting.id,
            title=texts["meeting.title"],
            starts_at=meeting.starts_at,
            # The moderator's opening and closing (the meeting's life); before those were
            # recorded, the first item's start and the last item's end (or the votes').
            opened_at=meeting.opened_at or (min(started) if started else None),
            ended_at=meeting.closed_at
            or (max(finished) if finished and len(finished) >= len(items) else None),
            closed_at=meeting.closed_at,
            venue=texts["meeting.venue"],
            moderator=record.moderator if record else "",
            clerk=record.clerk if record else "",
        ),
        attendance=_attendance(session, meeting),
        attendees=_attendees(session, meeting),
        assisted=_assisted(session, meeting),
        guests=[GuestRecord(name=g.name, note=g.note) for g in meeting_guests(session, meeting)],
        items=[_item(session, i, texts, by_item.get(i.id, []), now, proxies) for i in items],
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
        deliveries=_deliveries(session, meeting),
        ended=meeting_end(session, meeting) if all_done(items) else None,
    )
