"""The clerk's records screen (/clerk/records/<meeting>): every change through its forms is
written by the one writer and audited, invalid input and refusals come back in words, only a
clerk may use it; the minutes list who attended and when; the completeness indicator; the
exports as links; the administrator's backup download."""

from __future__ import annotations

import html
import json
import re
import sqlite3
from datetime import timedelta
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Clock, logged_in
from tests.web.scripted import Held, add_decision_with_action, close_held


def database(app: Flask) -> sqlite3.Connection:
    return sqlite3.connect(app.config["DATABASE_URL"].removeprefix("sqlite:///"))


def audit(app: Flask, kind: str) -> list[dict[str, object]]:
    """The details of the audit log's entries of ``kind``, oldest first."""
    with database(app) as db:
        rows = db.execute("SELECT detail FROM audit_log WHERE kind = ? ORDER BY seq", (kind,))
        return [json.loads(detail) for (detail,) in rows]


def messages(page: str) -> list[tuple[str, str]]:
    """What the screen says after a change: (kind, words)."""
    found = re.findall(r'class="records-message" data-kind="(\w+)"[^>]*>(.*?)</p>', page, re.S)
    return [(kind, html.unescape(text)) for kind, text in found]


def post(clerk: FlaskClient, path: str, data: dict[str, str]) -> list[tuple[str, str]]:
    """Post a form of the screen, follow it back to the page, and read what it says."""
    answer = clerk.post(path + "?lang=en", data=data)
    assert answer.status_code == 302, answer.get_data(as_text=True)[:300]
    return messages(clerk.get(answer.headers["Location"]).get_data(as_text=True))


def page(clerk: FlaskClient, held: Held, lang: str = "en") -> str:
    answer = clerk.get(f"/clerk/records/{held.meeting_id}?lang={lang}")
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    return answer.get_data(as_text=True)


def test_the_clerk_desk_links_to_the_records_screen(app: Flask, held: Held) -> None:
    clerk = logged_in(app, "clerk")
    desk = clerk.get(f"/clerk?meeting={held.meeting_id}").get_data(as_text=True)
    assert f'href="/clerk/records/{held.meeting_id}"' in desk
    assert "记录与导出" in desk


def test_a_decision_and_an_action_with_co_responsible_parties_are_recorded_and_audited(
    app: Flask, held: Held, clock: Clock
) -> None:
    clerk = logged_in(app, "clerk")
    base = f"/clerk/records/{held.meeting_id}"
    said = post(
        clerk,
        f"{base}/decisions",
        {"text": "同意7栋加装电梯", "poll_id": str(held.secret_poll), "item_id": ""},
    )
    assert said == [("done", "Decision recorded: 同意7栋加装电梯")]
    (decision,) = audit(app, "decisions.insert")
    assert decision["created_by"] == "clerk" and decision["poll_id"] == held.secret_poll
    assert decision["item_id"] == held.items[0]  # the poll's item

    deadline = (clock.now + timedelta(days=60)).date().isoformat()
    said = post(
        clerk,
        f"{base}/decisions/{decision['id']}/actions",
        {
            "title": "完成电梯井道施工",
            "responsible": "幸福里物业服务中心",
            "co_responsible": "业委会、 社区居委会,7栋楼栋长",
            "deadline": deadline,
            "criterion": "通过特种设备检验",
        },
    )
    assert said == [("done", "Action added: 完成电梯井道施工")]
    (action,) = audit(app, "action_items.insert")
    assert action["co_responsible"] == ["业委会", "社区居委会", "7栋楼栋长"]
    assert action["deadline"] == deadline and action["status"] == "not_started"
    shown = page(clerk, held)
    assert "业委会、社区居委会、7栋楼栋长" in shown

    minutes = clerk.get(f"/api/v1/meetings/{held.meeting_id}/minutes").get_json()
    assert minutes["decisions"][0]["actions"][0]["co_responsible"] == [
        "业委会",
        "社区居委会",
        "7栋楼栋长",
    ]
    printed = clerk.get(f"/board/meetings/{held.meeting_id}/minutes?lang=zh_CN").get_data(
        as_text=True
    )
    assert "幸福里物业服务中心，配合：业委会、社区居委会、7栋楼栋长" in printed
    board = clerk.get("/board?lang=en").get_data(as_text=True)
    assert 'data-testid="co-responsible">业委会、社区居委会、7栋楼栋长<' in board


