"""The room's vote knows the assembly matter: the poll form stores which matter of art. 278 it
puts (and only a poll of that matter, put to no other, can be linked to it), and a voter whose
unit already has a standing ballot on the matter (paper, office, another owner of the unit)
hears it when they tap, in words, on the phone and at the booth; the ballot is still kept."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from meeting_room.assembly import service
from meeting_room.assembly.room import link_poll
from meeting_room.domain.assembly import Channel, MatterKind, SecondBallot
from meeting_room.domain.counting import YesNo
from meeting_room.domain.problems import Refusal
from meeting_room.domain.words import MemberGroup
from meeting_room.extensions import socketio
from meeting_room.store.models.assembly import ExclusiveUnit, PeriodMatter, UnitBallot
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.models.voting import Ballot, Poll
from tests.conftest import Clock, logged_in, unit
from tests.web.assembly.test_period import opened

QUESTION = "是否同意使用维修资金更换7栋电梯？"


def poll_of(api: FlaskClient, meeting: Meeting, rule: str, secret: bool = False) -> Any:
    """A poll drafted through the API with the form's "rule:matter" value."""
    return api.post(
        f"/api/v1/meetings/{meeting.id}/polls",
        json={"question": QUESTION, "rule": rule, "eligibility": "owners", "secret": secret},
    )


def test_the_poll_stores_the_matter_picked_and_links_only_to_a_matter_of_that_kind(
    app: Flask, clock: Clock, meeting: Meeting
) -> None:
    _, matters, _ = opened(app, clock, meeting_id=meeting.id)
    api = logged_in(app)
    fund_use = poll_of(api, meeting, "art278_ordinary:fund_use")
    assert fund_use.status_code == 201, fund_use.get_json()
    committee = poll_of(api, meeting, "art278_ordinary:committee").get_json()
    # Raising the fund is a major matter: the ordinary rule cannot put it.
    assert poll_of(api, meeting, "art278_ordinary:fund_raising").status_code in (400, 409, 422)
    with unit(app) as s:
        poll = s.get(Poll, fund_use.get_json()["id"])
        assert poll is not None and poll.matter_kind is MatterKind.FUND_USE
        matter = s.get(PeriodMatter, matters[0])  # 使用维修资金: fund_use
        assert matter is not None and matter.kind is MatterKind.FUND_USE
        with pytest.raises(Refusal):
            link_poll(s, matter, s.get(Poll, committee["id"]))  # type: ignore[arg-type]
        link_poll(s, matter, poll)
    with unit(app) as s:
        assert s.get(PeriodMatter, matters[0]).poll_id == poll.id  # type: ignore[union-attr]


def test_a_poll_is_put_to_one_matter_at_the_most(
    app: Flask, clock: Clock, meeting: Meeting
) -> None:
    from datetime import timedelta

    with app.app_context():
        period_id = service.create_period(
            service.PeriodDraft(
                title="两项普通事项",
                opens_at=clock.now,
                closes_at=clock.now + timedelta(days=7),
                matters=(
                    service.MatterIn("选聘物业", MatterKind.PROPERTY_MANAGER),
                    service.MatterIn("续聘物业", MatterKind.PROPERTY_MANAGER),
                ),
                meeting_id=meeting.id,
            ),
            "clerk",
        )
        service.open_period(period_id, "clerk", assume_owners=True)
    named = poll_of(logged_in(app), meeting, "art278_ordinary:property_manager").get_json()
    with unit(app) as s:
        first, second = s.scalars(
            select(PeriodMatter)
            .where(PeriodMatter.period_id == period_id)
            .order_by(PeriodMatter.position)
        ).all()
        poll = s.get(Poll, named["id"])
        assert poll is not None
        link_poll(s, first, poll)
        s.flush()
        with pytest.raises(Refusal):
            link_poll(s, second, poll)


