"""Residents propose topics and co-sign them (联署) with their personal code, once each; the
threshold counts households of the scope; staff merge, decline or accept onto an agenda.
Every step is in the audit log, and the boards hear each signature."""

from __future__ import annotations

import json
import sqlite3

from flask import Flask

from meeting_room.extensions import socketio
from meeting_room.store.models.meetings import Meeting
from tests.conftest import logged_in
from tests.web.topics.conftest import Resident


def audit_kinds(app: Flask, prefix: str) -> list[dict[str, object]]:
    path = app.config["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT detail FROM audit_log WHERE kind LIKE ? ORDER BY seq", (f"{prefix}%",)
        )
        return [json.loads(d) for (d,) in rows]


def propose(app: Flask, who: Resident, category: int, scope: str = "unit") -> dict:
    answer = app.test_client().post(
        "/api/v1/topics",
        json={
            "token": who.token,
            "title": "单元门禁经常坏",
            "body": "门禁坏了两个月，外人随意进出。",
            "category_id": category,
            "scope": scope,
        },
    )
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def sign(app: Flask, topic_id: int, who: Resident) -> tuple[int, dict]:
    answer = app.test_client().post(
        f"/api/v1/topics/{topic_id}/signatures", json={"token": who.token}
    )
    return answer.status_code, answer.get_json()


def test_a_resident_proposes_for_their_unit_and_signs_it_first(
    app: Flask, residents: list[Resident], categories: dict[str, int]
) -> None:
    topic = propose(app, residents[0], categories["安全"])
    assert topic["source"] == "phone"
    assert (topic["scope"], topic["scope_building"], topic["scope_unit"]) == (
        "unit",
        "3栋",
        "2单元",
    )
    assert (topic["signed"], topic["households"], topic["needed"]) == (1, 20, 6)
    assert topic["status"] == "collecting"
    assert topic["proposer_name"] is None  # no names in public answers
    (row,) = audit_kinds(app, "topics.insert")
    assert row["proposer_member_id"] == residents[0].id


def test_co_signing_reaches_the_threshold_at_exactly_thirty_percent(
    app: Flask, residents: list[Resident], categories: dict[str, int]
) -> None:
    topic = propose(app, residents[0], categories["安全"])
    for who in residents[1:5]:
        status, answer = sign(app, topic["id"], who)
        assert status == 201
        assert answer["topic"]["status"] == "collecting"
    status, answer = sign(app, topic["id"], residents[5])
    assert status == 201
    assert (answer["topic"]["signed"], answer["topic"]["households"]) == (6, 20)
    assert answer["topic"]["status"] == "threshold_met"
    assert answer["topic"]["met"] is True
    assert len(audit_kinds(app, "topic_signatures.insert")) == 6


def test_a_second_signature_is_refused_in_words(
    app: Flask, residents: list[Resident], categories: dict[str, int]
) -> None:
    topic = propose(app, residents[0], categories["安全"])
    assert sign(app, topic["id"], residents[1])[0] == 201
    status, answer = sign(app, topic["id"], residents[1])
    assert status == 409
    assert answer["error"]["code"] == "topic_already_signed"
    assert residents[1].name in answer["error"]["message"]
    status, answer = sign(app, topic["id"], residents[0])  # the proposer signed already
    assert answer["error"]["code"] == "topic_already_signed"
    assert len(audit_kinds(app, "topic_signatures.insert")) == 2


def test_a_household_outside_the_scope_cannot_sign(
    app: Flask, meeting: Meeting, residents: list[Resident], categories: dict[str, int]
) -> None:
    from tests.web.topics.conftest import residents_of

    topic = propose(app, residents[0], categories["安全"])
    neighbour = residents_of(app, meeting.id, "3栋", "1单元")[0]
    status, answer = sign(app, topic["id"], neighbour)
    assert status == 409
    assert answer["error"]["code"] == "topic_outside_scope"
    assert "3栋2单元" in answer["error"]["message"]


def test_the_boards_hear_each_signature(
    app: Flask, residents: list[Resident], categories: dict[str, int]
) -> None:
    board = socketio.test_client(app, namespace="/board")
    board.emit("join", {"meeting_ids": []}, namespace="/board", callback=True)
    topic = propose(app, residents[0], categories["安全"])
    sign(app, topic["id"], residents[1])
    heard = [m["args"][0] for m in board.get_received("/board") if m["name"] == "topic.progress"]
    assert [(h["id"], h["signed"], h["needed"]) for h in heard] == [
        (topic["id"], 1, 6),
        (topic["id"], 2, 6),
    ]


