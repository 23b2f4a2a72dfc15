"""``yishi purge``: remove the personal data of meetings older than the retention period.

What goes and what stays is argued in docs/privacy.md. In short: rows that name or point to a
person at a purged meeting are deleted (attendance and tokens, guests, proxies, speeches and
requests for the floor, who voted and the poll's base, named choices' holders, paper-card
holders and readings, ratings, kiosk alerts); the public record stays (the meeting, its
agenda, every poll with its counted result, tallies and receipt list, decisions and the
action list). The minutes as they stood, made anonymous, are sealed into the audit log, and
the notice board shows them from there. Audit entries that held personal data keep their
hash and lose their detail; the purge entry seals which ones, so ``yishi verify`` still
checks the whole chain.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.domain.words import MeetingStatus, PollStatus
from meeting_room.records.build import build_minutes
from meeting_room.records.personal import (
    PARENT,
    Scope,
    anonymise_list,
    personal_rows,
    polls_of,
    remove,
    scope_of,
)
from meeting_room.records.purge_record import (
    anonymous,
    ballot_list_problem,
    purged_final_hashes,
    sealed_minutes,
)
from meeting_room.store.audit import (
    AUDITED,
    PURGE_KIND,
    append,
    canonical,
    head,
    redaction_digest,
    verify_log,
)
from meeting_room.store.models.audit import AuditEntry
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.voting import Participation
from meeting_room.voting.seals import BASE_KIND
from meeting_room.voting.seals import subject as seal_subject

CHANGES = ("insert", "update", "delete")  # the kinds of audit entries a row leaves


class PurgeRefused(Exception):
    """The purge cannot start: the records do not verify, so nothing is touched."""


@dataclass
class Purged:
    """What one meeting's purge removed (or would remove, in a dry run)."""

    meeting_id: int
    title: str
    starts_at: datetime
    rows: dict[str, int] = field(default_factory=dict)
    redacted: int = 0
    held_back: str | None = None

    @property
    def total(self) -> int:
        """Rows of personal data removed or made anonymous."""
        return sum(self.rows.values())


def cutoff(now: datetime, days: int) -> datetime:
    """Meetings that started before this moment are past the retention period."""
    return now - timedelta(days=days)


def due(session: Session, before: datetime) -> list[Purged]:
    """Meetings that started before ``before`` and still hold personal data; those still
    running or with a poll open are held back (with the reason), never purged."""
    found = []
    for meeting in session.scalars(
        select(Meeting).where(Meeting.starts_at < before).order_by(Meeting.starts_at)
    ):
        scope = scope_of(session, meeting)
        rows = personal_rows(session, scope)
        if not rows:
            continue
        purged = Purged(meeting.id, meeting.title, meeting.starts_at, rows)
        if meeting.status == MeetingStatus.OPEN:
            purged.held_back = "still in progress: close the meeting first"
        elif any(p.status == PollStatus.OPEN for p in polls_of(session, scope)):
            purged.held_back = "a poll is still open: close it first"
        found.append(purged)
    return found


def _subjects(session: Session, scope: Scope) -> list[AuditEntry]:
    """The audit entries that hold a personal row of the meeting (every insert, change, delete).

    A row's entries belong to the meeting from the insert that tied it to the meeting to its
    delete, so a row id used again later by another meeting is not touched.
    """
    tables = {t.__tablename__: c for t, c in PARENT.items() if t in AUDITED}
    owned: set[str] = set()
    found = []
    for entry in session.scalars(
        select(AuditEntry)
        .where(AuditEntry.kind.in_([f"{t}.{c}" for t in tables for c in CHANGES]))
        .order_by(AuditEntry.seq)
    ):
        table, change = entry.kind.rsplit(".", 1)
        detail = json.loads(entry.detail) if entry.detail.startswith("{") else {}
        parent = detail.get(tables[table])
        if parent is not None and parent in scope.parents(tables[table]):
            owned.add(entry.subject)
        elif change == "insert":
            owned.discard(entry.subject)
        if entry.subject in owned:
            found.append(entry)
            if change == "delete":
                owned.discard(entry.subject)
    return found


def _base_seals(session: Session, scope: Scope) -> list[AuditEntry]:
    """The digests of the polls' bases logged at opening (``voting.seals``): with the roster,
    a small base's digest would tell who was present, so they go with the rest."""
    return list(
        session.scalars(
            select(AuditEntry).where(
                AuditEntry.kind == BASE_KIND,
                AuditEntry.subject.in_([seal_subject(poll) for poll in scope.polls]),
            )
        )
    )


def _anonymous_subject(subject: str) -> str:
    """A participation's subject is ``poll_participation:<poll>/<member>``: drop the member."""
    table, _, key = subject.partition(":")
    if table == Participation.__tablename__:
        return f"{table}:{key.split('/')[0]}/-"
    return subject


def _check(session: Session, scope: Scope) -> None:
    broken = verify_log(session)
    if broken is not None:
        raise PurgeRefused(f"audit log broken at entry {broken.seq} ({broken.reason})")
    sealed = purged_final_hashes(session)
    for poll in polls_of(session, scope):
        problem = ballot_list_problem(session, poll, sealed) if poll.final_hash else None
        if problem is not None:
            raise PurgeRefused(f"poll {poll.id}: ballot list {problem}")


def purge_meeting(
    session: Session, meeting: Meeting, days: int, now: datetime, today: date
) -> Purged:
    """Remove one meeting's personal data in this transaction, sealing its anonymous minutes."""
    scope = scope_of(session, meeting)
    _check(session, scope)
    if session.get_bind().dialect.name == "sqlite":
        # Deleted rows and replaced audit details are overwritten with zeros in the file.
        session.connection().exec_driver_sql("PRAGMA secure_delete=ON")
    report = Purged(meeting.id, meeting.title, meeting.starts_at, personal_rows(session, scope))
    sealed = sealed_minutes(session, meeting.id)
    minutes = sealed or build_minutes(session, meeting, now, today)
    entries = _subjects(session, scope) + _base_seals(session, scope)
    purge_seq = head(session)[0] + 1
    for entry in entries:
        entry.subject = _anonymous_subject(entry.subject)
        entry.detail = canonical({"redacted_by": purge_seq})
    session.flush()
    report.redacted = len(entries)
    remove(session, scope)
    named = [p for p in polls_of(session, scope) if not p.secret and p.final_hash is not None]
    for poll in named:
        anonymise_list(session, poll)
    session.flush()
    detail = {
        "retention_days": days,
        "rows": report.rows,
        "redacted_digest": redaction_digest(entries),
        "final_hashes": {str(p.id): p.final_hash for p in polls_of(session, scope)},
        "minutes": None if sealed else anonymous(minutes.model_dump(mode="json")),
    }
    seq = append(session, [(PURGE_KIND, f"meetings:{meeting.id}", canonical(detail))])
    assert seq == purge_seq
    return report


def describe(purged: Iterable[Purged]) -> list[str]:
    """One line per meeting for the terminal: id, date, title, what goes (or why it waits)."""
    return [
        f"meeting {p.meeting_id} ({p.starts_at:%Y-%m-%d}) {p.title}: "
        + (
            f"held back, {p.held_back}"
            if p.held_back
            else ", ".join(f"{table} {n}" for table, n in sorted(p.rows.items()))
        )
        for p in purged
    ]
