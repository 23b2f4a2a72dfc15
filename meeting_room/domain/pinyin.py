"""pypinyin, loaded on first use with the same phrases in about half the memory.

pypinyin reads the 47,000 phrases of its ``phrases_dict.json`` into ~42 MB of Python lists:
every reading of every phrase is a string and a list of its own (一 read yī is written out
thousands of times). ``load_pypinyin`` imports pypinyin without them (its documented
``PYPINYIN_NO_PHRASES``, and ``PYPINYIN_NO_DICT_COPY``: Yishi adds no dictionary of its own,
so pypinyin need not copy its built-in ones), then gives it the same phrases back through its
public ``load_phrases_dict``, each distinct list of readings kept once. pypinyin deep-copies a
phrase's readings before it uses them, so sharing one list between phrases is safe, and the
readings are the same: ``tests/unit/test_pinyin.py`` compares the dictionaries and the results.

Call ``load_pypinyin()`` before ``from pypinyin import ...``; it is cheap once loaded.
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
from importlib.util import find_spec
from pathlib import Path

FLAGS = ("PYPINYIN_NO_PHRASES", "PYPINYIN_NO_DICT_COPY")
# One phrase of phrases_dict.json: "长乐": [["cháng"], ["lè"]] (spread over several lines).
_ENTRY = re.compile(r'"([^"]*)"\s*:\s*\[((?:[^\[\]]|\[[^\[\]]*\])*)\]')
_GROUP = re.compile(r"\[([^\[\]]*)\]")  # one character's readings: "cháng", "zhǎng"
_STRING = re.compile(r'"([^"]*)"')

_lock = threading.Lock()
_loaded = False


def load_pypinyin() -> None:
    """Import pypinyin with its phrases stored compactly (once; other calls return at once)."""
    global _loaded
    if _loaded:
        return
    with _lock:
        if _loaded:
            return
        if "pypinyin.constants" in sys.modules:  # imported before, with its own phrases
            _loaded = True
            return
        saved = {flag: os.environ.get(flag) for flag in FLAGS}
        os.environ.update(dict.fromkeys(FLAGS, "1"))
        try:
            import pypinyin
        finally:
            for flag, value in saved.items():  # child processes get pypinyin's defaults
                if value is None:
                    os.environ.pop(flag, None)
                else:
                    os.environ[flag] = value
        pypinyin.load_phrases_dict(compact_phrases())
        _loaded = True


def compact_phrases(path: Path | None = None) -> dict[str, list[list[str]]]:
    """pypinyin's phrases (``{"长乐": [["cháng"], ["lè"]]}``), equal lists stored once."""
    if path is None:
        spec = find_spec("pypinyin")
        assert spec is not None and spec.origin is not None, "pypinyin is not installed"
        path = Path(spec.origin).with_name("phrases_dict.json")
    text = path.read_text(encoding="utf-8")
    if "\\" in text:  # escapes, which this parser does not read: read it as pypinyin does
        loaded: dict[str, list[list[str]]] = json.loads(text)
        return loaded
    shared: dict[str, list[str]] = {}  # a phrase's readings of one character, by their JSON
    phrases: dict[str, list[list[str]]] = {}
    for entry in _ENTRY.finditer(text):  # one at a time: what is not kept is reused at once
        readings = []
        for group in _GROUP.findall(entry.group(2)):
            found = shared.get(group)
            if found is None:
                found = shared[group] = _STRING.findall(group)
            readings.append(found)
        phrases[entry.group(1)] = readings
    return phrases
