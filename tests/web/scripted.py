"""A meeting held from start to end through the real app: sign-ins, two items with speeches
(and an override), a secret vote (two thirds of those present) and a named vote, published.
The minutes, exports, notice board and action list tests all look at this one meeting."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from meeting_room.domain.words import MeetingStatus, MemberGroup, RequestKind, Stance
from meeting_room.extensions import socketio
from meeting_room.floor import discussion, timing
from meeting_room.meetings import lifecycle
from meeting_room.meetings.meetings import MeetingDraft, create_meeting
from meeting_room.store.models.meetings import Meeting
from tests.conftest import Clock, logged_in, unit

# The owners' committee (业委会) of the demo roster: the eligible base of the scripted meeting.
COMMITTEE = [
    ("廖春勇", "7109"),
    ("莫明", "6918"),
    ("尹英", "2322"),
    ("严梅艳", "0810"),
    ("刘艳", "2325"),
    ("郑建德", "3638"),
    ("付梅淑", "0889"),
    ("邱秀敏", "2300"),
    ("高伟刚", "5068"),
    ("曾超明", "1439"),
]  # 10 of 12 come; 彭凤 and 苏华志 stay away


@dataclass
class Held:
    """A meeting held from start to end, and what the test needs to check its minutes."""

    meeting_id: int
    ids: dict[str, int]
    tokens: dict[str, str]
    items: list[int] = field(default_factory=list)
    secret_poll: int = 0
    simple_poll: int = 0
    receipts: dict[str, str] = field(default_factory=dict)


def sign_in(client: FlaskClient, meeting_id: int, name: str, tail: str) -> tuple[int, str]:
    """Sign a member in through the API; their id and personal token."""
    found = client.get("/api/v1/members", query_string={"q": name}).get_json()["members"]
    member = next(m for m in found if m["name"] == name)
    body = client.post(
        f"/api/v1/meetings/{meeting_id}/sign-in",
        json={"member_id": member["id"], "phone_tail": tail},
    ).get_json()
    return member["id"], body["phone_url"].rsplit("/", 1)[-1]


def speak(
    app: Flask, meeting_id: int, member_id: int, stance: Stance, seconds: int, clock: Clock
) -> None:
    """A member asks for the floor, gets it, speaks ``seconds`` and stops."""
    with unit(app) as s:
        m = s.get(Meeting, meeting_id)
        assert m is not None
        discussion.request_floor(s, m, member_id, stance, RequestKind.SPEECH, "phone", clock.now)
        discussion.give_floor(s, m, clock.now)
    clock.advance(seconds)
    with unit(app) as s:
        m = s.get(Meeting, meeting_id)
        assert m is not None
        timing.change_clock(s, m, "stop", clock.now)
    clock.advance(5)


def vote_by_phone(app: Flask, token: str, poll_id: int, choice: str) -> str:
    """Cast a ballot from the personal phone page's socket; the receipt."""
    phone = socketio.test_client(app, namespace="/phone")
    answer = phone.emit(
        "ballot.cast",
        {
            "token": token,
            "poll_id": poll_id,
            "choices": [choice],
            "client_id": f"{token[:12]}-{poll_id}",
        },
        namespace="/phone",
        callback=True,
    )
    phone.disconnect(namespace="/phone")
    return str(answer["receipt"])


