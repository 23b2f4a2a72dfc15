"""``assert_consistent`` passes on a real meeting's data and catches each kind of damage."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.voting import Ballot, PollTally
from tests.web.consistency import assert_consistent


@pytest.fixture
def voted(app: Flask, client: FlaskClient, meeting: Meeting) -> int:
    """A named poll with one ballot cast for "for"; the poll's id."""
    base = f"/api/v1/meetings/{meeting.id}"
    member = client.get("/api/v1/members", query_string={"q": "孙艳娜"}).get_json()["members"][0]
    assert client.post(f"{base}/sign-in", json={"member_id": member["id"]}).status_code == 200
    poll = client.post(f"{base}/polls", json={"question": "是否同意？", "secret": False}).get_json()
    assert client.post(f"/api/v1/polls/{poll['id']}/open").status_code == 200
    vote = {"member_id": member["id"], "choices": ["for"], "helper": "书记员"}
    assert client.post(f"/api/v1/polls/{poll['id']}/assisted", json=vote).status_code == 200
    return int(poll["id"])


def damaged(app: Flask, damage: Callable[[Session], object]) -> str:
    """What ``assert_consistent`` says once ``damage`` is committed."""
    with app.app_context(), app.extensions["yishi.storage"].transaction() as session:
        damage(session)
    with (
        app.app_context(),
        app.extensions["yishi.storage"].transaction() as session,
        pytest.raises(AssertionError) as failed,
    ):
        assert_consistent(session)
    return str(failed.value)


def test_a_meeting_with_a_ballot_is_consistent(app: Flask, voted: int) -> None:
    with app.app_context(), app.extensions["yishi.storage"].transaction() as session:
        assert_consistent(session)


def test_a_tally_that_disagrees_with_the_ballots_is_caught(app: Flask, voted: int) -> None:
    def bump(session: Session) -> None:
        session.get_one(PollTally, (voted, "against")).headcount += 1

    assert "tally of 'against' is 1, ballots say 0" in damaged(app, bump)


def test_a_ballot_without_its_participation_is_caught(app: Flask, voted: int) -> None:
    def forge(session: Session) -> None:
        ballot = session.scalars(select(Ballot).where(Ballot.poll_id == voted)).one()
        session.add(Ballot(key="f" * 32, poll_id=voted, receipt="ZZZZZZZZ", choices=["for"],
                           member_id=ballot.member_id))  # fmt: skip

    message = damaged(app, forge)
    assert "2 ballots but 1 participations" in message and "tally of 'for'" in message


def test_an_orphan_row_is_caught(app: Flask, voted: int) -> None:
    # Straight to the file: the app's connections enforce foreign keys, a plain one does not.
    path = app.extensions["yishi.storage"].engine.url.database
    with closing(sqlite3.connect(path)) as raw, raw:
        raw.execute("UPDATE ballots SET poll_id = 999")
    with (
        app.app_context(),
        app.extensions["yishi.storage"].transaction() as session,
        pytest.raises(AssertionError, match="orphan row in ballots"),
    ):
        assert_consistent(session)