def test_merging_keeps_every_signature_once(
    app: Flask, residents: list[Resident], categories: dict[str, int]
) -> None:
    first = propose(app, residents[0], categories["安全"])
    second = propose(app, residents[1], categories["安全"])
    for who in residents[2:4]:  # sign both
        sign(app, first["id"], who)
        sign(app, second["id"], who)
    sign(app, second["id"], residents[4])
    clerk = logged_in(app, "clerk")
    merged = clerk.post(
        f"/api/v1/topics/{second['id']}/merge",
        json={"into_id": first["id"], "reason": "与另一议题重复", "by": "clerk"},
    ).get_json()
    # first: 0, 2, 3; second brought 1 (its proposer) and 4; 2 and 3 count once.
    assert merged["id"] == first["id"]
    assert (merged["signed"], merged["signatures"]) == (5, 5)
    gone = app.test_client().get("/api/v1/topics").get_json()["topics"]
    status = {t["id"]: (t["status"], t["merged_into_id"]) for t in gone}
    assert status[second["id"]] == ("merged", first["id"])
    # a signer of the duplicate is already counted on the target
    _status, answer = sign(app, first["id"], residents[4])
    assert answer["error"]["code"] == "topic_already_signed"
    _status, answer = sign(app, second["id"], residents[5])
    assert answer["error"]["code"] == "topic_decided"


def test_declining_needs_a_reason_and_then_publishes_it(
    app: Flask, residents: list[Resident], categories: dict[str, int]
) -> None:
    topic = propose(app, residents[0], categories["其他"])
    clerk = logged_in(app, "clerk")
    refused = clerk.post(
        f"/api/v1/topics/{topic['id']}/decline", json={"reason": "  ", "by": "clerk"}
    )
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "topic_reason_required"
    done = clerk.post(
        f"/api/v1/topics/{topic['id']}/decline",
        json={"reason": "属于物业日常维修，已转物业处理", "by": "clerk"},
    ).get_json()
    assert (done["status"], done["reason"], done["decided_by"]) == (
        "declined",
        "属于物业日常维修，已转物业处理",
        "clerk",
    )
    board = app.test_client().get("/api/v1/topics").get_json()["topics"]
    assert board[0]["reason"] == "属于物业日常维修，已转物业处理"
    (decided,) = [e for e in audit_kinds(app, "topics.update") if "decided_by" in e]
    assert (decided["status"], decided["decided_by"]) == ("declined", "clerk")


def test_accepting_puts_the_topic_on_the_agenda_only_past_the_threshold_unless_confirmed(
    app: Flask, meeting: Meeting, residents: list[Resident], categories: dict[str, int]
) -> None:
    topic = propose(app, residents[0], categories["安全"])
    clerk = logged_in(app, "clerk")
    body = {"meeting_id": meeting.id, "reason": "符合条件", "by": "clerk"}
    short = clerk.post(f"/api/v1/topics/{topic['id']}/accept", json=body)
    assert short.get_json()["error"]["code"] == "topic_below_threshold"
    for who in residents[1:6]:
        sign(app, topic["id"], who)
    accepted = clerk.post(f"/api/v1/topics/{topic['id']}/accept", json=body).get_json()
    assert accepted["status"] == "accepted"
    assert accepted["meeting_id"] == meeting.id
    agenda = clerk.get(f"/api/v1/meetings/{meeting.id}/agenda").get_json()
    items = {i["id"]: i["title"] for i in agenda["items"]}
    assert items[accepted["agenda_item_id"]] == "单元门禁经常坏"
    again = clerk.post(f"/api/v1/topics/{topic['id']}/accept", json=body).get_json()
    assert again["error"]["code"] == "topic_decided"


def test_residents_cannot_review_and_a_bad_code_cannot_sign(
    app: Flask, residents: list[Resident], categories: dict[str, int]
) -> None:
    topic = propose(app, residents[0], categories["安全"])
    anyone = app.test_client()
    review = anyone.post(f"/api/v1/topics/{topic['id']}/decline", json={"reason": "x", "by": "me"})
    assert review.status_code in (401, 403)
    forged = anyone.post(
        f"/api/v1/topics/{topic['id']}/signatures", json={"token": "not-a-real-code"}
    )
    assert forged.status_code == 404
    assert forged.get_json()["error"]["code"] == "token_unknown"


def test_the_audit_log_replays_to_the_topic_tables(
    app: Flask, meeting: Meeting, residents: list[Resident], categories: dict[str, int]
) -> None:
    from meeting_room.records.verify import verify_records
    from tests.conftest import unit

    first = propose(app, residents[0], categories["安全"])
    second = propose(app, residents[1], categories["安全"])
    for who in residents[2:6]:
        sign(app, first["id"], who)
    clerk = logged_in(app, "clerk")
    clerk.post(
        f"/api/v1/topics/{second['id']}/merge",
        json={"into_id": first["id"], "reason": "重复", "by": "clerk"},
    )
    clerk.post(
        f"/api/v1/topics/{first['id']}/accept",
        json={"meeting_id": meeting.id, "reason": "", "by": "clerk"},
    )
    with unit(app) as session:
        report = verify_records(session)
        flaws = [c for c in report.checks if not c.ok]
    assert report.intact, flaws
