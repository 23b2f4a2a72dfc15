"""Forgeries of a real database, each caught by ``yishi verify``.

A meeting is held through the real app into its SQLite file (sign-ins, speeches, an art. 278
secret vote, a named vote, and the secret vote measured in the review: 3 for, 5 against).
Then each test edits that file as someone with the box in hand would, with ``sqlite3`` and
the app's own formulas, and runs ``yishi verify``: before this suite, every one of these
forgeries left it saying "intact".
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import cv2
import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from meeting_room.domain.chain import chain
from meeting_room.store.audit import GENESIS, entry_hash
from meeting_room.store.models.voting import Poll
from meeting_room.voting.results import chain_seed
from tests.conftest import Clock, logged_in, unit
from tests.pg import server_url
from tests.web.scripted import COMMITTEE, Held, hold_meeting, vote_by_phone

pytestmark = pytest.mark.skipif(
    server_url() is not None, reason="replays forgeries of the SQLite file"
)

QUESTION = "是否更换物业服务企业？"


@dataclass
class Box:
    """The held meeting and the poll that failed 3 for, 5 against."""

    held: Held
    poll_id: int


def hold_a_failed_vote(app: Flask, held: Held) -> int:
    """A secret simple-majority vote by phone, 3 for and 5 against (the review's case)."""
    client = logged_in(app)
    poll = client.post(
        f"/api/v1/meetings/{held.meeting_id}/polls", json={"question": QUESTION, "secret": True}
    ).get_json()
    client.post(f"/api/v1/polls/{poll['id']}/open")
    for number, (name, _) in enumerate(COMMITTEE[:8]):
        vote_by_phone(app, held.tokens[name], poll["id"], "for" if number < 3 else "against")
    closed = client.post(f"/api/v1/polls/{poll['id']}/close").get_json()
    assert closed["result"]["passed"] is False
    return int(poll["id"])


@pytest.fixture
def box(app: Flask, clock: Clock) -> Box:
    """A meeting held through the real app; its file is then forged by the tests."""
    held = hold_meeting(app, clock)
    return Box(held, hold_a_failed_vote(app, held))


def database(app: Flask) -> sqlite3.Connection:
    """The app's SQLite file, opened as an intruder would (outside the app)."""
    return sqlite3.connect(app.config["DATABASE_URL"].removeprefix("sqlite:///"))


def verify(runner: FlaskCliRunner, *anchors: str) -> tuple[int, str]:
    """``yishi verify`` (with ``--anchor`` for each anchor): its exit code and output."""
    args = ["verify"] + [arg for anchor in anchors for arg in ("--anchor", anchor)]
    result = runner.invoke(args=args)
    return result.exit_code, result.output


def test_the_box_as_the_app_left_it_verifies(runner: FlaskCliRunner, box: Box) -> None:
    code, output = verify(runner)
    assert code == 0, output
    assert "Audit log: intact" in output
    assert f"Vote {box.poll_id}: {QUESTION}: intact: recounted from the ballots: " in output
    assert "For 3, Against 5, Abstain 0, not passed" in output
    assert "Sign-ins (attendances): agrees with the audit log (10 rows)" in output


def test_a_result_flipped_to_passed_is_caught_by_the_recount(
    app: Flask, runner: FlaskCliRunner, box: Box
) -> None:
    db = database(app)
    db.execute(
        "UPDATE polls SET result = json_set(result, '$.passed', json('true'), "
        "'$.summary', 'passed', '$.tallies.for.headcount', 6, '$.tallies.against.headcount', 2)"
        " WHERE id = ?",
        (box.poll_id,),
    )
    db.execute(
        "UPDATE poll_tallies SET headcount = CASE option WHEN 'for' THEN 6 ELSE 2 END "
        "WHERE poll_id = ? AND option IN ('for', 'against')",
        (box.poll_id,),
    )
    db.commit()
    minutes = logged_in(app).get(f"/api/v1/meetings/{box.held.meeting_id}/minutes?lang=en")
    forged = next(p for p in minutes.get_json()["other_polls"] if p["id"] == box.poll_id)
    assert forged["passed"] is True  # the forgery took: the minutes say passed

    code, output = verify(runner)
    assert code == 1
    assert f"Vote {box.poll_id}: {QUESTION}: BROKEN" in output
    assert (
        "stored result (as the minutes show it): votes for For is 6, the recount from the "
        "ballots gives 3" in output
    )
    assert (
        "stored result (as the minutes show it): whether it passed is yes, the recount from the "
        "ballots gives no" in output
    )
    assert "running tally: votes for Against is 2, the recount from the ballots gives 5" in output
    assert "count sealed at closing: votes for For is 3" not in output  # the seal holds the truth


def test_ballots_list_final_hash_and_result_rewritten_together_are_caught_by_the_log(
    app: Flask, runner: FlaskCliRunner, box: Box
) -> None:
    with unit(app) as s:  # what the list's first hash covers: the app's own formula
        poll = s.get(Poll, box.poll_id)
        assert poll is not None
        seed = chain_seed(poll)
    db = database(app)
    against = [
        key
        for key, choices in db.execute(
            "SELECT key, choices FROM ballots WHERE poll_id = ?", (box.poll_id,)
        )
        if json.loads(choices) == ["against"]
    ]
    for key in against[:3]:  # three "against" become "for": 6 to 2, passed
        db.execute("UPDATE ballots SET choices = '[\"for\"]' WHERE key = ?", (key,))
    texts = sorted(
        f"{receipt} {'+'.join(json.loads(choices))}"
        for receipt, choices in db.execute(
            "SELECT receipt, choices FROM ballots WHERE poll_id = ?", (box.poll_id,)
        )
    )
    hashes = chain(seed, texts)
    db.execute("DELETE FROM published_entries WHERE poll_id = ?", (box.poll_id,))
    db.executemany(
        "INSERT INTO published_entries (poll_id, position, text, hash) VALUES (?, ?, ?, ?)",
        [
            (box.poll_id, n, t, h)
            for n, (t, h) in enumerate(zip(texts, hashes, strict=True), start=1)
        ],
    )
    db.execute(
        "UPDATE polls SET final_hash = ?, result = json_set(result, '$.passed', json('true'), "
        "'$.tallies.for.headcount', 6, '$.tallies.against.headcount', 2) WHERE id = ?",
        (hashes[-1], box.poll_id),
    )
    db.execute(
        "UPDATE poll_tallies SET headcount = CASE option WHEN 'for' THEN 6 ELSE 2 END "
        "WHERE poll_id = ? AND option IN ('for', 'against')",
        (box.poll_id,),
    )
    db.commit()

    code, output = verify(runner)
    assert code == 1
    assert "ballot list: BROKEN" not in output  # the list fits its (forged) ballots
    assert f"final hash {hashes[-1]} is not the one the audit log holds from its closing" in output
    assert f"final hash {hashes[-1]} is not the one sealed at closing" in output
    assert (
        "count sealed at closing: votes for For is 3, the recount from the ballots gives 6"
        in output
    )
    assert f"polls:{box.poll_id}: final_hash is {hashes[-1]}" in output  # the polls table too


def test_an_attendance_time_edited_is_caught(app: Flask, runner: FlaskCliRunner, box: Box) -> None:
    db = database(app)
    row = db.execute("SELECT id FROM attendances ORDER BY id LIMIT 1").fetchone()[0]
    db.execute(
        "UPDATE attendances SET signed_in_at = '2026-11-21 10:05:00.000000' WHERE id = ?", (row,)
    )
    db.commit()

    code, output = verify(runner)
    assert code == 1
    assert "Sign-ins (attendances): BROKEN" in output
    assert f"attendances:{row}: signed_in_at is 2026-11-21T10:05:00+00:00, the audit log" in output


def test_an_attendance_deleted_is_caught(app: Flask, runner: FlaskCliRunner, box: Box) -> None:
    db = database(app)
    row = db.execute("SELECT max(id) FROM attendances").fetchone()[0]
    db.execute("DELETE FROM attendances WHERE id = ?", (row,))
    db.commit()

    code, output = verify(runner)
    assert code == 1
    assert f"attendances:{row} is missing: the audit log (entry " in output


def test_a_members_area_changed_is_caught(app: Flask, runner: FlaskCliRunner, box: Box) -> None:
    member = box.held.ids["廖春勇"]
    db = database(app)
    before = db.execute("SELECT area_m2 FROM members WHERE id = ?", (member,)).fetchone()[0]
    db.execute("UPDATE members SET area_m2 = 260.00 WHERE id = ?", (member,))
    db.commit()

    code, output = verify(runner)
    assert code == 1
    assert f"members:{member}: area_m2 is 260.00, the audit log (entry " in output
    assert f"says {before:.2f}" in output or f"says {before}" in output


def test_a_voters_area_changed_in_a_closed_votes_base_is_caught(
    app: Flask, runner: FlaskCliRunner, box: Box
) -> None:
    """The base of the art. 278 vote (fixed at opening, not audited row by row) given more area
    for one voter, and the area tallies moved with it: the base's logged digest disagrees."""
    member = box.held.ids["廖春勇"]
    poll = box.held.secret_poll
    db = database(app)
    db.execute(
        "UPDATE poll_voters SET area_m2 = area_m2 + 500 WHERE poll_id = ? AND member_id = ?",
        (poll, member),
    )
    db.execute(
        "UPDATE poll_tallies SET area_m2 = area_m2 + 500 WHERE poll_id = ? AND option = 'for'",
        (poll,),
    )
    db.commit()

    code, output = verify(runner)
    assert code == 1
    assert "are not those logged when it opened" in output
    assert "running tally" not in output  # the tallies fit the forged base: only the log knows


def cut_the_tail(db: sqlite3.Connection, keep: int) -> None:
    """Drop every entry after ``keep`` and point the head at it, as the review did."""
    db.execute("DELETE FROM audit_log WHERE seq > ?", (keep,))
    last = db.execute("SELECT hash FROM audit_log WHERE seq = ?", (keep,)).fetchone()[0]
    db.execute("UPDATE audit_head SET seq = ?, hash = ?", (keep, last))


def rechain(db: sqlite3.Connection, start: int) -> None:
    """Recompute every hash from entry ``start`` on, and the head, with the app's formula."""
    previous = (
        db.execute("SELECT hash FROM audit_log WHERE seq = ?", (start - 1,)).fetchone()[0]
        if start > 1
        else GENESIS
    )
    rows = db.execute(
        "SELECT seq, at, kind, subject, detail FROM audit_log WHERE seq >= ? ORDER BY seq",
        (start,),
    ).fetchall()
    for seq, at, kind, subject, detail in rows:
        moment = datetime.fromisoformat(at).replace(tzinfo=UTC).isoformat()
        previous = entry_hash(previous, seq, moment, kind, subject, detail)
        db.execute("UPDATE audit_log SET hash = ? WHERE seq = ?", (previous, seq))
    db.execute("UPDATE audit_head SET seq = ?, hash = ?", (rows[-1][0], previous))


def end_the_meeting(app: Flask, held: Held) -> None:
    """The moderator adds a last item, opens and finishes it: the meeting's end is sealed."""
    from meeting_room.domain.words import ItemKind
    from meeting_room.floor import service as floor
    from meeting_room.floor.schemas import ItemDraft

    with app.app_context():
        added = floor.add_item(held.meeting_id, ItemDraft(title="其他事项", kind=ItemKind.REPORT))
        last = added.agenda[-1].id
        floor.start_item(held.meeting_id, last, confirmed_by="moderator")
        assert floor.finish_item(held.meeting_id, last).ended is not None


def printed_anchors(app: Flask, meeting_id: int, tmp_path: Path) -> list[str]:
    """The QR codes printed on the minutes' PDF, read back from its pages (as a phone would:
    OpenCV's ArUco-based reader, at two resolutions, the codes found at either)."""
    pdf = logged_in(app).get(f"/board/meetings/{meeting_id}/minutes.pdf?lang=en")
    assert pdf.status_code == 200
    (tmp_path / "minutes.pdf").write_bytes(pdf.data)
    found: set[str] = set()
    for dpi in (200, 300):
        prefix = tmp_path / f"page-{dpi}"
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", str(tmp_path / "minutes.pdf"), str(prefix)],
            check=True,
        )
        for page in sorted(tmp_path.glob(f"page-{dpi}*.png")):
            ok, texts, _, _ = cv2.QRCodeDetectorAruco().detectAndDecodeMulti(cv2.imread(str(page)))
            found |= {t for t in texts if ok and t.startswith("YISHI-ANCHOR:")}
    return sorted(found)


