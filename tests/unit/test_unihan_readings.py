"""The committed Unihan readings table: what pypinyin does not know, read from a named source."""

from __future__ import annotations

import unicodedata

from meeting_room.domain.pinyin import load_pypinyin
from meeting_room.domain.readings import UNIHAN_TABLE, unihan


def test_the_table_names_its_source_and_covers_the_variant_of_ji() -> None:
    header = [line for line in UNIHAN_TABLE.read_text(encoding="utf-8").splitlines()[:6]]
    assert any("Unihan (Unicode 15.0.0)" in line for line in header)
    assert any(line.startswith("#   Unihan_Variants.txt") and "sha256" in line for line in header)
    assert unihan()["𠮷"] == ("jí",)
    assert len(unihan()) > 2000


def test_the_table_holds_only_han_characters_pypinyin_cannot_read() -> None:
    load_pypinyin()
    from pypinyin.pinyin_dict import pinyin_dict

    for char, readings in unihan().items():
        assert len(char) == 1 and "CJK" in unicodedata.name(char, "CJK?"), char
        assert ord(char) not in pinyin_dict, char
        assert readings and all(reading.isalpha() for reading in readings), (char, readings)
