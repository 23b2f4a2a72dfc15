"""Minutes of a whole scripted meeting: HTML, JSON and PDF, with summaries and corrections."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from meeting_room.domain.words import MemberGroup, RequestKind, Stance
from meeting_room.extensions import socketio
from meeting_room.floor import discussion, timing
from meeting_room.meetings.meetings import MeetingDraft, create_meeting
from meeting_room.store.models.meetings import Meeting
from tests.conftest import Clock, logged_in, unit

# The owners' committee (业委会) of the demo roster: the eligible base of the scripted meeting.
COMMITTEE = [
    ("廖春勇", "7109"),
    ("莫明", "6918"),
    ("尹英", "2322"),
    ("严梅艳", "0810"),
    ("刘艳", "2325"),
    ("郑建德", "3638"),
    ("付梅淑", "0889"),
    ("邱秀敏", "2300"),
    ("高伟刚", "5068"),
    ("曾超明", "1439"),
]  # 10 of 12 come; 彭凤 and 苏华志 stay away


@dataclass
class Held:
    """A meeting held from start to end, and what the test needs to check its minutes."""

    meeting_id: int
    ids: dict[str, int]
    tokens: dict[str, str]
    items: list[int] = field(default_factory=list)
    art278_poll: int = 0
    simple_poll: int = 0
    receipts: dict[str, str] = field(default_factory=dict)


def sign_in(client: FlaskClient, meeting_id: int, name: str, tail: str) -> tuple[int, str]:
    """Sign a member in through the API; their id and personal token."""
    found = client.get("/api/v1/members", query_string={"q": name}).get_json()["members"]
    member = next(m for m in found if m["name"] == name)
    body = client.post(
        f"/api/v1/meetings/{meeting_id}/sign-in",
        json={"member_id": member["id"], "phone_tail": tail},
    ).get_json()
    return member["id"], body["phone_url"].rsplit("/", 1)[-1]


def speak(
    app: Flask, meeting_id: int, member_id: int, stance: Stance, seconds: int, clock: Clock
) -> None:
    """A member asks for the floor, gets it, speaks ``seconds`` and stops."""
    with unit(app) as s:
        m = s.get(Meeting, meeting_id)
        assert m is not None
        discussion.request_floor(s, m, member_id, stance, RequestKind.SPEECH, "phone", clock.now)
        discussion.give_floor(s, m, clock.now)
    clock.advance(seconds)
    with unit(app) as s:
        m = s.get(Meeting, meeting_id)
        assert m is not None
        timing.change_clock(s, m, "stop", clock.now)
    clock.advance(5)


def vote_by_phone(app: Flask, token: str, poll_id: int, choice: str) -> str:
    """Cast a ballot from the personal phone page's socket; the receipt."""
    phone = socketio.test_client(app, namespace="/phone")
    answer = phone.emit(
        "ballot.cast",
        {
            "token": token,
            "poll_id": poll_id,
            "choices": [choice],
            "client_id": f"{token[:12]}-{poll_id}",
        },
        namespace="/phone",
        callback=True,
    )
    phone.disconnect(namespace="/phone")
    return str(answer["receipt"])