def test_the_anchors_printed_on_the_minutes_prove_the_untouched_box(
    app: Flask, runner: FlaskCliRunner, box: Box, tmp_path: Path
) -> None:
    end_the_meeting(app, box.held)
    anchors = printed_anchors(app, box.held.meeting_id, tmp_path)
    assert len(anchors) == 4  # three votes' closings and the meeting's end

    code, output = verify(runner, *anchors)
    assert code == 0, output
    assert output.count("Anchor: matches entry ") == 4


def test_a_cut_tail_with_its_head_fixed_passes_the_chain_but_not_the_projectors_anchor(
    app: Flask, runner: FlaskCliRunner, box: Box
) -> None:
    """The review's cut: the last vote's closing taken out of the log and the poll put back
    as it was while open (to close it again with other ballots). Every table then agrees
    with the shortened log; only the anchor the wall showed at closing is missing."""
    wall = logged_in(app).get(f"/api/v1/polls/{box.poll_id}").get_json()
    photographed = f"#{wall['anchor']['seq']} {wall['anchor']['short']}"  # 16 hex on the wall
    db = database(app)
    closing = db.execute(
        "SELECT min(seq) FROM audit_log WHERE subject = ? AND detail LIKE '%\"closed\"%'",
        (f"polls:{box.poll_id}",),
    ).fetchone()[0]
    cut_the_tail(db, closing - 1)
    db.execute(
        "UPDATE polls SET status = 'open', closed_at = NULL, result = NULL, final_hash = NULL "
        "WHERE id = ?",
        (box.poll_id,),
    )
    db.execute("DELETE FROM published_entries WHERE poll_id = ?", (box.poll_id,))
    db.commit()

    code, output = verify(runner)
    assert code == 0, output  # without the paper, nothing tells
    code, output = verify(runner, photographed)
    assert code == 1
    assert (
        f"NOT FOUND: no entry of this box's log has the hash {wall['anchor']['hash'][:16]}"
        in output
    )


