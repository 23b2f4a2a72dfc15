"""A voting period through the real app and database: the base fixed at opening (refused in
words where the roster cannot say), one unit one ballot per matter from every channel (the
second refused and kept, or standing when the hall says so), the room's named poll recorded
per unit when it closes, then closing, the preliminary result, an objection answered and the
final result, every step audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from meeting_room.assembly import service
from meeting_room.assembly.room import link_poll
from meeting_room.domain.assembly import Channel, MatterKind, PeriodState, SecondBallot
from meeting_room.domain.counting import YesNo
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.store.models.assembly import (
    ExclusiveUnit,
    PeriodMatter,
    UnitBallot,
    VotingPeriod,
)
from meeting_room.store.models.audit import AuditEntry
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member
from tests.conftest import Clock, logged_in, unit

MATTERS = (
    service.MatterIn("使用维修资金更换7栋电梯", MatterKind.FUND_USE),
    service.MatterIn("筹集维修资金", MatterKind.FUND_RAISING),
)


def draft(clock: Clock, **settings: object) -> service.PeriodDraft:
    """A period of two weeks from now with the two matters."""
    return service.PeriodDraft(
        title="2026年第二次业主大会",
        opens_at=clock.now,
        closes_at=clock.now + timedelta(days=14),
        matters=MATTERS,
        **settings,  # type: ignore[arg-type]
    )


def opened(app: Flask, clock: Clock, **settings: object) -> tuple[int, list[int], list[int]]:
    """A period opened on the demo roster (each unit its own owner, confirmed): its id, its
    matters' ids and its units' ids."""
    with app.app_context():
        period_id = service.create_period(draft(clock, **settings), "clerk")
        service.open_period(period_id, "clerk", assume_owners=True)
    with unit(app) as s:
        matters = list(
            s.scalars(select(PeriodMatter.id).where(PeriodMatter.period_id == period_id))
        )
        units = list(
            s.scalars(
                select(ExclusiveUnit.id)
                .where(ExclusiveUnit.period_id == period_id)
                .order_by(ExclusiveUnit.id)
            )
        )
    return period_id, matters, units


def test_the_rule_follows_the_matter_using_the_fund_ordinary_raising_it_major(
    app: Flask, clock: Clock
) -> None:
    _, matters, _ = opened(app, clock)
    with unit(app) as s:
        rules = [s.get(PeriodMatter, m).rule.value for m in matters]  # type: ignore[union-attr]
    assert rules == ["art278_ordinary", "art278_major"]


def test_opening_on_a_roster_without_owner_keys_is_refused_in_words_until_confirmed(
    app: Flask, clock: Clock
) -> None:
    with app.app_context():
        period_id = service.create_period(draft(clock), "clerk")
        with pytest.raises(Refusal) as refused:
            service.open_period(period_id, "clerk")
    assert refused.value.problem is Problem.PERIOD_NO_OWNER_KEY
    with app.test_request_context("/?lang=en"):
        from meeting_room.web.messages import describe

        assert "owner_key" in describe(refused.value)
    with unit(app) as s:
        period = s.get(VotingPeriod, period_id)
        assert period is not None and period.state is PeriodState.DRAFT
        assert not s.scalars(select(ExclusiveUnit.id)).first()  # nothing half-fixed
    with app.app_context():
        units = service.open_period(period_id, "clerk", assume_owners=True)
    with unit(app) as s:
        period = s.get(VotingPeriod, period_id)
        assert period is not None and period.owners_assumed == units > 0


def test_a_roster_with_owner_keys_merges_one_buyers_units_and_co_owners(
    app: Flask, clock: Clock
) -> None:
    with unit(app) as s:
        owners = list(
            s.scalars(
                select(Member).where(Member.group.in_(("业主", "业委会"))).order_by(Member.id)
            )
        )
        for member in owners:
            member.owner_key = f"O{member.id}"
        owners[0].owner_key = owners[1].owner_key = "BUYER"  # one buyer, two units
        owners[2].unit_key = owners[3].unit_key = "U-CO"  # co-owners of one unit
        owners[3].area_m2 = owners[2].area_m2
        owners[4].is_developer = owners[5].is_developer = True
        first_ids = [m.id for m in owners[:6]]
    with app.app_context():
        period_id = service.create_period(draft(clock), "clerk")
        service.open_period(period_id, "clerk")
    with unit(app) as s:
        units = list(s.scalars(select(ExclusiveUnit).where(ExclusiveUnit.period_id == period_id)))
        co = [u for u in units if u.unit_key == "U-CO"]
        assert len(co) == 1 and sorted(co[0].member_ids) == sorted(first_ids[2:4])
        assert sum(u.owner_key == "BUYER" for u in units) == 2
        assert sum(u.is_developer for u in units) == 2
        assert all(u.owner_key != "" for u in units)


def test_one_unit_one_ballot_per_matter_the_second_refused_and_kept(
    app: Flask, clock: Clock
) -> None:
    period_id, matters, units = opened(app, clock)
    with app.app_context():
        first = service.record_unit_ballot(
            period_id, units[0], {matters[0]: YesNo.FOR}, Channel.PAPER, "扫描", evidence="S1"
        )
        clock.advance(60)
        second = service.record_unit_ballot(
            period_id,
            units[0],
            {matters[0]: YesNo.AGAINST, matters[1]: YesNo.FOR},
            Channel.OFFICE,
            "clerk",
        )
    assert first.fates == {matters[0]: service.Fate.STANDS}
    assert second.fates == {matters[0]: service.Fate.REFUSED, matters[1]: service.Fate.STANDS}
    assert second.earlier_channels == {matters[0]: Channel.PAPER}
    with unit(app) as s:
        kept = list(s.scalars(select(UnitBallot).where(UnitBallot.matter_id == matters[0])))
        assert [(b.choice, b.standing, b.note) for b in kept] == [
            (YesNo.FOR, True, ""),
            (YesNo.AGAINST, False, service.REFUSED),
        ]
        logged = s.scalars(select(AuditEntry.kind).where(AuditEntry.kind == "unit_ballots.insert"))
        assert len(logged.all()) == 3


def test_when_the_hall_says_the_latest_stands_the_earlier_is_superseded_not_deleted(
    app: Flask, clock: Clock
) -> None:
    period_id, matters, units = opened(app, clock, second_ballot=SecondBallot.LATEST_STANDS)
    with app.app_context():
        service.record_unit_ballot(period_id, units[1], {matters[0]: YesNo.FOR}, by="clerk")
        again = service.record_unit_ballot(
            period_id, units[1], {matters[0]: YesNo.AGAINST}, by="clerk"
        )
    assert again.fates == {matters[0]: service.Fate.REPLACED}
    with unit(app) as s:
        kept = list(s.scalars(select(UnitBallot).where(UnitBallot.unit_id == units[1])))
        assert [(b.choice, b.standing) for b in kept] == [
            (YesNo.FOR, False),
            (YesNo.AGAINST, True),
        ]


def test_a_ballot_after_the_period_ends_or_of_another_period_is_refused(
    app: Flask, clock: Clock
) -> None:
    period_id, matters, units = opened(app, clock)
    _, _, other_units = opened(app, clock)
    with app.app_context():
        with pytest.raises(Refusal) as wrong_unit:
            service.record_unit_ballot(period_id, other_units[0], {matters[0]: YesNo.FOR})
        assert wrong_unit.value.problem is Problem.UNIT_NOT_FOUND
        clock.advance(14 * 24 * 3600)
        with pytest.raises(Refusal) as late:
            service.record_unit_ballot(period_id, units[0], {matters[0]: YesNo.FOR})
        assert late.value.problem is Problem.PERIOD_STATE


def test_a_named_poll_put_to_a_matter_records_each_voters_unit_when_it_closes(
    app: Flask, clock: Clock, meeting: Meeting
) -> None:
    period_id, matters, units = opened(app, clock, meeting_id=meeting.id)
    api = logged_in(app)
    with unit(app) as s:
        owner = s.scalars(select(ExclusiveUnit).where(ExclusiveUnit.id == units[2])).one()
        member_id = owner.member_ids[0]
        tail = s.get(Member, member_id).phone_tail  # type: ignore[union-attr]
    signed = api.post(
        f"/api/v1/meetings/{meeting.id}/sign-in", json={"member_id": member_id, "phone_tail": tail}
    )
    assert signed.status_code == 200, signed.get_json()
    question = {"question": "是否同意使用维修资金更换7栋电梯？", "rule": "art278_ordinary"}
    secret = api.post(
        f"/api/v1/meetings/{meeting.id}/polls", json={**question, "eligibility": "owners"}
    ).get_json()
    named = api.post(
        f"/api/v1/meetings/{meeting.id}/polls",
        json={**question, "eligibility": "owners", "secret": False},
    ).get_json()
    with unit(app) as s:
        from meeting_room.store.models.voting import Poll

        matter = s.get(PeriodMatter, matters[0])
        assert matter is not None
        with pytest.raises(Refusal):
            link_poll(s, matter, s.get(Poll, secret["id"]))  # type: ignore[arg-type]
        link_poll(s, matter, s.get(Poll, named["id"]))  # type: ignore[arg-type]
    assert api.post(f"/api/v1/polls/{named['id']}/open").status_code == 200
    cast = api.post(
        f"/api/v1/polls/{named['id']}/assisted",
        json={"member_id": member_id, "choices": ["against"], "helper": "王记录"},
    )
    assert cast.status_code == 200, cast.get_json()
    assert api.post(f"/api/v1/polls/{named['id']}/close").status_code == 200
    with unit(app) as s:
        recorded = s.scalars(select(UnitBallot).where(UnitBallot.period_id == period_id)).one()
        assert (recorded.unit_id, recorded.matter_id) == (units[2], matters[0])
        assert (recorded.choice, recorded.channel, recorded.standing) == (
            YesNo.AGAINST,
            Channel.ASSISTED,
            True,
        )


def test_close_preliminary_objection_answered_then_final(app: Flask, clock: Clock) -> None:
    period_id, matters, units = opened(app, clock, objection_days=3)
    with app.app_context():
        for unit_id in units:
            service.record_unit_ballot(
                period_id, unit_id, {matters[0]: YesNo.FOR, matters[1]: YesNo.AGAINST}, by="c"
            )
        service.close_period(period_id, "clerk")
        service.publish_preliminary(period_id, "clerk")
        objection = service.lodge_objection(
            period_id, "我家的选票没有收到", "clerk", unit_id=units[0]
        )
        with pytest.raises(Refusal) as unanswered:
            service.publish_final(period_id, "clerk")
        assert unanswered.value.params["state"] == "objections_open"
        service.answer_objection(objection, "已核实：选票于12月1日送达并签收。", "clerk")
        with pytest.raises(Refusal) as early:
            service.publish_final(period_id, "clerk")
        assert early.value.params["state"] == "window_open"
        clock.advance(3 * 24 * 3600)
        with pytest.raises(Refusal) as late:
            service.lodge_objection(period_id, "太晚了", "board")
        assert late.value.problem is Problem.OBJECTION_WINDOW_CLOSED
        service.publish_final(period_id, "clerk")
    with unit(app) as s:
        period = s.get(VotingPeriod, period_id)
        assert period is not None and period.state is PeriodState.FINAL and period.final
        verdicts = [m["passed"] for m in period.final["matters"]]
        assert verdicts == [True, False]
        kinds = {e.subject.split(":")[0] for e in s.scalars(select(AuditEntry))}
        assert {"voting_periods", "period_objections", "exclusive_units"} <= kinds


def test_a_proxys_ballot_in_the_room_is_the_represented_owners_unit_with_its_channel(
    app: Flask, clock: Clock, meeting: Meeting
) -> None:
    from meeting_room.assembly.room import record_closed_poll
    from meeting_room.domain.words import BallotChannel, Eligibility, PollKind, PollStatus
    from meeting_room.store.models.voting import Ballot, Participation, Poll

    period_id, matters, units = opened(app, clock, meeting_id=meeting.id)
    with unit(app) as s:
        represented = s.get(ExclusiveUnit, units[3])
        assert represented is not None
        member_id = represented.member_ids[0]
        poll = Poll(
            meeting_id=meeting.id, question="事项一", kind=PollKind.YES_NO, options=[],
            eligibility=Eligibility.OWNERS, groups=[], secret=False, weighting="area",
            rule="art278_ordinary", status=PollStatus.OPEN, created_at=clock.now,
        )  # fmt: skip
        s.add(poll)
        s.flush()
        link_poll(s, s.get(PeriodMatter, matters[0]), poll)  # type: ignore[arg-type]
        s.add(Participation(poll_id=poll.id, member_id=member_id,
                            channel=BallotChannel.PHONE, by_proxy=True))  # fmt: skip
        s.add(Ballot(key="k1", poll_id=poll.id, receipt="AAAA2222", choices=["abstain"],
                     member_id=member_id, cast_at=clock.now))  # fmt: skip
        poll.status = PollStatus.CLOSED
        poll.closed_at = clock.now
        s.flush()
        record_closed_poll(s, poll)
    with unit(app) as s:
        recorded = s.scalars(select(UnitBallot).where(UnitBallot.period_id == period_id)).one()
        assert (recorded.unit_id, recorded.choice, recorded.channel, recorded.member_id) == (
            units[3],
            YesNo.ABSTAIN,
            Channel.PROXY,
            member_id,
        )
