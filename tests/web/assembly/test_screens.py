"""The clerk's assembly screens and the board's result page through the real app: each form
posts, changes what it says, and comes back with what happened in words; refusals in words."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from meeting_room.clock import local
from meeting_room.store.models.assembly import ExclusiveUnit, PeriodMatter, VotingPeriod
from meeting_room.store.models.roster import Member
from tests.conftest import Clock, logged_in, unit


def _local(app: Flask, clock: Clock, days: int = 0) -> str:
    with app.app_context():
        return local(clock.now + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def test_a_whole_period_through_the_clerks_forms_and_the_board(app: Flask, clock: Clock) -> None:
    clerk = logged_in(app, "clerk")
    made = clerk.post(
        "/clerk/assembly",
        data={
            "title": "2026年第二次业主大会",
            "opens_at": _local(app, clock),
            "closes_at": _local(app, clock, 14),
            "objection_days": "3",
            "matter_1": "使用维修资金更换7栋电梯",
            "kind_1": "fund_use",
            "matter_2": "利用小区广场开设便民市场",
            "kind_2": "common_parts_use",
            "second_ballot": "first_stands",
            "publish_mode": "named",
        },
    )
    assert made.status_code == 302
    with unit(app) as s:
        period = s.scalars(select(VotingPeriod)).one()
        period_id = period.id
        kinds = [m.rule.value for m in s.scalars(select(PeriodMatter).order_by(PeriodMatter.id))]
    assert kinds == ["art278_ordinary", "art278_major"]
    page = clerk.get(f"/clerk/assembly/{period_id}").get_data(as_text=True)
    assert "第5项：使用建筑物及其附属设施的维修资金" in page

    refused = clerk.post(f"/clerk/assembly/{period_id}/open", follow_redirects=True)
    assert "owner_key" in refused.get_data(as_text=True)
    opened = clerk.post(
        f"/clerk/assembly/{period_id}/open", data={"assume_owners": "1"}, follow_redirects=True
    )
    assert "表决期已开始" in opened.get_data(as_text=True)
    with unit(app) as s:
        units = list(s.scalars(select(ExclusiveUnit).where(ExclusiveUnit.period_id == period_id)))
        matters = list(s.scalars(select(PeriodMatter).order_by(PeriodMatter.id)))
        first = units[0]
        owner = s.get(Member, first.member_ids[0])
        assert owner is not None
        address, tail = first.address, owner.phone_tail
    ballot = {"unit": address, f"choice_{matters[0].id}": "for", f"choice_{matters[1].id}": "for"}
    recorded = clerk.post(
        f"/clerk/assembly/{period_id}/ballots", data=ballot, follow_redirects=True
    )
    assert first.receipt in recorded.get_data(as_text=True)
    again = clerk.post(
        f"/clerk/assembly/{period_id}/ballots",
        data={**ballot, f"choice_{matters[0].id}": "against", "channel": "paper"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "事项1不予计入：该户已表决（办公室代录）" in again  # the first stands
    unknown = clerk.post(
        f"/clerk/assembly/{period_id}/ballots",
        data={**ballot, "unit": "99栋9单元999"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "该房屋不在本表决期的表决基数中" in unknown

    for step in ("close", "preliminary"):
        assert clerk.post(f"/clerk/assembly/{period_id}/{step}").status_code == 302
    board = app.test_client()
    shown = board.get(f"/board/assembly/{period_id}").get_data(as_text=True)
    assert "初步统计结果" in shown and "第二百七十八条" in shown and address in shown
    assert tail not in shown.replace(first.receipt, "")  # no phone digits published
    wrong = board.post(
        f"/board/assembly/{period_id}/objections",
        data={"unit": address, "tail": "0000" if tail != "0000" else "1111", "text": "x"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "不符" in wrong
    lodged = board.post(
        f"/board/assembly/{period_id}/objections",
        data={"unit": address, "tail": tail, "text": "我家选了反对，为何记为同意？"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "我家选了反对" in lodged
    desk = clerk.get(f"/clerk/assembly/{period_id}").get_data(as_text=True)
    assert "我家选了反对" in desk
    with unit(app) as s:
        from meeting_room.store.models.assembly import Objection

        objection_id = s.scalars(select(Objection.id)).one()
    clerk.post(
        f"/clerk/assembly/{period_id}/objections/{objection_id}/answer",
        data={"answer": "经核对纸质选票原件，该户先以纸质选票表决同意，后交的选票不计。"},
    )
    clock.advance(3 * 24 * 3600)
    assert clerk.post(f"/clerk/assembly/{period_id}/final").status_code == 302
    final = board.get(f"/board/assembly/{period_id}").get_data(as_text=True)
    assert "最终结果" in final and "经核对纸质选票原件" in final
    assert "2026年第二次业主大会" in board.get("/board").get_data(as_text=True)


def test_the_board_shows_nothing_before_the_result_is_published(app: Flask, clock: Clock) -> None:
    from meeting_room.assembly import service
    from meeting_room.domain.assembly import MatterKind

    with app.app_context():
        period_id = service.create_period(
            service.PeriodDraft(
                "未公布的表决",
                clock.now,
                clock.now + timedelta(days=1),
                [service.MatterIn("事项", MatterKind.OTHER)],
            ),
            "clerk",
        )
    shown = app.test_client().get(f"/board/assembly/{period_id}")
    assert shown.status_code >= 400
    assert "未公布的表决" not in shown.get_data(as_text=True)


def test_the_desk_says_when_the_period_has_ended_and_refuses_a_late_ballot_in_words(
    app: Flask, clock: Clock
) -> None:
    from meeting_room.assembly import service
    from meeting_room.domain.assembly import MatterKind

    with app.app_context():
        period_id = service.create_period(
            service.PeriodDraft(
                "业主大会",
                clock.now,
                clock.now + timedelta(days=1),
                [service.MatterIn("事项", MatterKind.OTHER)],
            ),
            "clerk",
        )
        service.open_period(period_id, "clerk", assume_owners=True)
    clerk = logged_in(app, "clerk")
    assert "表决期已截止" not in clerk.get(f"/clerk/assembly/{period_id}").get_data(as_text=True)
    clock.advance(24 * 3600)
    page = clerk.get(f"/clerk/assembly/{period_id}").get_data(as_text=True)
    assert "表决期已截止，会场和办公室不再接收选票" in page
    with unit(app) as s:
        address = s.scalars(select(ExclusiveUnit)).first().address  # type: ignore[union-attr]
        matter = s.scalars(select(PeriodMatter.id)).one()
    late = clerk.post(
        f"/clerk/assembly/{period_id}/ballots",
        data={"unit": address, f"choice_{matter}": "for"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "表决期目前不能进行此操作：收票已截止，公布初步统计结果前只计入票箱中的纸质选票" in late


def test_a_hall_that_publishes_receipts_only_shows_no_address_on_the_board(
    app: Flask, clock: Clock
) -> None:
    from meeting_room.assembly import service
    from meeting_room.domain.assembly import MatterKind, PublishMode
    from meeting_room.domain.counting import YesNo

    with app.app_context():
        period_id = service.create_period(
            service.PeriodDraft(
                "业主大会",
                clock.now,
                clock.now + timedelta(days=1),
                [service.MatterIn("选聘物业", MatterKind.PROPERTY_MANAGER)],
                publish_mode=PublishMode.RECEIPTS,
            ),
            "clerk",
        )
        service.open_period(period_id, "clerk", assume_owners=True)
        with unit(app) as s:
            first = s.scalars(select(ExclusiveUnit)).first()
            assert first is not None
            matter = s.scalars(select(PeriodMatter.id)).one()
        recorded = service.record_unit_ballot(period_id, first.id, {matter: YesNo.AGAINST})
        service.close_period(period_id, "clerk")
        service.publish_preliminary(period_id, "clerk")
    shown = app.test_client().get(f"/board/assembly/{period_id}").get_data(as_text=True)
    assert recorded.receipt in shown and "回执码" in shown
    assert first.address not in shown


def test_a_hall_whose_rules_count_non_voters_as_agreeing_has_it_said_in_the_result(
    app: Flask, clock: Clock
) -> None:
    from meeting_room.assembly import service
    from meeting_room.domain.assembly import MatterKind

    with app.app_context():
        period_id = service.create_period(
            service.PeriodDraft(
                "业主大会",
                clock.now,
                clock.now + timedelta(days=1),
                [service.MatterIn("制定管理规约", MatterKind.MANAGEMENT_STATUTE)],
                non_voters_agree=True,
            ),
            "clerk",
        )
        units = service.open_period(period_id, "clerk", assume_owners=True)
        service.close_period(period_id, "clerk")
        service.publish_preliminary(period_id, "clerk")
    shown = app.test_client().get(f"/board/assembly/{period_id}").get_data(as_text=True)
    assert "视为同意（属本小区规则，并非国家法律规定）" in shown
    assert f"本事项中有{units}套、{units}人按同意计算" in shown
    assert 'data-passed="true"' in shown  # everyone deemed for: passed, and said why
