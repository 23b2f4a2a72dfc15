"""Whether each unit's paper ballot was delivered: the seam the paper ballots fill.

The paper ballots (their own package) record deliveries (who, when, handed / left / refused);
the organisers' live view asks here, per unit, so the committee knows where to knock. Until
that package answers, no unit has a delivery on record.
"""

from __future__ import annotations

from sqlalchemy.orm import Session


def delivery_status(session: Session, period_id: int) -> dict[int, str]:
    """Each unit id's latest delivery, in words of the paper package ("handed", "left",
    "refused"); a unit missing from the map has no delivery on record."""
    return {}
