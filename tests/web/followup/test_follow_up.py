"""Follow-up (督办) in the app: deadlines in working days, reminders and escalation on the
clerk's screen and the board, the report item generated at the next meeting and shown on its
projector, and the hall's satisfaction survey answered once each."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Clock, paired
from tests.web.scripted import Held, add_decision_with_action

SLIP_HOST = "http://192.0.2.10:5000"


def _audit_kinds(app: Flask, table: str) -> list[str]:
    path = app.config["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT kind FROM audit_log WHERE kind LIKE ? ORDER BY seq", (f"{table}.%",)
        )
        return [kind for (kind,) in rows]


def _action_in_working_days(client: FlaskClient, held: Held, days: int) -> dict[str, object]:
    decision_id, _ = add_decision_with_action(client, held)
    answer = client.post(
        f"/api/v1/decisions/{decision_id}/actions",
        json={"title": "修复3栋单元门禁", "responsible": "物业服务中心", "working_days": days},
    )
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def test_a_deadline_in_working_days_is_a_date_and_says_how_it_was_counted(
    app: Flask, client: FlaskClient, held: Held
) -> None:
    # The clock's today is Saturday 2026-11-21: 10 working days are 23–27 Nov and 30 Nov–4 Dec.
    action = _action_in_working_days(client, held, 10)
    assert action["deadline"] == "2026-12-04"
    assert action["basis"] == {
        "working_days": 10,
        "counted_from": "2026-11-21",
        "guessed_years": [],
    }
    page = client.get(f"/clerk/records/{held.meeting_id}").get_data(as_text=True)
    assert "2026-11-21起10个工作日" in page
    assert _audit_kinds(app, "action_deadline_bases") == [
        "action_deadline_bases.insert",
        "action_deadline_bases.insert",
    ]
    both = client.post(
        f"/api/v1/decisions/{action['decision_id']}/actions",
        json={"title": "x", "responsible": "y", "working_days": 3, "deadline": "2026-12-31"},
    )
    assert both.status_code == 422


def test_the_records_form_takes_working_days(client: FlaskClient, held: Held) -> None:
    decision_id, _ = add_decision_with_action(client, held)
    answer = client.post(
        f"/clerk/records/{held.meeting_id}/decisions/{decision_id}/actions",
        data={
            "title": "清理楼道杂物",
            "responsible": "网格员",
            "deadline_kind": "working",
            "working_days": "3",
            "deadline": "2026-12-21",
        },
        follow_redirects=True,
    )
    text = answer.get_data(as_text=True)
    # 3 working days from Saturday 21 November: Monday 23, Tuesday 24, Wednesday 25.
    assert "已添加责任事项：清理楼道杂物，期限2026-11-25（自2026-11-21起3个工作日）。" in text


def test_reminders_then_escalation_in_order_with_who_and_when(
    app: Flask, client: FlaskClient, held: Held, clock: Clock
) -> None:
    action = _action_in_working_days(client, held, 3)  # due Wednesday 25 November
    action_id = action["id"]
    assert action["reminder"] is False  # 4 days ahead, reminders start 3 days before
    early = client.post(
        f"/api/v1/actions/{action_id}/escalations", json={"step": "remind", "by": "张记录"}
    )
    assert early.status_code == 409 and early.get_json()["error"]["code"] == "not_overdue"

    clock.now += timedelta(days=2)  # Monday 23: two days left
    page = client.get("/clerk/follow").get_data(as_text=True)
    assert f'data-testid="due-action" data-action-id="{action_id}"' in page
    board = client.get("/board").get_data(as_text=True)
    assert "期限临近：还有2天到期" in board
    assert client.get("/clerk/follow/summary").get_json() == {"due": 1, "overdue": 0}

    clock.now += timedelta(days=3)  # Thursday 26: overdue
    skipped = client.post(
        f"/clerk/follow/actions/{action_id}/escalate",
        data={"step": "interview", "note": "跳过提醒"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "下一步应为“提醒”" in skipped
    for step, words in (("remind", "提醒"), ("interview", "约谈"), ("report_street", "上报街道")):
        done = client.post(
            f"/clerk/follow/actions/{action_id}/escalate",
            data={"step": step, "note": f"{words}：物业经理"},
            follow_redirects=True,
        ).get_data(as_text=True)
        assert f"已记录{words}" in done, done[:2000]
        board = client.get("/board").get_data(as_text=True)
        assert f"已逾期，督办：{words}" in board
    view = client.get(f"/api/v1/actions/{action_id}").get_json()
    assert [e["step"] for e in view["escalations"]] == ["remind", "interview", "report_street"]
    assert {e["by"] for e in view["escalations"]} == {"admin"}
    assert view["next_step"] is None
    again = client.post(
        f"/api/v1/actions/{action_id}/escalations", json={"step": "remind", "by": "张记录"}
    )
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "escalation_out_of_order"
    assert _audit_kinds(app, "action_escalations") == ["action_escalations.insert"] * 3


def _next_meeting(client: FlaskClient, clock: Clock) -> int:
    meeting = client.post(
        "/api/v1/meetings",
        json={
            "title": "十二月议事会",
            "starts_at": (clock.now + timedelta(days=20)).isoformat(),
            "venue": "议事厅",
        },
    ).get_json()
    client.post(
        f"/api/v1/meetings/{meeting['id']}/agenda", json={"title": "停车位划线", "kind": "vote"}
    )
    return int(meeting["id"])


def test_the_next_meeting_gets_the_report_item_once_and_its_projector_shows_it(
    app: Flask, client: FlaskClient, held: Held, clock: Clock
) -> None:
    overdue = _action_in_working_days(client, held, 1)  # due Monday 23 November
    _, finished = add_decision_with_action(client, held)
    client.patch(f"/api/v1/actions/{finished}", json={"status": "done"})
    clock.now += timedelta(days=3)  # Tuesday 24: the first is overdue
    meeting_id = _next_meeting(client, clock)
    assert client.post(f"/api/v1/meetings/{meeting_id}/announce").status_code == 200
    agenda = client.get(f"/api/v1/meetings/{meeting_id}/agenda").get_json()["items"]
    assert [(i["title"], i["kind"]) for i in agenda] == [
        ("督办事项通报", "report"),
        ("停车位划线", "vote"),
    ]
    report_item = agenda[0]["id"]
    removed = client.post(
        f"/clerk/prepare/{meeting_id}/agenda/{report_item}/remove", follow_redirects=True
    )
    assert "由责任清单生成：逾期和近期办结的事项须在下次会议上通报" in removed.get_data(
        as_text=True
    )
    opened = client.post(
        f"/api/v1/meetings/{meeting_id}/open", json={"confirm_without_quorum": True}
    )
    assert opened.status_code == 200, opened.get_json()
    again = client.get(f"/api/v1/meetings/{meeting_id}/agenda").get_json()["items"]
    assert [i["title"] for i in again].count("督办事项通报") == 1  # idempotent
    path = app.config["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        frozen = db.execute(
            "SELECT action_ids FROM follow_reports WHERE meeting_id = ?", (meeting_id,)
        ).fetchone()[0]
    assert frozen == f"[{overdue['id']}, {finished}]"

    with app.app_context():
        from meeting_room.floor import service as floor

        floor.start_item(meeting_id, report_item, confirmed_by="admin")
    wall = client.get(f"/projector?meeting={meeting_id}").get_data(as_text=True)
    assert 'data-follow="on"' in wall
    assert wall.count('data-testid="follow-report-row"') == 2
    assert "修复3栋单元门禁" in wall and "完成电梯井道施工" in wall


def test_no_report_item_when_nothing_is_overdue_or_finished(
    client: FlaskClient, held: Held, clock: Clock
) -> None:
    add_decision_with_action(client, held)  # due in 2027, not started
    meeting_id = _next_meeting(client, clock)
    client.post(f"/api/v1/meetings/{meeting_id}/announce")
    agenda = client.get(f"/api/v1/meetings/{meeting_id}/agenda").get_json()["items"]
    assert [i["title"] for i in agenda] == ["停车位划线"]


def test_a_survey_is_drafted_opened_answered_once_each_and_closed(
    app: Flask, client: FlaskClient, held: Held, clock: Clock
) -> None:
    page = client.get("/clerk/surveys").get_data(as_text=True)
    assert "2026-10-01" in page and "2026-12-31" in page  # this quarter by default
    client.post(
        "/clerk/surveys",
        data={
            "title": "2026年第四季度满意度测评",
            "question": "您对本季度议事厅的工作满意吗？",
            "period_start": "2026-10-01",
            "period_end": "2026-12-31",
            "open_days": "14",
        },
    )
    survey_id = client.get("/api/v1/surveys").get_json()["surveys"][0]["id"]
    token = held.tokens["尹英"]
    closed = client.post(f"/api/v1/surveys/{survey_id}/answers", json={"token": token, "stars": 5})
    assert closed.status_code == 409 and closed.get_json()["error"]["code"] == "survey_not_open"
    opened = client.post(f"/clerk/surveys/{survey_id}/open", follow_redirects=True)
    assert "开放14天" in opened.get_data(as_text=True)

    kiosk = paired(app, "kiosk")
    slip = f"{SLIP_HOST}/v/{token}"
    who = kiosk.post(
        "/kiosk/api/rate/who", json={"meeting_id": held.meeting_id, "code": slip}
    ).get_json()
    assert who["survey"]["id"] == survey_id and who["survey"]["stars"] is None
    body = {"meeting_id": held.meeting_id, "code": slip, "survey_id": survey_id}
    first = kiosk.post("/kiosk/api/rate", json=body | {"stars": 4, "comment": "不错"})
    assert first.status_code == 200
    twice = kiosk.post("/kiosk/api/rate", json=body | {"stars": 1})
    assert twice.status_code == 409
    assert twice.get_json()["error"]["message"] == "您已经填过这份测评：每位居民只填一次。"
    page = client.get(f"/v/{held.tokens['莫明']}").get_data(as_text=True)
    assert 'data-kind="survey"' in page and "2026年第四季度满意度测评" in page
    phone = client.post(
        f"/api/v1/surveys/{survey_id}/answers",
        json={"token": held.tokens["莫明"], "stars": 2, "channel": "phone"},
    )
    assert phone.status_code == 201

    results = client.get("/clerk/surveys").get_data(as_text=True)
    assert 'data-testid="survey-share">50.0%' in results
    assert 'data-stars="4">1<' in results and 'data-stars="2">1<' in results
    view = client.get("/api/v1/surveys").get_json()["surveys"][0]
    assert (view["count"], view["by_channel"]) == (2, {"kiosk": 1, "phone": 1})
    answered = client.get(f"/v/{held.tokens['莫明']}").get_data(as_text=True)
    assert "您的评价：2 / 5" in answered  # shown as given; its buttons are off
    client.post(f"/clerk/surveys/{survey_id}/close")
    late = client.post(
        f"/api/v1/surveys/{survey_id}/answers", json={"token": held.tokens["刘艳"], "stars": 5}
    )
    assert late.status_code == 409
    clock.now += timedelta(days=1)
    assert client.get("/api/v1/surveys").get_json()["surveys"][0]["state"] == "closed"
    assert _audit_kinds(app, "survey_answers") == ["survey_answers.insert"] * 2


def _survey_audit(app: Flask) -> list[str]:
    path = app.config["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT detail FROM audit_log WHERE kind = 'surveys.insert'")
        return [detail for (detail,) in rows]


def test_the_quarters_survey_is_made_and_opened_by_itself_once_and_closes_by_itself(
    app: Flask, client: FlaskClient, held: Held, clock: Clock
) -> None:
    from meeting_room.ops.backup_schedule import run_due_survey

    page = client.get("/clerk/surveys").get_data(as_text=True)  # 2026-11-21: Q4's days past
    assert 'data-day="2027-01-01"' in page and "2027年1月1日" in page
    clock.now = datetime(2026, 12, 31, 15, 59, tzinfo=UTC)  # 23:59 in the hall, still Q4
    assert client.get("/api/v1/surveys").get_json()["surveys"] == []
    assert run_due_survey(app) is None

    clock.now = datetime(2026, 12, 31, 16, 5, tzinfo=UTC)  # 00:05 on 1 January in the hall
    made = run_due_survey(app)  # the server's round (the first read would do the same)
    assert made is not None and made.state == "open"
    assert run_due_survey(app) is None  # once
    listed = client.get("/api/v1/surveys").get_json()["surveys"]
    assert len(listed) == 1
    survey = listed[0]
    assert (survey["period_start"], survey["period_end"]) == ("2027-01-01", "2027-03-31")
    assert survey["title"] == "2027年第1季度议事厅满意度测评"
    assert survey["closes_at"].startswith("2027-01-14T16:05")  # SURVEY_OPEN_DAYS = 14
    details = _survey_audit(app)
    assert len(details) == 1 and '"created_by":"system"' in details[0].replace(" ", "")
    page = client.get("/clerk/surveys").get_data(as_text=True)
    assert 'data-day="2027-04-01"' in page and page.count('data-testid="survey"') == 1
    phone = client.post(
        f"/api/v1/surveys/{survey['id']}/answers",
        json={"token": held.tokens["莫明"], "stars": 5, "channel": "phone"},
    )
    assert phone.status_code == 201

    clock.now += timedelta(days=14)  # its days are over: closed by itself
    listed = client.get("/api/v1/surveys").get_json()["surveys"]
    assert [s["state"] for s in listed] == ["closed"]  # and no second one this quarter
    late = client.post(
        f"/api/v1/surveys/{survey['id']}/answers", json={"token": held.tokens["刘艳"], "stars": 4}
    )
    assert late.status_code == 409

    clock.now = datetime(2027, 3, 31, 16, 1, tzinfo=UTC)  # 1 April in the hall: Q2's, by a read
    who = client.get(f"/v/{held.tokens['尹英']}").get_data(as_text=True)
    assert "2027年第2季度议事厅满意度测评" in who
    assert len(_survey_audit(app)) == 2


def test_staff_still_make_surveys_by_hand_and_the_box_respects_theirs(
    app: Flask, client: FlaskClient, clock: Clock
) -> None:
    clock.now = datetime(2026, 12, 31, 16, 5, tzinfo=UTC)
    app.config["SURVEY_PERIODIC"] = False
    page = client.get("/clerk/surveys").get_data(as_text=True)
    assert "不会自动" in page and 'data-day="' not in page
    client.post(
        "/clerk/surveys",
        data={
            "title": "2027年第一季度测评",
            "question": "您满意吗？",
            "period_start": "2027-01-02",
            "period_end": "2027-03-31",
            "open_days": "7",
        },
    )
    app.config["SURVEY_PERIODIC"] = True
    listed = client.get("/api/v1/surveys").get_json()["surveys"]
    assert [(s["title"], s["state"]) for s in listed] == [("2027年第一季度测评", "draft")]
    opened = client.post(f"/clerk/surveys/{listed[0]['id']}/open", follow_redirects=True)
    assert "开放7天" in opened.get_data(as_text=True)
    assert 'data-day="2027-04-01"' in client.get("/clerk/surveys").get_data(as_text=True)
