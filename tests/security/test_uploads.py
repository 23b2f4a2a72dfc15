"""Files that are small on the wire and huge unpacked, sent to the real server and the real
``yishi`` command.

Measured on the box before: a 30000×30000 PNG (854 KB) uploaded as a photo of the room's cards
answered 500; a roster workbook of 300,000 rows, 560 KB zipped, kept ``yishi import-roster``
busy for 9 min 46 s at up to 457 MB, to print 300,000 lines of errors.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.browser.conftest import LiveServer
from tests.security.bombs import png_bomb, xlsx_roster
from tests.security.conftest import ROOT, Hall


def peak_memory_kb(server: LiveServer) -> int:
    """The server's resident high-water mark (VmHWM), in KB."""
    status = Path(f"/proc/{server.process.pid}/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1])


def test_a_decompression_bomb_photo_is_refused_in_words_before_it_is_decoded(
    server: LiveServer, hall: Hall
) -> None:
    clerk = hall.staff("clerk")
    poll = clerk.post_json(f"/api/v1/meetings/{hall.meeting}/polls", {"question": "是否同意？"})
    assert poll.status == 201, poll.text
    opened = clerk.post_json(f"/api/v1/polls/{poll.json()['id']}/open", {})
    assert opened.status == 200, opened.text
    bomb = png_bomb()
    assert len(bomb) < 900_000  # 900 million pixels
    before = peak_memory_kb(server)

    answer = clerk.post_file(f"/api/v1/polls/{poll.json()['id']}/photos", "photo", "room.png", bomb)

    assert answer.status == 413, answer.text
    error = answer.json()["error"]
    assert error["code"] == "photo_too_large"
    assert error["message"].startswith("这张照片有 900 百万像素，最多只能读取 64 百万像素")
    assert peak_memory_kb(server) - before < 100_000  # never decoded (900 MB if it were)
    assert clerk.get(f"/api/v1/polls/{poll.json()['id']}/cards").status == 200  # still serving


def test_a_roster_bomb_is_refused_in_words_before_it_is_read(tmp_path: Path) -> None:
    bomb = xlsx_roster(tmp_path / "roster.xlsx", rows=300_000)
    assert bomb.stat().st_size < 1_000_000
    lying = xlsx_roster(tmp_path / "lying.xlsx", rows=25_000, declared=10)  # under the byte limit
    instance = tmp_path / "instance"
    instance.mkdir()
    env = {**os.environ, "YISHI_INSTANCE": str(instance), "YISHI_TTS": "fake"}
    for path, words in (
        (bomb, "文件超出名册可能的大小"),
        (lying, "文件超过 20000 行；名册最多 20000 人"),
    ):
        done = subprocess.run(
            [sys.executable, "-c", MEASURED, "-m", "meeting_room.ops.cli", "import-roster", path],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        *said, peak = done.stderr.splitlines()
        assert done.returncode == 2, done.stdout + done.stderr
        assert len(said) == 1 and words in said[0]  # one reason, not a line per row
        assert int(peak) < 300_000, peak  # KB: the 300,000 rows took 457 MB before


# Runs the command after it in a process of its own and prints its peak memory (KB) last.
MEASURED = """
import resource, subprocess, sys
done = subprocess.run([sys.executable, *sys.argv[1:]])
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
sys.exit(done.returncode)
"""
