"""``yishi verify`` recounts choice polls too ("up to K of N"): named ones from their ballots and
base with ``domain.choice``, secret ones by headcount; a forged leader is caught."""

from __future__ import annotations

import sqlite3

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from tests.conftest import logged_in
from tests.pg import server_url
from tests.web.scripted import Held

OPTIONS = ["方案一", "方案二", "方案三"]
CHOSEN = {"郑建德": ["方案一", "方案二"], "付梅淑": ["方案二"], "邱秀敏": ["方案二", "方案三"]}


def a_choice_poll(app: Flask, held: Held, secret: bool) -> int:
    """Three members choose up to two of three plans with the clerk's help; closed."""
    client = logged_in(app)
    poll = client.post(
        f"/api/v1/meetings/{held.meeting_id}/polls",
        json={
            "question": "选择外立面方案",
            "kind": "choice",
            "options": OPTIONS,
            "max_choices": 2,
            "secret": secret,
            "weighting": "area",
        },
    ).get_json()
    client.post(f"/api/v1/polls/{poll['id']}/open")
    for name, choices in CHOSEN.items():
        answer = client.post(
            f"/api/v1/polls/{poll['id']}/assisted",
            json={"member_id": held.ids[name], "choices": choices, "helper": "张记录"},
        )
        assert answer.status_code == 200, answer.get_json()
    client.post(f"/api/v1/polls/{poll['id']}/close")
    return int(poll["id"])


@pytest.mark.parametrize("secret", [False, True], ids=["named", "secret"])
def test_a_choice_poll_recounts_intact(
    app: Flask, runner: FlaskCliRunner, held: Held, secret: bool
) -> None:
    poll_id = a_choice_poll(app, held, secret)
    result = runner.invoke(args=["verify"])
    assert result.exit_code == 0, result.output
    assert (
        f"Vote {poll_id}: 选择外立面方案: intact: recounted from the ballots: "
        "方案一 1, 方案二 3, 方案三 1;" in result.output
    )


@pytest.mark.skipif(server_url() is not None, reason="edits the SQLite file")
def test_a_forged_choice_of_a_named_choice_poll_is_caught(
    app: Flask, runner: FlaskCliRunner, held: Held
) -> None:
    poll_id = a_choice_poll(app, held, secret=False)
    db = sqlite3.connect(app.config["DATABASE_URL"].removeprefix("sqlite:///"))
    db.execute(
        "UPDATE polls SET result = json_set(result, '$.chosen', json(?)) WHERE id = ?",
        ('["方案三"]', poll_id),
    )
    db.commit()
    result = runner.invoke(args=["verify"])
    assert result.exit_code == 1
    assert (
        "stored result (as the minutes show it): options chosen is 方案三, the recount "
        "from the ballots gives 方案一, 方案二" in result.output
    )
