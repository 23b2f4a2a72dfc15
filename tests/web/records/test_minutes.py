"""Minutes of a whole scripted meeting: HTML, JSON and PDF, with summaries and corrections."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.conftest import Clock
from tests.web.scripted import COMMITTEE, Held, add_decision_with_action, close_held


def test_the_minutes_json_records_attendance_speeches_votes_and_decisions(
    client: FlaskClient, held: Held
) -> None:
    decision_id, _ = add_decision_with_action(client, held)
    minutes = client.get(f"/api/v1/meetings/{held.meeting_id}/minutes").get_json()

    assert minutes["format"] == "yishi.minutes/1"
    assert minutes["header"]["title"] == "幸福里业委会第三次会议"
    assert minutes["published_at"] is None
    attendance = minutes["attendance"]
    assert (attendance["eligible"], attendance["present"], attendance["in_person"]) == (12, 10, 10)
    assert attendance["quorum_met"] is True
    assert [c["measure"] for c in attendance["quorum"]] == ["headcount", "area"]

    first, second = minutes["items"]
    assert [(s["name"], s["stance"], s["seconds"]) for s in first["speeches"]] == [
        ("廖春勇", "for", 75),
        ("莫明", "against", 120),
        ("尹英", "neutral", 42),
    ]
    assert [s["seconds"] for s in second["speeches"]] == [60, 30, 20]
    assert [o["rule"] for o in second["overrides"]] == ["max_speeches_reached"]
    assert second["overrides"][0]["name"] == "刘艳"

    (secret,) = first["polls"]
    assert secret["rule"] == "two_thirds_present" and secret["secret"] is True
    assert secret["passed"] is True and secret["cast"] == 10
    assert {t["option"]: t["headcount"] for t in secret["tallies"]}["for"] == 9
    assert len(secret["clauses"]) == 1 and all(c["met"] for c in secret["clauses"])
    assert secret["explanation"]["zh_CN"].startswith("通过")
    assert secret["ballots"] is None  # secret: no name, ever
    listing = client.get(f"/api/v1/polls/{held.secret_poll}/ballot-list").get_json()
    assert secret["final_hash"] == listing["final_hash"] is not None

    (simple,) = second["polls"]
    assert simple["rule"] == "simple_majority" and simple["passed"] is True
    assert {(b["name"], tuple(b["choices"])) for b in simple["ballots"]} == {
        ("郑建德", ("for",)),
        ("付梅淑", ("for",)),
        ("邱秀敏", ("against",)),
        ("高伟刚", ("abstain",)),
    }
    assert minutes["decisions"][0]["id"] == decision_id
    assert minutes["decisions"][0]["item_id"] == held.items[0]  # from the poll's item
    action = minutes["decisions"][0]["actions"][0]
    assert (action["responsible"], action["deadline"], action["status"]) == (
        "幸福里物业服务中心",
        "2027-03-31",
        "not_started",
    )


def test_the_minutes_list_a_named_votes_choices_but_no_name_of_a_secret_one(
    client: FlaskClient, held: Held
) -> None:
    page = client.get(f"/board/meetings/{held.meeting_id}/minutes?lang=en").get_data(as_text=True)
    # The named vote's list is there: name and choice in one row.
    assert "<td>邱秀敏</td><td>Against</td>" in page.replace("\n", "").replace("  ", "")
    # The secret vote's section holds its hash but no voter's name.
    start = page.index("是否同意7栋加装电梯")
    secret_section = page[start : page.index("<h2>", start)]  # up to the next item
    final_hash = client.get(f"/api/v1/polls/{held.secret_poll}").get_json()["final_hash"]
    assert final_hash in secret_section
    assert not any(name in secret_section for name, _ in COMMITTEE)


def test_the_minutes_page_is_print_ready_with_hashes_speakers_and_signature_lines(
    client: FlaskClient, held: Held
) -> None:
    response = client.get(f"/board/meetings/{held.meeting_id}/minutes?lang=en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "@media print" in page  # the style is inlined: a saved copy prints the same
    assert "Minutes of 幸福里业委会第三次会议" in page
    assert "Draft: not yet published" in page
    for name in ("廖春勇", "莫明", "尹英", "刘艳"):
        assert name in page
    for poll_id in (held.secret_poll, held.simple_poll):
        final_hash = client.get(f"/api/v1/polls/{poll_id}").get_json()["final_hash"]
        assert final_hash in page
    assert "Two thirds of those present" in page
    assert "Moderator (signature)" in page and "Clerk (signature)" in page
    assert "A speech beyond the number the rules allow (刘艳)" in page
    assert "1:15" in page and "2:00" in page  # durations of the first item's speeches


def test_summaries_and_corrections_are_kept_with_who_and_when_and_shown(
    client: FlaskClient, held: Held, clock: Clock
) -> None:
    base = f"/api/v1/meetings/{held.meeting_id}"
    first = held.items[0]
    written = client.put(
        f"{base}/agenda/{first}/summary", json={"text": "多数业主支持加装。", "by": "张记录"}
    )
    assert written.status_code == 200
    clock.advance(60)
    client.put(
        f"{base}/agenda/{first}/summary", json={"text": "多数业主支持加装电梯。", "by": "李审核"}
    )
    fixed = client.post(
        f"{base}/minutes/corrections",
        json={"field": f"item.{held.items[1]}.title", "text": "地面停车位划线", "by": "张记录"},
    )
    assert fixed.status_code == 201 and fixed.get_json()["before"] == "停车位划线"
    same = client.post(
        f"{base}/minutes/corrections",
        json={"field": f"item.{held.items[1]}.title", "text": "地面停车位划线", "by": "张记录"},
    )
    assert same.get_json()["error"]["code"] == "nothing_changed"
    unknown = client.post(
        f"{base}/minutes/corrections", json={"field": "member.1.name", "text": "x", "by": "张记录"}
    )
    assert unknown.get_json()["error"]["code"] == "not_correctable"

    minutes = client.get(f"{base}/minutes").get_json()
    assert minutes["items"][0]["summary"]["text"] == "多数业主支持加装电梯。"
    assert minutes["items"][0]["summary"]["by"] == "李审核"
    assert minutes["items"][1]["title"] == "地面停车位划线"
    assert [(c["field"], c["before"], c["after"], c["by"]) for c in minutes["corrections"]] == [
        (f"item.{first}.summary", "多数业主支持加装。", "多数业主支持加装电梯。", "李审核"),
        (f"item.{held.items[1]}.title", "停车位划线", "地面停车位划线", "张记录"),
    ]
    # The record of what happened is untouched: the agenda keeps the title as it was given.
    agenda = client.get(f"{base}/agenda").get_json()["items"]
    assert agenda[1]["title"] == "停车位划线"
    page = client.get(f"/board/meetings/{held.meeting_id}/minutes?lang=en").get_data(as_text=True)
    assert "Corrections" in page and "Item 2, title" in page and "停车位划线" in page


def test_naming_the_signatories_and_publishing_the_minutes(
    app: Flask, client: FlaskClient, held: Held, clock: Clock
) -> None:
    base = f"/api/v1/meetings/{held.meeting_id}/minutes"
    named = client.put(f"{base}/signatories", json={"moderator": "王主持", "clerk": "张记录"})
    assert named.get_json()["header"]["moderator"] == "王主持"
    refused = client.post(f"{base}/publish", json={"by": "张记录"})  # the meeting is still open
    assert refused.get_json()["error"]["code"] == "meeting_state"
    close_held(app, held, clock)
    published = client.post(f"{base}/publish", json={"by": "张记录"}).get_json()
    assert published["published_at"] is not None and published["published_by"] == "张记录"
    header = published["header"]
    assert datetime.fromisoformat(header["closed_at"]) == clock.now  # its end, recorded
    assert datetime.fromisoformat(header["opened_at"]) < clock.now
    page = client.get(f"/board/meetings/{held.meeting_id}/minutes?lang=en").get_data(as_text=True)
    assert "Draft" not in page and "王主持" in page


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "minutes.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_the_pdf_embeds_the_chinese_font_and_holds_the_names(
    client: FlaskClient, held: Held, tmp_path: Path
) -> None:
    response = client.get(f"/board/meetings/{held.meeting_id}/minutes.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data, tmp_path)
    for words in (
        "幸福里业委会第三次会议",
        "廖春勇",
        "莫明",
        "刘艳",
        "邱秀敏",
        "是否同意7栋加装电梯",
    ):
        assert words in text
    final_hash = client.get(f"/api/v1/polls/{held.secret_poll}").get_json()["final_hash"]
    assert final_hash in text.replace("\n", "")
    fonts = subprocess.run(
        ["pdffonts", str(tmp_path / "minutes.pdf")], check=True, capture_output=True, text=True
    ).stdout
    assert "WenQuanYi" in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # all embedded


def test_yishi_minutes_writes_json_and_pdf_files(
    runner: FlaskCliRunner, held: Held, tmp_path: Path
) -> None:
    target = tmp_path / "minutes.json"
    result = runner.invoke(
        args=["minutes", str(held.meeting_id), "--format", "json", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    minutes = json.loads(target.read_text(encoding="utf-8"))
    assert minutes["format"] == "yishi.minutes/1" and len(minutes["items"]) == 2
    html = tmp_path / "minutes.html"
    runner.invoke(args=["minutes", str(held.meeting_id), "-o", str(html), "--lang", "en"])
    assert "Minutes of 幸福里业委会第三次会议" in html.read_text(encoding="utf-8")
    missing = runner.invoke(
        args=["minutes", "999", "--format", "pdf", "--lang", "en", "-o", str(tmp_path / "x.pdf")]
    )
    assert missing.exit_code == 2 and "This meeting does not exist." in missing.output
