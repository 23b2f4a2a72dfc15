"""The quarter's report through the real app: every figure on the screen, in the Excel file and
in the PDF is recomputed here by hand, with SQL over the database, and compared; each figure's
drill-down lists what it was counted from; credit is the member's own, off by default."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from meeting_room.domain.topics import ScopeKind, TopicSource, TopicStatus
from meeting_room.store.models.topics import Topic, TopicCategory
from tests.conftest import Clock, logged_in, unit
from tests.web.scripted import Held, add_decision_with_action, close_held

Q4 = "2026-q4"
FIRST, AFTER = "2026-10-01", "2027-01-01"  # the quarter in the hall's days (UTC+8 below)


def _figures(page: str) -> dict[str, tuple[int, int]]:
    """Each figure row of the screen's tables: its drill key → (part, whole)."""
    rows = re.findall(r'<tr data-figure="([^"]+)" data-part="(\d+)" data-whole="(\d+)"', page)
    return {key: (int(part), int(whole)) for key, part, whole in rows}


def _sql(app: Flask, query: str, **values: object) -> int:
    with unit(app) as session:
        return int(session.execute(text(query), values).scalar_one())


def _add_topic(
    app: Flask, title: str, source: TopicSource, status: TopicStatus, now: object
) -> None:
    with unit(app) as session:
        category = session.query(TopicCategory).first()
        if category is None:
            category = TopicCategory(name="停车", must_consult=False, active=True, position=0)
            session.add(category)
            session.flush()
        session.add(
            Topic(
                title=title,
                category_id=category.id,
                source=source,
                scope=ScopeKind.COMPOUND,
                threshold=Decimal("0.3"),
                status=status,
                created_at=now,
                created_by="clerk",
            )
        )


@pytest.fixture
def quarter(app: Flask, client: FlaskClient, held: Held, clock: Clock) -> Held:
    """The scripted meeting closed and published, an action item done on time and rated (one
    rating of 5, one of 3), a second one overdue, and three topics (two from residents)."""
    close_held(app, held, clock)
    client.put(
        f"/api/v1/meetings/{held.meeting_id}/minutes/signatories",
        json={"moderator": "王主持", "clerk": "张记录"},
    )
    client.put(
        f"/api/v1/meetings/{held.meeting_id}/agenda/{held.items[0]}/summary",
        json={"text": "同意加装电梯。", "by": "张记录"},
    )
    clock.advance(3 * 24 * 3600)  # published three days later: in time
    assert (
        client.post(
            f"/api/v1/meetings/{held.meeting_id}/minutes/publish", json={"by": "张记录"}
        ).status_code
        == 200
    )
    decision, action = add_decision_with_action(client, held)
    client.patch(f"/api/v1/actions/{action}", json={"deadline": "2026-12-10"})
    assert client.patch(f"/api/v1/actions/{action}", json={"status": "done"}).status_code == 200
    for name, stars in (("廖春勇", 5), ("莫明", 3)):
        answer = client.post(
            f"/api/v1/actions/{action}/ratings", json={"token": held.tokens[name], "stars": stars}
        )
        assert answer.status_code in (200, 201), answer.get_json()
    client.post(
        f"/api/v1/decisions/{decision}/actions",
        json={"title": "公示施工方案", "responsible": "业委会", "deadline": "2026-11-25"},
    )
    for title, source, status in (
        ("增设充电桩", TopicSource.KIOSK, TopicStatus.ACCEPTED),
        ("修缮绿化", TopicSource.PHONE, TopicStatus.DECLINED),
        ("消防检查", TopicSource.OFFICE, TopicStatus.COLLECTING),
    ):
        _add_topic(app, title, source, status, clock.now)
    clock.advance(10 * 24 * 3600)  # 2026-12-04: the second item is overdue
    return held