def signed_in_owner(app: Flask, meeting: Meeting, unit_id: int) -> tuple[int, str]:
    """The unit's owner signed in at the meeting: their id and personal token."""
    api = logged_in(app)
    with unit(app) as s:
        owner = s.get(ExclusiveUnit, unit_id)
        assert owner is not None
        member_id = owner.member_ids[0]
        tail = s.get(Member, member_id).phone_tail  # type: ignore[union-attr]
    signed = api.post(
        f"/api/v1/meetings/{meeting.id}/sign-in", json={"member_id": member_id, "phone_tail": tail}
    )
    assert signed.status_code == 200, signed.get_json()
    return member_id, signed.get_json()["phone_url"].rsplit("/", 1)[-1]


def linked_open_poll(app: Flask, meeting: Meeting, matter_id: int) -> int:
    api = logged_in(app)
    named = poll_of(api, meeting, "art278_ordinary:fund_use").get_json()
    with unit(app) as s:
        link_poll(s, s.get(PeriodMatter, matter_id), s.get(Poll, named["id"]))  # type: ignore[arg-type]
    assert api.post(f"/api/v1/polls/{named['id']}/open").status_code == 200
    return int(named["id"])


def phone_cast(app: Flask, token: str, poll_id: int, choice: str) -> dict[str, Any]:
    phone = socketio.test_client(app, namespace="/phone")
    answer = phone.emit(
        "ballot.cast",
        {"token": token, "poll_id": poll_id, "choices": [choice], "client_id": f"c-{token[:10]}"},
        namespace="/phone",
        callback=True,
    )
    phone.disconnect(namespace="/phone")
    assert isinstance(answer, dict) and answer.get("receipt"), answer
    return answer


def test_a_voter_whose_unit_voted_at_the_office_hears_it_when_they_tap_and_both_are_kept(
    app: Flask, clock: Clock, meeting: Meeting
) -> None:
    period_id, matters, units = opened(app, clock, meeting_id=meeting.id)
    with app.app_context():
        service.record_unit_ballot(period_id, units[2], {matters[0]: YesNo.FOR}, by="王记录")
    member_id, token = signed_in_owner(app, meeting, units[2])
    poll_id = linked_open_poll(app, meeting, matters[0])
    answer = phone_cast(app, token, poll_id, "against")
    with unit(app) as s:
        address = s.get(ExclusiveUnit, units[2]).address  # type: ignore[union-attr]
    assert answer["unit_note"] == {"address": address, "channel": "office", "stands": False}
    with unit(app) as s:  # the room's ballot is kept
        ballot = s.scalars(select(Ballot).where(Ballot.poll_id == poll_id)).one()
        assert (ballot.member_id, ballot.choices) == (member_id, ["against"])
    assert logged_in(app).post(f"/api/v1/polls/{poll_id}/close").status_code == 200
    with unit(app) as s:
        kept = s.scalars(
            select(UnitBallot).where(UnitBallot.unit_id == units[2]).order_by(UnitBallot.id)
        ).all()
    assert [(b.channel, b.choice, b.standing) for b in kept] == [
        (Channel.OFFICE, YesNo.FOR, True),
        (Channel.PHONE, YesNo.AGAINST, False),
    ]


def test_a_voter_of_a_unit_without_a_ballot_hears_nothing_more(
    app: Flask, clock: Clock, meeting: Meeting
) -> None:
    _, matters, units = opened(app, clock, meeting_id=meeting.id)
    _, token = signed_in_owner(app, meeting, units[2])
    poll_id = linked_open_poll(app, meeting, matters[0])
    assert phone_cast(app, token, poll_id, "for")["unit_note"] is None


