"""A speech start's own cost in the server: ``python bench/floor_bench.py``.

The phones' fan-out (``make bench``) can only begin once the moderator's ``speaker.next`` has
been committed and the floor snapshot built; this times that part alone, in-process (no
network, no phones): 1,000 members signed in, an agenda of 8 items discussed in turn, 20
speeches each; each round a hand raised (``speaker.add``) then the floor given
(``speaker.next``). The TTS is the real espeak-ng one,
synthesizing each announcement (every speaker's name is new to its cache).

Prints the median and p90 of each event's handling in ms, of wall time and of this thread's
CPU time (steadier on a shared machine).
"""

from __future__ import annotations

import argparse
import cProfile
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SPEECHES_PER_ITEM = 20  # a long discussion: the rules of order read every speech given on it
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--tts", default="espeak", help="espeak (real) or fake")
    parser.add_argument("--profile", help="write cProfile stats of the rounds to this file")
    args = parser.parse_args()

    from sqlalchemy import event

    from bench.load.prepare import prepare
    from meeting_room.app import create_app
    from meeting_room.extensions import socketio
    from meeting_room.store.models.access import StaffAccount
    from meeting_room.store.storage import sqlite_url

    with tempfile.TemporaryDirectory(
        prefix="yishi-floor-bench-", ignore_cleanup_errors=True
    ) as folder:
        instance = Path(folder)
        prepared = prepare(instance, args.members)
        app = create_app(
            {
                "INSTANCE_PATH": str(instance),
                "DATABASE_URL": sqlite_url(instance / "yishi.db"),
                "SOCKETIO_ASYNC_MODE": "threading",
                "TTS": args.tts,
                "BROADCAST_DELAY": 0,
            }
        )
        browser = app.test_client()
        with app.app_context(), app.extensions["yishi.storage"].transaction() as session:
            from sqlalchemy import select

            account = session.scalars(
                select(StaffAccount).where(StaffAccount.username == prepared.credentials.username)
            ).one()
            with browser.session_transaction() as data:
                data["account"] = account.id
                data["epoch"] = account.password_changed_at.isoformat()
        statements = [0]
        engine = app.extensions["yishi.storage"].engine
        event.listen(
            engine, "before_cursor_execute", lambda *_: statements.__setitem__(0, statements[0] + 1)
        )
        moderator = socketio.test_client(app, namespace="/moderator", flask_test_client=browser)
        meeting_id = prepared.meeting_id

        def call(name: str, **data: Any) -> tuple[float, float, int]:
            started, cpu, before = time.perf_counter(), time.thread_time(), statements[0]
            answer = moderator.emit(
                name, {"meeting_id": meeting_id, **data}, namespace="/moderator", callback=True
            )
            took = (
                (time.perf_counter() - started) * 1000,
                (time.thread_time() - cpu) * 1000,
                statements[0] - before,
            )
            if not ((isinstance(answer, dict) and answer.get("ok")) or name == "join"):
                raise SystemExit(f"{name} refused: {answer}")
            return took

        call("join")
        for n in range(8):
            call("agenda.add", title=f"议题 {n + 1}", description="说明" * 40)
        items = [
            item["id"]
            for item in moderator.emit(
                "join", {"meeting_id": meeting_id}, namespace="/moderator", callback=True
            )["floor"]["agenda"]
        ]
        timings: dict[str, list[tuple[float, float, int]]] = {"speaker.add": [], "speaker.next": []}
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        for n in range(args.rounds):
            if n % SPEECHES_PER_ITEM == 0:
                item = items[n // SPEECHES_PER_ITEM % len(items)]
                call("agenda.start", item_id=item, confirm=True)  # items come round again
            member = prepared.member_ids[n % len(prepared.member_ids)]
            timings["speaker.add"].append(call("speaker.add", member_id=member, override=True))
            timings["speaker.next"].append(call("speaker.next"))
            moderator.get_received("/moderator")
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
        for event, times in timings.items():
            line = [f"{event:13s}"]
            for kind, values in (("wall", [t[0] for t in times]), ("cpu", [t[1] for t in times])):
                warm = sorted(values[min(10, len(values) // 4) :])
                p90 = warm[int(len(warm) * 0.9)]
                line.append(f"{kind} median {statistics.median(warm):6.2f} p90 {p90:6.2f} ms")
            line.append(f"SQL statements {statistics.median(t[2] for t in times):.0f}")
            print("  ".join(line))


if __name__ == "__main__":
    main()
