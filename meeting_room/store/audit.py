"""The audit log: every state change, appended as a hash chain in the same transaction.

A listener on every flush writes one entry per new, changed or deleted row of the audited
tables, after the flush's own writes (so the writer holds the database's write lock, and the
head row is locked on PostgreSQL): entries form one chain in commit order. Secret ballots are
never logged; a ballot shows only as its participation (who voted, how), never what or which.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert, inspect, select, update
from sqlalchemy.orm import Session, UOWTransaction

from meeting_room.store.models.access import PairingCode, RoomDevice, StaffAccount
from meeting_room.store.models.assembly import (
    ExclusiveUnit,
    Objection,
    PeriodMatter,
    UnitBallot,
    VotingPeriod,
)
from meeting_room.store.models.audit import AuditEntry, AuditHead
from meeting_room.store.models.base import Base
from meeting_room.store.models.box import BoxSettings
from meeting_room.store.models.credits import CreditSettings
from meeting_room.store.models.floor import (
    AgendaItem,
    FloorConfirmation,
    RuleOverride,
    Speech,
    SpeechRequest,
)
from meeting_room.store.models.follow import (
    DeadlineBasis,
    Escalation,
    FollowReport,
    Survey,
    SurveyAnswer,
)
from meeting_room.store.models.meetings import (
    Alert,
    Attendance,
    CalendarDay,
    Guest,
    Meeting,
    MeetingTransition,
)
from meeting_room.store.models.paper import BallotDispute, BallotScan, MarkReview, PaperBallot
from meeting_room.store.models.records import (
    ActionItem,
    ActionNote,
    ActionRating,
    Decision,
    ItemSummary,
    MinutesCorrection,
    MinutesRecord,
)
from meeting_room.store.models.roster import Member
from meeting_room.store.models.topics import Topic, TopicCategory, TopicSignature
from meeting_room.store.models.voting import BallotChange, CardAssignment, Participation, Poll

GENESIS = hashlib.sha256(b"yishi audit log").hexdigest()

# Table → (what to leave out of entries). Tables not named here are not logged: derived data
# (tallies, the poll base, published lists: verified on their own), the secret ballots
# themselves, kiosk wrong-try rows, and the box's own backup runs (a daily note of its
# housekeeping, which changes no record; the backup settings are logged).
AUDITED: dict[type[Base], frozenset[str]] = {
    Member: frozenset({"phone_tail"}),
    Meeting: frozenset({"version"}),
    MeetingTransition: frozenset(),
    CalendarDay: frozenset(),
    Attendance: frozenset({"token_hash"}),
    Guest: frozenset(),
    Alert: frozenset(),
    AgendaItem: frozenset(),
    SpeechRequest: frozenset(),
    Speech: frozenset(),
    RuleOverride: frozenset(),
    FloorConfirmation: frozenset(),
    Poll: frozenset({"result"}),
    Participation: frozenset({"client_hash"}),
    BallotChange: frozenset(),
    CardAssignment: frozenset(),
    MinutesRecord: frozenset(),
    ItemSummary: frozenset(),
    MinutesCorrection: frozenset(),
    Decision: frozenset(),
    ActionItem: frozenset(),
    ActionNote: frozenset(),
    ActionRating: frozenset(),
    DeadlineBasis: frozenset(),
    Escalation: frozenset(),
    FollowReport: frozenset(),
    Survey: frozenset(),
    SurveyAnswer: frozenset(),
    StaffAccount: frozenset({"password_hash"}),
    RoomDevice: frozenset({"credential_hash", "last_seen_at"}),
    PairingCode: frozenset({"code_hash"}),
    BoxSettings: frozenset(),
    CreditSettings: frozenset(),
    TopicCategory: frozenset(),
    Topic: frozenset(),
    TopicSignature: frozenset(),
    # An owners' assembly's voting period: its ballots are per unit and never secret (the
    # published list is named or by receipt), so they are logged; the receipts are not.
    VotingPeriod: frozenset({"preliminary", "final"}),
    PeriodMatter: frozenset(),
    ExclusiveUnit: frozenset({"receipt"}),
    UnitBallot: frozenset(),
    Objection: frozenset(),
    # Paper ballots: deliveries, every page read (its hash, not its image) and each decision.
    PaperBallot: frozenset(),
    BallotScan: frozenset({"readings"}),
    MarkReview: frozenset(),
    BallotDispute: frozenset(),
}


def plain(value: Any) -> Any:
    """A column's value as an entry's JSON holds it (times in UTC, decimals and dates as text)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date | Decimal):
        return str(value)
    return value


