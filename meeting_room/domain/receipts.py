"""Receipt codes as people type them: read off a phone ("TW5N X6AE"), a slip or the board, in
any case, with spaces or a dash between the halves. Pure."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-–—·.]+")


def typed_receipt(text: str) -> str:
    """The stored form of a typed receipt code: separators dropped, upper case."""
    return _SEPARATORS.sub("", text).upper()
