"""Floor discussion on a real database: agenda, list of speakers, the clock across a restart."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from meeting_room.attendance import members
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.timer import TimerState
from meeting_room.domain.words import ItemKind, MemberGroup, RequestKind, SignInChannel, Stance
from meeting_room.floor import agenda, discussion, timing
from meeting_room.store.models.floor import RuleOverride
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member
from tests.conftest import Clock, unit

SPEECH = RequestKind.SPEECH


@pytest.fixture
def people(app: Flask, meeting: Meeting, clock: Clock) -> list[int]:
    """Five owners signed in, and an agenda of two items with the first one open."""
    with unit(app) as s:
        m = s.get(Meeting, meeting.id)
        ids = list(s.scalars(select(Member.id).where(Member.group == MemberGroup.OWNER).limit(5)))
        for member_id in ids:
            members.sign_in(s, m, member_id, SignInChannel.CLERK, clock.now)
        first = agenda.add_item(s, m, "加装电梯方案", ItemKind.DISCUSSION, 20)
        agenda.add_item(s, m, "停车位划线", ItemKind.DISCUSSION, 15)
        discussion.start_item(s, m, first.id, clock.now, confirmed_by="moderator")
    return ids


def test_the_queue_follows_nantang_rules_alternating_for_and_against(
    app: Flask, meeting: Meeting, clock: Clock, people: list[int]
) -> None:
    a, b, c, d, _ = people
    with unit(app) as s:
        m = s.get(Meeting, meeting.id)
        for person, stance in ((a, Stance.FOR), (b, Stance.FOR), (c, Stance.AGAINST)):
            discussion.request_floor(s, m, person, stance, SPEECH, "phone", clock.now)
            clock.advance(1)
        discussion.request_floor(
            s, m, d, Stance.NEUTRAL, RequestKind.POINT_OF_ORDER, "moderator", clock.now
        )
        order = [r.member_id for r in discussion.queue(s, m, agenda.active_item(s, m))]  # type: ignore[arg-type]
        assert order == [d, a, c, b]


def test_a_third_speech_is_refused_in_words_unless_the_moderator_overrides_it(
    app: Flask, meeting: Meeting, clock: Clock, people: list[int]
) -> None:
    a = people[0]
    with unit(app) as s:
        m = s.get(Meeting, meeting.id)
        for _ in range(2):
            discussion.request_floor(s, m, a, Stance.FOR, SPEECH, "phone", clock.now)
            discussion.give_floor(s, m, clock.now)
            clock.advance(60)
            timing.change_clock(s, m, "stop", clock.now)
        with pytest.raises(Refusal) as refused:
            discussion.request_floor(s, m, a, Stance.FOR, SPEECH, "phone", clock.now)
        assert refused.value.problem == Problem.FLOOR_REFUSED
        assert refused.value.params["count"] == 2
        discussion.request_floor(s, m, a, Stance.FOR, SPEECH, "moderator", clock.now, override=True)
        overrides = s.scalars(select(RuleOverride)).all()
        assert [o.rule for o in overrides] == ["max_speeches_reached"]


def test_a_running_speech_survives_a_restart_with_the_right_time_left(
    app: Flask, meeting: Meeting, clock: Clock, people: list[int], tmp_path: object
) -> None:
    with unit(app) as s:
        m = s.get(Meeting, meeting.id)
        discussion.request_floor(s, m, people[0], Stance.AGAINST, SPEECH, "phone", clock.now)
        discussion.give_floor(s, m, clock.now)
        clock.advance(50)
        timing.change_clock(s, m, "pause", clock.now)
        clock.advance(200)  # paused: no time passes for the speaker
        timing.change_clock(s, m, "resume", clock.now)
        clock.advance(30)
        timing.change_clock(s, m, "add", clock.now, seconds=30)
    # A new engine on the same file, as after a restart.
    app.extensions["yishi.storage"].engine.dispose()
    with unit(app) as s:
        m = s.get(Meeting, meeting.id)
        speech = timing.current_speech(s, agenda.active_item(s, m))  # type: ignore[arg-type]
        assert speech is not None
        clock_ = timing.clock_of(speech)
        assert clock_.remaining(clock.now) == timedelta(seconds=120 + 30 - 80)
        clock.advance(60)
        assert clock_.state(clock.now, timedelta(seconds=30)) == TimerState.WARNING
        clock.advance(20)
        assert clock_.state(clock.now, timedelta(seconds=30)) == TimerState.OVERRUN


def test_finishing_an_item_stops_the_speech_and_lapses_the_queue(
    app: Flask, meeting: Meeting, clock: Clock, people: list[int]
) -> None:
    with unit(app) as s:
        m = s.get(Meeting, meeting.id)
        item = agenda.active_item(s, m)
        assert item is not None
        discussion.request_floor(s, m, people[0], Stance.FOR, SPEECH, "phone", clock.now)
        discussion.request_floor(s, m, people[1], Stance.FOR, SPEECH, "phone", clock.now)
        discussion.give_floor(s, m, clock.now)
        second = agenda.items_in_order(s, m)[1]
        discussion.start_item(
            s, m, second.id, clock.now + timedelta(minutes=5), confirmed_by="moderator"
        )
        assert item.status == "done" and timing.current_speech(s, item) is None
        assert discussion.waiting_requests(s, item) == []
        assert agenda.active_item(s, m) is second


def test_only_people_signed_in_may_ask_for_the_floor(
    app: Flask, meeting: Meeting, clock: Clock, people: list[int]
) -> None:
    with unit(app) as s:
        m = s.get(Meeting, meeting.id)
        absent = s.scalars(select(Member.id).where(Member.id.not_in(people))).first()
        assert absent is not None
        with pytest.raises(Refusal) as refused:
            discussion.request_floor(s, m, absent, Stance.FOR, SPEECH, "phone", clock.now)
        assert refused.value.problem == Problem.NOT_SIGNED_IN


def test_reordering_the_agenda_needs_every_item_once(
    app: Flask, meeting: Meeting, clock: Clock, people: list[int]
) -> None:
    with unit(app) as s:
        m = s.get(Meeting, meeting.id)
        first, second = (i.id for i in agenda.items_in_order(s, m))
        agenda.reorder(s, m, [second, first])
        assert [i.id for i in agenda.items_in_order(s, m)] == [second, first]
        with pytest.raises(Refusal):
            agenda.reorder(s, m, [second])


def test_statistics_give_time_per_person_and_shares_by_group_and_stance(
    app: Flask, client: object, meeting: Meeting, clock: Clock, people: list[int]
) -> None:
    a, b = people[:2]
    with unit(app) as s:
        m = s.get(Meeting, meeting.id)
        discussion.request_floor(s, m, a, Stance.FOR, SPEECH, "phone", clock.now)
        discussion.give_floor(s, m, clock.now)
        clock.advance(90)
        discussion.request_floor(s, m, b, Stance.AGAINST, SPEECH, "phone", clock.now)
        discussion.give_floor(s, m, clock.now)  # stops a's speech at 90 s
        clock.advance(30)
        timing.change_clock(s, m, "stop", clock.now)
    stats = client.get(f"/api/v1/meetings/{meeting.id}/statistics").get_json()  # type: ignore[attr-defined]
    assert stats["total_seconds"] == 120
    assert [(p["member_id"], p["seconds"]) for p in stats["people"]] == [(a, 90), (b, 30)]
    stances = {s["key"]: s["percent"] for s in stats["by_stance"]}
    assert stances["for"] == "75.0" and stances["against"] == "25.0"
    assert stats["by_group"][0]["key"] == "业主" and stats["by_group"][0]["percent"] == "100.0"


def test_the_clerk_edits_an_agenda_item_through_the_api(
    client: object, meeting: Meeting, people: list[int]
) -> None:
    agenda = client.get(f"/api/v1/meetings/{meeting.id}/agenda").get_json()["items"]  # type: ignore[attr-defined]
    first = agenda[0]
    edited = client.patch(  # type: ignore[attr-defined]
        f"/api/v1/meetings/{meeting.id}/agenda/{first['id']}",
        json={"title": "加装电梯方案（修订）", "planned_minutes": 25},
    ).get_json()["items"][0]
    assert (edited["title"], edited["planned_minutes"]) == ("加装电梯方案（修订）", 25)
    bad = client.patch(
        f"/api/v1/meetings/{meeting.id}/agenda/{first['id']}",  # type: ignore[attr-defined]
        json={"planned_minutes": 0},
    )
    assert bad.status_code == 422 and "error" in bad.get_json()


def test_a_meeting_with_automatic_stop_ends_a_speech_at_its_deadline_and_no_earlier(
    app: Flask, meeting: Meeting, clock: Clock, people: list[int]
) -> None:
    with unit(app) as s:
        m = s.get(Meeting, meeting.id)
        m.auto_stop = True
        discussion.request_floor(s, m, people[0], Stance.FOR, SPEECH, "phone", clock.now)
        discussion.give_floor(s, m, clock.now)
    clock.advance(119.9)
    with unit(app) as s:
        assert timing.stop_overrun_speeches(s, clock.now) == []
    clock.advance(0.1)
    with unit(app) as s:
        assert timing.stop_overrun_speeches(s, clock.now) == [meeting.id]
        m = s.get(Meeting, meeting.id)
        assert timing.current_speech(s, agenda.active_item(s, m)) is None  # type: ignore[arg-type]


def test_the_meeting_chooses_its_rules_of_order_and_the_queue_follows_them(
    app: Flask, client: object, meeting: Meeting, clock: Clock, people: list[int]
) -> None:
    chosen = client.put(
        f"/api/v1/meetings/{meeting.id}/rules",  # type: ignore[attr-defined]
        json={"preset": "three_minutes_once", "warning_s": 20},
    ).get_json()
    assert (chosen["speech_limit_s"], chosen["max_speeches"], chosen["warning_s"]) == (180, 1, 20)
    a = people[0]
    with unit(app) as s:
        m = s.get(Meeting, meeting.id)
        discussion.request_floor(s, m, a, Stance.FOR, SPEECH, "phone", clock.now)
        speech = discussion.give_floor(s, m, clock.now)
        assert speech.limit_ms == 180_000
        timing.change_clock(s, m, "stop", clock.now)
        with pytest.raises(Refusal) as refused:
            discussion.request_floor(s, m, a, Stance.FOR, SPEECH, "phone", clock.now)
        assert refused.value.params["max"] == 1
    custom = client.put(
        f"/api/v1/meetings/{meeting.id}/rules",  # type: ignore[attr-defined]
        json={"preset": "custom", "speech_limit_s": 5},
    ).get_json()
    assert "error" in custom
