"""Whether each unit's paper ballot was delivered, for the organisers' live view.

The paper ballots (``meeting_room.paper``) record deliveries (who, when, handed / left /
refused) on their ``paper_ballots`` rows; the live view asks here, per unit, so the committee
knows where to knock.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from meeting_room.attendance.roster import natural_key
from meeting_room.store.models.assembly import ExclusiveUnit
from meeting_room.store.models.paper import PaperBallot

DELIVERIES = ("handed", "left", "refused")


def delivery_status(session: Session, period_id: int) -> dict[int, str]:
    """Each unit id's latest delivery, in words of the paper package ("handed", "left",
    "refused"); a unit missing from the map has no delivery on record."""
    rows = session.execute(
        select(PaperBallot.unit_id, PaperBallot.delivery).where(
            PaperBallot.period_id == period_id, PaperBallot.delivery.is_not(None)
        )
    )
    return {unit_id: delivery.value for unit_id, delivery in rows if delivery is not None}


def delivery_record(session: Session, period_id: int) -> dict[str, Any]:
    """The delivery record kept with the period's count (入户送达, part of its record): how many
    ballots were handed, left or refused and how many units have none on record, the same
    building by building (with the units that have none), and each delivery with who took it
    and when (in the hall's order of units). The meeting's minutes print it too."""
    rows = session.execute(
        select(PaperBallot, ExclusiveUnit)
        .join(ExclusiveUnit, ExclusiveUnit.id == PaperBallot.unit_id)
        .where(PaperBallot.period_id == period_id)
    ).all()
    units = session.scalar(
        select(func.count()).select_from(ExclusiveUnit).where(ExclusiveUnit.period_id == period_id)
    )
    delivered = [(ballot, unit) for ballot, unit in rows if ballot.delivery is not None]
    delivered.sort(key=lambda row: natural_key(row[1].address))
    counts = Counter(ballot.delivery.value for ballot, _ in delivered if ballot.delivery)
    return {
        "buildings": _by_building(session, period_id, {unit.id: b for b, unit in delivered}),
        "printed": len(rows),
        "handed": counts["handed"],
        "left": counts["left"],
        "refused": counts["refused"],
        "none": (units or 0) - len(delivered),
        "units": [
            {
                "address": unit.address,
                "building": unit.building,
                "serial": ballot.serial,
                "delivery": ballot.delivery.value if ballot.delivery else None,
                "by": ballot.delivered_by,
                "at": ballot.delivered_at.isoformat() if ballot.delivered_at else None,
                "recorded_by": ballot.delivery_recorded_by,
            }
            for ballot, unit in delivered
        ],
    }


def _by_building(
    session: Session, period_id: int, delivered: dict[int, PaperBallot]
) -> list[dict[str, Any]]:
    """Building by building (2栋 before 10栋): how many of its units' ballots were handed,
    left or refused, and which units have no delivery on record (where to knock)."""
    buildings: dict[str, dict[str, Any]] = {}
    units = session.scalars(select(ExclusiveUnit).where(ExclusiveUnit.period_id == period_id))
    for unit in sorted(units, key=lambda u: natural_key(u.address)):
        line = buildings.setdefault(
            unit.building,
            {"building": unit.building, **dict.fromkeys(DELIVERIES, 0), "none": []},
        )
        ballot = delivered.get(unit.id)
        if ballot is None or ballot.delivery is None:
            line["none"].append(unit.address)
        else:
            line[ballot.delivery.value] += 1
    return [buildings[b] for b in sorted(buildings, key=natural_key)]
