"""Anchors of the audit log that leave the box: each poll's closing (on the wall with its
result, in the minutes with a QR code) and the meeting's end (on the wall's statistics once
the last item is finished, and at the end of the minutes)."""

from __future__ import annotations

import json
import sqlite3

import pytest
from flask import Flask
from flask.testing import FlaskClient

from meeting_room.domain.words import ItemKind
from meeting_room.extensions import socketio
from meeting_room.floor import service as floor
from meeting_room.floor.schemas import ItemDraft
from tests.conftest import logged_in, paired
from tests.pg import server_url
from tests.web.scripted import Held


def chain_entry(app: Flask, seq: int) -> tuple[str, str, str, dict[str, object]]:
    """The audit entry ``seq``: its hash, kind, subject and detail."""
    if server_url() is not None:
        pytest.skip("reads the SQLite file")
    db = sqlite3.connect(app.config["DATABASE_URL"].removeprefix("sqlite:///"))
    digest, kind, subject, detail = db.execute(
        "SELECT hash, kind, subject, detail FROM audit_log WHERE seq = ?", (seq,)
    ).fetchone()
    head = db.execute("SELECT seq FROM audit_head").fetchone()[0]
    assert head >= seq
    return digest, kind, subject, json.loads(detail)


def test_a_closed_polls_snapshot_carries_the_chains_head_at_its_closing(
    app: Flask, client: FlaskClient, held: Held
) -> None:
    poll = client.get(f"/api/v1/polls/{held.secret_poll}").get_json()
    anchor = poll["anchor"]
    digest, kind, subject, detail = chain_entry(app, anchor["seq"])
    assert (anchor["hash"], kind, subject) == (digest, "polls.sealed", f"polls:{held.secret_poll}")
    assert detail["final_hash"] == poll["final_hash"]
    assert detail["count"]["tallies"]["for"]["headcount"] == 9  # the count, sealed with it
    assert anchor["short"] == " ".join(digest[i : i + 4] for i in range(0, 16, 4))
    assert anchor["text"] == f"YISHI-ANCHOR:{anchor['seq']}:{digest.upper()}"


def test_an_open_poll_has_no_anchor_yet(client: FlaskClient, held: Held) -> None:
    poll = client.post(
        f"/api/v1/meetings/{held.meeting_id}/polls", json={"question": "是否续聘物业？"}
    ).get_json()
    client.post(f"/api/v1/polls/{poll['id']}/open")
    assert client.get(f"/api/v1/polls/{poll['id']}").get_json()["anchor"] is None


def test_finishing_the_last_item_seals_the_meetings_end_and_tells_the_wall(
    app: Flask, held: Held
) -> None:
    wall = socketio.test_client(
        app, namespace="/projector", flask_test_client=paired(app, "projector")
    )
    wall.emit("join", {"meeting_id": held.meeting_id}, namespace="/projector", callback=True)
    with app.app_context():
        added = floor.add_item(held.meeting_id, ItemDraft(title="其他事项", kind=ItemKind.REPORT))
        assert added.ended is None  # an item is open again: the meeting has not ended
        last = added.agenda[-1].id
        floor.start_item(held.meeting_id, last, confirmed_by="moderator")
        ended = floor.finish_item(held.meeting_id, last).ended
    assert ended is not None
    digest, kind, subject, detail = chain_entry(app, ended.seq)
    assert (ended.hash, kind, subject) == (digest, "meetings.ended", f"meetings:{held.meeting_id}")
    assert set(detail["final_hashes"]) == {str(held.secret_poll), str(held.simple_poll)}
    heard = [m["args"][0] for m in wall.get_received("/projector") if m["name"] == "floor"]
    assert heard[-1]["ended"]["hash"] == ended.hash


def test_the_minutes_print_each_anchor_with_its_qr_code(app: Flask, held: Held) -> None:
    client = logged_in(app)
    with app.app_context():
        added = floor.add_item(held.meeting_id, ItemDraft(title="其他事项", kind=ItemKind.REPORT))
        floor.start_item(held.meeting_id, added.agenda[-1].id, confirmed_by="moderator")
        floor.finish_item(held.meeting_id, added.agenda[-1].id)
    minutes = client.get(f"/api/v1/meetings/{held.meeting_id}/minutes").get_json()
    polls = [p for item in minutes["items"] for p in item["polls"]]
    anchors = [p["anchor"] for p in polls] + [minutes["ended"]]
    assert all(a is not None for a in anchors)
    assert anchors[-1]["seq"] > max(a["seq"] for a in anchors[:-1])

    page = client.get(f"/board/meetings/{held.meeting_id}/minutes?lang=en").get_data(as_text=True)
    for anchor in anchors:
        assert f'data-anchor="{anchor["text"]}"' in page
        assert f"entry {anchor['seq']} (" in page and f"hash {anchor['hash']}." in page
    assert page.count('role="img" aria-label="QR code of the audit log\'s anchor, entry ') == 3
    assert "Audit log at the meeting&#39;s end: entry " in page
