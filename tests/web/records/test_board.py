"""The notice board: agendas to come and their notice, results held, the action list overdue
first, published minutes, the lobby slideshow."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from meeting_room.domain.words import ItemKind, MeetingStatus
from meeting_room.floor.agenda import add_item
from meeting_room.meetings import lifecycle
from meeting_room.meetings.meetings import MeetingDraft, create_meeting
from tests.conftest import Clock, unit
from tests.web.scripted import Held, add_decision_with_action, close_held


def test_a_meeting_announced_less_than_the_notice_period_ahead_warns_the_clerk(
    app: Flask, client: FlaskClient, clock: Clock
) -> None:
    created = client.post(
        "/api/v1/meetings",
        json={
            "title": "临时议事会",
            "starts_at": (clock.now + timedelta(days=3)).isoformat(),
            "venue": "议事厅",
        },
    ).get_json()
    notice = client.get(f"/api/v1/meetings/{created['id']}/notice").get_json()
    assert notice["short_notice"] is True
    assert (notice["days_of_notice"], notice["required_days"]) == (3, 7)
    app.config["NOTICE_DAYS"] = 2
    assert (
        client.get(f"/api/v1/meetings/{created['id']}/notice").get_json()["short_notice"] is False
    )
    app.config["NOTICE_DAYS"] = 7
    assert "临时议事会" not in client.get("/board").get_data(as_text=True)  # a draft
    client.post(f"/api/v1/meetings/{created['id']}/announce")  # posted now: 3 days ahead
    board = client.get("/board?lang=en").get_data(as_text=True)
    assert "Announced only 3 days ahead; at least 7 days of notice are required." in board


def test_the_board_shows_agendas_to_come_results_held_and_overdue_work_first(
    app: Flask, client: FlaskClient, held: Held, clock: Clock
) -> None:
    with unit(app) as s:
        coming = create_meeting(
            s,
            MeetingDraft(
                title="维修资金使用听证会", starts_at=clock.now + timedelta(days=10), venue="议事厅"
            ),
            clock.now,
        )
        lifecycle.move(s, coming, MeetingStatus.ANNOUNCED, "clerk", clock.now)
        add_item(s, coming, "3栋屋面防水维修方案", ItemKind.VOTE, 45)
    decision_id, on_time = add_decision_with_action(client, held)
    late = client.post(
        f"/api/v1/decisions/{decision_id}/actions",
        json={
            "title": "公示施工单位资质",
            "responsible": "业委会",
            "deadline": (clock.now - timedelta(days=3)).date().isoformat(),
        },
    ).get_json()
    client.post(
        f"/api/v1/actions/{late['id']}/notes",
        json={"text": "资质材料已收齐。", "by": "张记录"},
    )
    clock.advance(3600)

    page = client.get("/board?lang=en").get_data(as_text=True)
    assert "维修资金使用听证会" in page and "3栋屋面防水维修方案" in page
    assert "Announced 10 days ahead." in page
    assert "是否同意7栋加装电梯？" in page  # published
    final_hash = client.get(f"/api/v1/polls/{held.secret_poll}").get_json()["final_hash"]
    assert final_hash in page
    assert page.index(f'data-action="{late["id"]}"') < page.index(f'data-action="{on_time}"')
    assert 'data-status="overdue"' in page and "资质材料已收齐。" in page
    listed = client.get("/api/v1/actions").get_json()["actions"]
    assert [a["status"] for a in listed] == ["overdue", "not_started"]


def test_the_minutes_reach_the_board_once_the_clerk_publishes_them(
    app: Flask, client: FlaskClient, held: Held, clock: Clock
) -> None:
    close_held(app, held, clock)
    clock.advance(3600)
    link = f"/board/meetings/{held.meeting_id}/minutes"
    assert link not in client.get("/board").get_data(as_text=True)
    client.post(f"/api/v1/meetings/{held.meeting_id}/minutes/publish", json={"by": "张记录"})
    assert link in client.get("/board").get_data(as_text=True)


def test_draft_minutes_are_the_staffs_until_the_clerk_publishes_them(
    app: Flask, client: FlaskClient, held: Held, clock: Clock
) -> None:
    clock.advance(3600)
    page = f"/board/meetings/{held.meeting_id}/minutes"
    resident = app.test_client()
    for path in (page, f"{page}.pdf"):
        refused = resident.get(path, headers={"Accept-Language": "zh-CN"})
        assert refused.status_code == 403
        assert "会议纪要尚未公布" in refused.get_data(as_text=True)
        assert client.get(path).status_code == 200  # the staff read the draft
    close_held(app, held, clock)
    client.post(f"/api/v1/meetings/{held.meeting_id}/minutes/publish", json={"by": "张记录"})
    assert resident.get(page).status_code == 200
    assert resident.get(f"{page}.pdf").status_code == 200


def test_the_lobby_slideshow_shows_slides_without_any_form(
    client: FlaskClient, held: Held, clock: Clock
) -> None:
    _, action_id = add_decision_with_action(client, held)
    client.patch(f"/api/v1/actions/{action_id}", json={"status": "done"})
    clock.advance(3600)
    normal = client.get("/board").get_data(as_text=True)
    assert "rate-form" in normal and 'id="receipt-form"' in normal
    show = client.get("/board?slideshow=1").get_data(as_text=True)
    assert show.count("data-slide") >= 2
    assert "rate-form" not in show and 'id="receipt-form"' not in show
    assert '"slideshow": true' in show