def test_a_deadline_already_passed_is_refused_in_words_and_nothing_is_written(
    app: Flask, held: Held, clock: Clock
) -> None:
    clerk = logged_in(app, "clerk")
    decision_id, _action = add_decision_with_action(clerk, held)
    yesterday = (clock.now - timedelta(days=1)).date().isoformat()
    said = post(
        clerk,
        f"/clerk/records/{held.meeting_id}/decisions/{decision_id}/actions",
        {"title": "补划车位", "responsible": "物业", "deadline": yesterday},
    )
    assert said == [
        (
            "refused",
            f"The deadline {yesterday} has already passed: choose today or a later day.",
        )
    ]
    assert len(audit(app, "action_items.insert")) == 1  # only the scripted one


def test_missing_fields_are_named_as_the_form_names_them(app: Flask, held: Held) -> None:
    clerk = logged_in(app, "clerk")
    decision_id, _action = add_decision_with_action(clerk, held)
    said = post(
        clerk,
        f"/clerk/records/{held.meeting_id}/decisions/{decision_id}/actions",
        {"title": "补划车位", "responsible": "   ", "deadline": "not a day"},
    )
    assert said == [("refused", "Please check: Responsible party、Deadline.")]
    said = post(clerk, f"/clerk/records/{held.meeting_id}/decisions", {"text": ""})
    assert said == [("refused", "Please check: Text.")]


def test_status_notes_summaries_corrections_signatories_and_publishing_make_it_complete(
    app: Flask, held: Held, clock: Clock
) -> None:
    clerk = logged_in(app, "clerk")
    decision_id, action_id = add_decision_with_action(clerk, held)
    base = f"/clerk/records/{held.meeting_id}"
    start = page(clerk, held)
    # 2 items without a summary, no signatory, not published: 0 of 5 points.
    assert 'data-percent="0"' in start and 'data-meets="false"' in start
    assert "Item 1 has no summary" in start and "The minutes are not published" in start

    assert post(clerk, f"{base}/actions/{action_id}", {"status": "in_progress"}) == [
        ("done", "“完成电梯井道施工” saved: In progress.")
    ]
    assert post(clerk, f"{base}/actions/{action_id}/notes", {"text": "井道开挖完成"}) == [
        ("done", "Progress note added to “完成电梯井道施工”.")
    ]
    assert post(clerk, f"{base}/actions/{action_id}", {"status": "overdue"})[0][0] == "refused"
    post(clerk, f"{base}/actions/{action_id}", {"status": "done"})
    notes = audit(app, "action_notes.insert")
    assert notes[-1]["text"] == "井道开挖完成" and notes[-1]["by"] == "clerk"
    assert [e["status"] for e in audit(app, "action_items.update")] == ["in_progress", "done"]

    for item in held.items:
        assert post(clerk, f"{base}/items/{item}/summary", {"text": "充分讨论，意见一致。"}) == [
            ("done", "Summary saved.")
        ]
    assert post(
        clerk, f"{base}/items/{held.items[0]}/summary", {"text": "充分讨论，意见一致。"}
    ) == [("refused", "The new text is the same as the old one; nothing was changed.")]
    assert post(
        clerk,
        f"{base}/corrections",
        {"field": f"item.{held.items[1]}.title", "text": "停车位重新划线"},
    ) == [("done", "Correction recorded; the minutes list it.")]
    assert post(clerk, f"{base}/corrections", {"field": "poll.999.question", "text": "x"}) == [
        ("refused", "“poll.999.question” is not a text of these minutes that can be corrected.")
    ]
    assert post(clerk, f"{base}/decisions/{decision_id}", {"text": "同意7栋加装电梯。"}) == [
        ("done", "The decision's new wording is recorded as a correction.")
    ]
    middle = page(clerk, held)
    assert 'data-percent="40"' in middle  # 2 summaries of 5 points

    post(clerk, f"{base}/signatories", {"moderator": "李主持", "clerk": "张记录"})
    assert audit(app, "minutes_records.insert")[-1]["moderator"] == "李主持"
    refused = post(clerk, f"{base}/publish", {})  # the meeting is still open
    assert refused[0][0] == "refused" and refused[0][1]
    assert page(clerk, held).count('data-testid="publish-form"') == 1
    close_held(app, held, clock)
    said = post(clerk, f"{base}/publish", {})
    assert said[0][0] == "done" and said[0][1].startswith("The minutes are on the notice board")
    assert audit(app, "minutes_records.update")[-1]["published_by"] == "clerk"
    done = page(clerk, held)
    assert 'data-percent="100"' in done and 'data-meets="true"' in done
    assert 'data-testid="published"' in done and 'data-testid="publish-form"' not in done
    assert [c["field"] for c in audit(app, "minutes_corrections.insert")] == [
        f"item.{held.items[1]}.title",
        f"decision.{decision_id}.text",
    ]


