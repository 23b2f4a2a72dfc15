"""What a purge keeps of a meeting (see meeting_room.records.purge): its minutes made anonymous and
its ballot lists' final hashes, sealed in the purge's audit entry; the board and ``yishi
verify`` read them from there."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.records.minutes import Minutes
from meeting_room.store.audit import PURGE_KIND
from meeting_room.store.models.audit import AuditEntry
from meeting_room.store.models.voting import Poll
from meeting_room.voting.results import verify_published


def anonymous(data: Any) -> Any:
    """The minutes' JSON with every member's id, number and name blanked, and the lists of who
    came (attendees, assisted votes, guests) and of the paper ballots delivered emptied (counts
    stay)."""
    if isinstance(data, list):
        return [anonymous(v) for v in data]
    if not isinstance(data, dict):
        return data
    out = {k: anonymous(v) for k, v in data.items()}
    if "member_id" in out or "member_no" in out:
        for key in ("member_id", "member_no", "name"):
            if key in out:
                out[key] = 0 if key == "member_id" else ""
    if isinstance(out.get("ballots"), list):
        out["ballots"] = []  # a named poll's list of holders: the tallies keep its count
    # Who came (the attendance keeps counts); which units' paper ballots were delivered, by whom.
    for people in ("attendees", "assisted", "guests", "delivered", "not_delivered"):
        if isinstance(out.get(people), list):
            out[people] = []
    return out


def ballot_list_problem(session: Session, poll: Poll, sealed: dict[int, str]) -> str | None:
    """Why a closed poll's ballot list does not verify, or None.

    A purged named poll's lines lost their holders, so they cannot be recomputed: its final
    hash must be the one its purge sealed (after checking every line) in the audit log.
    """
    if poll.id in sealed and poll.final_hash != sealed[poll.id]:
        return "BROKEN: its final hash is not the one its purge sealed"
    if poll.id in sealed and not poll.secret:
        return None
    position = verify_published(session, poll)
    return None if position is None else f"BROKEN at line {position}"


def purge_entries(session: Session) -> dict[int, dict[str, Any]]:
    """Every purged meeting's first purge entry, as JSON, by meeting id."""
    found: dict[int, dict[str, Any]] = {}
    for entry in session.scalars(
        select(AuditEntry).where(AuditEntry.kind == PURGE_KIND).order_by(AuditEntry.seq)
    ):
        meeting_id = int(entry.subject.partition(":")[2])
        found.setdefault(meeting_id, json.loads(entry.detail))
    return found


def sealed_minutes(session: Session, meeting_id: int) -> Minutes | None:
    """The anonymous minutes sealed when the meeting was purged; None if it never was."""
    entry = session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.kind == PURGE_KIND,
            AuditEntry.subject == f"meetings:{meeting_id}",
        )
        .order_by(AuditEntry.seq)
        .limit(1)
    ).first()
    if entry is None:
        return None
    return Minutes.model_validate(json.loads(entry.detail)["minutes"])


def purged_final_hashes(session: Session) -> dict[int, str]:
    """Poll id → the final hash of its ballot list as sealed by its meeting's first purge."""
    return {
        int(poll_id): digest
        for detail in purge_entries(session).values()
        for poll_id, digest in detail["final_hashes"].items()
        if digest is not None
    }