def canonical(data: dict[str, Any]) -> str:
    """The JSON an entry's hash covers: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(previous: str, seq: int, at: str, kind: str, subject: str, detail: str) -> str:
    """The hash of one entry after ``previous``."""
    body = canonical({"seq": seq, "at": at, "kind": kind, "subject": subject, "detail": detail})
    return hashlib.sha256(f"{previous}\n{body}".encode()).hexdigest()


def _describe(obj: Base, change: str) -> tuple[str, str, str] | None:
    hidden = AUDITED.get(type(obj))
    if hidden is None:
        return None
    state = inspect(obj)
    fields: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in hidden:
            continue
        if change == "update":
            history = state.attrs[key].history
            if not history.has_changes():
                continue
        fields[key] = plain(getattr(obj, key))
    if change == "update" and not fields:
        return None
    # A new row has no identity key yet at this point of the flush; its primary key is set.
    identity = state.identity or state.mapper.primary_key_from_instance(obj)
    subject = f"{type(obj).__tablename__}:{'/'.join(str(i) for i in identity)}"
    return f"{type(obj).__tablename__}.{change}", subject, canonical(fields)


def describe_insert(model: type[Base], values: dict[str, Any]) -> tuple[str, str, str]:
    """The entry of a row inserted without the session (a bulk insert), as a flush would
    describe it: every column but the hidden ones, the primary key as the subject."""
    hidden = AUDITED[model]
    mapper = inspect(model)
    fields = {
        attr.key: plain(values.get(attr.key))
        for attr in mapper.column_attrs
        if attr.key not in hidden
    }
    identity = (values[mapper.get_property_by_column(column).key] for column in mapper.primary_key)
    subject = f"{model.__tablename__}:{'/'.join(str(i) for i in identity)}"
    return f"{model.__tablename__}.insert", subject, canonical(fields)


def _changes(session: Session) -> list[tuple[str, str, str]]:
    found = []
    for change, objects in (
        ("insert", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if change == "update" and not session.is_modified(obj, include_collections=False):
                continue
            described = _describe(obj, change)
            if described is not None:
                found.append(described)
    return sorted(found, key=lambda entry: (entry[1], entry[0]))


def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    entries = _changes(session)
    if entries:
        append(session, entries)


def append(session: Session, entries: list[tuple[str, str, str]]) -> int:
    """Chain ``(kind, subject, detail)`` entries after the head; the last one's seq."""
    connection = session.connection()
    seq, previous = head(session)
    at = datetime.now(UTC)
    rows = []
    for kind, subject, detail in entries:
        seq += 1
        previous = entry_hash(previous, seq, at.isoformat(), kind, subject, detail)
        rows.append(
            {
                "seq": seq,
                "at": at,
                "kind": kind,
                "subject": subject,
                "detail": detail,
                "hash": previous,
            }
        )
    connection.execute(insert(AuditEntry), rows)
    connection.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=seq, hash=previous))
    return seq


def head(session: Session) -> tuple[int, str]:
    """The chain's newest seq and hash, locked until the transaction ends (made if missing)."""
    connection = session.connection()
    found = connection.execute(
        select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1).with_for_update()
    ).first()
    if found is None:
        connection.execute(insert(AuditHead).values(id=1, seq=0, hash=GENESIS))
        return 0, GENESIS
    return int(found.seq), str(found.hash)


def install() -> None:
    """Log every flush of every session (once per process)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


@dataclass(frozen=True)
class Broken:
    """Where the chain first fails, and why."""

    seq: int
    reason: str


# A purge (meeting_room.records.purge) replaces the detail of the entries holding a purged meeting's
# personal data with {"redacted_by": <the purge's seq>}; each such entry keeps its hash, the
# next entry still chains on it, and the purge entry seals them with ``redaction_digest``.
REDACTED = '{"redacted_by":'
PURGE_KIND = "meetings.purge"


def redaction_digest(entries: list[AuditEntry]) -> str:
    """The hash a purge entry keeps of the entries it redacted: seq, time, kind, subject, hash."""
    sealed = [
        [e.seq, e.at.astimezone(UTC).isoformat(), e.kind, e.subject, e.hash]
        for e in sorted(entries, key=lambda e: e.seq)
    ]
    return hashlib.sha256(json.dumps(sealed, separators=(",", ":")).encode()).hexdigest()


def verify_log(session: Session) -> Broken | None:
    """Recompute the chain from the first entry; the first entry that does not match.

    A redacted entry cannot be recomputed: the purge entry after it vouches for it instead.
    """
    previous = GENESIS
    expected_seq = 0
    redacted: dict[int, list[AuditEntry]] = {}
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.seq)):
        expected_seq += 1
        if entry.seq != expected_seq:
            return Broken(expected_seq, "missing entry")
        at = entry.at.astimezone(UTC).isoformat()
        if entry.detail.startswith(REDACTED):
            purge_seq = int(json.loads(entry.detail)["redacted_by"])
            if purge_seq <= entry.seq:
                return Broken(entry.seq, "redacted by no later purge")
            redacted.setdefault(purge_seq, []).append(entry)
            previous = entry.hash
            continue
        want = entry_hash(previous, entry.seq, at, entry.kind, entry.subject, entry.detail)
        if want != entry.hash:
            return Broken(entry.seq, "hash mismatch")
        if entry.kind == PURGE_KIND or entry.seq in redacted:
            sealed = (
                json.loads(entry.detail).get("redacted_digest")
                if entry.kind == PURGE_KIND
                else None
            )
            if sealed != redaction_digest(redacted.pop(entry.seq, [])):
                return Broken(entry.seq, "redacted entries do not match their purge")
        previous = entry.hash
    if redacted:
        return Broken(min(redacted), "redacted by no purge")
    head_row = session.get(AuditHead, 1)
    if head_row is not None and (head_row.seq != expected_seq or head_row.hash != previous):
        return Broken(expected_seq + 1, "entries removed after the last one shown")
    return None
