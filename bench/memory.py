"""The server's memory at rest, and after each feature that loads a heavy library.

Prepares an instance as the load benchmark does (``bench.load.prepare``: N members, a
meeting, everyone signed in, no demo), starts ``python -m meeting_room.ops.cli run`` on it, and
reads the server's resident memory (``VmRSS`` in /proc/<pid>/status) once it is idle, then
after each of: a phone's page, a kiosk search (pypinyin), a text read aloud (espeak-ng), the
minutes as PDF (reportlab and the CJK font), a sign-in slip, the paper card sheets (OpenCV),
an Excel export (openpyxl). Each step is one real HTTP request with the role the screen has.

Then, in a fresh interpreter each, what importing one library costs on its own (RSS after
minus before; libraries share dependencies, so the rows overlap and do not add up), with
pypinyin also as ``meeting_room.domain.pinyin`` loads it and the slips' CJK font registered.

Run: ``.venv/bin/python -m bench.memory`` (``--phones 1000``; ``--root DIR`` runs the server
from another checkout of the code, e.g. an older commit unpacked with ``git archive``, to
compare in the same run; ``--json FILE`` keeps the numbers).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

from bench.load import servers
from bench.load.prepare import prepare

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
SETTLE_SECONDS = 2.0

# Libraries that the app loads (or used to load) at start-up: (label, the statement to time).
IMPORTS = (
    ("pypinyin", "import pypinyin"),
    (
        "pypinyin (domain.pinyin)",
        "from meeting_room.domain.pinyin import load_pypinyin\nload_pypinyin()",
    ),
    ("cv2", "import cv2"),
    ("openpyxl", "import openpyxl"),
    ("numpy", "import numpy"),
    ("reportlab.platypus", "import reportlab.platypus"),
    ("reportlab.lib.colors", "import reportlab.lib.colors"),
    (
        "reportlab TTFont, CJK font",
        "from devices.printing import PdfSlipPrinter\nPdfSlipPrinter().font",
    ),
    ("qrcode", "import qrcode"),
    ("PIL.Image", "import PIL.Image"),
    ("flask_socketio", "import flask_socketio"),
    ("sqlalchemy.orm", "import sqlalchemy.orm"),
    ("flask_babel", "import flask_babel"),
    ("cryptography.x509", "import cryptography.x509"),
    ("spectree", "import spectree"),
    ("pydantic", "import pydantic"),
    ("pyttsx3", "import pyttsx3"),
)

PROBE = """
import sys
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
{setup}
before = rss()
{statement}
print(rss() - before)
"""


def status_mb(pid: int, field: str) -> float:
    """A memory field of /proc/<pid>/status (``VmRSS``, ``VmHWM``) in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(field)


def import_cost(statement: str) -> float:
    """MiB of resident memory that ``statement`` (an import) adds to a bare interpreter.

    What the statement's own package needs first (``devices``, ``meeting_room``) is imported
    before the first reading, so only the library is counted.
    """
    package = statement.split()[1].split(".")[0] if statement.startswith("from ") else ""
    setup = f"import {package}" if package in {"devices", "meeting_room"} else ""
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(setup=setup, statement=statement)],
        capture_output=True,
        text=True,
        check=True,
        cwd=servers.ROOT,
    )
    return float(out.stdout.split()[-1])


def clerk_account(instance: Path) -> tuple[str, str, str]:
    """A clerk account and a kiosk device in the instance: (user name, password, device)."""
    import secrets

    from meeting_room.access.accounts import create_account
    from meeting_room.access.devices import issue_device
    from meeting_room.store.storage import Storage, sqlite_url

    db = Storage(sqlite_url(instance / "yishi.db"))
    username, password = f"mem-{secrets.token_hex(4)}", secrets.token_urlsafe(18)
    with db.transaction() as session:
        create_account(session, username, password, "clerk", now=datetime.now(UTC))
        device = issue_device(session, "kiosk", "memory bench kiosk", now=datetime.now(UTC))
    db.engine.dispose()
    return username, password, device


def clerk_session(base: str, username: str, password: str) -> tuple[requests.Session, str]:
    """A logged-in clerk's HTTP session and its CSRF token (for POSTs)."""
    http = requests.Session()
    page = http.get(f"{base}/login", timeout=30)
    found = CSRF_META.search(page.text)
    assert found, "no CSRF token on /login"
    form = {"username": username, "password": password, "csrf_token": found.group(1)}
    http.post(f"{base}/login", data=form, timeout=30, allow_redirects=False)
    desk = http.get(f"{base}/clerk", timeout=30)
    found = CSRF_META.search(desk.text)
    assert desk.ok and found, f"clerk login failed ({desk.status_code})"
    return http, found.group(1)


