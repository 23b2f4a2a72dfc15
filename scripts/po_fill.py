"""Fill translations into a catalog: ``po_fill.py CATALOG.po TRANSLATIONS.json``.

The JSON maps each English msgid to its Chinese text (a list of forms for plural entries).
Entries already translated are left as they are unless the JSON names them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def main() -> None:
    """Read, fill, write."""
    catalog_path, translations_path = Path(sys.argv[1]), Path(sys.argv[2])
    with catalog_path.open("rb") as source:
        catalog = read_po(source)
    wanted = json.loads(translations_path.read_text(encoding="utf-8"))
    missing = []
    for msgid, text in wanted.items():
        key = msgid
        message = catalog.get(key)
        if message is None:
            missing.append(msgid)
            continue
        message.string = tuple(text) if isinstance(text, list) else text
        message.flags.discard("fuzzy")
    with catalog_path.open("wb") as out:
        write_po(out, catalog, width=100, omit_header=False)
    if missing:
        sys.exit(f"not in the catalog: {missing}")


if __name__ == "__main__":
    main()