def test_in_chinese_by_default(app: Flask, held: Held) -> None:
    shown = page(logged_in(app, "clerk"), held, lang="zh_CN")
    assert "记录完整度" in shown and "议题小结" in shown and "公示会议纪要" in shown


def test_only_a_clerk_or_the_administrator_may_use_it(app: Flask, held: Held) -> None:
    path = f"/clerk/records/{held.meeting_id}"
    assert logged_in(app, "moderator").get(path).status_code == 403
    assert logged_in(app, "moderator").post(f"{path}/publish").status_code == 403
    assert app.test_client().get(path).status_code in (302, 401)
    assert logged_in(app, "admin").get(path).status_code == 200
    assert logged_in(app, "clerk").get("/clerk/records/999").status_code == 404


def test_the_minutes_list_who_attended_and_when_the_meeting_was_held(
    app: Flask, held: Held, client: FlaskClient, clock: Clock
) -> None:
    member = client.get("/api/v1/members", query_string={"q": "彭凤"}).get_json()["members"][0]
    client.post(
        f"/api/v1/meetings/{held.meeting_id}/proxies",
        json={"represented_id": member["id"], "proxy_name": "彭小明", "checked_by": "张记录"},
    )
    client.post(
        f"/api/v1/meetings/{held.meeting_id}/guests", json={"name": "王街道", "note": "街道办"}
    )
    minutes = client.get(f"/api/v1/meetings/{held.meeting_id}/minutes").get_json()
    proxied = next(a for a in minutes["attendees"] if a["name"] == "彭凤")
    assert (proxied["presence"], proxied["proxy"]) == ("proxy", "彭小明")
    assert len(minutes["attendees"]) == 11
    assert {(a["name"], a["helper"]) for a in minutes["assisted"]} == {
        ("郑建德", "张记录"),
        ("付梅淑", "张记录"),
        ("邱秀敏", "张记录"),
        ("高伟刚", "张记录"),
    }
    assert minutes["guests"] == [{"name": "王街道", "note": "街道办"}]
    assert minutes["header"]["opened_at"] is not None  # opened by the moderator
    close_held(app, held, clock)
    header = client.get(f"/api/v1/meetings/{held.meeting_id}/minutes").get_json()["header"]
    assert header["opened_at"] < header["ended_at"] == header["closed_at"]

    text = client.get(f"/board/meetings/{held.meeting_id}/minutes?lang=en").get_data(as_text=True)
    assert "Who attended" in text
    assert "By proxy: 彭小明 for 彭凤" in text
    assert "voted with the help of 张记录" in text
    assert "Guests: 王街道（街道办）." in text
    closed_row = re.search(r"<th scope=\"row\">Closed</th><td>(.*?)</td>", text)
    assert closed_row is not None and closed_row.group(1) != "Not closed"


