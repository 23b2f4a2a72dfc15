"""What a closed poll says, through the real app: a tie for the last places of a K-of-N poll is
a tie with what the hall does next (projector, minutes, board), and a share that one decimal
would misstate beside its threshold is written exactly."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from meeting_room.domain.words import MemberGroup
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member
from tests.conftest import Clock, logged_in, unit

HELPER = "王记录"


def sign_in_owners(app: Flask, api: FlaskClient, meeting: Meeting, count: int) -> list[int]:
    with unit(app) as s:
        people = list(
            s.execute(
                select(Member.id, Member.phone_tail)
                .where(Member.group == MemberGroup.OWNER)
                .order_by(Member.id)
                .limit(count)
            )
        )
    for member_id, tail in people:
        signed = api.post(
            f"/api/v1/meetings/{meeting.id}/sign-in",
            json={"member_id": member_id, "phone_tail": tail},
        )
        assert signed.status_code == 200
    return [member_id for member_id, _ in people]


def closed_poll(
    api: FlaskClient, meeting: Meeting, draft: dict[str, Any], votes: list[tuple[int, list[str]]]
) -> dict[str, Any]:
    poll = api.post(f"/api/v1/meetings/{meeting.id}/polls", json=draft).get_json()
    api.post(f"/api/v1/polls/{poll['id']}/open")
    for member_id, choices in votes:
        cast = api.post(
            f"/api/v1/polls/{poll['id']}/assisted",
            json={"member_id": member_id, "choices": choices, "helper": HELPER},
        )
        assert cast.status_code == 200, cast.get_json()
    api.post(f"/api/v1/polls/{poll['id']}/close")
    api.post(f"/api/v1/polls/{poll['id']}/publish")
    answer: dict[str, Any] = api.get(f"/api/v1/polls/{poll['id']}").get_json()
    return answer


def test_nine_nine_nine_eight_for_two_places_is_a_tie_not_three_winners(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    api = logged_in(app)
    people = sign_in_owners(app, api, meeting, 35)
    ballots = [
        (m, [o]) for m, o in zip(people, "甲" * 9 + "乙" * 9 + "丙" * 9 + "丁" * 8, strict=True)
    ]
    poll = closed_poll(
        api,
        meeting,
        {
            "question": "推选两名楼栋长",
            "kind": "choice",
            "options": ["甲", "乙", "丙", "丁"],
            "max_choices": 2,
        },
        ballots,
    )
    result = poll["result"]
    assert result["chosen"] == [] and result["summary"] == "tied"
    assert result["tie"] == {"options": ["甲", "乙", "丙"], "places": 2}
    zh, en = poll["explanation"]["zh_CN"], poll["explanation"]["en"]
    assert zh == (
        "最后2个名额出现平票：甲、乙、丙，各得9 票。"
        "系统不替会议打破平票：由会议决定，可对平票选项再行表决（决选），"
        "或按主持人在表决前宣布的规则处理。"
    )
    assert en.startswith("Tie for the last 2 places: 甲, 乙, 丙, 9 votes each. Yishi does not")
    # The minutes and the board say the same, never "most votes: 甲, 乙, 丙".
    minutes = api.get(f"/api/v1/meetings/{meeting.id}/minutes").get_json()
    (record,) = [p for p in minutes["other_polls"] if p["id"] == poll["id"]]
    assert record["leaders"] == [] and record["tied"] == ["甲", "乙", "丙"]
    page = api.get(f"/board/meetings/{meeting.id}/minutes").get_data(as_text=True)
    assert "平票：甲、乙、丙（由会议决定）" in page and "决选" in page
    assert "得票最多" not in page
    clock.advance(3600)
    board = api.get("/board").get_data(as_text=True)
    assert "平票：甲、乙、丙（由会议决定）" in board and "决选" in board


def test_a_clear_first_place_is_chosen_and_the_tie_is_for_the_place_left(
    app: Flask, meeting: Meeting
) -> None:
    api = logged_in(app)
    people = sign_in_owners(app, api, meeting, 6)
    picks = [["甲", "乙"], ["甲", "丙"], ["甲"], ["乙"], ["丙"], ["丁"]]
    poll = closed_poll(
        api,
        meeting,
        {
            "question": "推选两名代表",
            "kind": "choice",
            "options": ["甲", "乙", "丙", "丁"],
            "max_choices": 2,
        },
        list(zip(people, picks, strict=True)),
    )
    result = poll["result"]
    assert result["chosen"] == ["甲"] and result["tie"] == {"options": ["乙", "丙"], "places": 1}
    assert poll["explanation"]["zh_CN"].startswith(
        "选出：甲。最后1个名额出现平票：乙、丙，各得2 票。"
    )


def test_a_share_of_exactly_two_thirds_is_written_with_its_fraction(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    api = logged_in(app)
    a, b, c = sign_in_owners(app, api, meeting, 3)
    poll = closed_poll(
        api,
        meeting,
        {"question": "是否同意调整保洁时间？", "rule": "two_thirds_present"},
        [(a, ["for"]), (b, ["for"]), (c, ["against"])],
    )
    (clause,) = poll["result"]["clauses"]
    assert clause["exact"] is True and clause["fraction"] == "2/3"
    assert clause["percent"] == "66.67" and clause["met"] is True
    assert poll["explanation"]["zh_CN"] == "通过：同意人数占比 2/3（66.67%）≥ 2/3"
    assert poll["explanation"]["en"] == "Passed: voters in favour 2/3 (66.67%) ≥ 2/3"
    assert poll["result"]["tallies"]["for"]["percent_headcount"] == "66.67"
    clock.advance(3600)  # the meeting has been held: the board shows its published results
    board = api.get("/board").get_data(as_text=True)
    assert "同意人数占比 2/3（66.67%）≥ 2/3" in board


def test_a_share_one_decimal_shows_plainly_stays_plain(app: Flask, meeting: Meeting) -> None:
    api = logged_in(app)
    people = sign_in_owners(app, api, meeting, 5)
    poll = closed_poll(
        api,
        meeting,
        {"question": "是否同意增设快递柜？", "rule": "two_thirds_present"},
        [(m, ["for" if i < 3 else "against"]) for i, m in enumerate(people)],
    )
    (clause,) = poll["result"]["clauses"]
    assert clause["exact"] is False and clause["percent"] == "60.0"
    assert poll["explanation"]["zh_CN"] == "未通过：同意人数占比 60.0% < 2/3"
