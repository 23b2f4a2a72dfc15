"""The server keeps its heavy libraries out of memory until a feature needs them.

The app is made in a fresh interpreter (other tests' imports would hide a regression), with
the real server's defaults (gevent, the PDF printer, espeak-ng): it serves a phone's page and
a phone joins over Socket.IO. None of the libraries below may be loaded by then; each costs
from 10 to 55 MB of the server's memory (see BENCHMARKS.md, "Server memory at rest").
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member

ROOT = Path(__file__).resolve().parents[2]

# Loaded when used: card photos and sheets, spreadsheets, PDFs and their CJK font, pinyin.
HEAVY = (
    "alembic",
    "cv2",
    "numpy",
    "openpyxl",
    "pypinyin",
    "reportlab.lib.colors",
    "reportlab.pdfbase.ttfonts",
    "reportlab.pdfgen.canvas",
    "reportlab.platypus",
)

SERVER = """
from gevent import monkey

monkey.patch_all()
import json, sys
from meeting_room.app import create_app
from meeting_room.extensions import socketio

instance, database, token, heavy = json.loads(sys.argv[1])
app = create_app({"INSTANCE_PATH": instance, "DATABASE_URL": database})
client = app.test_client()
page = client.get(f"/v/{token}")
phone = socketio.test_client(app, namespace="/phone", flask_test_client=client)
answer = phone.emit("join", {"token": token}, namespace="/phone", callback=True)
print(json.dumps({
    "page": page.status_code,
    "joined": answer.get("meeting_id"),
    "loaded": [name for name in heavy if name in sys.modules],
}))
"""


def test_serving_a_phone_loads_no_heavy_library(
    app: Flask, client: FlaskClient, meeting: Meeting
) -> None:
    with app.app_context(), app.extensions["yishi.storage"].transaction() as session:
        member = session.scalars(select(Member.id).where(Member.name == "孙艳娜")).one()
    receipt = client.post(
        f"/api/v1/meetings/{meeting.id}/sign-in", json={"member_id": member}
    ).get_json()
    token = receipt["phone_url"].rsplit("/v/", 1)[1]
    arguments = [app.instance_path, app.config["DATABASE_URL"], token, HEAVY]
    done = subprocess.run(
        [sys.executable, "-c", SERVER, json.dumps(arguments)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["page"] == 200
    assert seen["joined"] == meeting.id
    assert seen["loaded"] == []