def test_every_figure_of_the_quarter_matches_the_database_recomputed_by_hand(
    app: Flask, client: FlaskClient, quarter: Held
) -> None:
    page = client.get(f"/clerk/reports/{Q4}").get_data(as_text=True)
    shown = _figures(page)
    period = {"first": FIRST, "after": AFTER}
    local = "datetime({col}, '+8 hours')"
    opened, rated_at = local.format(col="opened_at"), local.format(col="at")
    held = _sql(
        app,
        f"SELECT count(*) FROM meetings WHERE opened_at IS NOT NULL "
        f"AND {opened} >= :first AND {opened} < :after",
        **period,
    )
    assert shown["meetings"] == (held, 0) and held == 1
    groups = "(SELECT value FROM json_each((SELECT eligible_groups FROM meetings WHERE id = :m)))"
    eligible = _sql(
        app, f'SELECT count(*) FROM members WHERE "group" IN {groups}', m=quarter.meeting_id
    )
    took_part = _sql(
        app,
        "SELECT count(*) FROM attendances a JOIN members m ON m.id = a.member_id "
        f'WHERE a.meeting_id = :m AND m."group" IN {groups} '
        "AND (a.presence = 'in_person' OR a.mandate_status = 'accepted')",
        m=quarter.meeting_id,
    )
    assert shown["participation"] == (took_part, eligible) == (10, 12)
    assert shown[f"meeting-{quarter.meeting_id}"] == (took_part, eligible)
    stars = f"FROM action_ratings WHERE {rated_at} >= :first AND {rated_at} < :after"
    rated = _sql(app, f"SELECT count(*) {stars}", **period)
    satisfied = _sql(app, f"SELECT count(*) {stars} AND stars >= 4", **period)
    assert shown["ratings"] == (satisfied, rated) == (1, 2)
    due = (
        "FROM action_items WHERE deadline >= :first AND deadline < :after "
        "AND deadline < '2026-12-04'"
    )
    counted = _sql(
        app,
        f"SELECT count(*) {due} OR (status = 'done' AND deadline >= :first AND deadline < :after)",
        **period,
    )
    on_time = _sql(
        app,
        "SELECT count(*) FROM action_items WHERE status = 'done' AND completed_on <= deadline "
        "AND deadline >= :first AND deadline < :after",
        **period,
    )
    assert shown["actions"] == (on_time, counted) == (1, 2)
    items = _sql(
        app, "SELECT count(*) FROM agenda_items WHERE meeting_id = :m", m=quarter.meeting_id
    )
    summaries = _sql(
        app,
        "SELECT count(*) FROM item_summaries s JOIN agenda_items i ON i.id = s.item_id "
        "WHERE i.meeting_id = :m",
        m=quarter.meeting_id,
    )
    signed = _sql(
        app,
        "SELECT (moderator != '') + (clerk != '') + (published_at IS NOT NULL) "
        "FROM minutes_records WHERE meeting_id = :m",
        m=quarter.meeting_id,
    )
    assert shown["records"] == (summaries + signed, items + 3)
    published = _sql(
        app,
        "SELECT count(*) FROM meetings WHERE minutes_published_at IS NOT NULL "
        "AND julianday(minutes_published_at) - julianday(closed_at) <= 9",
        **period,
    )
    assert shown["publication"] == (published, 1) == (1, 1)
    topics = _sql(app, "SELECT count(*) FROM topics")
    residents = _sql(app, "SELECT count(*) FROM topics WHERE source != 'office'")
    assert shown["residents"] == (residents, topics) == (2, 3)
    assert shown["outcome-accepted"] == (1, 3)
    assert shown["source-office"] == (1, 3)
    kiosk = _sql(
        app,
        "SELECT count(*) FROM attendances WHERE meeting_id = :m AND presence = 'in_person' "
        "AND channel = 'kiosk'",
        m=quarter.meeting_id,
    )
    if kiosk:
        assert shown["signin-kiosk"][0] == kiosk
    ballots = _sql(
        app,
        "SELECT count(*) FROM poll_participation p JOIN polls q ON q.id = p.poll_id "
        "WHERE q.meeting_id = :m",
        m=quarter.meeting_id,
    )
    votes = {key: value for key, value in shown.items() if key.startswith("vote-")}
    assert ballots > 0 and sum(part for part, _ in votes.values()) == ballots
    assert all(whole == ballots for _, whole in votes.values())


def test_a_figure_opens_the_rows_it_was_counted_from(client: FlaskClient, quarter: Held) -> None:
    behind = client.get(f"/clerk/reports/{Q4}/figures/actions").get_data(as_text=True)
    assert "完成电梯井道施工" in behind and "公示施工方案" in behind
    assert f"/clerk/records/{quarter.meeting_id}#action-" in behind
    assert "逾期" in behind  # the second item, not done by its deadline
    topics = client.get(f"/clerk/reports/{Q4}/figures/residents").get_data(as_text=True)
    assert "增设充电桩" in topics and "修缮绿化" in topics and "消防检查" not in topics
    assert client.get(f"/clerk/reports/{Q4}/figures/nonsense").status_code == 404
    assert client.get("/clerk/reports/2026-q9").status_code == 404


