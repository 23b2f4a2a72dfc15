"""The floor's fan-out and the phones' joins (issue 8): one payload for every phone, a phone
payload that stays small with a long agenda, cached snapshots that are never stale."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from flask_socketio import SocketIOTestClient

from meeting_room.extensions import socketio
from meeting_room.floor.snapshot import CACHE_KEY
from meeting_room.store.models.meetings import Meeting
from tests.conftest import Clock, logged_in, paired
from tests.web.floor.test_events import floors, sign_in

PEOPLE = (("孙艳娜", "6851"), ("秦娜", "2181"))


@pytest.fixture
def moderator(app: Flask, meeting: Meeting) -> SocketIOTestClient:
    """A moderator console following the meeting."""
    client = socketio.test_client(
        app, namespace="/moderator", flask_test_client=logged_in(app, "moderator")
    )
    client.emit("join", {"meeting_id": meeting.id}, namespace="/moderator", callback=True)
    return client


def phone(app: Flask, token: str) -> tuple[SocketIOTestClient, dict[str, Any]]:
    client = socketio.test_client(app, namespace="/phone")
    joined = client.emit("join", {"token": token}, namespace="/phone", callback=True)
    return client, joined


def projector(app: Flask, meeting: Meeting) -> SocketIOTestClient:
    client = socketio.test_client(
        app, namespace="/projector", flask_test_client=paired(app, "projector")
    )
    client.emit("join", {"meeting_id": meeting.id}, namespace="/projector", callback=True)
    return client


def call(moderator: SocketIOTestClient, event: str, **data: Any) -> dict[str, Any]:
    answer: dict[str, Any] = moderator.emit(event, data, namespace="/moderator", callback=True)
    assert answer.get("ok"), answer
    return answer


def agenda(moderator: SocketIOTestClient, meeting: Meeting, items: int, words: int) -> int:
    """``items`` agenda items with long descriptions; the last one is started."""
    item_id = 0
    for n in range(items):
        added = call(
            moderator,
            "agenda.add",
            meeting_id=meeting.id,
            title=f"议题 {n + 1}",
            description="加装电梯的费用分摊方案" * words,
        )
        item_id = max(item["id"] for item in added["floor"]["agenda"])
    call(moderator, "agenda.start", meeting_id=meeting.id, item_id=item_id, confirm=True)
    return item_id


def test_every_phone_gets_the_same_floor_the_projector_gets_but_the_agenda(
    app: Flask, meeting: Meeting, moderator: SocketIOTestClient
) -> None:
    (first_id, first), (second_id, second) = (sign_in(app, meeting, q, t) for q, t in PEOPLE)
    wall = projector(app, meeting)
    phones = [phone(app, first)[0], phone(app, second)[0]]
    item_id = agenda(moderator, meeting, items=3, words=2)
    call(moderator, "speaker.add", meeting_id=meeting.id, member_id=second_id)
    given = call(moderator, "speaker.next", meeting_id=meeting.id)

    shown = floors(wall, "/projector")[-1]
    seen = [floors(p, "/phone")[-1] for p in phones]
    assert seen[0] == seen[1]  # one payload for every phone
    assert shown == given["floor"]  # the console's answer is what the wall got
    assert [item["id"] for item in shown["agenda"]] != [item_id]
    assert seen[0]["agenda"] == [i for i in shown["agenda"] if i["id"] == item_id]
    assert {k: v for k, v in seen[0].items() if k != "agenda"} == {
        k: v for k, v in shown.items() if k != "agenda"
    }
    assert seen[0]["speaker"]["member_id"] == second_id != first_id


def test_a_phone_payload_stays_small_with_a_long_agenda(
    app: Flask, meeting: Meeting, moderator: SocketIOTestClient
) -> None:
    member_id, token = sign_in(app, meeting, *PEOPLE[0])
    wall = projector(app, meeting)
    client, _ = phone(app, token)
    agenda(moderator, meeting, items=12, words=90)  # 12 items of about 3 KB each
    call(moderator, "speaker.add", meeting_id=meeting.id, member_id=member_id)
    call(moderator, "speaker.next", meeting_id=meeting.id)

    def size(payload: dict[str, Any]) -> int:
        return len(json.dumps(payload, ensure_ascii=False).encode())

    assert size(floors(wall, "/projector")[-1]) > 30_000
    assert size(floors(client, "/phone")[-1]) < 4_500
    _, rejoined = phone(app, token)
    assert size(rejoined["floor"]) < 4_500
    assert rejoined["floor"]["speaker"]["member_id"] == member_id


def test_a_join_refuses_an_unknown_or_signed_out_token(
    app: Flask, meeting: Meeting, moderator: SocketIOTestClient
) -> None:
    member_id, token = sign_in(app, meeting, *PEOPLE[0])
    _, unknown = phone(app, "x" * 32)
    assert unknown["error"]["code"] == "token_unknown"
    _, joined = phone(app, token)
    assert joined["member_id"] == member_id and joined["meeting_id"] == meeting.id
    clerk = logged_in(app)
    left = clerk.post(f"/api/v1/meetings/{meeting.id}/sign-out", json={"member_id": member_id})
    assert left.status_code == 200, left.get_json()
    _, refused = phone(app, token)  # the kept snapshot does not let a void token in
    assert refused["error"]["code"] == "token_unknown"


def test_a_phone_joining_after_a_change_sees_it_and_a_fresh_server_time(
    app: Flask, meeting: Meeting, moderator: SocketIOTestClient, clock: Clock
) -> None:
    (first_id, first), (second_id, second) = (sign_in(app, meeting, q, t) for q, t in PEOPLE)
    agenda(moderator, meeting, items=1, words=1)
    _, before = phone(app, first)  # the snapshot of this version is now kept
    assert before["floor"]["queue"] == [] and before["my_request_ids"] == []
    clock.advance(5)
    _, same = phone(app, first)
    assert same["floor"]["version"] == before["floor"]["version"]
    assert same["floor"]["server_now"] != before["floor"]["server_now"]

    added = call(moderator, "speaker.add", meeting_id=meeting.id, member_id=second_id)
    _, after = phone(app, second)
    assert after["floor"]["version"] == added["floor"]["version"] > before["floor"]["version"]
    assert [w["member_id"] for w in after["floor"]["queue"]] == [second_id]
    assert after["my_request_ids"] == [after["floor"]["queue"][0]["request_id"]]
    _, other = phone(app, first)
    assert other["my_request_ids"] == [] and other["floor"] == {
        **after["floor"],
        "server_now": other["floor"]["server_now"],
    }
    assert first_id != second_id


def test_the_kept_snapshots_belong_to_one_app(
    app: Flask, meeting: Meeting, moderator: SocketIOTestClient
) -> None:
    _, token = sign_in(app, meeting, *PEOPLE[0])
    phone(app, token)
    kept = app.extensions[CACHE_KEY]
    assert list(kept) == [meeting.id]
    assert kept[meeting.id].meeting_id == meeting.id


def test_the_moderator_answer_comes_after_the_phones_have_the_floor(
    app: Flask, meeting: Meeting, moderator: SocketIOTestClient
) -> None:
    member_id, token = sign_in(app, meeting, *PEOPLE[0])
    client, _ = phone(app, token)
    agenda(moderator, meeting, items=1, words=1)
    call(moderator, "speaker.add", meeting_id=meeting.id, member_id=member_id)
    client.get_received("/phone")
    answer = call(moderator, "speaker.next", meeting_id=meeting.id)
    received = floors(client, "/phone")
    assert received and received[-1]["version"] == answer["floor"]["version"]


def test_a_join_shows_the_poll_the_room_looks_at(
    app: Flask, meeting: Meeting, moderator: SocketIOTestClient
) -> None:
    from meeting_room.store.storage import transaction
    from meeting_room.voting.snapshot import current_poll

    _, token = sign_in(app, meeting, *PEOPLE[0])

    def joined_poll() -> int | None:
        client, joined = phone(app, token)
        client.disconnect("/phone")  # one phone page at a time: a token has only a few sockets
        with app.app_context(), transaction() as session:
            expected = current_poll(session, session.get(Meeting, meeting.id))
            assert (joined["poll"] or {}).get("id") == (expected.id if expected else None)
        return (joined["poll"] or {}).get("id")

    def poll(event: str, **data: Any) -> int:
        answer = call(moderator, event, **data)
        poll_id: int = answer["poll"]["id"]
        return poll_id

    assert joined_poll() is None
    first = poll("poll.create", meeting_id=meeting.id, question="是否同意加装电梯？")
    assert joined_poll() is None  # a draft is not shown
    second = poll("poll.create", meeting_id=meeting.id, question="是否同意分摊方案？")
    poll("poll.open", poll_id=second)
    assert joined_poll() == second
    poll("poll.close", poll_id=second)
    assert joined_poll() == second  # the latest closed one
    poll("poll.open", poll_id=first)
    assert joined_poll() == first  # the open one, before a newer closed one
    poll("poll.close", poll_id=first)
    assert joined_poll() == second  # the newest closed one


def test_a_refused_change_leaves_the_kept_snapshot_alone(
    app: Flask, meeting: Meeting, moderator: SocketIOTestClient
) -> None:
    _, token = sign_in(app, meeting, *PEOPLE[0])
    agenda(moderator, meeting, items=1, words=1)
    _, joined = phone(app, token)
    kept = app.extensions[CACHE_KEY][meeting.id]
    refused = moderator.emit(
        "speaker.next", {"meeting_id": meeting.id}, namespace="/moderator", callback=True
    )
    assert refused["error"]["code"] == "queue_empty"
    assert app.extensions[CACHE_KEY][meeting.id] is kept
    _, again = phone(app, token)
    assert again["floor"]["version"] == joined["floor"]["version"] == kept.version


def test_a_change_keeps_the_snapshot_it_broadcast_for_later_joins(
    app: Flask, meeting: Meeting, moderator: SocketIOTestClient
) -> None:
    member_id, token = sign_in(app, meeting, *PEOPLE[0])
    agenda(moderator, meeting, items=1, words=1)
    call(moderator, "speaker.add", meeting_id=meeting.id, member_id=member_id)
    given = call(moderator, "speaker.next", meeting_id=meeting.id)
    kept = app.extensions[CACHE_KEY][meeting.id]
    assert kept.version == given["floor"]["version"]
    assert kept.speaker is not None and kept.speaker.member_id == member_id
    _, joined = phone(app, token)
    assert joined["floor"]["speaker"] == given["floor"]["speaker"]


def test_events_and_requests_keep_the_garbage_collector_waiting(
    app: Flask, meeting: Meeting, moderator: SocketIOTestClient
) -> None:
    from meeting_room.web.quiet_gc import COLLECTOR

    before = COLLECTOR.events
    _, token = sign_in(app, meeting, *PEOPLE[0])  # HTTP requests
    after_http = COLLECTOR.events
    phone(app, token)  # a Socket.IO event
    assert before < after_http < COLLECTOR.events
