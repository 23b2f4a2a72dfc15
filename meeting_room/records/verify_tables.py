"""The audited tables against the log: replay every entry, then compare with the rows now.

Each entry of a row's insert, change or delete holds the row's columns (hidden ones aside:
tokens, phone tails, password hashes), so replaying the log in order gives every row as the
app last wrote it. A row edited, added or deleted behind the app's back (an attendance's time,
a member's area, a deleted sign-in) then differs from its replay. A purge's redacted entries
(``records.purge``) leave the rows they held to the purge, which removed them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Numeric, inspect, select
from sqlalchemy.orm import Mapper, Session

from meeting_room.records.verify_report import Check, Flaw, Topic
from meeting_room.store.audit import AUDITED, REDACTED, plain
from meeting_room.store.models.audit import AuditEntry
from meeting_room.store.models.base import Base

CHANGES = frozenset({"insert", "update", "delete"})


@dataclass
class Logged:
    """A row as the log last left it: its columns, whether it lives, the last entry's seq."""

    seq: int
    fields: dict[str, Any] = field(default_factory=dict)
    alive: bool = True
    inserted: bool = False


def replay(session: Session) -> dict[str, dict[str, Logged]]:
    """Table → subject (``members:12``) → the row as the log's entries leave it."""
    tables = {model.__tablename__ for model in AUDITED}
    rows: dict[str, dict[str, Logged]] = {table: {} for table in tables}
    entries = session.execute(
        select(AuditEntry.seq, AuditEntry.kind, AuditEntry.subject, AuditEntry.detail).order_by(
            AuditEntry.seq
        )
    )
    for seq, kind, subject, detail in entries:
        table, _, change = kind.rpartition(".")
        if table not in tables or change not in CHANGES:
            continue  # seals, purges: not a row's change
        if detail.startswith(REDACTED):
            # The purge removed this row (or, for a participation, every one of its poll).
            rows[table][subject] = Logged(seq, alive=False, inserted=True)
            continue
        fields = json.loads(detail)
        known = rows[table].get(subject)
        if change == "insert" or known is None or not known.alive:
            known = rows[table][subject] = Logged(seq, inserted=change == "insert")
        known.seq = seq
        if change == "delete":
            known.alive = False
        else:
            known.fields.update(fields)
    return rows


def _subject(mapper: Mapper[Any], row: dict[str, Any]) -> str:
    key = "/".join(str(row[mapper.get_property_by_column(c).key]) for c in mapper.primary_key)
    return f"{mapper.class_.__tablename__}:{key}"


def _same(numeric: bool, logged: Any, now: Any) -> bool:
    if logged == now:
        return True
    if numeric and logged is not None and now is not None:
        try:  # 85.5 written, 85.50 read back: one area
            return Decimal(str(logged)) == Decimal(str(now))
        except InvalidOperation:
            return False
    return False


def check_table(session: Session, model: type[Base], logged: dict[str, Logged]) -> Check:
    """One audited table's rows against their replay."""
    mapper: Mapper[Any] = inspect(model)
    hidden = AUDITED[model]
    numeric = {
        attr.key for attr in mapper.column_attrs if isinstance(attr.columns[0].type, Numeric)
    }
    keys = [attr.key for attr in mapper.column_attrs]
    check = Check(Topic.TABLE, model.__tablename__)
    seen: set[str] = set()
    columns = [getattr(model, key) for key in keys]  # plain rows: no ORM object per row
    for found in session.execute(select(*columns)):
        row = {key: plain(value) for key, value in zip(keys, found, strict=True)}
        subject = _subject(mapper, row)
        seen.add(subject)
        known = logged.get(subject)
        if known is None or not known.inserted:
            check.add(Flaw.ROW_NOT_IN_LOG, table=model.__tablename__, row=subject)
            continue
        if not known.alive:
            check.add(Flaw.ROW_DELETED_IN_LOG, row=subject, seq=known.seq)
            continue
        for key, value in sorted(known.fields.items()):
            if key in hidden or key not in keys or _same(key in numeric, value, row[key]):
                continue
            check.add(
                Flaw.VALUE_DIFFERS, row=subject, field=key, now=row[key], logged=value,
                seq=known.seq,
            )  # fmt: skip
    for subject, known in sorted(logged.items(), key=lambda item: item[1].seq):
        if known.alive and subject not in seen:
            check.add(Flaw.ROW_MISSING, row=subject, seq=known.seq)
    check.facts["rows"] = len(seen)
    return check


def table_checks(session: Session) -> list[Check]:
    """Every audited table that holds rows, or should, against the log."""
    logged = replay(session)
    checks = []
    for model in AUDITED:
        check = check_table(session, model, logged[model.__tablename__])
        if check.facts["rows"] or not check.ok:
            checks.append(check)
    return checks