def steps(
    base: str, http: requests.Session, csrf: str, meeting_id: int, token: str
) -> list[tuple[str, Callable[[], requests.Response]]]:
    """(what, the request) for each feature, in the order they are used."""
    post = {"X-CSRFToken": csrf, "Referer": f"{base}/clerk"}
    phone_url = f"{base}/v/{token}"
    return [
        ("a phone's page", lambda: requests.get(phone_url, timeout=60)),
        (
            "kiosk search (pypinyin)",
            lambda: http.get(
                f"{base}/kiosk/api/search",
                params={"meeting_id": str(meeting_id), "q": "wj"},
                timeout=60,
            ),
        ),
        (
            "text read aloud (espeak-ng)",
            lambda: http.post(
                f"{base}/audio/say",
                json={"text": "请王静发言，限时两分钟", "language": "zh_CN"},
                headers=post,
                timeout=60,
            ),
        ),
        (
            "minutes PDF (reportlab, CJK font)",
            lambda: http.get(f"{base}/board/meetings/{meeting_id}/minutes.pdf", timeout=120),
        ),
        (
            "sign-in slip PDF",
            lambda: http.post(
                f"{base}/kiosk/slip", json={"phone_url": phone_url}, headers=post, timeout=60
            ),
        ),
        (
            "card sheets PDF (OpenCV)",
            lambda: http.get(
                f"{base}/clerk/meetings/{meeting_id}/cards.pdf",
                params={"first": 1, "last": 2},
                timeout=120,
            ),
        ),
        (
            "Excel export (openpyxl)",
            lambda: http.get(
                f"{base}/clerk/meetings/{meeting_id}/export/attendance.xlsx", timeout=120
            ),
        ),
    ]


def measure_server(phones: int, root: Path) -> dict[str, Any]:
    """Start the server on a prepared instance; RSS at rest and after each feature."""
    servers.raise_open_files()
    instance = Path(tempfile.mkdtemp(prefix="yishi-memory-"))
    try:
        return _measure(instance, phones, root)
    finally:
        shutil.rmtree(instance, ignore_errors=True)


def _measure(instance: Path, phones: int, root: Path) -> dict[str, Any]:
    prepared = prepare(instance, phones)
    username, password, _device = clerk_account(instance)
    port = servers.free_port()
    server = servers.yishi_server(instance, port, {"PYTHONPATH": str(root)})
    servers.ROOT = root  # the folder the server runs from (its code, when --root is given)
    rows: list[dict[str, Any]] = []
    with server:
        base = f"http://127.0.0.1:{port}"
        time.sleep(SETTLE_SECONDS)
        rows.append({"after": "start-up, idle", "rss": status_mb(server.pid, "VmRSS")})
        http, csrf = clerk_session(base, username, password)
        for what, request in steps(base, http, csrf, prepared.meeting_id, prepared.tokens[0]):
            response = request()
            time.sleep(SETTLE_SECONDS if "aloud" not in what else 4 * SETTLE_SECONDS)
            rows.append(
                {
                    "after": what,
                    "status": response.status_code,
                    "rss": status_mb(server.pid, "VmRSS"),
                }
            )
        peak = status_mb(server.pid, "VmHWM")
    return {"phones": phones, "root": str(root), "steps": rows, "peak": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=1000, help="members signed in")
    parser.add_argument("--root", type=Path, default=servers.ROOT, help="code to run")
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    parser.add_argument("--no-imports", action="store_true", help="skip the per-module table")
    args = parser.parse_args()
    result = measure_server(args.phones, args.root.resolve())
    print(f"\nServer RSS, {args.phones} members signed in, code from {result['root']}:")
    print(f"| {'after':<36} | HTTP | RSS MiB |\n| {'-' * 36} | ---- | ------- |")
    for row in result["steps"]:
        print(f"| {row['after']:<36} | {row.get('status', ''):>4} | {row['rss']:7.1f} |")
    print(f"| {'peak (VmHWM)':<36} |      | {result['peak']:7.1f} |")
    if not args.no_imports:
        result["imports"] = {label: import_cost(statement) for label, statement in IMPORTS}
        print("\nImport cost, each alone in a fresh interpreter:")
        print(f"| {'module':<26} | RSS MiB |\n| {'-' * 26} | ------- |")
        for label, cost in result["imports"].items():
            print(f"| {label:<26} | {cost:7.1f} |")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