def hold_meeting(app: Flask, clock: Clock) -> Held:
    """Sign-ins, two items with speeches (and an override), a secret vote, a named
    simple vote, a decision with an action item; the poll results are published."""
    client = logged_in(app)
    with unit(app) as s:
        meeting = create_meeting(
            s,
            MeetingDraft(
                title="幸福里业委会第三次会议",
                starts_at=clock.now,
                venue="幸福里社区议事厅二楼",
                eligible_groups=(MemberGroup.OWNERS_COMMITTEE,),
                quorum_headcount="2/3",
                quorum_area="1/2",
            ),
            clock.now - timedelta(days=10),
        )
        meeting_id = meeting.id
        lifecycle.move(s, meeting, MeetingStatus.ANNOUNCED, "clerk", clock.now - timedelta(days=9))
    ids, tokens = {}, {}
    for name, tail in COMMITTEE:
        ids[name], tokens[name] = sign_in(client, meeting_id, name, tail)
    with unit(app) as s:  # the moderator opens it once the room is in (quorum met)
        m = s.get(Meeting, meeting_id)
        assert m is not None
        lifecycle.open_meeting(s, m, "moderator", clock.now, confirmed=False)
    held = Held(meeting_id, ids, tokens)
    for title in ("加装电梯方案", "停车位划线"):
        added = client.post(
            f"/api/v1/meetings/{meeting_id}/agenda", json={"title": title, "kind": "vote"}
        ).get_json()
        held.items.append(added["items"][-1]["id"])

    with unit(app) as s:
        m = s.get(Meeting, meeting_id)
        assert m is not None
        discussion.start_item(s, m, held.items[0], clock.now, confirmed_by="moderator")
    speak(app, meeting_id, ids["廖春勇"], Stance.FOR, 75, clock)
    speak(app, meeting_id, ids["莫明"], Stance.AGAINST, 120, clock)
    speak(app, meeting_id, ids["尹英"], Stance.NEUTRAL, 42, clock)
    poll = client.post(
        f"/api/v1/meetings/{meeting_id}/polls",
        json={
            "question": "是否同意7栋加装电梯？",
            # A committee's own decision: an art. 278 vote needs every owner (it is refused here).
            "rule": "two_thirds_present",
            "secret": True,
            "item_id": held.items[0],
        },
    ).get_json()
    held.secret_poll = poll["id"]
    client.post(f"/api/v1/polls/{poll['id']}/open")
    for name, _ in COMMITTEE[:9]:
        held.receipts[name] = vote_by_phone(app, tokens[name], poll["id"], "for")
    held.receipts["曾超明"] = vote_by_phone(app, tokens["曾超明"], poll["id"], "against")
    client.post(f"/api/v1/polls/{poll['id']}/close")
    client.post(f"/api/v1/polls/{poll['id']}/publish")

    with unit(app) as s:
        m = s.get(Meeting, meeting_id)
        assert m is not None
        discussion.start_item(s, m, held.items[1], clock.now, confirmed_by="moderator")
    speak(app, meeting_id, ids["刘艳"], Stance.FOR, 60, clock)
    speak(app, meeting_id, ids["刘艳"], Stance.FOR, 30, clock)
    with unit(app) as s:  # a third speech: only with the moderator's override
        m = s.get(Meeting, meeting_id)
        assert m is not None
        discussion.request_floor(
            s, m, ids["刘艳"], Stance.FOR, RequestKind.SPEECH, "moderator", clock.now, override=True
        )
        discussion.give_floor(s, m, clock.now)
    clock.advance(20)
    poll = client.post(
        f"/api/v1/meetings/{meeting_id}/polls",
        json={
            "question": "是否同意地面停车位重新划线？",
            "secret": False,
            "item_id": held.items[1],
        },
    ).get_json()
    held.simple_poll = poll["id"]
    client.post(f"/api/v1/polls/{poll['id']}/open")
    for name, choice in (
        ("郑建德", "for"),
        ("付梅淑", "for"),
        ("邱秀敏", "against"),
        ("高伟刚", "abstain"),
    ):
        client.post(
            f"/api/v1/polls/{poll['id']}/assisted",
            json={"member_id": ids[name], "choices": [choice], "helper": "张记录"},
        )
    client.post(f"/api/v1/polls/{poll['id']}/close")
    client.post(f"/api/v1/polls/{poll['id']}/publish")
    with unit(app) as s:
        m = s.get(Meeting, meeting_id)
        assert m is not None
        discussion.finish_item(s, m, held.items[1], clock.now)
    return held  # still open: tests add to it; ``close_held`` ends it


def close_held(app: Flask, held: Held, clock: Clock) -> None:
    """The moderator closes the held meeting (its minutes can then be published)."""
    clock.advance(60)
    with unit(app) as s:
        m = s.get(Meeting, held.meeting_id)
        assert m is not None
        lifecycle.move(s, m, MeetingStatus.CLOSED, "moderator", clock.now)


@pytest.fixture
def held(app: Flask, clock: Clock) -> Held:
    """The scripted meeting, held (the records' and follow-up's conftests offer it)."""
    return hold_meeting(app, clock)


def add_decision_with_action(client: FlaskClient, held: Held) -> tuple[int, int]:
    """A decision on the secret vote and one action item; their ids."""
    decision = client.post(
        f"/api/v1/meetings/{held.meeting_id}/decisions",
        json={
            "text": "同意7栋加装电梯，由业委会组织实施。",
            "by": "张记录",
            "poll_id": held.secret_poll,
        },
    ).get_json()
    action = client.post(
        f"/api/v1/decisions/{decision['id']}/actions",
        json={
            "title": "完成电梯井道施工",
            "responsible": "幸福里物业服务中心",
            "deadline": "2027-03-31",
            "criterion": "通过特种设备检验并取得使用登记证",
        },
    ).get_json()
    return decision["id"], action["id"]
