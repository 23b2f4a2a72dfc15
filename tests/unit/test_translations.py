"""No untranslated UI string: every string the code and templates use has a Chinese translation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["meeting_room", "kiosk"]


def extracted(package: str, tmp_path: Path) -> set[str]:
    pot = tmp_path / f"{package}.pot"
    subprocess.run(
        [
            str(Path(sys.executable).with_name("pybabel")),
            "extract",
            "-F",
            f"babel-{package}.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as source:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(source) if m.id}


@pytest.mark.parametrize("package", PACKAGES)
def test_every_ui_string_has_a_chinese_translation(package: str, tmp_path: Path) -> None:
    with (ROOT / package / "translations/zh_Hans_CN/LC_MESSAGES/messages.po").open("rb") as source:
        catalog = read_po(source)
    missing = []
    for msgid in sorted(extracted(package, tmp_path)):
        message = catalog.get(msgid)
        strings = message.string if message is not None else None
        translated = all(strings) if isinstance(strings, tuple | list) else bool(strings)
        if message is None or message.fuzzy or not translated:
            missing.append(msgid)
    assert not missing, f"untranslated in {package}: {missing}"


def test_a_string_both_packages_use_reads_the_same_in_both() -> None:
    """Flask-Babel merges the catalogs and the first one wins: a different translation in the
    kiosk's catalog would silently change the projector's words, or the other way round."""
    catalogs = []
    for package in PACKAGES:
        with (ROOT / package / "translations/zh_Hans_CN/LC_MESSAGES/messages.po").open("rb") as po:
            catalogs.append({m.id: m.string for m in read_po(po) if m.id})
    first, second = catalogs
    differ = {
        k: (first[k], second[k]) for k in first.keys() & second.keys() if first[k] != second[k]
    }
    assert not differ, differ


@pytest.mark.parametrize("package", PACKAGES)
def test_no_translation_carries_another_entry_s_words(package: str) -> None:
    """Parallel branches merge the catalogs line by line (.gitattributes: union), which once
    joined one entry's English msgid onto another's Chinese msgstr. A translation must use
    exactly its source's placeholders and hold no run of English words."""
    import re

    with (ROOT / package / "translations/zh_Hans_CN/LC_MESSAGES/messages.po").open("rb") as source:
        catalog = read_po(source)
    placeholder = re.compile(r"%\(\w+\)s|%s|%d")
    english = re.compile(r"[A-Za-z]+ [A-Za-z]+ [A-Za-z]+ [A-Za-z]+")
    wrong = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        source_marks = sorted(set(placeholder.findall(" ".join(ids))))
        for text in strings:
            if sorted(set(placeholder.findall(text))) != source_marks or english.search(text):
                wrong.append((ids[0], text))
    assert not wrong, wrong
