"""Polls on a real database: one person one ballot, receipts, secrecy, closing and the count."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.attendance import members
from meeting_room.domain.chain import first_broken
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import BallotChannel, MemberGroup, PollKind, SignInChannel
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.models.voting import (
    BallotChange,
    CardAssignment,
    CardReading,
    Poll,
    PublishedEntry,
)
from meeting_room.voting.ballots import Vote, cast_ballot
from meeting_room.voting.polls import PollDraft, create_poll, open_poll
from meeting_room.voting.results import chain_seed, check_receipt, close_poll
from tests.conftest import Clock, unit

KEY = "test-secret"
NOW = datetime(2026, 11, 21, 11, 5, tzinfo=UTC)
PHONE, BOOTH, ASSISTED = BallotChannel.PHONE, BallotChannel.BOOTH, BallotChannel.ASSISTED


def owners(s: Session, n: int) -> list[int]:
    query = select(Member.id).where(Member.group == MemberGroup.OWNER).order_by(Member.id)
    return list(s.scalars(query.limit(n)))


def setup_poll(
    app: Flask, meeting: Meeting, clock: Clock, present: int, **draft: object
) -> tuple[int, list[int]]:
    with unit(app) as s:
        m = s.get(Meeting, meeting.id)
        assert m is not None
        ids = owners(s, present)
        for member_id in ids:
            members.sign_in(s, m, member_id, SignInChannel.CLERK, clock.now)
        poll = create_poll(s, m, PollDraft(question="加装电梯方案是否通过？", **draft), clock.now)  # type: ignore[arg-type]
        open_poll(s, m, poll, clock.now)
        return poll.id, ids


def vote(
    app: Flask,
    poll_id: int,
    member_id: int,
    choice: str,
    channel: BallotChannel = PHONE,
    client_id: str | None = None,
) -> str:
    with unit(app) as s:
        poll = s.get(Poll, poll_id)
        assert poll is not None
        return cast_ballot(
            s, poll, Vote(member_id, (choice,), channel, client_id), KEY, NOW
        ).receipt


def test_a_second_ballot_through_another_channel_is_refused_and_says_which(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    poll_id, (a, *_) = setup_poll(app, meeting, clock, 3)
    receipt = vote(app, poll_id, a, "for")
    assert len(receipt) == 8 and receipt.isalnum()
    with pytest.raises(Refusal) as refused:
        vote(app, poll_id, a, "against", BOOTH)
    assert refused.value.problem == Problem.ALREADY_VOTED
    assert refused.value.params["channel"] == "phone"


def test_a_resent_ballot_gets_the_same_receipt_and_counts_once(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    poll_id, (a, *_) = setup_poll(app, meeting, clock, 3)
    first = vote(app, poll_id, a, "for", client_id="phone-ballot-1")
    again = vote(app, poll_id, a, "for", client_id="phone-ballot-1")
    assert first == again
    with unit(app) as s:
        poll = s.get(Poll, poll_id)
        close_poll(s, poll, KEY, clock.now)  # type: ignore[arg-type]
        assert poll.result["cast"] == 1  # type: ignore[index,union-attr]


def test_in_a_named_poll_the_last_vote_counts_and_the_change_is_recorded(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    poll_id, (a, b, *_) = setup_poll(app, meeting, clock, 3, secret=False)
    vote(app, poll_id, a, "against")
    vote(app, poll_id, a, "for", BOOTH)
    vote(app, poll_id, b, "against")
    with unit(app) as s:
        poll = s.get(Poll, poll_id)
        close_poll(s, poll, KEY, clock.now)  # type: ignore[arg-type]
        tallies = poll.result["tallies"]  # type: ignore[index,union-attr]
        assert (tallies["for"]["headcount"], tallies["against"]["headcount"]) == (1, 1)
        changes = s.scalars(select(BallotChange)).all()
        assert [(c.before, c.after, c.channel) for c in changes] == [
            (["against"], ["for"], "booth")
        ]
        names = [e.text for e in s.scalars(select(PublishedEntry))]
        assert any(s.get(Member, a).name in line for line in names)  # type: ignore[union-attr]


def test_ballots_after_closing_are_refused(app: Flask, meeting: Meeting, clock: Clock) -> None:
    poll_id, (a, b, *_) = setup_poll(app, meeting, clock, 3)
    vote(app, poll_id, a, "for")
    with unit(app) as s:
        close_poll(s, s.get(Poll, poll_id), KEY, clock.now)  # type: ignore[arg-type]
    with pytest.raises(Refusal) as refused:
        vote(app, poll_id, b, "for")
    assert refused.value.problem == Problem.POLL_CLOSED


def test_the_published_list_is_a_hash_chain_and_a_receipt_can_be_checked(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    poll_id, people = setup_poll(app, meeting, clock, 4)
    receipts = [
        vote(app, poll_id, p, c)
        for p, c in zip(people, ["for", "for", "against", "abstain"], strict=True)
    ]
    with unit(app) as s:
        poll = s.get(Poll, poll_id)
        assert poll is not None
        close_poll(s, poll, KEY, clock.now)
        entries = s.scalars(select(PublishedEntry).order_by(PublishedEntry.position)).all()
        texts, hashes = [e.text for e in entries], [e.hash for e in entries]
        assert first_broken(chain_seed(poll), texts, hashes) is None
        assert poll.final_hash == hashes[-1]
        assert texts == sorted(texts)
        found = check_receipt(s, poll, receipts[2].lower())
        assert found is not None and found.text.endswith("against")
        assert check_receipt(s, poll, "ZZZZZZZZ") is None


def test_a_secret_ballot_cannot_be_linked_to_its_voter_in_the_stored_data(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    poll_id, people = setup_poll(app, meeting, clock, 5)
    for person, choice in zip(people, ["for", "against", "for", "abstain", "against"], strict=True):
        vote(app, poll_id, person, choice)
    database = app.config["DATABASE_URL"].removeprefix("sqlite:///")
    raw = sqlite3.connect(database)
    ballot_columns = [r[1] for r in raw.execute("PRAGMA table_info(ballots)")]
    rows = raw.execute("SELECT key, receipt, choices, member_id FROM ballots").fetchall()
    participation = raw.execute("SELECT * FROM poll_participation").fetchall()
    assert all(member is None for *_, member in rows)
    # The one time column is a named ballot's (the latest counts): a secret one leaves it empty.
    assert [c for c in ballot_columns if "time" in c or c.endswith("_at")] == ["cast_at"]
    assert raw.execute("SELECT count(*) FROM ballots WHERE cast_at IS NOT NULL").fetchone() == (0,)
    # No rowid: the physical order of ballots follows their random keys, not their arrival.
    with pytest.raises(sqlite3.OperationalError):
        raw.execute("SELECT rowid FROM ballots").fetchall()
    keys = [key for key, *_ in rows]
    assert keys == sorted(keys)
    # Participation says who voted and how, never a receipt or a choice.
    flat = {str(v) for row in participation for v in row}
    assert not flat & {receipt for _, receipt, *_ in rows}
    assert not any("for" in v or "against" in v for v in flat)


def test_an_owners_vote_under_article_278_is_decided_by_area_and_headcount(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    poll_id, people = setup_poll(
        app, meeting, clock, 6, rule="art278_ordinary", weighting="area", eligibility="owners"
    )
    for person in people:
        vote(app, poll_id, person, "for")
    with unit(app) as s:
        poll = s.get(Poll, poll_id)
        close_poll(s, poll, KEY, clock.now)  # type: ignore[arg-type]
        result = poll.result  # type: ignore[union-attr]
        assert result["passed"] is False and result["summary"] == "participation_not_reached"
        assert [c["stage"] for c in result["clauses"]] == ["participation"] * 2 + ["approval"] * 2
        assert result["eligible"]["headcount"] > 300


def test_latecomers_cannot_vote_where_the_base_is_those_present_at_opening(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    poll_id, _ = setup_poll(app, meeting, clock, 2, rule="majority_present")
    with unit(app) as s:
        (late,) = [m for m in owners(s, 3)][2:]
        members.sign_in(s, s.get(Meeting, meeting.id), late, SignInChannel.KIOSK, clock.now)  # type: ignore[arg-type]
    with pytest.raises(Refusal) as refused:
        vote(app, poll_id, late, "for")
    assert refused.value.problem == Problem.NOT_PRESENT_AT_OPENING


def test_the_latest_photo_of_a_card_becomes_a_ballot_unless_its_holder_voted_already(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    poll_id, (a, b, c) = setup_poll(app, meeting, clock, 3)
    vote(app, poll_id, c, "for")
    with unit(app) as s:
        for number, member in ((1, a), (2, b), (3, c)):
            s.add(CardAssignment(meeting_id=meeting.id, number=number, member_id=member))
        for photo, number, answer in (
            (1, 1, "A"),
            (2, 1, "B"),
            (1, 2, "C"),
            (2, 3, "A"),
            (2, 9, "A"),
        ):
            s.add(
                CardReading(
                    poll_id=poll_id,
                    photo=photo,
                    number=number,
                    answer=answer,
                    taken_at=clock.now + timedelta(seconds=photo),
                )
            )
    with unit(app) as s:
        poll = s.get(Poll, poll_id)
        problems = close_poll(s, poll, KEY, clock.now)  # type: ignore[arg-type]
        tallies = poll.result["tallies"]  # type: ignore[index,union-attr]
        assert (
            tallies["for"]["headcount"],
            tallies["against"]["headcount"],
            tallies["abstain"]["headcount"],
        ) == (1, 1, 1)
        assert {p["card"]: p["problem"] for p in problems} == {3: "already_voted", 9: "unassigned"}


def test_a_choice_poll_refuses_too_many_choices(app: Flask, meeting: Meeting, clock: Clock) -> None:
    poll_id, (a, *_) = setup_poll(
        app,
        meeting,
        clock,
        2,
        kind=PollKind.CHOICE,
        options=("方案一", "方案二", "方案三"),
        max_choices=2,
    )
    with unit(app) as s:
        poll = s.get(Poll, poll_id)
        with pytest.raises(Refusal) as refused:
            cast_ballot(s, poll, Vote(a, ("方案一", "方案二", "方案三"), PHONE), KEY, clock.now)  # type: ignore[arg-type]
        assert refused.value.problem == Problem.BAD_CHOICE
        assert cast_ballot(
            s, poll, Vote(a, ("方案二", "方案一"), ASSISTED, helper="张记录"), KEY, clock.now
        ).receipt  # type: ignore[arg-type]


def test_the_result_is_explained_in_words_in_chinese_and_english(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    from meeting_room.voting.snapshot import poll_view

    poll_id, people = setup_poll(
        app, meeting, clock, 4, rule="art278_major", weighting="area", eligibility="owners"
    )
    for person in people:
        vote(app, poll_id, person, "for")
    with unit(app) as s:
        poll = s.get(Poll, poll_id)
        assert poll is not None
        close_poll(s, poll, KEY, clock.now)
        words = poll_view(s, poll, clock.now).explanation
    assert words is not None
    assert words["zh_CN"].startswith("未通过：参与表决面积占比 ")
    assert "< 2/3" in words["zh_CN"] and "同意人数占比 100.0% ≥ 3/4" in words["zh_CN"]
    assert words["en"].startswith("Not passed: participating area ")


def test_a_custom_weighted_result_names_the_weight_in_its_words(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    from meeting_room.voting.snapshot import poll_view

    poll_id, people = setup_poll(app, meeting, clock, 3, weighting="custom")
    for person in people:
        vote(app, poll_id, person, "for")
    with unit(app) as s:
        poll = s.get(Poll, poll_id)
        assert poll is not None
        close_poll(s, poll, KEY, clock.now)
        words = poll_view(s, poll, clock.now).explanation
    assert words is not None
    assert words["en"] == "Passed: weight in favour 100.0% > 1/2"
    assert "custom" not in words["zh_CN"] and "approval" not in words["zh_CN"]
