"""The audit chain, and the chain against an anchor read off paper.

The chain check recomputes every hash (``store.audit.verify_log``): it catches a careless
edit, never a careful one (change an entry and chain everything after it again, or cut the
tail and fix the head). The anchor check catches those: an anchor printed on the minutes or
shown on the projector is the hash of one entry; if the box's chain no longer holds it, its
history up to that entry is not the history the room saw.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from meeting_room.records.verify_report import Check, Flaw, Topic
from meeting_room.store import anchors
from meeting_room.store.audit import verify_log
from meeting_room.store.models.audit import AuditEntry


def chain_check(session: Session) -> Check:
    """Every entry's hash, recomputed from the first one, and the head."""
    check = Check(Topic.LOG)
    broken = verify_log(session)
    if broken is not None:
        check.add(Flaw.CHAIN_BROKEN, seq=broken.seq, reason=broken.reason)
    check.facts["entries"] = int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)
    return check


def anchor_check(session: Session, text: str | None) -> Check:
    """An anchor read off paper against the chain; skipped (said so) when none is given."""
    check = Check(Topic.ANCHOR)
    if not text or not text.strip():
        check.skipped = True
        return check
    wanted = anchors.parse(text)
    if wanted is None:
        check.add(Flaw.ANCHOR_UNREADABLE, text=text.strip()[:100])
        return check
    found = anchors.find(session, wanted)
    if found is None:
        check.add(Flaw.ANCHOR_NOT_FOUND, prefix=wanted.prefix[:16], seq=wanted.seq)
        return check
    newest = int(session.scalar(select(func.max(AuditEntry.seq))) or 0)
    check.facts.update(seq=found.seq, at=found.at, hash=found.hash, after=newest - found.seq)
    return check
