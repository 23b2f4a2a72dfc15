"""What a poll seals into the audit log, so ``yishi verify`` can check it without trusting the
tables: its base when it opens, its final hash and count when it closes.

The base (``PollVoter``: who may vote, their area and weight, who was present) and the tallies
are not audited row by row; a digest of the base and the count as published are, and the
closing's seal is an anchor (``store.anchors``): the projector shows it with the result and
the minutes print it. Neither entry holds anything personal: a digest and public totals.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy.orm import Session

from meeting_room.store import anchors
from meeting_room.store.anchors import Anchor
from meeting_room.store.audit import append, canonical
from meeting_room.store.models.voting import Poll

BASE_KIND = "polls.base"
BaseRow = tuple[int, Decimal, Decimal, bool]  # member, area, weight, present


def subject(poll_id: int) -> str:
    """The audit subject of a poll (as its rows' entries name it)."""
    return f"polls:{poll_id}"


def base_digest(rows: Iterable[BaseRow]) -> str:
    """SHA-256 of a poll's base, in member order, exact (85.5 and 85.50 are one area)."""
    lines = sorted(
        (member, str(Fraction(area)), str(Fraction(weight)), int(present))
        for member, area, weight, present in rows
    )
    text = "\n".join(":".join(str(part) for part in line) for line in lines)
    return hashlib.sha256(text.encode()).hexdigest()


def base_seal(rows: list[BaseRow]) -> dict[str, Any]:
    """What the log keeps of a base: its size, those present, and its digest."""
    return {
        "voters": len(rows),
        "present": sum(1 for row in rows if row[3]),
        "digest": base_digest(rows),
    }


def seal_base(session: Session, poll: Poll, rows: list[BaseRow]) -> None:
    """Log the base fixed as the poll opens (in the opening's transaction)."""
    append(session, [(BASE_KIND, subject(poll.id), canonical(base_seal(rows)))])


def sealed_count(result: dict[str, Any]) -> dict[str, Any]:
    """The part of a counted result the closing's seal keeps: ballots cast, the verdict, and
    each option's headcount, area and weight (the card readings' problems stay out: they may
    name card holders)."""
    return {
        "cast": result.get("cast"),
        "passed": result.get("passed"),
        "summary": result.get("summary"),
        "tallies": {
            option: {key: tally.get(key) for key in ("headcount", "area", "weight")}
            for option, tally in (result.get("tallies") or {}).items()
        },
    }


def seal_closing(session: Session, poll: Poll) -> None:
    """Seal a poll's closing, last in its transaction: the final hash and the count."""
    detail = {"final_hash": poll.final_hash, "count": sealed_count(poll.result or {})}
    anchors.seal(session, anchors.POLL_SEALED, subject(poll.id), detail)


def poll_anchor(session: Session, poll_id: int) -> Anchor | None:
    """The chain's head when the poll closed (None before, or for polls closed before seals)."""
    return anchors.sealed(session, anchors.POLL_SEALED, subject(poll_id))