def test_the_excel_file_holds_the_same_figures_as_the_screen(
    client: FlaskClient, quarter: Held
) -> None:
    from openpyxl import load_workbook

    answer = client.get(f"/clerk/reports/{Q4}/report.xlsx")
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.data))
    targets = book.worksheets[0]
    lines = {row[0]: row[1] for row in targets.iter_rows(min_row=2, values_only=True)}
    assert lines["满意度"] == "1 / 2"
    assert lines["居民提出的议题"] == "2 / 3"
    assert lines["决议按时落实"] == "1 / 2"
    assert "责任" not in book.sheetnames[0]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_the_pdf_is_in_chinese_with_the_same_figures(client: FlaskClient, quarter: Held) -> None:
    answer = client.get(f"/clerk/reports/{Q4}/report.pdf")
    assert answer.data.startswith(b"%PDF")
    words = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=answer.data, capture_output=True, check=True
    ).stdout.decode()
    assert "议事厅工作报表 · 2026年第4季度" in words
    assert re.search(r"满意度\s+1\s*/\s*2\s+50\.0\s+≥ 85%\s+未达标", words)


def test_the_period_form_picks_a_month_a_quarter_or_a_year(client: FlaskClient) -> None:
    answer = client.get("/clerk/reports", query_string={"kind": "month", "year": 2026, "month": 11})
    assert answer.headers["Location"].endswith("/clerk/reports/2026-m11")
    answer = client.get("/clerk/reports", query_string={"kind": "year", "year": 2026})
    assert answer.headers["Location"].endswith("/clerk/reports/2026")
    assert client.get("/clerk/reports").headers["Location"].endswith("/clerk/reports/2026-q4")


def test_credit_is_off_by_default_and_then_only_the_members_own(
    app: Flask, client: FlaskClient, quarter: Held
) -> None:
    phone = app.test_client()
    token = quarter.tokens["廖春勇"]
    assert 'data-testid="credit"' not in phone.get(f"/v/{token}").get_data(as_text=True)
    form = {
        "enabled": "1",
        "sign_in": "2",
        "speech": "3",
        "proposal": "5",
        "signature": "1",
        "rating": "4",
    }
    assert client.post("/clerk/credits", data=form).status_code == 302
    member = quarter.ids["廖春勇"]
    signed = _sql(
        app,
        "SELECT count(*) FROM attendances WHERE member_id = :m AND presence = 'in_person'",
        m=member,
    )
    spoke = _sql(app, "SELECT count(*) FROM speeches WHERE member_id = :m", m=member)
    rated = _sql(app, "SELECT count(*) FROM action_ratings WHERE member_id = :m", m=member)
    page = phone.get(f"/v/{token}").get_data(as_text=True)
    found = re.search(r'data-testid="credit" data-total="(\d+)"', page)
    assert found and int(found.group(1)) == 2 * signed + 3 * spoke + 4 * rated == 2 + 3 + 4
    assert "莫明" not in page.split('data-testid="credit"')[1]  # nobody else's credit, no ranking
    assert _sql(app, "SELECT count(*) FROM audit_log WHERE subject LIKE 'credit_settings%'") >= 1


def test_the_credit_settings_refuse_points_out_of_range(app: Flask) -> None:
    clerk = logged_in(app, "clerk")
    form = {
        "enabled": "1",
        "sign_in": "500",
        "speech": "3",
        "proposal": "5",
        "signature": "1",
        "rating": "1",
    }
    clerk.post("/clerk/credits", data=form)
    page = clerk.get("/clerk/credits").get_data(as_text=True)
    assert 'data-enabled="false"' in page and "参会签到" in page


def test_the_kiosk_prints_a_members_own_credit_slip_only_while_credit_is_on(
    app: Flask, client: FlaskClient, quarter: Held
) -> None:
    from tests.conftest import paired

    kiosk = paired(app, "kiosk")
    member = client.get("/api/v1/members", query_string={"q": "莫明"}).get_json()["members"][0]
    asked = {
        "meeting_id": quarter.meeting_id,
        "code": f"YISHI:{member['member_no']}",
        "phone_tail": "6918",
    }
    assert kiosk.post("/kiosk/credit/slip", json=asked).status_code == 422  # credit is off
    form = {"enabled": "1", "sign_in": "2", "speech": "3", "proposal": "5", "signature": "1"}
    client.post("/clerk/credits", data=form | {"rating": "1"})
    who = kiosk.post("/kiosk/api/rate/who", json=asked).get_json()
    signed = _sql(app, "SELECT count(*) FROM attendances WHERE member_id = :m", m=member["id"])
    spoke = _sql(app, "SELECT count(*) FROM speeches WHERE member_id = :m", m=member["id"])
    rated = _sql(app, "SELECT count(*) FROM action_ratings WHERE member_id = :m", m=member["id"])
    assert who["credit"] == {"total": 2 * signed + 3 * spoke + rated}
    slip = kiosk.post("/kiosk/credit/slip", json=asked)
    assert slip.status_code == 200 and slip.data.startswith(b"%PDF")
    wrong = kiosk.post("/kiosk/credit/slip", json=asked | {"phone_tail": "0000"})
    assert wrong.status_code >= 400