def test_where_the_latest_ballot_stands_the_voter_hears_theirs_counts_instead(
    app: Flask, clock: Clock, meeting: Meeting
) -> None:
    period_id, matters, units = opened(
        app, clock, meeting_id=meeting.id, second_ballot=SecondBallot.LATEST_STANDS
    )
    with app.app_context():
        service.record_unit_ballot(period_id, units[2], {matters[0]: YesNo.FOR}, Channel.PAPER)
    _, token = signed_in_owner(app, meeting, units[2])
    poll_id = linked_open_poll(app, meeting, matters[0])
    note = phone_cast(app, token, poll_id, "against")["unit_note"]
    assert (note["channel"], note["stands"]) == ("paper", True)


def test_the_booth_says_it_too(app: Flask, clock: Clock, meeting: Meeting) -> None:
    from meeting_room.domain.words import BallotChannel
    from meeting_room.voting import service as voting
    from meeting_room.voting.ballots import Vote

    period_id, matters, units = opened(app, clock, meeting_id=meeting.id)
    with app.app_context():
        service.record_unit_ballot(period_id, units[2], {matters[0]: YesNo.FOR}, Channel.PAPER)
    member_id, _ = signed_in_owner(app, meeting, units[2])
    poll_id = linked_open_poll(app, meeting, matters[0])
    with app.test_request_context():
        cast = voting.cast(poll_id, Vote(member_id, ("abstain",), BallotChannel.BOOTH))
    assert cast.unit_note is not None and cast.unit_note["channel"] == "paper"


def test_the_clerk_entering_an_assisted_vote_is_told_too(
    app: Flask, clock: Clock, meeting: Meeting
) -> None:
    period_id, matters, units = opened(app, clock, meeting_id=meeting.id)
    with app.app_context():
        service.record_unit_ballot(period_id, units[2], {matters[0]: YesNo.AGAINST})
    member_id, _ = signed_in_owner(app, meeting, units[2])
    poll_id = linked_open_poll(app, meeting, matters[0])
    answer = logged_in(app, "clerk").post(
        f"/api/v1/polls/{poll_id}/assisted",
        json={"member_id": member_id, "choices": ["for"], "helper": "王记录"},
    )
    assert answer.status_code == 200, answer.get_json()
    note = answer.get_json()["unit_note"]
    assert (note["channel"], note["stands"]) == ("office", False)


def test_a_co_owner_voting_after_the_other_owner_of_the_unit_hears_it(
    app: Flask, clock: Clock, meeting: Meeting
) -> None:
    with unit(app) as s:  # a second owner of a unit (共有人): the roster lists both
        first = s.scalars(
            select(Member).where(Member.group == MemberGroup.OWNER).order_by(Member.id)
        ).first()
        assert first is not None
        s.add(
            Member(
                member_no="M09999", name="共有人甲", building=first.building, unit=first.unit,
                room=first.room, floor=first.floor, area_m2=first.area_m2, phone_tail="4321",
                group=first.group,
            )
        )  # fmt: skip
        address = f"{first.building}{first.unit}{first.room}"
    period_id, matters, _ = opened(app, clock, meeting_id=meeting.id)
    with unit(app) as s:
        (shared,) = [
            u
            for u in s.scalars(select(ExclusiveUnit).where(ExclusiveUnit.period_id == period_id))
            if u.address == address
        ]
        assert len(shared.member_ids) == 2
        unit_id = shared.id
    tokens = [signed_in_member(app, meeting, m) for m in shared.member_ids]
    poll_id = linked_open_poll(app, meeting, matters[0])
    assert phone_cast(app, tokens[0], poll_id, "for")["unit_note"] is None
    clock.advance(5)
    note = phone_cast(app, tokens[1], poll_id, "against")["unit_note"]
    assert note == {"address": address, "channel": "phone", "stands": False}
    assert logged_in(app).post(f"/api/v1/polls/{poll_id}/close").status_code == 200
    with unit(app) as s:
        kept = s.scalars(
            select(UnitBallot).where(UnitBallot.unit_id == unit_id).order_by(UnitBallot.id)
        ).all()
    assert [(b.choice, b.standing) for b in kept] == [(YesNo.FOR, True), (YesNo.AGAINST, False)]


