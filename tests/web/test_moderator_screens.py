"""The floor on the room's screens through the real app: moderator console, projector, phone."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from meeting_room.attendance import members
from meeting_room.domain.words import ItemKind, MemberGroup, RequestKind, SignInChannel, Stance
from meeting_room.floor import agenda, discussion, timing
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member
from tests.conftest import Clock, logged_in, unit
from tests.web.test_screens import page, phone_path, sign_in


def mode(html: str) -> str:
    found = re.search(r'class="wall" data-mode="(\w+)"', html)
    assert found, "no wall"
    return found.group(1)


@pytest.fixture
def owners(app: Flask, meeting: Meeting, clock: Clock) -> list[tuple[int, str]]:
    """Three owners signed in, and an agenda of two items (none started)."""
    with unit(app) as s:
        m = s.get(Meeting, meeting.id)
        rows = s.execute(
            select(Member.id, Member.name).where(Member.group == MemberGroup.OWNER).limit(3)
        ).all()
        for member_id, _name in rows:
            members.sign_in(s, m, member_id, SignInChannel.CLERK, clock.now)
        agenda.add_item(s, m, "加装电梯方案", ItemKind.DISCUSSION, 20)
        agenda.add_item(s, m, "停车位划线", ItemKind.VOTE, 15)
    return [(int(i), str(n)) for i, n in rows]


def start_first_item_with_a_speaker(
    app: Flask, meeting: Meeting, clock: Clock, people: list[int]
) -> None:
    """Open the first item; the first person asks (for) and gets the floor, the others wait."""
    with unit(app) as s:
        m = s.get(Meeting, meeting.id)
        first = agenda.items_in_order(s, m)[0]
        discussion.start_item(s, m, first.id, clock.now, confirmed_by="moderator")
        stances = (Stance.FOR, Stance.AGAINST, Stance.NEUTRAL)
        for person, stance in zip(people, stances, strict=True):
            discussion.request_floor(s, m, person, stance, RequestKind.SPEECH, "phone", clock.now)
            clock.advance(1)
        discussion.give_floor(s, m, clock.now)


def test_the_console_for_a_clerk_says_in_words_that_it_is_for_the_moderator(
    app: Flask, meeting: Meeting
) -> None:
    html, _ids = page(logged_in(app, "clerk"), "/moderator", status=403)
    assert "您的账号或设备不能做这件事。需要：主持人、管理员。" in html
    assert "Traceback" not in html and meeting.title not in html


def test_the_console_with_the_key_shows_the_meeting_and_its_agenda_and_remembers_the_key(
    app: Flask, client: FlaskClient, meeting: Meeting, owners: list[tuple[int, str]]
) -> None:
    html, ids = page(client, "/moderator")
    assert meeting.title in html and "主持人" in html
    agenda = ids.text["agenda"]
    assert agenda.index("加装电梯方案") < agenda.index("停车位划线")
    assert "计划 20 分钟" in agenda and "未开始" in agenda
    assert "当前没有正在讨论的议题" in ids.text["console-item"]
    assert ids.attrs["countdown"]["data-state"] == "idle"
    assert "请下一位" in ids.text["next-speaker"] and "结束发言" in ids.text["end-speech"]
    _html, ids = page(client, "/moderator")  # the session remembers the key
    assert "加装电梯方案" in ids.text["agenda"]


def test_the_console_speaks_english_when_asked_even_after_a_chinese_page(
    app: Flask, client: FlaskClient, meeting: Meeting, clock: Clock, owners: list[tuple[int, str]]
) -> None:
    start_first_item_with_a_speaker(app, meeting, clock, [i for i, _ in owners])
    page(client, "/moderator")
    html, ids = page(client, "/moderator?lang=en")
    assert "For" in ids.text["current-speaker"] and "Question / neutral" in ids.text["queue"]
    assert "赞成" not in html and "提问·中立" not in html and "正在讨论" not in html


def test_the_console_shows_the_item_the_speaker_and_the_queue_in_rule_order(
    app: Flask, client: FlaskClient, meeting: Meeting, clock: Clock, owners: list[tuple[int, str]]
) -> None:
    start_first_item_with_a_speaker(app, meeting, clock, [i for i, _ in owners])
    html, ids = page(client, "/moderator")
    assert ids.text["console-item"].strip() == "正在讨论：加装电梯方案"
    assert owners[0][1] in ids.text["current-speaker"] and "赞成" in ids.text["current-speaker"]
    queue = ids.text["queue"]
    assert queue.index(owners[1][1]) < queue.index(owners[2][1])
    assert "反对" in queue and "提问·中立" in queue
    assert ids.attrs["countdown"]["data-state"] == "running"
    assert '"speech_limit_s": 120' in html  # the page data the console counts down from


def test_the_projector_keeps_the_attendance_layout_until_an_item_is_under_discussion(
    client: FlaskClient, meeting: Meeting, owners: list[tuple[int, str]]
) -> None:
    html, ids = page(client, "/projector")
    assert mode(html) == "attendance"
    assert ids.text["present-headcount"].strip() == "3"
    assert "quorum-verdict" in ids.attrs and "area-percent" in ids.attrs


def test_the_projector_shows_the_floor_with_the_speaker_the_countdown_and_the_next_speakers(
    app: Flask, client: FlaskClient, meeting: Meeting, clock: Clock, owners: list[tuple[int, str]]
) -> None:
    start_first_item_with_a_speaker(app, meeting, clock, [i for i, _ in owners])
    html, ids = page(client, "/projector")
    assert mode(html) == "floor"
    assert "加装电梯方案" in ids.text["current-item"]
    speaker = ids.text["current-speaker"]
    assert owners[0][1] in speaker and "赞成" in speaker and "业主" in speaker
    assert ids.attrs["countdown"]["data-state"] == "running"
    assert ids.attrs["countdown"]["role"] == "timer"
    following = ids.text["next-speakers"]
    assert following.index(owners[1][1]) < following.index(owners[2][1])
    assert owners[0][1] not in following
    # The attendance hooks stay, compact, in the floor layout.
    assert ids.text["present-headcount"].strip() == "3"
    assert "quorum-verdict" in ids.attrs and "area-percent" in ids.attrs
    assert "点击此处开启声音" in ids.text["chime-unlock"]


def test_a_paused_speech_shows_its_time_left_on_the_projector_s_first_paint(
    app: Flask, client: FlaskClient, meeting: Meeting, clock: Clock, owners: list[tuple[int, str]]
) -> None:
    start_first_item_with_a_speaker(app, meeting, clock, [i for i, _ in owners])
    clock.advance(15.2)
    with unit(app) as s:
        timing.change_clock(s, s.get(Meeting, meeting.id), "pause", clock.now)
    _html, ids = page(client, "/projector")
    assert ids.attrs["countdown"]["data-state"] == "paused"
    assert ids.text["countdown"].strip() == "1:45"


def test_the_projector_turns_to_the_item_s_statistics_once_it_is_finished(
    app: Flask, client: FlaskClient, meeting: Meeting, clock: Clock, owners: list[tuple[int, str]]
) -> None:
    start_first_item_with_a_speaker(app, meeting, clock, [i for i, _ in owners])
    clock.advance(50)
    with unit(app) as s:
        m = s.get(Meeting, meeting.id)
        first = agenda.items_in_order(s, m)[0]
        discussion.finish_item(s, m, first.id, clock.now)
        first_id = first.id
    html, ids = page(client, "/projector")
    assert mode(html) == "stats"
    assert ids.attrs["item-stats"]["data-item-id"] == str(first_id)
    assert "已结束：加装电梯方案" in ids.text["current-item"]
    stats = client.get(f"/api/v1/meetings/{meeting.id}/statistics?item_id={first_id}").get_json()
    assert stats["people"][0]["name"] == owners[0][1] and stats["total_seconds"] == 50


def test_the_phone_offers_to_request_the_floor_only_while_an_item_is_under_discussion(
    app: Flask, client: FlaskClient, meeting: Meeting, clock: Clock, owners: list[tuple[int, str]]
) -> None:
    path = phone_path(sign_in(client, meeting, "孙艳娜"))
    html, ids = page(client, path)
    assert re.search(r'data-testid="phone-floor"[^>]*\bhidden\b', html)
    start_first_item_with_a_speaker(app, meeting, clock, [i for i, _ in owners])
    html, ids = page(client, path)
    assert not re.search(r'data-testid="phone-floor"[^>]*\bhidden\b', html)
    assert "加装电梯方案" in ids.text["phone-floor"]
    assert "申请发言" in ids.text["request-floor"]
    assert owners[0][1] in ids.text["phone-speaker"]
    for stance in ("赞成", "反对", "提问·中立"):
        assert stance in ids.text["phone-floor"]
