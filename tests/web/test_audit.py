"""The audit log and the published ballot lists: intact after a meeting, broken where touched."""

from __future__ import annotations

import json
import sqlite3

from flask import Flask
from flask.testing import FlaskCliRunner

from meeting_room.store.models.meetings import Meeting
from tests.conftest import logged_in
from tests.web.floor.test_events import sign_in


def a_small_meeting(app: Flask, meeting: Meeting) -> int:
    """Two sign-ins and a closed secret poll with two ballots; returns the poll's id."""
    api = logged_in(app)
    people = [sign_in(app, meeting, q, t)[0] for q, t in (("孙艳娜", "6851"), ("秦娜", "2181"))]
    poll_id = api.post(
        f"/api/v1/meetings/{meeting.id}/polls", json={"question": "是否同意加装电梯？"}
    ).get_json()["id"]
    api.post(f"/api/v1/polls/{poll_id}/open")
    for member_id, choice in zip(people, ("for", "against"), strict=True):
        api.post(
            f"/api/v1/polls/{poll_id}/assisted",
            json={"member_id": member_id, "choices": [choice], "helper": "张记录"},
        )
    api.post(f"/api/v1/polls/{poll_id}/close")
    return int(poll_id)


def database(app: Flask) -> sqlite3.Connection:
    return sqlite3.connect(app.config["DATABASE_URL"].removeprefix("sqlite:///"))


def test_every_state_change_is_in_the_log_and_verify_passes(
    app: Flask, meeting: Meeting, runner: FlaskCliRunner
) -> None:
    a_small_meeting(app, meeting)
    kinds = [row[0] for row in database(app).execute("SELECT kind FROM audit_log ORDER BY seq")]
    assert "attendances.insert" in kinds and "poll_participation.insert" in kinds
    assert kinds.count("polls.update") >= 2  # opened, closed
    result = runner.invoke(args=["verify"])
    assert result.exit_code == 0, result.output
    assert "Audit log: intact" in result.output and "final hash as audited" in result.output


def test_the_log_never_holds_a_secret_choice_or_a_token(app: Flask, meeting: Meeting) -> None:
    a_small_meeting(app, meeting)
    details = [json.loads(row[0]) for row in database(app).execute("SELECT detail FROM audit_log")]
    text = json.dumps(details, ensure_ascii=False)
    assert "token_hash" not in text and "client_hash" not in text
    assert '"choices"' not in text and "receipt" not in text


def test_editing_one_audit_row_breaks_verify_at_that_row(
    app: Flask, meeting: Meeting, runner: FlaskCliRunner
) -> None:
    a_small_meeting(app, meeting)
    db = database(app)
    seq = db.execute(
        "SELECT seq FROM audit_log WHERE kind = 'attendances.insert' ORDER BY seq LIMIT 1"
    ).fetchone()[0]
    db.execute(
        "UPDATE audit_log SET detail = replace(detail, 'in_person', 'proxy') WHERE seq = ?", (seq,)
    )
    db.commit()
    result = runner.invoke(args=["verify"])
    assert result.exit_code == 1
    assert f"BROKEN at entry {seq}" in result.output


def test_editing_one_ballot_breaks_verify_at_its_line(
    app: Flask, meeting: Meeting, runner: FlaskCliRunner
) -> None:
    poll_id = a_small_meeting(app, meeting)
    db = database(app)
    lines = [
        r[0]
        for r in db.execute(
            "SELECT text FROM published_entries WHERE poll_id = ? ORDER BY position", (poll_id,)
        )
    ]
    against = next(i for i, line in enumerate(lines, start=1) if line.endswith("against"))
    receipt = lines[against - 1].split(" ")[0]
    db.execute("UPDATE ballots SET choices = '[\"for\"]' WHERE receipt = ?", (receipt,))
    db.commit()
    result = runner.invoke(args=["verify"])
    assert result.exit_code == 1
    assert f"Vote {poll_id}: 是否同意加装电梯？: BROKEN" in result.output
    assert f"ballot list: BROKEN at line {against}" in result.output
    assert "Audit log: intact" in result.output


def test_verify_says_its_checks_in_chinese_on_request(
    app: Flask, meeting: Meeting, runner: FlaskCliRunner
) -> None:
    poll_id = a_small_meeting(app, meeting)
    result = runner.invoke(args=["verify", "--lang", "zh_CN"])
    assert result.exit_code == 0, result.output
    assert "审计日志：完整（共 " in result.output
    assert (
        f"表决 {poll_id}：是否同意加装电梯？：一致：按选票重新计票：赞成 1、反对 1、弃权 0"
        in result.output
    )
