"""The kiosk's search as a whole request: /kiosk/api/search over a 10,000-member roster.

Measures server time (the Flask app in-process, real SQLite file, no network) for the mix of
queries of ``search_bench``; the baseline in the same run is the bare index search, so the
ratio shows what the request around it costs. Target: p95 ≤ 20 ms of server time.

Run: ``.venv/bin/python bench/kiosk_search_request.py``
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_bench import MEMBERS, SEARCHES, SEED, queries, roster

from meeting_room.access.devices import issue_device
from meeting_room.app import create_app
from meeting_room.attendance.roster import import_rows, member_index
from meeting_room.domain.roster import RosterRow
from meeting_room.domain.words import MemberGroup
from meeting_room.meetings.meetings import MeetingDraft, create_meeting
from meeting_room.store.migrate import upgrade
from meeting_room.store.storage import sqlite_url, transaction


def cuts(samples: list[float]) -> tuple[float, float, float]:
    """Median, p95, p99 in ms."""
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples), q[94], q[98]


def main(argv: list[str] | None = None) -> None:
    """Load 10,000 members, then time every query as an index call and as a request."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=MEMBERS)
    parser.add_argument("--searches", type=int, default=SEARCHES)
    args = parser.parse_args(argv)
    rng = random.Random(SEED)
    members = roster(rng, args.members)
    folder = Path(tempfile.mkdtemp(prefix="yishi-bench-"))
    url = sqlite_url(folder / "bench.db")
    upgrade(url)
    app = create_app(
        {
            "INSTANCE_PATH": str(folder),
            "DATABASE_URL": url,
            "SOCKETIO_ASYNC_MODE": "threading",
            "PRINTER": "fake",
        }
    )
    now = datetime.now(UTC)
    rows = tuple(
        RosterRow(
            c.member_no,
            c.name,
            c.building,
            c.unit,
            c.room,
            1,
            Decimal("90.00"),
            f"{rng.randint(0, 9999):04d}",
            MemberGroup.OWNER,
            None,
        )
        for c in members
    )
    with app.app_context():
        with transaction() as session:
            import_rows(session, rows, "bench", now)
            meeting = create_meeting(
                session,
                MeetingDraft(title="bench", starts_at=now + timedelta(minutes=5), venue="hall"),
                now,
            )
            meeting_id = meeting.id
            kiosk = issue_device(session, "kiosk", "bench kiosk", now=now)
        started = time.perf_counter()
        with transaction() as session:
            index = member_index(session)
        build = (time.perf_counter() - started) * 1000
    client = app.test_client()
    client.set_cookie("yishi_device", kiosk)  # the search answers paired kiosks only
    mix = queries(rng, members, args.searches)
    client.get("/kiosk/api/search", query_string={"meeting_id": meeting_id, "q": "wj"})
    bare, request = [], []
    for query in mix:
        started = time.perf_counter()
        index.search(query, limit=12)
        bare.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        response = client.get(
            "/kiosk/api/search", query_string={"meeting_id": meeting_id, "q": query}
        )
        request.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"search {query!r} answered {response.status_code}")
    print(f"roster {len(members):,} members; index build {build:.0f} ms; {len(mix)} queries")
    for label, samples in (("index only (baseline)", bare), ("GET /kiosk/api/search", request)):
        median, p95, p99 = cuts(samples)
        print(f"  {label:<24} median {median:6.2f}  p95 {p95:6.2f}  p99 {p99:6.2f} ms")
    print(f"  ratio request/index at p95: {cuts(request)[1] / cuts(bare)[1]:.1f}x")


if __name__ == "__main__":
    main()