def test_credit_counts_a_proposal_and_a_co_signature_once_each(app: Flask, clock: Clock) -> None:
    """Signing one's own topic is no co-signature; a signature copied onto the topic a
    duplicate was merged into is the same deed, not a second one."""
    from meeting_room.domain.credits import Deed
    from meeting_room.domain.topics import SignChannel
    from meeting_room.reports.credits import deeds
    from meeting_room.store.models.roster import Member
    from meeting_room.store.models.topics import TopicSignature

    _add_topic(app, "增设充电桩", TopicSource.KIOSK, TopicStatus.COLLECTING, clock.now)
    _add_topic(app, "充电桩（重复）", TopicSource.PHONE, TopicStatus.MERGED, clock.now)
    with unit(app) as session:
        alice, bob = session.query(Member).order_by(Member.id).limit(2).all()
        first, duplicate = session.query(Topic).order_by(Topic.id).all()
        first.proposer_member_id = alice.id
        duplicate.proposer_member_id = bob.id
        for topic, member in (
            (first, alice),  # the proposer's own support: no co-signature
            (duplicate, alice),  # alice co-signs bob's topic
            (first, bob),  # bob co-signs alice's topic
        ):
            session.add(
                TopicSignature(
                    topic_id=topic.id,
                    member_id=member.id,
                    signed_at=clock.now,
                    channel=SignChannel.KIOSK,
                )
            )
        session.flush()
        carol = session.query(Member).order_by(Member.id).offset(2).first()
        assert carol is not None
        session.add(
            TopicSignature(
                topic_id=first.id,
                member_id=carol.id,
                signed_at=clock.now,
                channel=SignChannel.KIOSK,
                merged_from_id=duplicate.id,  # copied over by the merge
            )
        )
        session.add(
            TopicSignature(
                topic_id=duplicate.id,
                member_id=carol.id,
                signed_at=clock.now,
                channel=SignChannel.PHONE,
            )
        )
        session.flush()
        ids = (alice.id, bob.id, carol.id)
    with unit(app) as session:
        found = {member: deeds(session, member) for member in ids}
    assert (found[ids[0]][Deed.PROPOSAL], found[ids[0]][Deed.SIGNATURE]) == (1, 1)
    assert (found[ids[1]][Deed.PROPOSAL], found[ids[1]][Deed.SIGNATURE]) == (1, 1)
    assert (found[ids[2]][Deed.PROPOSAL], found[ids[2]][Deed.SIGNATURE]) == (0, 1)


def test_answers_to_a_satisfaction_survey_count_in_the_quarters_satisfaction(
    app: Flask, client: FlaskClient, quarter: Held, clock: Clock
) -> None:
    from datetime import date

    from meeting_room.domain.words import RatingChannel
    from meeting_room.store.models.follow import Survey, SurveyAnswer

    with unit(app) as session:
        survey = Survey(
            title="第四季度满意度测评",
            question="您对本季度议事厅的工作满意吗？",
            period_start=date(2026, 10, 1),
            period_end=date(2026, 12, 31),
            open_days=10,
            created_by="clerk",
            created_at=clock.now,
        )
        session.add(survey)
        session.flush()
        for member, stars in ((quarter.ids["尹英"], 5), (quarter.ids["刘艳"], 4)):
            session.add(
                SurveyAnswer(
                    survey_id=survey.id,
                    member_id=member,
                    stars=stars,
                    channel=RatingChannel.KIOSK,
                    at=clock.now,
                )
            )
        survey_id = survey.id
    shown = _figures(client.get(f"/clerk/reports/{Q4}").get_data(as_text=True))
    assert shown["ratings"] == (1 + 2, 2 + 2)  # the two ratings of the work, the two answers
    behind = client.get(f"/clerk/reports/{Q4}/figures/ratings").get_data(as_text=True)
    assert f"/clerk/surveys#survey-{survey_id}" in behind and "第四季度满意度测评" in behind
