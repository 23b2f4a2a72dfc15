"""Several processes, each with several threads, write to one SQLite file at once through the
app's services (sign-ins, ballots, and the audit chain every write extends): none fails (WAL and
the busy timeout), nothing is lost, and ``yishi verify`` finds the chain intact."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from meeting_room.app import create_app
from meeting_room.store.models.audit import AuditEntry
from meeting_room.store.models.meetings import Attendance
from meeting_room.store.models.voting import Participation, PollTally
from tests.robustness.harness import ROOT, prepare_meeting

# Loads or measures the machine: run apart, after the parallel tests (Makefile).
pytestmark = pytest.mark.alone

PROCESSES = 3
THREADS = 3
PER_THREAD = 6


def test_concurrent_writers_from_several_processes_all_succeed_and_the_chain_verifies(
    tmp_path: Path,
) -> None:
    wanted = PROCESSES * THREADS * PER_THREAD
    meeting_id, poll_id, members = prepare_meeting(tmp_path, wanted)
    shares = [members[n::PROCESSES] for n in range(PROCESSES)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    writers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.robustness.writer", str(tmp_path)]
            + [str(meeting_id), str(poll_id), str(THREADS)]
            + [str(m) for m in share],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for share in shares
    ]
    reports = []
    for writer in writers:
        out, err = writer.communicate(timeout=240)
        assert writer.returncode == 0, err[-2000:]
        reports.append(json.loads(out.strip().splitlines()[-1]))
    errors = [e for r in reports for e in r["errors"]]
    assert errors == []
    assert sum(r["writes"] for r in reports) == 2 * wanted

    app = create_app({"INSTANCE_PATH": str(tmp_path), "TTS": "fake"})
    storage = app.extensions["yishi.storage"]
    with storage.transaction() as s:
        signed = s.scalar(
            select(func.count()).select_from(Attendance).where(Attendance.meeting_id == meeting_id)
        )
        voted = s.scalar(
            select(func.count()).select_from(Participation).where(Participation.poll_id == poll_id)
        )
        tallied = s.scalar(
            select(func.sum(PollTally.headcount)).where(PollTally.poll_id == poll_id)
        )
        seqs = s.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq)).all()
    assert signed == voted == tallied == wanted
    assert seqs == list(range(1, len(seqs) + 1))  # one chain, no gap, no fork
    checked = app.test_cli_runner().invoke(args=["verify"])
    assert checked.exit_code == 0, checked.output
    assert "Audit log: intact" in checked.output
    storage.engine.dispose()
