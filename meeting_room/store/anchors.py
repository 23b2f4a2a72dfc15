"""Anchors: hashes of the audit chain that leave the box, so a rewritten log shows on paper.

The chain alone proves only that every entry fits the head. Someone who can write the
database can cut the tail and fix the head, or change an early entry and chain everything
after it again: the chain still verifies. An anchor is the hash of one entry, taken out of the
box (shown on the projector, printed on the minutes with a QR code): a rewritten chain no
longer holds that hash, so ``yishi verify --anchor`` tells the box apart from the paper.

A seal is the entry that makes an anchor: appended after a flush of everything its
transaction changed, it is the chain's head when that transaction commits (a poll's closing,
the meeting's end), and its detail names what it seals (a final hash, a count).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, computed_field
from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.store.audit import append, canonical
from meeting_room.store.models.audit import AuditEntry

POLL_SEALED = "polls.sealed"  # a poll's closing: its final hash and its count
MEETING_ENDED = "meetings.ended"  # the last agenda item finished: the meeting's polls
TEXT_PREFIX = "YISHI-ANCHOR"
SHORT_HEX = 16  # what the projector shows (64 bits: no chain can be forged to match it)
# "#12 3f2a 9c1b …", "12:3f2a…", "YISHI-ANCHOR:12:3f2a…" or a bare hash: a seq needs its # or :.
_WANTED = re.compile(r"^(?:#\s*(\d+)\s*[:·,]?|(\d+)\s*:)?\s*([0-9a-f][0-9a-f\s]*)$")


class Anchor(BaseModel):
    """One entry of the chain as it is taken out of the box: its number, hash and time (the
    screens and the minutes carry it as it is, with ``text`` and ``short``)."""

    model_config = ConfigDict(frozen=True)

    seq: int
    hash: str
    at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def text(self) -> str:
        """What the QR code holds, and ``verify --anchor`` reads: ``YISHI-ANCHOR:12:<HASH>``
        (upper case: a QR code's alphanumeric mode holds it in fewer, larger modules)."""
        return f"{TEXT_PREFIX}:{self.seq}:{self.hash.upper()}"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def short(self) -> str:
        """The first 16 hex digits in groups of four, as the projector shows them."""
        head = self.hash[:SHORT_HEX]
        return " ".join(head[i : i + 4] for i in range(0, SHORT_HEX, 4))


@dataclass(frozen=True)
class Wanted:
    """An anchor as read off paper: the hash (at least its first 16 hex digits), maybe its seq."""

    prefix: str
    seq: int | None = None


def parse(text: str) -> Wanted | None:
    """An anchor typed or scanned (``YISHI-ANCHOR:12:<hash>``, ``#12 3f2a 9c1b …``, a bare
    hash or its first 16 digits; spaces and case do not matter), or None if it is none."""
    text = text.strip().lower().removeprefix(f"{TEXT_PREFIX.lower()}:")
    found = _WANTED.match(text)
    if found is None:
        return None
    hashed, counted, digits = found.groups()
    prefix = re.sub(r"\s+", "", digits)
    if not SHORT_HEX <= len(prefix) <= 64:
        return None
    seq = hashed or counted
    return Wanted(prefix, int(seq) if seq else None)


def seal(session: Session, kind: str, subject: str, detail: dict[str, Any]) -> None:
    """Append the sealing entry after everything this transaction changed so far (flushed
    first), so its hash covers the whole change; nothing audited may change after it."""
    session.flush()
    append(session, [(kind, subject, canonical(detail))])


def _anchor(entry: AuditEntry) -> Anchor:
    return Anchor(seq=entry.seq, hash=entry.hash, at=entry.at)


def sealed(session: Session, kind: str, subject: str) -> Anchor | None:
    """The newest seal of ``kind`` on ``subject`` (e.g. a poll's closing), or None."""
    entry = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.subject == subject, AuditEntry.kind == kind)
        .order_by(AuditEntry.seq.desc())
        .limit(1)
    ).first()
    return None if entry is None else _anchor(entry)


def find(session: Session, wanted: Wanted) -> Anchor | None:
    """The entry whose hash begins with the wanted one (at its seq, when one was given)."""
    query = select(AuditEntry).where(AuditEntry.hash.startswith(wanted.prefix, autoescape=True))
    if wanted.seq is not None:
        query = query.where(AuditEntry.seq == wanted.seq)
    entry = session.scalars(query.order_by(AuditEntry.seq).limit(1)).first()
    return None if entry is None else _anchor(entry)
