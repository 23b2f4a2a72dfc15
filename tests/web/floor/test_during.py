"""Fixes found running a real meeting, through the real app and Socket.IO clients: proxies
named and gated by their mandate, the undo of an ended speech, confirmations before an item
starts without the quorum or again, refusals in the third person, the live statistics, and
the phone landing page the room's QR codes open."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import Confirmed
from meeting_room.extensions import socketio
from meeting_room.store.models.audit import AuditEntry
from meeting_room.store.models.floor import FloorConfirmation, Speech, SpeechRequest
from meeting_room.store.models.meetings import Meeting
from meeting_room.voting.ballots import admit
from tests.conftest import Clock, logged_in, unit


def member_id(client: FlaskClient, name: str) -> int:
    found = client.get("/api/v1/members", query_string={"q": name}).get_json()["members"]
    return int(found[0]["id"])


def token_of(receipt: dict[str, Any]) -> str:
    return str(receipt["phone_url"]).rsplit("/", 1)[-1]


class Console:
    """A logged-in moderator console on one meeting."""

    def __init__(self, app: Flask, meeting: Meeting) -> None:
        browser = logged_in(app, "moderator")
        self.client = socketio.test_client(app, namespace="/moderator", flask_test_client=browser)
        self.meeting_id = meeting.id
        self.send("join")

    def send(self, event: str, **payload: Any) -> dict[str, Any]:
        answer: dict[str, Any] = self.client.emit(
            event, {"meeting_id": self.meeting_id, **payload}, namespace="/moderator", callback=True
        )
        return answer

    def ok(self, event: str, **payload: Any) -> dict[str, Any]:
        answer = self.send(event, **payload)
        assert "error" not in answer, answer
        return answer


@pytest.fixture
def clerk(app: Flask) -> FlaskClient:
    return logged_in(app, "clerk")


@pytest.fixture
def console(app: Flask, meeting: Meeting) -> Console:
    return Console(app, meeting)


def open_item(console: Console, title: str = "加装电梯方案") -> int:
    added = console.ok("agenda.add", title=title, planned_minutes=20)
    item_id = int(added["floor"]["agenda"][-1]["id"])
    console.ok("agenda.start", item_id=item_id, confirm=True)
    return item_id


def proxy_for(clerk: FlaskClient, meeting: Meeting, absent: str, proxy: str) -> tuple[int, str]:
    mid = member_id(clerk, absent)
    receipt = clerk.post(
        f"/api/v1/meetings/{meeting.id}/proxies", json={"represented_id": mid, "proxy_name": proxy}
    ).get_json()
    return mid, token_of(receipt)


def attendance_id(app: Flask, meeting: Meeting, member: int) -> int:
    from meeting_room.store.models.meetings import Attendance

    with unit(app) as s:
        return int(
            s.scalars(
                select(Attendance.id).where(
                    Attendance.meeting_id == meeting.id, Attendance.member_id == member
                )
            ).one()
        )


def phone_request(app: Flask, token: str, stance: str = "for") -> dict[str, Any]:
    phone = socketio.test_client(app, namespace="/phone")
    answer: dict[str, Any] = phone.emit(
        "floor.request", {"token": token, "stance": stance}, namespace="/phone", callback=True
    )
    return answer


def two_on_the_list(console: Console, clerk: FlaskClient, meeting: Meeting) -> tuple[int, int]:
    """An item under discussion with two residents signed in and on the list, for and against."""
    open_item(console)
    first, second = member_id(clerk, "孙艳娜"), member_id(clerk, "邱秀敏")
    for mid, tail in ((first, "6851"), (second, None)):
        clerk.post(
            f"/api/v1/meetings/{meeting.id}/sign-in", json={"member_id": mid, "phone_tail": tail}
        )
        console.ok("speaker.add", member_id=mid, stance="for" if mid == first else "against")
    return first, second


# --- proxies -----------------------------------------------------------------------------------


def test_a_proxy_gets_no_floor_before_the_mandate_is_accepted_then_is_named_for_the_absent_member(
    app: Flask, meeting: Meeting, console: Console, clerk: FlaskClient
) -> None:
    open_item(console)
    absent, token = proxy_for(clerk, meeting, "邱秀德", "邱小明")

    refused = phone_request(app, token)
    assert refused["error"]["code"] == "mandate_not_checked"
    assert "委托书尚未核验" in refused["error"]["message"]
    assert "邱小明（代邱秀德）" in refused["error"]["message"]
    # Nor may the moderator add the hand, even setting the rules of order aside.
    by_hand = console.send("speaker.add", member_id=absent, stance="for", override=True)
    assert by_hand["error"]["code"] == "mandate_not_checked"

    clerk.post(
        f"/api/v1/meetings/{meeting.id}/proxies/{attendance_id(app, meeting, absent)}/decision",
        json={"accept": True, "clerk": "小刘"},
    )
    asked = phone_request(app, token)
    assert "error" not in asked, asked
    waiting = asked["floor"]["queue"][0]
    assert (waiting["name"], waiting["proxy_name"]) == ("邱秀德", "邱小明")
    given = console.ok("speaker.next")
    assert given["floor"]["speaker"]["proxy_name"] == "邱小明"

    stats = console.ok("statistics", item_id=None)
    person = stats["people"][0]
    assert (person["name"], person["proxy_name"], person["speeches"]) == ("邱秀德", "邱小明", 1)


def test_the_wall_the_console_and_the_minutes_say_proxy_for_member(
    app: Flask, meeting: Meeting, console: Console, clerk: FlaskClient, clock: Clock
) -> None:
    item = open_item(console)
    absent = member_id(clerk, "邱秀德")
    clerk.post(
        f"/api/v1/meetings/{meeting.id}/proxies",
        json={"represented_id": absent, "proxy_name": "邱小明", "checked_by": "小刘"},
    )
    console.ok("speaker.add", member_id=absent, stance="against")
    console.ok("speaker.next")
    for path in (f"/moderator?meeting={meeting.id}", f"/projector?meeting={meeting.id}"):
        html = logged_in(app, "admin").get(path).get_data(as_text=True)
        assert "邱小明（代邱秀德）" in html, path
    english = logged_in(app, "admin").get(f"/moderator?meeting={meeting.id}&lang=en")
    assert "邱小明 (for 邱秀德)" in english.get_data(as_text=True)
    clock.advance(40)
    console.ok("agenda.finish", item_id=item)
    minutes = logged_in(app, "clerk").get(f"/api/v1/meetings/{meeting.id}/minutes").get_json()
    speech = minutes["items"][0]["speeches"][0]
    assert (speech["name"], speech["proxy_name"], speech["seconds"]) == ("邱秀德", "邱小明", 40)


def test_a_proxy_s_ballot_is_refused_in_words_until_the_mandate_is_accepted() -> None:
    poll = SimpleNamespace(rule="simple_majority")
    voter = SimpleNamespace(present=True)
    pending = SimpleNamespace(counts=False, presence="proxy", signed_out_at=None)
    with pytest.raises(Refusal) as refused:
        admit(poll, voter, pending, lambda: "邱秀德")  # type: ignore[arg-type]
    assert refused.value.problem == Problem.MANDATE_NOT_CHECKED
    accepted = SimpleNamespace(counts=True, presence="proxy", signed_out_at=None)
    admit(poll, voter, accepted, lambda: "邱秀德")  # type: ignore[arg-type]


# --- refusals on someone's behalf ------------------------------------------------------------


def test_a_refusal_on_a_resident_s_behalf_names_the_resident_not_you(
    app: Flask, meeting: Meeting, console: Console, clerk: FlaskClient
) -> None:
    open_item(console)
    resident = member_id(clerk, "孙艳娜")
    clerk.post(
        f"/api/v1/meetings/{meeting.id}/sign-in", json={"member_id": resident, "phone_tail": "6851"}
    )
    for _ in range(2):
        console.ok("speaker.add", member_id=resident, stance="for")
        console.ok("speaker.next")
    refused = console.send("speaker.add", member_id=resident, stance="for")
    assert refused["error"]["message"].startswith("孙艳娜在本议题已发言 2 次")
    assert "您" not in refused["error"]["message"]
    console.ok("speaker.add", member_id=resident, stance="for", override=True)
    twice = console.send("speaker.add", member_id=resident, stance="for", override=True)
    assert twice["error"]["message"] == "孙艳娜已在本议题的发言名单上。"

    english = Console(app, meeting)
    english.client.disconnect(namespace="/moderator")
    browser = logged_in(app, "moderator")
    browser.get("/moderator?lang=en")
    english.client = socketio.test_client(app, namespace="/moderator", flask_test_client=browser)
    said = english.send("speaker.add", member_id=resident, stance="for")
    assert said["error"]["message"] == ("孙艳娜 is already on the list of speakers for this item.")


# --- undo ------------------------------------------------------------------------------------


def test_a_speech_ended_by_a_stray_key_comes_back_with_its_time_and_the_next_one_waits_again(
    app: Flask, meeting: Meeting, console: Console, clerk: FlaskClient, clock: Clock
) -> None:
    _first, second = two_on_the_list(console, clerk, meeting)
    speaking = console.ok("speaker.next")["floor"]["speaker"]
    clock.advance(45)
    cut = console.ok("speaker.next")["floor"]  # the stray N: the second speaker has the floor
    assert cut["speaker"]["member_id"] == second

    clock.advance(6)
    back = console.ok("speech.undo", speech_id=speaking["speech_id"])["floor"]
    assert back["speaker"]["speech_id"] == speaking["speech_id"]
    assert back["speaker"]["clock"]["phase"] == "running"
    assert [w["member_id"] for w in back["queue"]] == [second]
    clock.advance(10)
    with unit(app) as s:
        speeches = list(s.scalars(select(Speech)))
        assert len(speeches) == 1  # the speech the stray key started is gone
        from meeting_room.floor.timing import clock_of

        assert clock_of(speeches[0]).elapsed(clock.now).total_seconds() == 55  # 45 + 10
        request = s.scalars(select(SpeechRequest).where(SpeechRequest.member_id == second)).one()
        assert request.status == "waiting"
        done = s.scalars(
            select(FloorConfirmation).where(FloorConfirmation.what == Confirmed.SPEECH_END_UNDONE)
        ).one()
        assert (done.by, done.detail) == ("moderator", f"speech={speaking['speech_id']}")
        kinds = [e.kind for e in s.scalars(select(AuditEntry).order_by(AuditEntry.seq))]
        assert "speeches.delete" in kinds and "floor_confirmations.insert" in kinds


def test_the_undo_window_closes_after_ten_seconds_and_the_grace(
    app: Flask, meeting: Meeting, console: Console, clerk: FlaskClient, clock: Clock
) -> None:
    open_item(console)
    mid = member_id(clerk, "孙艳娜")
    clerk.post(
        f"/api/v1/meetings/{meeting.id}/sign-in", json={"member_id": mid, "phone_tail": "6851"}
    )
    console.ok("speaker.add", member_id=mid, stance="for")
    speech = console.ok("speaker.next")["floor"]["speaker"]["speech_id"]
    console.ok("timer", action="stop")
    clock.advance(15.001)
    late = console.send("speech.undo", speech_id=speech)
    assert late["error"]["code"] == "undo_expired"
    assert "10 秒" in late["error"]["message"]


def test_an_undo_is_refused_once_someone_else_has_spoken_since(
    app: Flask, meeting: Meeting, console: Console, clerk: FlaskClient, clock: Clock
) -> None:
    two_on_the_list(console, clerk, meeting)
    speech = console.ok("speaker.next")["floor"]["speaker"]["speech_id"]
    console.ok("timer", action="stop")
    clock.advance(2)
    console.ok("speaker.next")  # a later, separate start: not the key that ended the speech
    assert console.send("speech.undo", speech_id=speech)["error"]["code"] == "undo_expired"


# --- confirmations ---------------------------------------------------------------------------


def test_starting_an_item_without_the_quorum_or_again_needs_a_recorded_confirmation(
    app: Flask, meeting: Meeting, console: Console
) -> None:
    added = console.ok("agenda.add", title="加装电梯方案", planned_minutes=20)
    item = int(added["floor"]["agenda"][0]["id"])
    refused = console.send("agenda.start", item_id=item)
    assert refused["error"]["code"] == "confirm_no_quorum"
    assert "尚未达到法定人数" in refused["error"]["message"]
    assert console.ok("agenda.start", item_id=item, confirm=True)["floor"]["active_item_id"] == item
    console.ok("agenda.finish", item_id=item)
    again = console.send("agenda.start", item_id=item)
    assert again["error"]["code"] == "confirm_restart"
    assert "已经结束" in again["error"]["message"] and "法定人数" in again["error"]["message"]
    assert again.get("floor") is None
    console.ok("agenda.start", item_id=item, confirm=True)
    with unit(app) as s:
        rows = list(s.scalars(select(FloorConfirmation).order_by(FloorConfirmation.id)))
        assert [(r.what, r.by, r.item_id) for r in rows] == [
            (Confirmed.START_WITHOUT_QUORUM, "moderator", item),
            (Confirmed.RESTART_ITEM, "moderator", item),
            (Confirmed.START_WITHOUT_QUORUM, "moderator", item),
        ]
        logged = s.scalars(
            select(AuditEntry).where(AuditEntry.kind == "floor_confirmations.insert")
        ).all()
        assert len(logged) == 3


def test_an_item_starts_without_a_question_once_the_quorum_is_reached(
    app: Flask, console: Console
) -> None:
    from meeting_room.meetings.meetings import get_meeting

    with unit(app) as s:
        m = get_meeting(s, console.meeting_id)
        m.quorum_headcount = None
        m.quorum_area = None
    added = console.ok("agenda.add", title="停车位划线", planned_minutes=10)
    item = int(added["floor"]["agenda"][0]["id"])
    assert console.ok("agenda.start", item_id=item)["floor"]["active_item_id"] == item
    with unit(app) as s:
        assert s.scalars(select(FloorConfirmation)).first() is None


# --- statistics ------------------------------------------------------------------------------


def test_the_console_s_statistics_count_points_of_order_apart_and_a_speech_under_way(
    app: Flask, meeting: Meeting, console: Console, clerk: FlaskClient, clock: Clock
) -> None:
    item = open_item(console)
    mid = member_id(clerk, "孙艳娜")
    clerk.post(
        f"/api/v1/meetings/{meeting.id}/sign-in", json={"member_id": mid, "phone_tail": "6851"}
    )
    console.ok("speaker.add", member_id=mid, stance="for", kind="point_of_order")
    console.ok("speaker.next")
    clock.advance(20)
    console.ok("speaker.add", member_id=mid, stance="against")
    console.ok("speaker.next")
    clock.advance(30)
    stats = console.ok("statistics", item_id=item)
    assert (stats["points_of_order"], stats["points_of_order_seconds"]) == (1, 20)
    assert stats["total_seconds"] == 30  # the speech under way, so far
    person = stats["people"][0]
    assert (person["speeches"], person["seconds"], person["points_of_order"]) == (1, 30, 1)
    against = next(share for share in stats["by_stance"] if share["key"] == "against")
    assert against["percent"] == "100.0"


# --- the phone landing page ------------------------------------------------------------------


def test_the_room_s_qr_codes_open_the_phone_landing_page_with_the_meeting_and_the_way_on(
    app: Flask, meeting: Meeting, console: Console
) -> None:
    console.ok("agenda.add", title="加装电梯方案", planned_minutes=20)
    projector = logged_in(app, "admin").get(f"/projector?meeting={meeting.id}")
    assert "http://192.0.2.10:5000/join" in projector.get_data(as_text=True)
    page = app.test_client().get("/join")  # nobody logged in: a resident's phone
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "7栋加装电梯业主大会" in html and "加装电梯方案" in html
    assert "请到签到机签到，领取您的投票码" in html and 'href="/board"' in html
    english = app.test_client().get("/join?lang=en").get_data(as_text=True)
    assert "Please sign in at the kiosk to get your voting code" in english


def test_the_landing_page_without_a_meeting_leads_to_the_notice_board(app: Flask) -> None:
    page = app.test_client().get("/join")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "现在没有会议" in html and 'href="/board"' in html
