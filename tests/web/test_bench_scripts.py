"""The in-process benchmarks stay runnable: each one, small, as a real command.

They are run in full by hand (BENCHMARKS.md); here with a tiny roster, so that a change of
the app (an access rule, an event's shape) that breaks them fails the suite instead of the
next measurement.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*argv: str) -> str:
    done = subprocess.run(
        [sys.executable, *argv], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_kiosk_search_benchmark_times_answered_searches() -> None:
    out = run("bench/kiosk_search_request.py", "--members", "300", "--searches", "60")
    assert "roster 300 members" in out
    found = re.search(r"GET /kiosk/api/search\s+median\s+([\d.]+)\s+p95\s+([\d.]+)", out)
    assert found, out
    assert 0 < float(found.group(1)) <= float(found.group(2))


def test_the_floor_benchmark_times_both_events_and_counts_statements() -> None:
    out = run("bench/floor_bench.py", "--members", "30", "--rounds", "24", "--tts", "fake")
    for event in ("speaker.add", "speaker.next"):
        line = next(line for line in out.splitlines() if line.startswith(event))
        statements = int(line.rsplit(" ", 1)[-1])
        assert 0 < statements < 40, line


def test_the_roster_check_benchmark_times_both_kinds_of_file() -> None:
    out = run("bench/roster_check_bench.py", "--rows", "300", "--repeat", "1")
    assert re.search(r"^csv: 300 rows checked in [0-9.]+ s", out, re.M), out
    assert re.search(r"^xlsx: 300 rows checked in [0-9.]+ s", out, re.M), out
