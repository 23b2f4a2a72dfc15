"""A meeting's life through the real app: draft → posted → open → closed → minutes published,
each step recorded with who and when; items and polls refused in words unless the meeting is
open; every screen and the notice boards hear the state over Socket.IO."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from flask_socketio import SocketIOTestClient
from sqlalchemy import select

from meeting_room.domain.words import MeetingStatus
from meeting_room.extensions import socketio
from meeting_room.records.document import when
from meeting_room.store.models.audit import AuditEntry
from meeting_room.store.models.meetings import Meeting, MeetingTransition
from tests.conftest import Clock, logged_in, paired, unit
from tests.web.kiosk.test_kiosk import find
from tests.web.kiosk.test_kiosk import sign_in as kiosk_sign_in
from tests.web.scripted import COMMITTEE, sign_in


def _new_meeting(client: FlaskClient, clock: Clock, days_ahead: int = 20) -> int:
    created = client.post(
        "/api/v1/meetings",
        json={
            "title": "业委会例会",
            "starts_at": (clock.now + timedelta(days=days_ahead)).isoformat(),
            "venue": "议事厅",
            "eligible_groups": ["业委会"],
            "quorum_headcount": "2/3",
        },
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["status"] == "draft"
    return int(body["id"])


def _posted(app: Flask, clock: Clock, present: int) -> int:
    """A new committee meeting, posted, with the first ``present`` of the committee signed in."""
    clerk = logged_in(app, "clerk")
    meeting_id = _new_meeting(clerk, clock)
    clerk.post(f"/api/v1/meetings/{meeting_id}/announce")
    for name, tail in COMMITTEE[:present]:
        sign_in(logged_in(app), meeting_id, name, tail)
    return meeting_id


def _steps(app: Flask, meeting_id: int) -> list[MeetingTransition]:
    with unit(app) as s:
        rows = s.scalars(
            select(MeetingTransition)
            .where(MeetingTransition.meeting_id == meeting_id)
            .order_by(MeetingTransition.id)
        ).all()
        s.expunge_all()
        return list(rows)


def _moderator(app: Flask, meeting_id: int) -> SocketIOTestClient:
    browser = logged_in(app, "moderator")
    client = socketio.test_client(app, namespace="/moderator", flask_test_client=browser)
    client.emit("join", {"meeting_id": meeting_id}, namespace="/moderator", callback=True)
    return client


def _states(client: SocketIOTestClient, namespace: str) -> list[dict[str, Any]]:
    return [e["args"][0] for e in client.get_received(namespace) if e["name"] == "meeting.state"]


def test_a_new_meeting_is_a_draft_off_the_board_until_the_clerk_posts_it(
    app: Flask, clock: Clock
) -> None:
    clerk = logged_in(app, "clerk")
    meeting_id = _new_meeting(clerk, clock)
    assert "业委会例会" not in app.test_client().get("/board").get_data(as_text=True)

    clock.advance(3600)
    posted = clerk.post(f"/api/v1/meetings/{meeting_id}/announce")
    assert posted.status_code == 200 and posted.get_json()["status"] == "announced"
    assert "业委会例会" in app.test_client().get("/board").get_data(as_text=True)
    with unit(app) as s:
        meeting = s.get(Meeting, meeting_id)
        assert meeting is not None and meeting.announced_at == clock.now  # not its creation
    (step,) = _steps(app, meeting_id)
    assert (step.from_status, step.to_status, step.by) == ("draft", "announced", "clerk")

    again = clerk.post(f"/api/v1/meetings/{meeting_id}/announce", query_string={"lang": "en"})
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "meeting_state"


def test_items_and_polls_are_refused_in_words_until_the_meeting_is_open(
    app: Flask, clock: Clock
) -> None:
    clerk = logged_in(app, "clerk")
    meeting_id = _new_meeting(clerk, clock)
    item = clerk.post(f"/api/v1/meetings/{meeting_id}/agenda", json={"title": "停车位划线"})
    item_id = item.get_json()["items"][-1]["id"]
    moderator = _moderator(app, meeting_id)

    refused = moderator.emit(
        "agenda.start", {"meeting_id": meeting_id, "item_id": item_id},
        namespace="/moderator", callback=True,
    )  # fmt: skip
    assert refused["error"] == {
        "code": "meeting_not_open",
        "message": "会议尚未开始，不能开始议题。",
    }
    poll = (
        logged_in(app)
        .post(f"/api/v1/meetings/{meeting_id}/polls", json={"question": "是否同意划线？"})
        .get_json()
    )
    english = logged_in(app).post(f"/api/v1/polls/{poll['id']}/open", query_string={"lang": "en"})
    assert english.status_code == 409
    assert english.get_json()["error"] == {
        "code": "meeting_not_open",
        "message": "The meeting is not open yet: a poll cannot open.",
    }


def test_opening_without_quorum_needs_a_confirmation_and_it_is_recorded(
    app: Flask, clock: Clock
) -> None:
    meeting_id = _new_meeting(logged_in(app, "clerk"), clock)
    logged_in(app, "clerk").post(f"/api/v1/meetings/{meeting_id}/announce")
    moderator = logged_in(app, "moderator")

    warned = moderator.post(f"/api/v1/meetings/{meeting_id}/open", json={})
    assert warned.status_code == 409
    assert warned.get_json()["error"]["code"] == "open_without_quorum"
    assert "确认" in warned.get_json()["error"]["message"]
    with unit(app) as s:
        assert s.get(Meeting, meeting_id).status == MeetingStatus.ANNOUNCED  # type: ignore[union-attr]

    opened = moderator.post(
        f"/api/v1/meetings/{meeting_id}/open", json={"confirm_without_quorum": True}
    )
    assert opened.status_code == 200
    assert (opened.get_json()["status"], opened.get_json()["opening_quorum_met"]) == ("open", False)
    step = _steps(app, meeting_id)[-1]
    assert (step.to_status, step.by, step.quorum_met) == ("open", "moderator", False)
    assert "without quorum" in step.reason and "confirmed" in step.reason
    with unit(app) as s:  # the step is in the audit chain (who, when, why)
        logged = s.scalars(
            select(AuditEntry).where(AuditEntry.subject == f"meeting_transitions:{step.id}")
        ).one()
        assert "confirmed by the moderator" in logged.detail


def test_a_meeting_with_its_quorum_opens_at_once_and_keeps_the_quorum_it_had(
    app: Flask, clock: Clock
) -> None:
    meeting_id = _posted(app, clock, 8)  # 8 of 12: two thirds reached
    opened = logged_in(app, "moderator").post(f"/api/v1/meetings/{meeting_id}/open", json={})
    assert opened.status_code == 200 and opened.get_json()["opening_quorum_met"] is True
    with unit(app) as s:
        meeting = s.get(Meeting, meeting_id)
        assert meeting is not None and meeting.opened_at == clock.now
        assert meeting.opening_quorum is not None
        assert meeting.opening_quorum["clauses"][0]["present"] == "8"
    assert _steps(app, meeting_id)[-1].reason == ""


def test_closing_with_a_running_poll_and_speech_asks_first_then_ends_them_with_the_reason(
    app: Flask, clock: Clock
) -> None:
    clerk = logged_in(app, "clerk")
    meeting_id = _new_meeting(clerk, clock)
    clerk.post(f"/api/v1/meetings/{meeting_id}/announce")
    ids = {name: sign_in(logged_in(app), meeting_id, name, tail)[0] for name, tail in COMMITTEE}
    moderator = logged_in(app, "moderator")
    moderator.post(f"/api/v1/meetings/{meeting_id}/open", json={})
    item_id = clerk.post(
        f"/api/v1/meetings/{meeting_id}/agenda", json={"title": "停车位划线"}
    ).get_json()["items"][-1]["id"]
    console = _moderator(app, meeting_id)
    for event, payload in (
        ("agenda.start", {"item_id": item_id, "confirm": True}),  # no quorum: confirmed
        ("speaker.add", {"member_id": ids["莫明"], "stance": "for"}),
        ("speaker.next", {}),
    ):
        answer = console.emit(
            event, {"meeting_id": meeting_id, **payload}, namespace="/moderator", callback=True
        )
        assert "error" not in answer, answer
    poll = (
        logged_in(app)
        .post(f"/api/v1/meetings/{meeting_id}/polls", json={"question": "是否同意划线？"})
        .get_json()
    )
    assert logged_in(app).post(f"/api/v1/polls/{poll['id']}/open").status_code == 200

    running = moderator.get(f"/api/v1/meetings/{meeting_id}/running").get_json()
    assert running == {
        "polls": [{"id": poll["id"], "question": "是否同意划线？"}],
        "item_title": "停车位划线",
        "speaker": "莫明",
    }
    asked = moderator.post(f"/api/v1/meetings/{meeting_id}/close", json={})
    assert asked.get_json()["error"]["code"] == "close_with_running"

    clock.advance(90)
    closed = moderator.post(f"/api/v1/meetings/{meeting_id}/close", json={"confirm_ending": True})
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    assert logged_in(app).get(f"/api/v1/polls/{poll['id']}").get_json()["status"] == "closed"
    assert moderator.get(f"/api/v1/meetings/{meeting_id}/running").get_json()["polls"] == []
    step = _steps(app, meeting_id)[-1]
    assert step.to_status == "closed"
    assert f"poll {poll['id']} «是否同意划线？» closed" in step.reason
    assert "the speech of 莫明 stopped" in step.reason
    with unit(app) as s:
        assert s.get(Meeting, meeting_id).closed_at == clock.now  # type: ignore[union-attr]

    # Sign-in stops: the clerk's and the kiosk's way alike, in words.
    late = logged_in(app).post(
        f"/api/v1/meetings/{meeting_id}/sign-in",
        json={"member_id": ids["莫明"], "phone_tail": "6918"},
        query_string={"lang": "en"},
    )
    assert late.status_code == 409
    assert late.get_json()["error"]["message"] == "The meeting 业委会例会 has ended."
    ended = console.emit(
        "agenda.start", {"meeting_id": meeting_id, "item_id": item_id},
        namespace="/moderator", callback=True,
    )  # fmt: skip
    assert ended["error"]["message"] == "会议已结束，不能开始议题。"


def test_publishing_the_minutes_needs_a_closed_meeting_and_moves_it_on(
    app: Flask, clock: Clock
) -> None:
    clerk = logged_in(app, "clerk")
    meeting_id = _new_meeting(clerk, clock)
    clerk.post(f"/api/v1/meetings/{meeting_id}/announce")
    early = clerk.post(f"/api/v1/meetings/{meeting_id}/minutes/publish", json={"by": "张记录"})
    assert early.status_code == 409 and early.get_json()["error"]["code"] == "meeting_state"

    moderator = logged_in(app, "moderator")
    moderator.post(f"/api/v1/meetings/{meeting_id}/open", json={"confirm_without_quorum": True})
    clock.advance(3600)
    moderator.post(f"/api/v1/meetings/{meeting_id}/close", json={})
    published = clerk.post(f"/api/v1/meetings/{meeting_id}/minutes/publish", json={"by": "张记录"})
    assert published.status_code == 200
    header = published.get_json()["header"]
    assert datetime.fromisoformat(header["opened_at"]) == clock.now - timedelta(hours=1)
    assert datetime.fromisoformat(header["closed_at"]) == clock.now
    assert [s.to_status for s in _steps(app, meeting_id)] == [
        "announced", "open", "closed", "published",
    ]  # fmt: skip
    assert _steps(app, meeting_id)[-1].by == "张记录"
    # The minutes' time is when it was held (opened – closed), not the announced start days
    # later (which is kept on its own row).
    with app.test_request_context():
        held = f"{when(clock.now - timedelta(hours=1))} – {when(clock.now)}"
        scheduled = when(datetime.fromisoformat(header["starts_at"]))
    page = clerk.get(f"/board/meetings/{meeting_id}/minutes").get_data(as_text=True)
    assert held in page and scheduled in page and scheduled not in held


def test_every_screen_and_the_boards_hear_the_state_as_it_changes(app: Flask, clock: Clock) -> None:
    clerk = logged_in(app, "clerk")
    meeting_id = _new_meeting(clerk, clock)
    board = socketio.test_client(app, namespace="/board")
    joined = board.emit("join", {"meeting_ids": [meeting_id]}, namespace="/board", callback=True)
    assert joined == {"meetings": []}  # a draft is nobody's business yet
    clerk.post(f"/api/v1/meetings/{meeting_id}/announce")
    _name, token = sign_in(logged_in(app), meeting_id, *COMMITTEE[0])
    phone = socketio.test_client(app, namespace="/phone")
    answer = phone.emit("join", {"token": token}, namespace="/phone", callback=True)
    assert answer["state"]["status"] == "announced"
    phone.get_received("/phone")

    logged_in(app, "moderator").post(
        f"/api/v1/meetings/{meeting_id}/open", json={"confirm_without_quorum": True}
    )
    assert [s["status"] for s in _states(phone, "/phone")] == ["open"]
    assert [s["status"] for s in _states(board, "/board")] == ["announced", "open"]


def test_the_kiosk_refuses_sign_in_in_words_once_the_meeting_is_closed(
    app: Flask, meeting: Meeting
) -> None:
    kiosk = paired(app, "kiosk")
    member = find(kiosk, meeting, q="孙艳娜")[0]["id"]
    assert kiosk_sign_in(kiosk, meeting, member, "6851").status_code == 200  # open: signs in
    logged_in(app, "moderator").post(f"/api/v1/meetings/{meeting.id}/close", json={})
    other = find(kiosk, meeting, q="QN")[0]["id"]
    refused = kiosk_sign_in(kiosk, meeting, other, "2181")
    assert refused.status_code == 409
    assert refused.get_json()["error"] == {
        "code": "meeting_closed",
        "message": f"会议“{meeting.title}”已结束。",
    }


def _projector(app: Flask, meeting_id: int) -> SocketIOTestClient:
    wall = socketio.test_client(app, namespace="/projector", flask_test_client=logged_in(app))
    wall.emit("join", {"meeting_id": meeting_id}, namespace="/projector", callback=True)
    wall.get_received("/projector")
    return wall


def _says(wall: SocketIOTestClient) -> list[dict[str, Any]]:
    return [e["args"][0] for e in wall.get_received("/projector") if e["name"] == "say"]


def test_the_projector_says_the_opening_with_who_is_here_and_the_close(
    app: Flask, clock: Clock
) -> None:
    meeting_id = _posted(app, clock, 8)  # 8 of 12: two thirds reached
    wall = _projector(app, meeting_id)
    moderator = logged_in(app, "moderator")
    assert moderator.post(f"/api/v1/meetings/{meeting_id}/open", json={}).status_code == 200
    (opening,) = _says(wall)
    assert opening["key"] == "meeting_opened"
    assert opening["text"] == {
        "zh_CN": "会议现在开始：业委会例会。到会8人。已达到法定人数。",
        "en": "The meeting is open: 业委会例会. 8 present. The quorum is met.",
    }
    assert set(opening["audio"]) == {"zh_CN", "en"}

    assert moderator.post(f"/api/v1/meetings/{meeting_id}/close", json={}).status_code == 200
    (closing,) = _says(wall)
    assert closing["key"] == "meeting_closed"
    assert closing["text"]["zh_CN"] == "会议结束，谢谢大家。"


def test_an_opening_without_quorum_is_said_so_and_can_be_switched_off(
    app: Flask, clock: Clock
) -> None:
    meeting_id = _posted(app, clock, 1)
    wall = _projector(app, meeting_id)
    console = _moderator(app, meeting_id)
    switched = console.emit(
        "voice.settings",
        {"meeting_id": meeting_id, "announcements": {"meeting_closed": False}},
        namespace="/moderator",
        callback=True,
    )
    assert switched["voice"]["announcements"]["meeting_closed"] is False, switched
    moderator = logged_in(app, "moderator")
    moderator.post(f"/api/v1/meetings/{meeting_id}/open", json={"confirm_without_quorum": True})
    (opening,) = _says(wall)
    assert opening["text"]["zh_CN"].endswith("未达到法定人数，经主持人确认开会。")
    assert opening["text"]["en"].endswith(
        "The quorum is not met; the moderator confirmed the opening."
    )
    moderator.post(f"/api/v1/meetings/{meeting_id}/close", json={})
    assert _says(wall) == []
