"""Phone ballots in bulk give the answers and rows that one ballot at a time gives.

The same ballots (new, resent, changed, refused for every reason a phone can meet) go into two
identical polls: into the first one at a time through ``cast_ballot`` (the single-ballot path),
into the second in batches through ``cast_many``. Answers, participations, ballots, tallies
and audit entries must match.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.attendance import members
from meeting_room.attendance.tokens import attendance_by_token
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import (
    BallotChannel,
    Eligibility,
    MemberGroup,
    Presence,
    SignInChannel,
)
from meeting_room.meetings.meetings import MeetingDraft, create_meeting
from meeting_room.store.audit import verify_log
from meeting_room.store.group_commit import GroupCommit, _Entry
from meeting_room.store.models.audit import AuditEntry
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.models.voting import Ballot, BallotChange, Participation, Poll, PollTally
from meeting_room.voting import service
from meeting_room.voting.ballot_batch import PhoneVote, cast_many
from meeting_room.voting.ballots import Cast, Vote, cast_ballot
from meeting_room.voting.polls import PollDraft, create_poll, open_poll
from meeting_room.voting.results import close_poll
from tests.conftest import Clock, unit

KEY = "test-secret"


@dataclass
class Hall:
    """Who holds which personal token, in the meeting under test and another one."""

    tokens: dict[str, str]


def members_of(s: Session, group: MemberGroup, n: int) -> list[int]:
    query = select(Member.id).where(Member.group == group).order_by(Member.id).limit(n)
    return list(s.scalars(query))


def set_up_hall(app: Flask, meeting: Meeting, clock: Clock) -> Hall:
    """Owners a–f and committee member k signed in; x signed in and out again; d also holds a
    token of a second meeting; z is signed in only at the second meeting."""
    tokens: dict[str, str] = {}
    with unit(app) as s:
        here = s.get(Meeting, meeting.id)
        assert here is not None
        owners = members_of(s, MemberGroup.OWNER, 8)
        (committee,) = members_of(s, MemberGroup.OWNERS_COMMITTEE, 1)
        names = dict(zip("abcdefxz", owners, strict=True)) | {"k": committee}
        for name in "abcdefxk":
            tokens[name] = members.sign_in(
                s, here, names[name], SignInChannel.CLERK, clock.now
            ).token
        members.sign_out(s, here, names["x"], clock.now)
        other = create_meeting(
            s,
            MeetingDraft(
                title="另一场会议",
                starts_at=clock.now + timedelta(minutes=40),
                venue="幸福里社区议事厅",
                eligible_groups=(MemberGroup.OWNER,),
            ),
            clock.now,
        )
        for name in "dz":
            tokens[name + "2"] = members.sign_in(
                s, other, names[name], SignInChannel.CLERK, clock.now
            ).token
    return Hall(tokens)


# (who, choices, client id): every kind of answer a phone can get.
SCRIPT: list[tuple[str, tuple[str, ...], str]] = [
    ("a", ("for",), "ballot-a-1"),
    ("b", ("against",), "ballot-b-1"),
    ("a", ("for",), "ballot-a-1"),  # resent at once, in the same batch
    ("a", ("against",), "ballot-a-2"),  # a second ballot: refused, or (named) a change
    ("x", ("for",), "ballot-x-1"),  # signed out: the token is void
    ("nobody", ("for",), "ballot-n-1"),  # no such token
    ("c", ("maybe",), "ballot-c-1"),  # not an option
    ("c", ("for", "against"), "ballot-c-2"),  # too many choices
    ("k", ("for",), "ballot-k-1"),  # not in this poll's base (owners only)
    ("d2", ("abstain",), "ballot-d-1"),  # d's token of the other meeting: d is here too
    ("z2", ("for",), "ballot-z-1"),  # z is not signed in here
    ("e", ("abstain",), "ballot-e-1"),
    ("a", ("abstain",), "ballot-a-3"),  # (named) changed again, after a change in the batch
    # -- the second batch starts here --
    ("e", ("abstain",), "ballot-e-1"),  # resent in a later batch
    ("e", ("for",), "ballot-e-2"),
    ("b", ("against",), "ballot-b-1"),
    ("f", ("for",), "ballot-f-1"),
    ("a", ("for",), "ballot-a-2"),  # an earlier id again
]
SECOND_BATCH = 13


def open_new_poll(app: Flask, meeting: Meeting, clock: Clock, secret: bool) -> int:
    with unit(app) as s:
        here = s.get(Meeting, meeting.id)
        assert here is not None
        draft = PollDraft(
            question="加装电梯方案是否通过？",
            secret=secret,
            eligibility=Eligibility.GROUPS,
            groups=(MemberGroup.OWNER,),
        )
        poll = create_poll(s, here, draft, clock.now)
        open_poll(s, here, poll, clock.now)
        return poll.id


def one_at_a_time(app: Flask, poll_id: int, token: str, vote: tuple[str, ...], cid: str) -> Any:
    """The phone path before batches: the token looked up, then ``cast_ballot``."""
    try:
        with unit(app) as s:
            row = attendance_by_token(s, token)
            poll = s.get(Poll, poll_id)
            assert poll is not None
            ballot = Vote(
                row.member_id,
                vote,
                BallotChannel.PHONE,
                client_id=cid,
                by_proxy=row.presence == Presence.PROXY,
            )
            return cast_ballot(s, poll, ballot, KEY, app.config["CLOCK"].now)
    except Refusal as refusal:
        return refusal


def in_batches(app: Flask, poll_id: int, votes: Sequence[PhoneVote]) -> list[Cast | Refusal]:
    answers: list[Cast | Refusal] = []
    for batch in (votes[:SECOND_BATCH], votes[SECOND_BATCH:]):
        with unit(app) as s:
            poll = s.get(Poll, poll_id)
            assert poll is not None
            answers += cast_many(s, poll, batch, KEY, app.config["CLOCK"].now)
    return answers


def answer(outcome: Any, receipts: dict[str, str]) -> tuple[object, ...]:
    """An answer without the poll: the ballot id a receipt belongs to, or the refusal."""
    if isinstance(outcome, Refusal):
        return ("refused", outcome.problem, tuple(sorted(outcome.params.items())))
    assert isinstance(outcome, Cast)
    return (receipts[outcome.receipt], outcome.replaced, outcome.repeated)


def _without_poll(detail: str) -> str:
    fields = json.loads(detail)
    fields.pop("poll_id")
    fields.pop("id", None)
    return json.dumps(fields, sort_keys=True)


def stored(s: Session, poll_id: int) -> dict[str, object]:
    """What a poll holds, without its id."""
    participations = sorted(
        (p.member_id, p.channel, p.by_proxy, p.client_hash)
        for p in s.scalars(select(Participation).where(Participation.poll_id == poll_id))
    )
    ballots = Counter(
        (tuple(b.choices), b.member_id)
        for b in s.scalars(select(Ballot).where(Ballot.poll_id == poll_id))
    )
    tallies = sorted(
        (t.option, t.headcount, t.area_m2, t.weight)
        for t in s.scalars(select(PollTally).where(PollTally.poll_id == poll_id))
    )
    changes = sorted(
        (c.member_id, tuple(c.before), tuple(c.after))
        for c in s.scalars(select(BallotChange).where(BallotChange.poll_id == poll_id))
    )
    audited = Counter(
        (e.kind, e.subject.partition("/")[2], _without_poll(e.detail))
        for e in s.scalars(select(AuditEntry))
        if e.subject.startswith(f"poll_participation:{poll_id}/")
        or (e.kind.startswith("ballot_changes") and json.loads(e.detail)["poll_id"] == poll_id)
    )
    return {
        "participations": participations,
        "ballots": ballots,
        "tallies": tallies,
        "changes": changes,
        "audited": audited,
    }


@pytest.mark.parametrize("secret", [True, False], ids=["secret", "named"])
def test_a_batch_answers_and_stores_what_one_ballot_at_a_time_does(
    app: Flask, meeting: Meeting, clock: Clock, secret: bool
) -> None:
    hall = set_up_hall(app, meeting, clock)
    tokens = [hall.tokens.get(who, "no-such-token-0000") for who, _, _ in SCRIPT]

    single = open_new_poll(app, meeting, clock, secret)
    singles = [
        one_at_a_time(app, single, token, choices, cid)
        for token, (_, choices, cid) in zip(tokens, SCRIPT, strict=True)
    ]
    with unit(app) as s:
        before = stored(s, single)
        poll = s.get(Poll, single)
        assert poll is not None
        close_poll(s, poll, KEY, clock.now)

    batched = open_new_poll(app, meeting, clock, secret)
    votes = [
        PhoneVote(token, batched, choices, cid)
        for token, (_, choices, cid) in zip(tokens, SCRIPT, strict=True)
    ]
    batches = in_batches(app, batched, votes)

    from meeting_room.voting.ballots import receipt_for

    ids = {cid for _, _, cid in SCRIPT}
    receipts = {receipt_for(KEY, single, cid): cid for cid in ids}
    receipts |= {receipt_for(KEY, batched, cid): cid for cid in ids}
    assert [answer(o, receipts) for o in batches] == [answer(o, receipts) for o in singles]
    with unit(app) as s:
        after = stored(s, batched)
        assert verify_log(s) is None
    assert after == before

    # The script means something: every kind of answer came up.
    problems = {o.problem for o in batches if isinstance(o, Refusal)}
    assert {Problem.TOKEN_UNKNOWN, Problem.BAD_CHOICE, Problem.NOT_ELIGIBLE_TO_VOTE} <= problems
    assert Problem.NOT_SIGNED_IN in problems
    casts = [o for o in batches if isinstance(o, Cast)]
    assert any(c.repeated for c in casts) and sum(not c.repeated for c in casts) >= 5
    if secret:
        assert Problem.ALREADY_VOTED in problems
    else:
        assert any(c.replaced for c in casts)
        assert before["changes"], "the named poll's changes are recorded"


def test_the_group_commit_answers_every_caller_after_one_write_for_many(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    hall = set_up_hall(app, meeting, clock)
    poll_id = open_new_poll(app, meeting, clock, secret=True)
    with unit(app) as s:
        here = s.get(Meeting, meeting.id)
        assert here is not None
        for member_id in members_of(s, MemberGroup.OWNER, 60)[8:]:
            hall.tokens[f"m{member_id}"] = members.sign_in(
                s, here, member_id, SignInChannel.CLERK, clock.now
            ).token
    voters = sorted(set(hall.tokens) - {"x", "k", "d2", "z2"})
    writes: list[int] = []
    held: list[int] = []  # the first batch's size, held until every other caller has queued
    gate = threading.Event()

    def write(votes: Sequence[PhoneVote]) -> list[Cast | Refusal]:
        if not held:  # one writer at a time: only the first batch waits
            held.append(len(votes))
            gate.wait(60)
        writes.append(len(votes))
        with app.app_context():
            return service._write_phone_ballots(votes)

    group: GroupCommit[PhoneVote, Cast] = GroupCommit(write)
    answers: dict[str, Cast | BaseException] = {}

    def phone(who: str) -> None:
        try:
            answers[who] = group.submit(
                PhoneVote(hall.tokens[who], poll_id, ("for",), f"ballot-{who}")
            )
        except Refusal as refusal:
            answers[who] = refusal

    threads = [threading.Thread(target=phone, args=(who,)) for who in voters]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60  # a failure guard: the wait ends when all have queued
    while not held or held[0] + len(group._queue) < len(voters):
        assert time.monotonic() < deadline, "the callers did not all queue"
        threading.Event().wait(0.01)
    gate.set()
    for thread in threads:
        thread.join(10)
    assert sorted(answers) == voters
    assert all(isinstance(a, Cast) and not a.repeated for a in answers.values())
    assert sum(writes) == len(voters) and len(writes) <= 3, writes
    with unit(app) as s:
        tallies = stored(s, poll_id)["tallies"]
        assert isinstance(tallies, list)
        assert {t[0]: t[1] for t in tallies} == {"for": len(voters), "against": 0, "abstain": 0}
        assert verify_log(s) is None


def test_a_batch_that_fails_is_written_again_one_by_one_and_a_refused_one_refuses_all() -> None:
    calls: list[list[int]] = []

    def write(items: Sequence[int]) -> list[int | Refusal]:
        calls.append(list(items))
        if 13 in items and len(items) > 1:
            raise RuntimeError("a bug in one item")
        if items == [13]:
            raise RuntimeError("still broken")
        if 0 in items:
            raise Refusal(Problem.STORAGE_FULL)
        return [item * 2 for item in items]

    group: GroupCommit[int, int] = GroupCommit(write)
    results: dict[int, object] = {}

    def caller(item: int) -> None:
        try:
            results[item] = group.submit(item)
        except Exception as error:
            results[item] = error

    with group._writer:  # the callers queue while a batch is "being written"
        threads = [threading.Thread(target=caller, args=(i,)) for i in (5, 13, 21)]
        for thread in threads:
            thread.start()
        for _ in range(200):
            if len(group._queue) == 3:
                break
            threading.Event().wait(0.01)
    for thread in threads:
        thread.join(5)
    assert results[5] == 10 and results[21] == 42
    assert isinstance(results[13], RuntimeError)
    assert calls[0] == [5, 13, 21] and group.stats.retried_alone == 3
    assert group.submit(4) == 8
    with pytest.raises(Refusal) as refused:
        group.submit(0)
    assert refused.value.problem == Problem.STORAGE_FULL


def test_a_caller_queued_behind_more_than_a_batch_is_answered_after_its_own_write() -> None:
    # Found by `make bench` (a thousand ballots at once, 256 a batch): the caller who took the
    # writer wrote the first batch and returned before its own item, further back, was written.
    calls: list[list[int]] = []

    def write(items: Sequence[int]) -> list[int | Refusal]:
        calls.append(list(items))
        return [item * 2 for item in items]

    group: GroupCommit[int, int] = GroupCommit(write, max_batch=2)
    ahead = [_Entry(item) for item in (1, 2, 3)]  # callers queued before, still waiting
    group._queue.extend(ahead)
    assert group.submit(4) == 8
    assert calls == [[1, 2], [3, 4]]
    assert [entry.outcome for entry in ahead] == [2, 4, 6] and all(e.done for e in ahead)


# -- ballot.cast as a hot event: no request context unless the answer is in words -----------


def phone_ballot(
    app: Flask, meeting: Meeting, lang: str | None = None
) -> tuple[Any, dict[str, Any]]:
    from meeting_room.extensions import socketio
    from tests.web.floor.test_events import sign_in

    _member, token = sign_in(app, meeting, "孙艳娜", "6851")
    query = f"lang={lang}" if lang else None
    phone = socketio.test_client(app, namespace="/phone", query_string=query)
    return phone, {"token": token, "poll_id": 999_999, "choices": ["for"], "client_id": "c0ffee-99"}


@pytest.mark.parametrize(("lang", "words"), [(None, "表决"), ("en", "vote")], ids=["zh", "en"])
def test_a_refused_ballot_is_answered_in_the_phones_language(
    app: Flask, meeting: Meeting, lang: str | None, words: str
) -> None:
    phone, ballot = phone_ballot(app, meeting, lang)
    refused = phone.emit("ballot.cast", ballot, namespace="/phone", callback=True)
    assert refused["error"]["code"] == "poll_not_found"
    assert words in refused["error"]["message"].lower()
    invalid = phone.emit(
        "ballot.cast", {**ballot, "poll_id": "x"}, namespace="/phone", callback=True
    )
    assert invalid["error"]["code"] == "invalid_input" and "poll_id" in invalid["error"]["message"]
    two = phone.emit("ballot.cast", ballot, ballot, namespace="/phone", callback=True)
    assert two["error"]["code"] == "invalid_input"


def test_a_ballot_that_fails_unexpectedly_gets_an_answer_and_the_log_no_token(
    app: Flask, meeting: Meeting, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    phone, ballot = phone_ballot(app, meeting)

    def broken(_vote: PhoneVote) -> Cast:
        raise RuntimeError(f"disk on fire near {ballot['token']}")

    monkeypatch.setattr(service, "cast_from_phone", broken)
    failed = phone.emit("ballot.cast", ballot, namespace="/phone", callback=True)
    assert failed["error"]["code"] == "internal" and failed["error"]["message"]
    assert "RuntimeError" in caplog.text and ballot["token"] not in caplog.text
    assert "ballot.cast" in caplog.text


def test_an_accepted_ballot_costs_no_request_context(
    app: Flask, client: Any, meeting: Meeting, monkeypatch: pytest.MonkeyPatch
) -> None:
    phone, ballot = phone_ballot(app, meeting)
    from tests.web.voting.test_voter_screens import open_poll

    poll = open_poll(client, meeting)
    made: list[object] = []
    real = app.request_context
    monkeypatch.setattr(app, "request_context", lambda environ: made.append(1) or real(environ))
    cast = phone.emit(
        "ballot.cast", {**ballot, "poll_id": poll["id"]}, namespace="/phone", callback=True
    )
    assert len(cast["receipt"]) == 8 and made == []
    again = phone.emit(
        "ballot.cast",
        {**ballot, "poll_id": poll["id"], "client_id": "c0ffee-98"},
        namespace="/phone",
        callback=True,
    )
    assert again["error"]["code"] == "already_voted" and made == [1]
