"""Write meeting_room/domain/unihan_readings.tsv: a reading for each Han character pypinyin does
not know, from the Unicode Consortium's Unihan database.

    .venv/bin/python scripts/unihan_readings.py [UNIHAN_FOLDER]

UNIHAN_FOLDER holds Unihan_Readings.txt and Unihan_Variants.txt (plain or .bz2); by default
Debian's ``unicode-data`` package's /usr/share/unicode (``apt-get install unicode-data``). A
character gets Unihan's own Mandarin readings when it has them (kMandarin, kHanyuPinyin,
kXHC1983, kTGHZ2013), else the readings pypinyin knows for a variant of it (𠮷 U+20BB7 has
none of its own; its kSpoofingVariant 吉 U+5409 reads jí). Run it again after upgrading
pypinyin or Unicode; the file's header names the sources it was made from.
"""

from __future__ import annotations

import bz2
import hashlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from pypinyin import Style, pinyin
from pypinyin import __version__ as pypinyin_version
from pypinyin.pinyin_dict import pinyin_dict

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "meeting_room" / "domain" / "unihan_readings.tsv"
READINGS = ("kMandarin", "kHanyuPinyin", "kXHC1983", "kTGHZ2013")
# Closest first: the same character written otherwise, then its simplified or traditional
# form, then a look-alike (what Unihan records for 𠮷).
VARIANTS = (
    "kZVariant",
    "kSemanticVariant",
    "kSpecializedSemanticVariant",
    "kTraditionalVariant",
    "kSimplifiedVariant",
    "kSpoofingVariant",
)


def _source(folder: Path, name: str) -> Path:
    for candidate in (folder / name, folder / f"{name}.bz2"):
        if candidate.is_file():
            return candidate
    sys.exit(f"{name} (or .bz2) is not in {folder}")


def _text(path: Path) -> str:
    data = path.read_bytes()
    return (bz2.decompress(data) if path.suffix == ".bz2" else data).decode("utf-8")


def _lines(text: str) -> Iterator[tuple[str, str, str]]:
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        point, field, value = line.split("\t", 2)
        yield chr(int(point[2:], 16)), field, value


def _readings_in(field: str, value: str) -> list[str]:
    """The syllables of a Unihan readings field (kHanyuPinyin: "10019.020:jí,jié")."""
    if field == "kMandarin":
        return value.split()
    return [r for part in value.split() for r in part.split(":", 1)[-1].split(",") if r]


def _known(char: str) -> list[str]:
    groups = pinyin(char, style=Style.TONE, heteronym=True, errors="ignore")
    return [reading for group in groups for reading in group]


def main() -> None:
    """Read Unihan, write the table."""
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/usr/share/unicode")
    sources = [_source(folder, "Unihan_Readings.txt"), _source(folder, "Unihan_Variants.txt")]
    texts = [_text(path) for path in sources]
    own: dict[str, dict[str, list[str]]] = {}
    for char, field, value in _lines(texts[0]):
        if field in READINGS:
            own.setdefault(char, {})[field] = _readings_in(field, value)
    variants: dict[str, dict[str, list[str]]] = {}
    for char, field, value in _lines(texts[1]):
        if field in VARIANTS:
            targets = [chr(int(v.split("<")[0][2:], 16)) for v in value.split()]
            variants.setdefault(char, {})[field] = targets
    found = re.search(r"^# Unicode version: (\S+)", texts[1], re.MULTILINE)
    version = found.group(1) if found else "?"
    rows = []
    for char in sorted(set(own) | set(variants)):
        if ord(char) in pinyin_dict:
            continue
        readings, how = [], ""
        for field in READINGS:
            if own.get(char, {}).get(field):
                readings, how = own[char][field], field
                break
        if not readings:
            for field in VARIANTS:
                for target in variants.get(char, {}).get(field, []):
                    if _known(target):
                        readings = _known(target)
                        how = f"{field} U+{ord(target):04X} {target}"
                        break
                if readings:
                    break
        if readings:
            rows.append(f"{char}\t{' '.join(dict.fromkeys(readings))}\t{how}")
    header = [
        "# Readings of Han characters pypinyin does not know, for finding members by pinyin.",
        f"# Made by scripts/unihan_readings.py from Unihan (Unicode {version}) with pypinyin "
        f"{pypinyin_version}:",
        *(
            f"#   {path.name} sha256 {hashlib.sha256(path.read_bytes()).hexdigest()}"
            for path in sources
        ),
        "# (Debian's unicode-data package, /usr/share/unicode). Unihan: Unicode license.",
        "# character<TAB>readings<TAB>where they come from (Unihan's field, or a variant's)",
    ]
    TABLE.write_text("\n".join(header + rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} characters written to {TABLE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
