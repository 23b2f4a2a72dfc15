"""The hall's figures for a period, read from the records (reads only; nothing is stored).

Every figure keeps the rows it was counted from (the meetings, action items, ratings and
topics), so a screen can show what lies behind each number. The counting rules are the
domain's (``domain.reports``, ``domain.participation``); this module only picks the rows of the
period, by the hall's local dates:

- a meeting is *held* in the period when the moderator opened it on a day of the period;
- its results are due on the 7th working day after the day it closed (the clerk's calendar
  days first, then China's official holidays and 调休 working days: ``meetings.notice``), and
  count as published on the day the minutes were;
- an action item counts in the period of its deadline; a rating of finished work, or an answer
  to a satisfaction survey, in the period it was given;
- a topic in the period it was proposed, by where it stands now (taken up, declined, merged
  into another, or still gathering signatures).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.clock import local
from meeting_room.domain.completeness import Completeness
from meeting_room.domain.participation import (
    Participation,
    Person,
    Turnout,
    participation,
)
from meeting_room.domain.reports import (
    CARRIED_OUT,
    COMPLETE,
    Period,
    Share,
    Timeliness,
    on_time_share,
    publication_deadline,
    resident_share,
    satisfaction,
    tally,
    timeliness,
)
from meeting_room.domain.topics import TopicSource, TopicStatus, from_residents
from meeting_room.domain.words import ActionStatus, MandateStatus, Presence
from meeting_room.meetings.meetings import eligible_members
from meeting_room.meetings.notice import working_calendar
from meeting_room.records.build import build_minutes
from meeting_room.records.desk import minutes_completeness
from meeting_room.records.purge_record import sealed_minutes
from meeting_room.store.models.follow import Survey, SurveyAnswer
from meeting_room.store.models.meetings import Attendance, Meeting
from meeting_room.store.models.records import ActionItem, ActionRating, Decision
from meeting_room.store.models.topics import Topic
from meeting_room.store.models.voting import Participation as Voted
from meeting_room.store.models.voting import Poll

PROXY = "proxy"  # the channel word of anything done through a proxy (代理人)


@dataclass(frozen=True)
class MeetingRow:
    """A meeting held in the period, with what the report counts of it."""

    id: int
    title: str
    held_on: date
    closed_on: date | None
    publish_by: date | None  # the 7th working day after it closed
    published_on: date | None
    publication: Timeliness | None  # None while the meeting is not closed
    completeness: Completeness | None  # None while the meeting is not closed
    participation: Participation  # this meeting's own breakdown
    sign_ins: Counter[str]  # sign-in channel (or "proxy") → attendances
    votes: Counter[str]  # voting channel (or "proxy") → ballots cast


@dataclass(frozen=True)
class ActionRow:
    """An action item due in the period."""

    id: int
    title: str
    responsible: str
    meeting_id: int
    deadline: date
    completed_on: date | None
    outcome: Timeliness


@dataclass(frozen=True)
class RatedRow:
    """An action item rated in the period (or a satisfaction survey answered in it): its
    answers then, and how many were 4 or 5 stars."""

    id: int
    title: str
    meeting_id: int | None  # None for a survey
    ratings: int
    satisfied: int
    survey: bool = False


@dataclass(frozen=True)
class TopicRow:
    """A topic proposed in the period."""

    id: int
    title: str
    source: TopicSource
    status: TopicStatus
    proposed_on: date
    meeting_id: int | None  # the meeting whose agenda took it up


@dataclass(frozen=True)
class Report:
    """The figures of a period as of ``today``, with the rows behind each."""

    period: Period
    today: date
    meetings: list[MeetingRow]
    actions: list[ActionRow]
    rated: list[RatedRow]
    publication: Share
    carried_out: Share
    satisfaction: Share
    completeness: Share  # the records' points over the points a complete record has
    participation: Participation
    sign_ins: dict[str, Share]
    votes: dict[str, Share]
    topics: list[TopicRow]
    from_residents: Share
    by_source: dict[str, Share]
    by_outcome: dict[str, Share]


def _day(moment: datetime | None) -> date | None:
    return local(moment).date() if moment is not None else None


def _turnout(session: Session, meeting: Meeting, held_on: date) -> tuple[Turnout, Counter[str]]:
    """Who was eligible, who of them took part (in person, or by a proxy whose mandate was
    accepted), and the channels their sign-ins came through."""
    people = [Person(m.id, m.birth_year, m.group) for m in eligible_members(session, meeting)]
    rows = session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id))
    counted = [
        a
        for a in rows
        if a.presence is Presence.IN_PERSON or a.mandate_status is MandateStatus.ACCEPTED
    ]
    channels = Counter(PROXY if a.presence is Presence.PROXY else str(a.channel) for a in counted)
    took_part = frozenset(a.member_id for a in counted)
    return Turnout(meeting.id, held_on, people, took_part), channels


def _votes(session: Session, meeting: Meeting) -> Counter[str]:
    rows = session.scalars(
        select(Voted).join(Poll, Poll.id == Voted.poll_id).where(Poll.meeting_id == meeting.id)
    )
    return Counter(PROXY if v.by_proxy else str(v.channel) for v in rows)


def _record(session: Session, meeting: Meeting, now: datetime, today: date) -> Completeness:
    minutes = sealed_minutes(session, meeting.id) or build_minutes(session, meeting, now, today)
    return minutes_completeness(minutes)


def _meeting_rows(
    session: Session, period: Period, now: datetime, today: date
) -> tuple[list[MeetingRow], list[Turnout]]:
    is_working = working_calendar(session)
    rows, turnouts = [], []
    opened = select(Meeting).where(Meeting.opened_at.is_not(None)).order_by(Meeting.opened_at)
    for meeting in session.scalars(opened):
        held_on = _day(meeting.opened_at)
        if held_on not in period or held_on is None:
            continue
        turnout, sign_ins = _turnout(session, meeting, held_on)
        turnouts.append(turnout)
        closed_on = _day(meeting.closed_at)
        published_on = _day(meeting.minutes_published_at)
        due = publication_deadline(closed_on, is_working) if closed_on else None
        rows.append(
            MeetingRow(
                id=meeting.id,
                title=meeting.title,
                held_on=held_on,
                closed_on=closed_on,
                publish_by=due,
                published_on=published_on,
                publication=timeliness(due, published_on, today) if due else None,
                completeness=_record(session, meeting, now, today) if closed_on else None,
                participation=participation([turnout]),
                sign_ins=sign_ins,
                votes=_votes(session, meeting),
            )
        )
    return rows, turnouts


def _action_rows(session: Session, period: Period, today: date) -> list[ActionRow]:
    query = (
        select(ActionItem, Decision.meeting_id)
        .join(Decision)
        .where(ActionItem.deadline >= period.first, ActionItem.deadline <= period.last)
        .order_by(ActionItem.deadline, ActionItem.id)
    )
    rows = []
    for action, meeting_id in session.execute(query):
        done_on = action.completed_on if action.status is ActionStatus.DONE else None
        rows.append(
            ActionRow(
                id=action.id,
                title=action.title,
                responsible=action.responsible,
                meeting_id=meeting_id,
                deadline=action.deadline,
                completed_on=done_on,
                outcome=timeliness(action.deadline, done_on, today),
            )
        )
    return rows


def _ratings(session: Session, period: Period) -> tuple[list[RatedRow], list[int]]:
    query = (
        select(ActionRating, ActionItem.title, Decision.meeting_id)
        .join(ActionItem, ActionItem.id == ActionRating.action_id)
        .join(Decision, Decision.id == ActionItem.decision_id)
        .order_by(ActionItem.id)
    )
    stars: list[int] = []
    by_action: dict[int, tuple[str, int, list[int]]] = {}
    for rating, title, meeting_id in session.execute(query):
        if _day(rating.at) in period:
            stars.append(rating.stars)
            by_action.setdefault(rating.action_id, (title, meeting_id, []))[2].append(rating.stars)
    rated = [
        RatedRow(key, title, meeting_id, len(given), satisfaction(given).part)
        for key, (title, meeting_id, given) in by_action.items()
    ]
    by_survey: dict[int, tuple[str, list[int]]] = {}
    answers = select(SurveyAnswer, Survey.title).join(Survey).order_by(Survey.id)
    for answer, title in session.execute(answers):
        if _day(answer.at) in period:
            stars.append(answer.stars)
            by_survey.setdefault(answer.survey_id, (title, []))[1].append(answer.stars)
    rated += [
        RatedRow(key, title, None, len(given), satisfaction(given).part, survey=True)
        for key, (title, given) in by_survey.items()
    ]
    return rated, stars


def _topics(session: Session, period: Period) -> list[TopicRow]:
    rows = []
    for topic in session.scalars(select(Topic).order_by(Topic.created_at, Topic.id)):
        proposed_on = _day(topic.created_at)
        if proposed_on is not None and proposed_on in period:
            rows.append(
                TopicRow(
                    topic.id, topic.title, topic.source, topic.status, proposed_on, topic.meeting_id
                )
            )
    return rows


def report(session: Session, period: Period, now: datetime, today: date) -> Report:
    """The figures of ``period`` as of ``now`` (deadlines judged on the hall's ``today``)."""
    meetings, turnouts = _meeting_rows(session, period, now, today)
    actions = _action_rows(session, period, today)
    rated, stars = _ratings(session, period)
    records = [m.completeness for m in meetings if m.completeness is not None]
    topics = _topics(session, period)
    return Report(
        period=period,
        today=today,
        meetings=meetings,
        actions=actions,
        rated=rated,
        publication=on_time_share((m.publication for m in meetings if m.publication), None),
        carried_out=on_time_share((a.outcome for a in actions), CARRIED_OUT),
        satisfaction=satisfaction(stars),
        completeness=Share(sum(c.points for c in records), sum(c.total for c in records), COMPLETE),
        participation=participation(turnouts),
        sign_ins=tally(c for m in meetings for c in m.sign_ins.elements()),
        votes=tally(c for m in meetings for c in m.votes.elements()),
        topics=topics,
        from_residents=resident_share(from_residents(t.source) for t in topics),
        by_source=tally(t.source.value for t in topics),
        by_outcome=tally(t.status.value for t in topics),
    )
