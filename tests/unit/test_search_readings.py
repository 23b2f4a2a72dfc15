"""Names read by a child process give the same index as names read in this process.

The server reads names in a child process while pypinyin is not loaded in it (to keep its
dictionaries out of the server's memory); these tests compare both ways on every name of the
demo roster (which holds the shared roster sample) and on names chosen to be hard.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from meeting_room.domain import readings
from meeting_room.domain.search import Candidate, MemberIndex

ROOT = Path(__file__).resolve().parents[2]
DEMO_ROSTER = ROOT / "meeting_room" / "ops" / "demo" / "roster-demo.csv"
SHARED_SAMPLE = ROOT.parent / "shared" / "data" / "roster-sample.csv"
HARD_NAMES = [
    "长乐",  # a phrase: 长 read chang, not zhang
    "单田芳",  # a surname reading (shan)
    "曾长乐",
    "李𠮷明",  # a character without a reading
    "阿卜杜·热合曼",  # a middle dot
    "Mary王",
    "欧阳明",
    "吕绿",  # ü
    "重庆",
]
QUERIES = ["wj", "wang", "zh", "l", "lv", "lu", "chang", "zl", "shan", "王", "明", "102", "1"]


def roster_names() -> list[str]:
    """Every name of the demo roster and of the shared sample (when it is there)."""
    names = []
    for path in (DEMO_ROSTER, SHARED_SAMPLE):
        if path.is_file():
            with path.open(encoding="utf-8-sig") as file:
                names += [row["name"] for row in csv.DictReader(file)]
    return names


def test_the_child_process_reads_every_name_as_this_process_does() -> None:
    names = list(dict.fromkeys(roster_names() + HARD_NAMES))
    assert len(names) > 480
    elsewhere = readings._read_elsewhere(names)
    here = [tuple(readings._syllables(name)) for name in names]
    assert elsewhere == here
    assert here[names.index("长乐")][0].everyday == ("chang",)


CHILD = """
import json, sys
from meeting_room.domain.search import Candidate, MemberIndex
names, queries = json.load(sys.stdin)
roster = enumerate(names)
index = MemberIndex(Candidate(i, n, "1栋", "1单元", str(100 + i), f"M{i}") for i, n in roster)
assert "pypinyin" not in sys.modules, "the index loaded pypinyin"
print(json.dumps([[c.id for c in index.search(q)] for q in queries]))
"""


def test_a_server_without_pypinyin_finds_the_same_members_in_the_same_order() -> None:
    names = roster_names() + HARD_NAMES
    child = subprocess.run(
        [sys.executable, "-c", CHILD],
        input=json.dumps([names, QUERIES]),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    found_there = json.loads(child.stdout)
    index = MemberIndex(
        Candidate(i, n, "1栋", "1单元", str(100 + i), f"M{i}") for i, n in enumerate(names)
    )
    found_here = [[c.id for c in index.search(q)] for q in QUERIES]
    assert found_there == found_here
    assert found_here[QUERIES.index("chang")], "长乐 is found by chang"


def test_a_failing_child_process_falls_back_to_reading_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    assert readings._read_elsewhere(["王静"]) is None
    monkeypatch.delitem(sys.modules, "pypinyin")  # as if not loaded here: the child is asked
    monkeypatch.setattr(readings, "_READINGS", {})
    read = readings.readings(["王静"])
    assert read["王静"][0].everyday == ("wang",)
