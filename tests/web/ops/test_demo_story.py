"""The demo ``make run`` serves (``yishi run --demo-story``): a meeting posted in time, with its
rules of order, an agenda and draft polls, so a newcomer can walk through the whole life."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from meeting_room.domain.counting import Rule
from meeting_room.domain.words import Eligibility, MeetingStatus, PollStatus
from meeting_room.meetings.notice import meeting_notice
from meeting_room.ops.demo_commands import STORY_POSTED, load_demo
from meeting_room.store.models.floor import AgendaItem
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.voting import Poll
from meeting_room.store.storage import transaction
from tests.conftest import Clock


def test_the_story_demo_is_posted_in_time_with_rules_agenda_and_draft_polls(
    app: Flask, clock: Clock
) -> None:
    with app.app_context():
        said = load_demo(story=True)
        with transaction() as session:
            meeting = session.scalars(select(Meeting)).one()
            assert meeting.status == MeetingStatus.ANNOUNCED
            assert meeting.announced_at is not None
            assert clock() - meeting.announced_at.replace(tzinfo=clock().tzinfo) == STORY_POSTED
            notice = meeting_notice(meeting, session)
            assert notice.assembly and not notice.short, notice
            # 南塘议事规则: two minutes, twice per person, first-timers first, alternating.
            assert (meeting.speech_limit_s, meeting.max_speeches) == (120, 2)
            assert meeting.first_timers_first and meeting.alternate
            items = session.scalars(
                select(AgendaItem)
                .where(AgendaItem.meeting_id == meeting.id)
                .order_by(AgendaItem.position)
            ).all()
            assert [i.position for i in items] == [1, 2, 3]
            polls = session.scalars(select(Poll).where(Poll.meeting_id == meeting.id)).all()
            assert {p.status for p in polls} == {PollStatus.DRAFT}
            lift = next(p for p in polls if p.rule == Rule.ART278_MAJOR)
            assert lift.eligibility == Eligibility.OWNERS and lift.item_id == items[2].id
        assert "3 items and 2 draft polls" in said
        # A second start keeps what is there.
        assert load_demo(story=True) == "demo already loaded"


def test_the_plain_demo_is_posted_now_and_empty(app: Flask, clock: Clock) -> None:
    with app.app_context():
        load_demo()
        with transaction() as session:
            meeting = session.scalars(select(Meeting)).one()
            assert meeting.announced_at is not None
            posted = clock() - meeting.announced_at.replace(tzinfo=clock().tzinfo)
            assert posted < timedelta(seconds=1)
            assert not session.scalars(select(AgendaItem)).all()