def test_every_export_is_a_link_that_downloads(app: Flask, held: Held) -> None:
    clerk = logged_in(app, "clerk")
    add_decision_with_action(clerk, held)
    shown = page(clerk, held)
    links = re.findall(r'data-testid="export-(\w+)-(\w+)"\s+href="([^"]+)"', shown)
    assert {(what, kind) for what, kind, _ in links} == {
        (what, kind)
        for what in ("attendance", "speeches", "ballots", "actions")
        for kind in ("csv", "xlsx")
    }
    for what, kind, href in links:
        answer = clerk.get(html.unescape(href))
        assert answer.status_code == 200, (what, kind)
        if kind == "xlsx":
            assert answer.data[:2] == b"PK"
        else:
            assert len(answer.get_data(as_text=True).splitlines()) >= 2
    actions = clerk.get(f"/clerk/meetings/{held.meeting_id}/export/actions.csv?lang=en")
    assert "Co-responsible parties" in actions.get_data(as_text=True)


def test_the_administrator_downloads_a_checked_backup_and_it_is_audited(
    app: Flask, held: Held, tmp_path: Path
) -> None:
    admin = logged_in(app, "admin")
    desk = admin.get("/clerk?lang=en").get_data(as_text=True)
    assert 'data-testid="backup-link"' in desk
    assert 'data-testid="backup-form"' in admin.get("/admin/backup?lang=en").get_data(as_text=True)
    answer = admin.post("/admin/backup")
    assert answer.status_code == 200
    assert "attachment" in answer.headers["Content-Disposition"]
    copy = tmp_path / "downloaded.db"
    copy.write_bytes(answer.data)
    answer.close()
    with sqlite3.connect(copy) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM members").fetchone()[0] > 0
    (entry,) = audit(app, "backups.download")
    assert entry["by"] == "admin" and str(entry["file"]).startswith("yishi-")
    assert "password" not in json.dumps(entry)
    verified = admin.post("/admin/verify?lang=en", data={"anchors": ""}).get_data(as_text=True)
    assert 'data-intact="true"' in verified  # the entry is part of the chain, checked like all
    assert logged_in(app, "clerk").post("/admin/backup").status_code == 403
    assert logged_in(app, "clerk").get("/admin/backup").status_code == 403


def test_no_backup_while_a_secret_vote_is_open(app: Flask, held: Held) -> None:
    admin = logged_in(app, "admin")
    poll = admin.post(
        f"/api/v1/meetings/{held.meeting_id}/polls", json={"question": "是否同意？", "secret": True}
    ).get_json()
    admin.post(f"/api/v1/polls/{poll['id']}/open")
    answer = admin.post("/admin/backup?lang=en")
    assert answer.status_code == 409
    assert "A secret vote is open: make the backup once it is closed." in answer.get_data(
        as_text=True
    )
    assert audit(app, "backups.download") == []


def test_an_overdue_item_s_terms_change_without_moving_its_passed_deadline(
    app: Flask, held: Held, clock: Clock
) -> None:
    clerk = logged_in(app, "clerk")
    decision_id, _ = add_decision_with_action(clerk, held)
    passed = (clock.now - timedelta(days=3)).date().isoformat()
    action = clerk.post(
        f"/api/v1/decisions/{decision_id}/actions",
        json={"title": "补划车位", "responsible": "物业", "deadline": passed},
    ).get_json()
    base = f"/clerk/records/{held.meeting_id}/actions/{action['id']}"
    terms = {
        "title": "补划地面车位",
        "responsible": "物业",
        "co_responsible": "业委会",
        "deadline": passed,
        "deadline_was": passed,
        "criterion": "",
    }
    assert post(clerk, base, terms) == [("done", "“补划地面车位” saved: Overdue.")]
    assert audit(app, "action_items.update")[-1]["co_responsible"] == ["业委会"]
    moved = terms | {"deadline": (clock.now - timedelta(days=1)).date().isoformat()}
    assert post(clerk, base, moved)[0][0] == "refused"