def test_an_early_entry_rewritten_and_rechained_passes_the_chain_but_not_the_printed_anchor(
    app: Flask, runner: FlaskCliRunner, box: Box, tmp_path: Path
) -> None:
    """A member's area raised in the roster and in the log's entry that imported it, and
    every hash after it computed again: the chain, the tables and the polls all agree; the
    anchor printed on the minutes at the meeting's end no longer exists."""
    end_the_meeting(app, box.held)
    anchors = printed_anchors(app, box.held.meeting_id, tmp_path)
    assert len(anchors) == 4
    member = box.held.ids["廖春勇"]
    db = database(app)
    seq, detail = db.execute(
        "SELECT seq, detail FROM audit_log WHERE kind = 'members.insert' AND subject = ?",
        (f"members:{member}",),
    ).fetchone()
    db.execute("UPDATE members SET area_m2 = 260.00 WHERE id = ?", (member,))
    forged = json.loads(detail) | {"area_m2": "260.00"}
    db.execute(
        "UPDATE audit_log SET detail = ? WHERE seq = ?",
        (json.dumps(forged, sort_keys=True, separators=(",", ":"), ensure_ascii=False), seq),
    )
    rechain(db, seq)
    db.commit()

    code, output = verify(runner)
    assert code == 0, output  # a careful forgery: the chain holds, the tables agree
    code, output = verify(runner, *anchors)
    assert code == 1
    assert output.count("NOT FOUND: no entry of this box's log has the hash") == 4
