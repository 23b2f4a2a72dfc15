"""What a resident holds up to a scanner to say who they are: their resident card
(``YISHI:M00002``) or the sign-in slip's QR code (their personal page's address, ``…/v/<code>``).
Pure: the code is only read here; who it names is looked up by the caller."""

from __future__ import annotations

import re
from dataclasses import dataclass

from meeting_room.domain.readings import fold
from meeting_room.domain.search import CODE_PREFIX

_SLIP = re.compile(r"/v/([A-Za-z0-9_-]{16,64})/?(?:[?#].*)?$")


@dataclass(frozen=True)
class Scanned:
    """A card's code (``card``) or a slip's personal code (``token``): exactly one is set."""

    card: str | None = None
    token: str | None = None


def read_scan(text: str) -> Scanned | None:
    """The card or slip a scanned text is, or None when it is neither."""
    value = text.strip()
    found = _SLIP.search(value)
    if found:
        return Scanned(token=found.group(1))
    if fold(value).startswith(CODE_PREFIX) and len(fold(value)) > len(CODE_PREFIX):
        return Scanned(card=value)
    return None
