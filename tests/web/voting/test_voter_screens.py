"""The voters' screens through the real app: the phone ballot, the voting booth, the wall's poll."""

from __future__ import annotations

import json
import re

from flask import Flask
from flask.testing import FlaskClient

from meeting_room.extensions import socketio
from meeting_room.store.models.meetings import Meeting
from tests.conftest import Clock
from tests.web.floor.test_events import sign_in
from tests.web.test_screens import page

QUESTION = "是否同意在1栋加装电梯？"


def open_poll(client: FlaskClient, meeting: Meeting, **fields: object) -> dict[str, object]:
    """Draft and open a poll through the API; its snapshot."""
    drafted = client.post(
        f"/api/v1/meetings/{meeting.id}/polls", json={"question": QUESTION, **fields}
    ).get_json()
    opened = client.post(f"/api/v1/polls/{drafted['id']}/open").get_json()
    assert opened["status"] == "open", opened
    result: dict[str, object] = opened
    return result


def page_data(html: str, node: str = "page-data") -> dict[str, object]:
    found = re.search(rf'<script type="application/json" id="{node}">(.*?)</script>', html, re.S)
    assert found, node
    data: dict[str, object] = json.loads(found.group(1))
    return data


def test_the_phone_page_shows_the_open_polls_question_with_its_ballot(
    app: Flask, client: FlaskClient, meeting: Meeting
) -> None:
    _member, token = sign_in(app, meeting, "孙艳娜", "6851")
    poll = open_poll(client, meeting)

    html, ids = page(client, f"/v/{token}")

    assert ids.text["ballot-question"].strip() == QUESTION
    assert "hidden" not in ids.attrs["ballot"]
    assert "确认投票" in html and "返回修改" in html
    assert "请记下您的回执码，可在公示栏核对" in html
    data = page_data(html)
    assert data["voted"] is False and data["poll"]["id"] == poll["id"]  # type: ignore[index]
    texts = data["ballot_texts"]
    assert texts["options"] == {"for": "赞成", "against": "反对", "abstain": "弃权"}  # type: ignore[index]
    assert texts["secret_note"] == "无记名投票，投出后不能修改。"  # type: ignore[index]


def test_the_phone_page_knows_its_attendee_has_voted(
    app: Flask, client: FlaskClient, meeting: Meeting
) -> None:
    _member, token = sign_in(app, meeting, "孙艳娜", "6851")
    poll = open_poll(client, meeting)
    phone = socketio.test_client(app, namespace="/phone")
    cast = phone.emit(
        "ballot.cast",
        {"token": token, "poll_id": poll["id"], "choices": ["for"], "client_id": "phone-0001"},
        namespace="/phone",
        callback=True,
    )
    assert len(cast["receipt"]) == 8

    html, _ids = page(client, f"/v/{token}")

    assert page_data(html)["voted"] is True


def test_the_phone_ballot_speaks_english_when_asked(
    app: Flask, client: FlaskClient, meeting: Meeting
) -> None:
    _member, token = sign_in(app, meeting, "孙艳娜", "6851")
    open_poll(client, meeting, secret=False)

    html, ids = page(client, f"/v/{token}?lang=en")

    assert ids.text["ballot-question"].strip() == QUESTION
    assert "Cast my vote" in html and "Back, change it" in html
    assert "Please note your receipt code; you can check it on the notice board." in html
    texts = page_data(html)["ballot_texts"]
    assert texts["named_note"] == "Named vote: you can change your vote until it closes."  # type: ignore[index]
    assert "确认投票" not in html


def test_the_booth_shows_the_open_polls_question_and_ways_to_find_a_voter(
    client: FlaskClient, meeting: Meeting
) -> None:
    open_poll(client, meeting)

    html, ids = page(client, f"/booth?meeting={meeting.id}")

    assert ids.text["booth-poll-question"].strip() == QUESTION
    assert "请扫描签到条上的二维码" in html and "没有签到条？查找我的名字" in html
    assert 'data-current="start"' in html
    assert 'data-building="1栋"' in html  # the address keypad's buildings
    assert page_data(html)["poll"]["status"] == "open"  # type: ignore[index]


def test_the_booth_without_an_open_poll_says_so_and_waits(
    client: FlaskClient, meeting: Meeting
) -> None:
    html, ids = page(client, f"/booth?meeting={meeting.id}")

    assert ids.text["booth-no-poll"].strip() == "目前没有进行中的表决"
    assert 'data-current="waiting"' in html
    assert ids.text["booth-poll-question"].strip() == ""

    english, ids = page(client, f"/booth?meeting={meeting.id}&lang=en")
    assert ids.text["booth-no-poll"].strip() == "No vote is open at the moment."
    assert "Please scan the QR code on your sign-in slip" in english
    assert "目前没有进行中的表决" not in english


def test_the_booth_tells_a_voter_at_once_that_they_voted_by_phone(
    app: Flask, client: FlaskClient, meeting: Meeting
) -> None:
    _member, token = sign_in(app, meeting, "孙艳娜", "6851")
    poll = open_poll(client, meeting)
    phone = socketio.test_client(app, namespace="/phone")
    phone.emit(
        "ballot.cast",
        {"token": token, "poll_id": poll["id"], "choices": ["for"], "client_id": "phone-0002"},
        namespace="/phone",
        callback=True,
    )

    who = client.post(
        "/booth/api/identify", json={"meeting_id": meeting.id, "token": f"http://box/v/{token}"}
    ).get_json()

    assert who["voted"] is True
    assert who["voted_message"] == "您已经投过票（通过手机）。每人只能投一票。"


def test_the_booth_names_a_member_who_has_not_signed_in(
    client: FlaskClient, meeting: Meeting
) -> None:
    open_poll(client, meeting)
    member = client.get("/api/v1/members", query_string={"q": "秦娜"}).get_json()["members"][0]

    refused = client.post(
        "/booth/api/identify",
        json={"meeting_id": meeting.id, "member_id": member["id"], "phone_tail": "2181"},
    )

    assert refused.get_json()["error"]["code"] == "not_signed_in"
    assert "秦娜" in refused.get_json()["error"]["message"]


def test_the_projector_shows_an_open_poll_ahead_of_the_attendance(
    app: Flask, client: FlaskClient, meeting: Meeting
) -> None:
    sign_in(app, meeting, "孙艳娜", "6851")
    poll = open_poll(client, meeting, rule="majority_present")

    html, ids = page(client, "/projector")

    assert 'data-mode="poll"' in html
    assert ids.text["poll-question"].strip() == QUESTION
    # Under a present-based rule those expected are those present when the vote opened.
    assert ids.text["poll-count"].strip() == f"0 / {poll['present']}" == "0 / 1"
    assert "未签到请先到签到机" in html and "已投 / 应投" in html
    assert ids.text["present-headcount"].strip() == "1"  # the attendance hooks stay


def test_the_projector_shows_a_closed_result_for_five_minutes_then_the_usual_layout(
    client: FlaskClient, meeting: Meeting, clock: Clock
) -> None:
    poll = open_poll(client, meeting)
    client.post(f"/api/v1/polls/{poll['id']}/close")

    html, _ids = page(client, "/projector?lang=en")
    assert 'data-mode="poll"' in html and "Full hash in the minutes" in html
    assert page_data(html)["poll"]["final_hash"]  # type: ignore[index]

    clock.advance(301)
    html, ids = page(client, "/projector")
    assert 'data-mode="attendance"' in html
    assert ids.text["poll-question"].strip() == ""