def signed_in_member(app: Flask, meeting: Meeting, member_id: int) -> str:
    with unit(app) as s:
        tail = s.get(Member, member_id).phone_tail  # type: ignore[union-attr]
    signed = logged_in(app).post(
        f"/api/v1/meetings/{meeting.id}/sign-in", json={"member_id": member_id, "phone_tail": tail}
    )
    assert signed.status_code == 200, signed.get_json()
    return str(signed.get_json()["phone_url"].rsplit("/", 1)[-1])


def test_the_consoles_poll_form_sends_the_matter_with_its_rule(
    app: Flask, meeting: Meeting
) -> None:
    console = socketio.test_client(
        app, namespace="/moderator", flask_test_client=logged_in(app, "moderator")
    )
    answer = console.emit(
        "poll.create",
        {
            "meeting_id": meeting.id,
            "question": "是否同意筹集维修资金？",
            "rule": "art278_major:fund_raising",
            "eligibility": "owners",
        },
        namespace="/moderator",
        callback=True,
    )
    assert answer["poll"]["rule"] == "art278_major", answer
    with unit(app) as s:
        poll = s.get(Poll, answer["poll"]["id"])
        assert poll is not None and poll.matter_kind is MatterKind.FUND_RAISING
    refused = console.emit(
        "poll.create",
        {
            "meeting_id": meeting.id,
            "question": "是否同意使用维修资金？",
            "rule": "art278_major:fund_use",  # using the fund is an ordinary matter
            "eligibility": "owners",
        },
        namespace="/moderator",
        callback=True,
    )
    assert "error" in refused


def test_a_draft_vote_keeps_its_matter_in_the_preparation_form(
    app: Flask, draft_meeting: Meeting
) -> None:
    client = logged_in(app, "clerk")
    base = f"/clerk/prepare/{draft_meeting.id}/polls"
    fields = {"question": QUESTION, "kind": "yes_no", "eligibility": "owners"}
    client.post(base, data={**fields, "rule": "art278_ordinary:fund_use", "weighting": "area"})
    with unit(app) as s:
        (poll,) = s.scalars(select(Poll).where(Poll.meeting_id == draft_meeting.id)).all()
        assert (poll.rule, poll.matter_kind) == ("art278_ordinary", MatterKind.FUND_USE)
    page = client.get(f"/clerk/prepare/{draft_meeting.id}").get_data(as_text=True)
    form = page[page.index(f'id="poll-{poll.id}"') :]
    start = form.index('name="rule"')
    selected = form[start : form.index("</select>", start)]
    # Item 5 is chosen again, not item 1 (the first matter under the same ordinary rule).
    assert 'value="art278_ordinary:fund_use" data-rule="art278_ordinary" data-matter="5"' in (
        selected
    )
    chosen = selected.split(" selected>")[0].rsplit("<option", 1)[1]
    assert "fund_use" in chosen


def test_the_matter_voted_on_is_in_the_poll_and_in_the_minutes(
    app: Flask, clock: Clock, meeting: Meeting
) -> None:
    api = logged_in(app)
    poll = poll_of(api, meeting, "art278_major:fund_raising").get_json()
    assert (poll["rule"], poll["matter_kind"]) == ("art278_major", "fund_raising")
    assert poll_of(api, meeting, "simple_majority").get_json()["matter_kind"] is None
    for step in ("open", "close"):
        answer = api.post(f"/api/v1/polls/{poll['id']}/{step}", json={})
        assert answer.status_code == 200, answer.get_json()
    # The minutes name the matter beside the rule: it is what set the threshold (3/4).
    for lang, words in (
        ("en", "item 6: raising the maintenance fund of the building"),
        ("zh_CN", "第6项：筹集建筑物及其附属设施的维修资金"),
    ):
        page = api.get(f"/board/meetings/{meeting.id}/minutes?lang={lang}").get_data(as_text=True)
        assert words in page, lang
