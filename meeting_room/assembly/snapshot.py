"""A voting period's live snapshot (event ``period``): the organisers' participation figures,
read in the caller's session from the same ``Desk`` the clerk's page renders."""

from __future__ import annotations

from sqlalchemy.orm import Session

from meeting_room.assembly.desk import read_desk
from meeting_room.assembly.results import area_text
from meeting_room.assembly.schemas import PeriodLive
from meeting_room.assembly.service import get_period


def period_live(session: Session, period_id: int) -> PeriodLive:
    """The period's participation now (PERIOD_NOT_FOUND for no such period)."""
    desk = read_desk(session, get_period(session, period_id))
    t = desk.turnout
    return PeriodLive(
        period_id=period_id,
        version=desk.version,
        state=desk.period.state.value,
        units=t.total_units,
        units_voted=t.units,
        heads=t.heads,
        total_heads=t.total_heads,
        area_m2=area_text(t.area),
        total_area_m2=area_text(t.total_area),
        reached=t.reached,
        by_channel=dict(desk.by_channel),
        not_voted_delivered=sum(1 for line in desk.not_voted if line.delivery),
        kept_ballots=len(desk.refused),
        objections_open=sum(1 for o in desk.objections if o.answer is None),
    )
