"""At the kiosk a resident scans their card (and types their phone's last digits) or their
slip, co-signs topics of their household or proposes one, a clerk writing it for them if
asked (代笔); the answer to their topic greets them at their next sign-in, once."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.models.topics import Topic
from tests.conftest import logged_in, paired, unit
from tests.web.topics.conftest import Resident
from tests.web.topics.test_topics_api import propose, sign


def card(app: Flask, who: Resident) -> str:
    with unit(app) as session:
        number = session.scalar(select(Member.member_no).where(Member.id == who.id))
    return f"YISHI:{number}"


def test_a_card_proposes_at_the_kiosk_and_a_clerk_may_write_it(
    app: Flask, meeting: Meeting, residents: list[Resident], categories: dict[str, int]
) -> None:
    kiosk = paired(app, "kiosk")
    code = card(app, residents[0])
    body = {"meeting_id": meeting.id, "code": code, "phone_tail": residents[0].tail}
    who = kiosk.post("/kiosk/api/topics/who", json={"meeting_id": meeting.id, "code": code})
    assert who.get_json()["needs_tail"] is True
    made = kiosk.post(
        "/kiosk/api/topics",
        json=body
        | {
            "title": "楼道堆放杂物",
            "category_id": categories["安全"],
            "scope": "unit",
            "scribe": "李文（社区）",
        },
    ).get_json()
    assert (made["source"], made["signed"], made["needed"]) == ("kiosk", 1, 6)
    with unit(app) as session:
        topic = session.scalars(select(Topic)).one()
        assert (topic.scribe, topic.created_by) == ("李文（社区）", "李文（社区）")
    listed = kiosk.post("/kiosk/api/topics/who", json=body).get_json()
    assert [(t["title"], t["mine"]) for t in listed["topics"]] == [("楼道堆放杂物", True)]


def test_a_wrong_phone_tail_signs_nothing(
    app: Flask, meeting: Meeting, residents: list[Resident], categories: dict[str, int]
) -> None:
    topic = propose(app, residents[0], categories["安全"])
    kiosk = paired(app, "kiosk")
    wrong = "0000" if residents[1].tail != "0000" else "1111"
    answer = kiosk.post(
        "/kiosk/api/topics/sign",
        json={
            "meeting_id": meeting.id,
            "code": card(app, residents[1]),
            "phone_tail": wrong,
            "topic_id": topic["id"],
        },
    )
    assert answer.status_code >= 400
    assert answer.get_json()["error"]["code"] == "wrong_phone_tail"
    assert app.test_client().get("/api/v1/topics").get_json()["topics"][0]["signed"] == 1


def test_co_signing_at_the_kiosk_once(
    app: Flask, meeting: Meeting, residents: list[Resident], categories: dict[str, int]
) -> None:
    topic = propose(app, residents[0], categories["安全"])
    kiosk = paired(app, "kiosk")
    body = {
        "meeting_id": meeting.id,
        "code": card(app, residents[2]),
        "phone_tail": residents[2].tail,
        "topic_id": topic["id"],
    }
    first = kiosk.post("/kiosk/api/topics/sign", json=body).get_json()
    assert (first["name"], first["topic"]["signed"]) == (residents[2].name, 2)
    again = kiosk.post("/kiosk/api/topics/sign", json=body).get_json()
    assert again["error"]["code"] == "topic_already_signed"


def test_the_proposer_is_told_the_answer_at_their_next_sign_in_once(
    app: Flask, meeting: Meeting, residents: list[Resident], categories: dict[str, int]
) -> None:
    topic = propose(app, residents[0], categories["安全"])
    for who in residents[1:6]:
        sign(app, topic["id"], who)
    clerk = logged_in(app, "clerk")
    clerk.post(
        f"/api/v1/topics/{topic['id']}/accept",
        json={"meeting_id": meeting.id, "reason": "", "by": "clerk"},
    )
    kiosk = paired(app, "kiosk")
    body = {"meeting_id": meeting.id, "member_id": residents[0].id, "phone_tail": residents[0].tail}
    first = kiosk.post("/kiosk/api/sign-in", json=body).get_json()
    (notice,) = first["topic_notices"]
    assert "单元门禁经常坏" in notice and meeting.title in notice
    again = kiosk.post("/kiosk/api/sign-in", json=body).get_json()
    assert again["topic_notices"] == []
