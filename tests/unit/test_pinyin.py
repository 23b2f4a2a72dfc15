"""pypinyin loaded by ``domain.pinyin`` has the same phrases and reads text as it does alone."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from meeting_room.domain.pinyin import compact_phrases

ROOT = Path(__file__).resolve().parents[2]
TEXTS = [
    "请孙艳娜发言，限时两分钟",
    "长乐小区重庆路银行门口的停车位改为行人通道",
    "关于加装电梯的决议：赞成票过三分之二，通过",
    "曾长乐 单田芳 解晓东 查干 朴银河 覃重阳 缪一行",
    "一会儿 一心一意 不知不觉 薄荷 还是还钱",
]

READ = """
import json, os, sys
{load}
from pypinyin import Style, lazy_pinyin, pinyin
texts = json.loads(sys.argv[1])
print(json.dumps({{
    "tone3": [lazy_pinyin(t, style=Style.TONE3, neutral_tone_with_five=True) for t in texts],
    "heteronym": [pinyin(t, heteronym=True) for t in texts],
    "flags": sorted(k for k in os.environ if k.startswith("PYPINYIN")),
    "loaded": sorted(m for m in sys.modules if m == "pypinyin.phrases_dict"),
}}))
"""


def read(load: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", READ.format(load=load), json.dumps(TEXTS, ensure_ascii=False)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_the_compact_phrases_equal_pypinyin_s_own_and_share_their_readings() -> None:
    spec = find_spec("pypinyin")
    assert spec is not None and spec.origin is not None
    with Path(spec.origin).with_name("phrases_dict.json").open(encoding="utf-8") as file:
        original = json.load(file)
    compact = compact_phrases()
    assert compact == original
    assert len(compact) > 40_000
    lists = {id(group) for readings in compact.values() for group in readings}
    assert len(lists) < len(compact) / 10, "equal readings are one list"


def test_pypinyin_loaded_compactly_reads_every_text_as_pypinyin_alone() -> None:
    alone = read("")
    compact = read("from meeting_room.domain.pinyin import load_pypinyin; load_pypinyin()")
    assert compact["tone3"] == alone["tone3"]
    assert compact["heteronym"] == alone["heteronym"]
    assert compact["loaded"] == [], "pypinyin's own phrase module is not loaded"
    assert alone["loaded"] == ["pypinyin.phrases_dict"]
    assert compact["flags"] == [], "child processes get pypinyin's defaults"
    assert alone["tone3"][1][:2] == ["chang2", "le4"]  # 长乐: a phrase, not zhang