def hold_meeting(app: Flask, clock: Clock) -> Held:
    """Sign-ins, two items with speeches (and an override), an art. 278 secret vote, a named
    simple vote, a decision with an action item; the poll results are published."""
    client = logged_in(app)
    with unit(app) as s:
        meeting = create_meeting(
            s,
            MeetingDraft(
                title="幸福里业委会第三次会议",
                starts_at=clock.now,
                venue="幸福里社区议事厅二楼",
                eligible_groups=(MemberGroup.OWNERS_COMMITTEE,),
                quorum_headcount="2/3",
                quorum_area="1/2",
            ),
            clock.now - timedelta(days=10),
        )
        meeting_id = meeting.id
    ids, tokens = {}, {}
    for name, tail in COMMITTEE:
        ids[name], tokens[name] = sign_in(client, meeting_id, name, tail)
    held = Held(meeting_id, ids, tokens)
    for title in ("加装电梯方案", "停车位划线"):
        added = client.post(
            f"/api/v1/meetings/{meeting_id}/agenda", json={"title": title, "kind": "vote"}
        ).get_json()
        held.items.append(added["items"][-1]["id"])

    with unit(app) as s:
        m = s.get(Meeting, meeting_id)
        assert m is not None
        discussion.start_item(s, m, held.items[0], clock.now)
    speak(app, meeting_id, ids["廖春勇"], Stance.FOR, 75, clock)
    speak(app, meeting_id, ids["莫明"], Stance.AGAINST, 120, clock)
    speak(app, meeting_id, ids["尹英"], Stance.NEUTRAL, 42, clock)
    poll = client.post(
        f"/api/v1/meetings/{meeting_id}/polls",
        json={
            "question": "是否同意7栋加装电梯？",
            "rule": "art278_major",
            "weighting": "area",
            "secret": True,
            "item_id": held.items[0],
        },
    ).get_json()
    held.art278_poll = poll["id"]
    client.post(f"/api/v1/polls/{poll['id']}/open")
    for name, _ in COMMITTEE[:9]:
        held.receipts[name] = vote_by_phone(app, tokens[name], poll["id"], "for")
    held.receipts["曾超明"] = vote_by_phone(app, tokens["曾超明"], poll["id"], "against")
    client.post(f"/api/v1/polls/{poll['id']}/close")
    client.post(f"/api/v1/polls/{poll['id']}/publish")

    with unit(app) as s:
        m = s.get(Meeting, meeting_id)
        assert m is not None
        discussion.start_item(s, m, held.items[1], clock.now)
    speak(app, meeting_id, ids["刘艳"], Stance.FOR, 60, clock)
    speak(app, meeting_id, ids["刘艳"], Stance.FOR, 30, clock)
    with unit(app) as s:  # a third speech: only with the moderator's override
        m = s.get(Meeting, meeting_id)
        assert m is not None
        discussion.request_floor(
            s, m, ids["刘艳"], Stance.FOR, RequestKind.SPEECH, "moderator", clock.now, override=True
        )
        discussion.give_floor(s, m, clock.now)
    clock.advance(20)
    poll = client.post(
        f"/api/v1/meetings/{meeting_id}/polls",
        json={
            "question": "是否同意地面停车位重新划线？",
            "secret": False,
            "item_id": held.items[1],
        },
    ).get_json()
    held.simple_poll = poll["id"]
    client.post(f"/api/v1/polls/{poll['id']}/open")
    for name, choice in (
        ("郑建德", "for"),
        ("付梅淑", "for"),
        ("邱秀敏", "against"),
        ("高伟刚", "abstain"),
    ):
        client.post(
            f"/api/v1/polls/{poll['id']}/assisted",
            json={"member_id": ids[name], "choices": [choice], "helper": "张记录"},
        )
    client.post(f"/api/v1/polls/{poll['id']}/close")
    client.post(f"/api/v1/polls/{poll['id']}/publish")
    with unit(app) as s:
        m = s.get(Meeting, meeting_id)
        assert m is not None
        discussion.finish_item(s, m, held.items[1], clock.now)
    return held


@pytest.fixture
def held(app: Flask, clock: Clock) -> Held:
    """The scripted meeting, held."""
    return hold_meeting(app, clock)


def add_decision_with_action(client: FlaskClient, held: Held) -> tuple[int, int]:
    """A decision on the art. 278 vote and one action item; their ids."""
    decision = client.post(
        f"/api/v1/meetings/{held.meeting_id}/decisions",
        json={
            "text": "同意7栋加装电梯，由业委会组织实施。",
            "by": "张记录",
            "poll_id": held.art278_poll,
        },
    ).get_json()
    action = client.post(
        f"/api/v1/decisions/{decision['id']}/actions",
        json={
            "title": "完成电梯井道施工",
            "responsible": "幸福里物业服务中心",
            "deadline": "2027-03-31",
            "criterion": "通过特种设备检验并取得使用登记证",
        },
    ).get_json()
    return decision["id"], action["id"]


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

    (art278,) = first["polls"]
    assert art278["rule"] == "art278_major" and art278["secret"] is True
    assert art278["passed"] is True and art278["cast"] == 10
    assert {t["option"]: t["headcount"] for t in art278["tallies"]}["for"] == 9
    assert len(art278["clauses"]) == 4 and all(c["met"] for c in art278["clauses"])
    assert art278["explanation"]["zh_CN"].startswith("通过")
    assert art278["ballots"] is None  # secret: no name, ever
    listing = client.get(f"/api/v1/polls/{held.art278_poll}/ballot-list").get_json()
    assert art278["final_hash"] == listing["final_hash"] is not None

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
    final_hash = client.get(f"/api/v1/polls/{held.art278_poll}").get_json()["final_hash"]
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
    for poll_id in (held.art278_poll, held.simple_poll):
        final_hash = client.get(f"/api/v1/polls/{poll_id}").get_json()["final_hash"]
        assert final_hash in page
    assert "Civil Code art. 278: major matters" in page
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


def test_naming_the_signatories_and_publishing_the_minutes(client: FlaskClient, held: Held) -> None:
    base = f"/api/v1/meetings/{held.meeting_id}/minutes"
    named = client.put(f"{base}/signatories", json={"moderator": "王主持", "clerk": "张记录"})
    assert named.get_json()["header"]["moderator"] == "王主持"
    published = client.post(f"{base}/publish", json={"by": "张记录"}).get_json()
    assert published["published_at"] is not None and published["published_by"] == "张记录"
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
    final_hash = client.get(f"/api/v1/polls/{held.art278_poll}").get_json()["final_hash"]
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
