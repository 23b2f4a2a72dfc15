"""The hall's satisfaction surveys (满意度测评): drafted by staff for a period (a quarter by
default), opened for a set number of days, closed early by staff or by their end; residents
answer 1–5 and a comment once each, at the kiosk, the booth or their phone.

Functions of the caller's ``Session``; ``now`` comes in; none reads the clock.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.domain.follow_up import (
    SurveyState,
    periodic_survey_due,
    quarter_of,
    satisfaction,
    survey_state,
)
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import RatingChannel
from meeting_room.followup.schemas import SurveyIn, SurveyView
from meeting_room.store.models.follow import Survey, SurveyAnswer

SYSTEM = "system"  # who made the quarter's survey when the box made it by itself


def get_survey(session: Session, survey_id: int) -> Survey:
    """The survey with this id, or a refusal."""
    survey = session.get(Survey, survey_id)
    if survey is None:
        raise Refusal(Problem.SURVEY_NOT_FOUND, survey_id=survey_id)
    return survey


def state_of(survey: Survey, now: datetime) -> SurveyState:
    """Draft, open or closed at ``now``."""
    return survey_state(survey.opens_at, survey.closes_at, survey.closed_at, now)


def create(session: Session, wanted: SurveyIn, now: datetime) -> Survey:
    """Draft a survey (not open yet)."""
    survey = Survey(
        title=wanted.title,
        question=wanted.question,
        period_start=wanted.period_start,
        period_end=wanted.period_end,
        open_days=wanted.open_days,
        created_by=wanted.by,
        created_at=now,
    )
    session.add(survey)
    session.flush()
    return survey


def covered_quarters(session: Session) -> list[date]:
    """The first days of the quarters in which the hall's surveys' periods begin (a survey
    staff drafted for a quarter, from whatever day, stands for that quarter's)."""
    return [quarter_of(start)[0] for start in session.scalars(select(Survey.period_start))]


def make_periodic(
    session: Session, day: date, moment: datetime, open_days: int, words: tuple[str, str]
) -> Survey | None:
    """The quarter's survey made by the system and opened at once for ``open_days``, when one
    is due (``domain.follow_up.periodic_survey_due``: once per quarter); None otherwise.
    ``words``: its title and question."""
    start = periodic_survey_due(day, open_days, covered_quarters(session))
    if start is None:
        return None
    title, question = words
    _start, end = quarter_of(start)
    wanted = SurveyIn(
        title=title,
        question=question,
        period_start=start,
        period_end=end,
        open_days=open_days,
        by=SYSTEM,
    )
    return open_survey(session, create(session, wanted, moment), moment)


def open_survey(session: Session, survey: Survey, now: datetime) -> Survey:
    """Open a draft for its days (``survey_not_open`` unless it is a draft)."""
    if state_of(survey, now) is not SurveyState.DRAFT:
        raise Refusal(Problem.SURVEY_NOT_OPEN)
    survey.opens_at = now
    survey.closes_at = now + timedelta(days=survey.open_days)
    session.flush()
    return survey


def close_survey(session: Session, survey: Survey, now: datetime) -> Survey:
    """Close an open survey early (``survey_not_open`` unless it is open)."""
    if state_of(survey, now) is not SurveyState.OPEN:
        raise Refusal(Problem.SURVEY_NOT_OPEN)
    survey.closed_at = now
    session.flush()
    return survey


def answer(
    session: Session,
    survey: Survey,
    member_id: int,
    stars: int,
    comment: str,
    channel: RatingChannel,
    now: datetime,
) -> SurveyAnswer:
    """A resident's answer, once each (``already_answered``), while the survey is open."""
    if state_of(survey, now) is not SurveyState.OPEN:
        raise Refusal(Problem.SURVEY_NOT_OPEN)
    if not 1 <= stars <= 5:
        raise Refusal(Problem.INVALID_INPUT, detail="stars")
    earlier = session.scalar(
        select(SurveyAnswer.id).where(
            SurveyAnswer.survey_id == survey.id, SurveyAnswer.member_id == member_id
        )
    )
    if earlier is not None:
        raise Refusal(Problem.ALREADY_ANSWERED)
    row = SurveyAnswer(
        survey_id=survey.id,
        member_id=member_id,
        stars=stars,
        comment=comment.strip(),
        channel=channel,
        at=now,
    )
    session.add(row)
    session.flush()
    return row


def answered(session: Session, survey_id: int, member_id: int) -> int | None:
    """The stars a member gave a survey (None: not answered yet)."""
    return session.scalar(
        select(SurveyAnswer.stars).where(
            SurveyAnswer.survey_id == survey_id, SurveyAnswer.member_id == member_id
        )
    )


def open_now(session: Session, now: datetime) -> Survey | None:
    """The survey open for answers now (the newest, if staff opened more than one)."""
    for survey in session.scalars(
        select(Survey).where(Survey.opens_at.is_not(None)).order_by(Survey.id.desc())
    ):
        if state_of(survey, now) is SurveyState.OPEN:
            return survey
    return None


def survey_view(session: Session, survey: Survey, now: datetime) -> SurveyView:
    """A survey with its state and results (comments without names, newest first)."""
    rows = list(
        session.scalars(
            select(SurveyAnswer)
            .where(SurveyAnswer.survey_id == survey.id)
            .order_by(SurveyAnswer.at.desc(), SurveyAnswer.id.desc())
        )
    )
    figures = satisfaction(r.stars for r in rows)
    share = figures.share
    return SurveyView(
        id=survey.id,
        title=survey.title,
        question=survey.question,
        period_start=survey.period_start,
        period_end=survey.period_end,
        open_days=survey.open_days,
        state=state_of(survey, now).value,
        opens_at=survey.opens_at,
        closes_at=survey.closes_at,
        closed_at=survey.closed_at,
        count=figures.count,
        by_stars=list(figures.by_stars),
        average=str(figures.average) if figures.average is not None else None,
        satisfied=figures.satisfied,
        share_percent=f"{share * 100:.1f}" if share is not None else None,
        meets_target=figures.meets_target,
        comments=[r.comment for r in rows if r.comment],
        by_channel=dict(Counter(r.channel.value for r in rows)),
    )


def all_surveys(session: Session, now: datetime) -> list[SurveyView]:
    """Every survey, newest first."""
    return [
        survey_view(session, s, now)
        for s in session.scalars(select(Survey).order_by(Survey.id.desc()))
    ]
