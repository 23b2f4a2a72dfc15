"""The base of a voting period, fixed when it opens: every exclusive unit (专有部分) with its
registered area and owner, built from the roster's owners (法释〔2009〕7号 arts. 8-9).

A unit is the roster's unit key, or its address where the roster has no unit key (co-owners
are listed once each, on the same unit). The owner key says which units one buyer holds (their
areas add up, they count once by number); the developer's units count as one person. Where the
roster cannot say (an owner without an owner key, one unit with two areas), opening is refused
with the units named, and nothing is fixed.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import Eligibility
from meeting_room.store.models.assembly import ExclusiveUnit, VotingPeriod
from meeting_room.store.models.roster import Member
from meeting_room.voting.polls import GROUPS_OF

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
SHOWN = 8  # how many faulty units a refusal names
UNIT_OWNER = "unit:"  # an owner key assumed from the unit's own (see ``plan_units``)


@dataclass(frozen=True)
class Planned:
    """A unit as the roster gives it, before it is stored."""

    unit_key: str
    building: str
    unit: str
    room: str
    area: Decimal
    owner_key: str
    developer: bool
    member_ids: tuple[int, ...]


def plan_units(members: Iterable[Member], assume_owners: bool = False) -> list[Planned]:
    """The exclusive units of these owners; Refusal where the roster cannot say. With
    ``assume_owners`` (the clerk confirmed it) a unit without an owner key is its own owner."""
    by_unit: dict[str, list[Member]] = {}
    for member in members:
        key = (member.unit_key or "").strip() or member.address
        by_unit.setdefault(key, []).append(member)
    no_owner: list[str] = []
    two_areas: list[str] = []
    planned = []
    for key, owners in sorted(by_unit.items()):
        first = owners[0]
        developer = any(m.is_developer for m in owners)
        keys = sorted({(m.owner_key or "").strip() for m in owners} - {""})
        if not developer and (not keys or any(not (m.owner_key or "").strip() for m in owners)):
            no_owner.append(first.address)
            if assume_owners:
                keys = [f"{UNIT_OWNER}{key}"]
        if len({m.area_m2 for m in owners}) > 1:
            two_areas.append(first.address)
        planned.append(
            Planned(
                key,
                first.building,
                first.unit,
                first.room,
                first.area_m2,
                # Co-owners together are the unit's one owner; a buyer's other units share it.
                "developer" if developer else "+".join(keys),
                developer,
                tuple(m.id for m in owners),
            )
        )
    if no_owner and not assume_owners:
        raise Refusal(
            Problem.PERIOD_NO_OWNER_KEY, units="、".join(no_owner[:SHOWN]), count=len(no_owner)
        )
    if two_areas:
        raise Refusal(
            Problem.PERIOD_TWO_AREAS, units="、".join(two_areas[:SHOWN]), count=len(two_areas)
        )
    if not planned:
        raise Refusal(Problem.ART278_NO_OWNERS)
    return planned


def _receipt(taken: set[str]) -> str:
    while True:
        code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(8))
        if code not in taken:
            taken.add(code)
            return code


def fix_base(
    session: Session, period: VotingPeriod, assume_owners: bool = False
) -> list[ExclusiveUnit]:
    """Store the period's base from the roster's owners now (in the caller's transaction);
    ``period.owners_assumed`` counts the units whose owner was assumed."""
    owners = session.scalars(
        select(Member).where(Member.group.in_(GROUPS_OF[Eligibility.OWNERS])).order_by(Member.id)
    )
    taken: set[str] = set()
    units = [
        ExclusiveUnit(
            period_id=period.id,
            unit_key=p.unit_key,
            building=p.building,
            unit=p.unit,
            room=p.room,
            area_m2=p.area,
            owner_key=p.owner_key,
            is_developer=p.developer,
            member_ids=list(p.member_ids),
            receipt=_receipt(taken),
        )
        for p in plan_units(owners, assume_owners)
    ]
    period.owners_assumed = sum(u.owner_key.startswith(UNIT_OWNER) for u in units)
    session.add_all(units)
    session.flush()
    return units
