"""The roster: importing a checked file (all or nothing) and finding members."""

from __future__ import annotations

import re
import threading
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from meeting_room.domain.roster import RosterRow
from meeting_room.domain.search import Candidate, MemberIndex
from meeting_room.store.models.roster import Member, RosterImport


def import_rows(session: Session, rows: tuple[RosterRow, ...], filename: str, now: datetime) -> int:
    """Add or update every row (matched on member number) in the caller's transaction.

    Members missing from the file are kept: they may already have attended meetings.
    """
    existing = {m.member_no: m for m in session.scalars(select(Member))}
    for row in rows:
        member = existing.get(row.member_no) or Member(member_no=row.member_no)
        member.name = row.name
        member.building = row.building
        member.unit = row.unit
        member.room = row.room
        member.floor = row.floor
        member.area_m2 = row.area_m2
        member.phone_tail = row.phone_tail
        member.group = row.group.value
        member.birth_year = row.birth_year
        member.weight = row.weight
        member.owner_key = row.owner_key
        member.unit_key = row.unit_key
        member.is_developer = row.developer
        session.add(member)
    session.add(RosterImport(filename=filename, rows=len(rows), imported_at=now))
    session.flush()
    return len(rows)


def roster_revision(session: Session) -> int:
    """The newest import's id (0 before any import)."""
    return session.scalar(select(func.max(RosterImport.id))) or 0


class IndexCache:
    """The search index of the newest roster revision, built once per revision."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._revision = -1
        self._index = MemberIndex(())

    def get(self, session: Session) -> MemberIndex:
        """The index for the roster as it is now."""
        revision = roster_revision(session)
        if revision != self._revision:
            with self._lock:
                if revision != self._revision:
                    members = session.execute(
                        select(
                            Member.id,
                            Member.name,
                            Member.building,
                            Member.unit,
                            Member.room,
                            Member.member_no,
                        )
                    ).all()
                    self._index = MemberIndex(Candidate(*m) for m in members)
                    self._revision = revision
        return self._index


def member_index(session: Session) -> MemberIndex:
    """The search index of the current roster (rebuilt after an import)."""
    from flask import current_app

    cache: IndexCache = current_app.extensions.setdefault("yishi.member_index", IndexCache())
    return cache.get(session)


def members_in_order(session: Session, ids: list[int]) -> list[Member]:
    """The members with these ids, in the given order, in one query."""
    found = {m.id: m for m in session.scalars(select(Member).where(Member.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def find_members(
    session: Session,
    q: str | None,
    building: str | None,
    unit: str | None,
    room: str | None,
    limit: int,
) -> list[Member]:
    """Members matching a name or pinyin (``q``, initials or full), else an address; nobody for
    an empty search. The kiosk, the booth and the API search alike."""
    index = member_index(session)
    if q and q.strip():
        found = index.search(q, limit=limit)
    elif building or unit or room:
        found = index.by_address(building, unit, room)[:limit]
    else:
        found = []
    return members_in_order(session, [c.id for c in found])


def phone_hint(member: Member) -> str:
    """The phone tail as a result list shows it: only its last digit."""
    return "•••" + member.phone_tail[-1:]


def natural_key(text: str) -> tuple[int | str, ...]:
    """A sort key that puts 2栋 before 10栋 and room 502 before 1101."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def buildings(session: Session) -> list[dict[str, object]]:
    """Buildings and their units for an address keypad, in the order people expect."""
    units: dict[str, set[str]] = {}
    for building, unit in session.execute(select(Member.building, Member.unit).distinct()):
        units.setdefault(building, set()).add(unit)
    return [
        {"building": b, "units": sorted(units[b], key=natural_key)}
        for b in sorted(units, key=natural_key)
    ]
