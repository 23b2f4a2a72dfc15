"""Whether each unit's paper ballot was delivered, for the organisers' live view.

The paper ballots (``meeting_room.paper``) record deliveries (who, when, handed / left /
refused) on their ``paper_ballots`` rows; the live view asks here, per unit, so the committee
knows where to knock.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.store.models.paper import PaperBallot


def delivery_status(session: Session, period_id: int) -> dict[int, str]:
    """Each unit id's latest delivery, in words of the paper package ("handed", "left",
    "refused"); a unit missing from the map has no delivery on record."""
    rows = session.execute(
        select(PaperBallot.unit_id, PaperBallot.delivery).where(
            PaperBallot.period_id == period_id, PaperBallot.delivery.is_not(None)
        )
    )
    return {unit_id: delivery.value for unit_id, delivery in rows if delivery is not None}
