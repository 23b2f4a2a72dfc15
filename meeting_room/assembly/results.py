"""A period's count as stored data: each matter's tallies and clauses (exact fractions kept as
"numerator/denominator" text), what the law left to us (split owners, non-voters counted as
agreeing), and the participation so far. ``assembly.words`` turns it into sentences."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.assembly.deliveries import delivery_record
from meeting_room.domain.assembly import Unit, count_matter, turnout
from meeting_room.domain.counting import YesNo
from meeting_room.store.models.assembly import (
    ExclusiveUnit,
    PeriodMatter,
    UnitBallot,
    VotingPeriod,
)
from meeting_room.voting.results import _clause as clause_record

CENT = Decimal("0.01")


def area_text(area: Fraction) -> str:
    """An area in m² to the cent, as the register writes it (a sum of cents is exact)."""
    return str((Decimal(area.numerator) / Decimal(area.denominator)).quantize(CENT))


def units_of(session: Session, period_id: int) -> list[ExclusiveUnit]:
    """The period's base, in address order."""
    return list(
        session.scalars(
            select(ExclusiveUnit)
            .where(ExclusiveUnit.period_id == period_id)
            .order_by(ExclusiveUnit.building, ExclusiveUnit.unit, ExclusiveUnit.room)
        )
    )


def domain_unit(unit: ExclusiveUnit) -> Unit:
    """The count's view of a stored unit (area exact from the register's decimal)."""
    return Unit(
        key=str(unit.id),
        owner=unit.owner_key,
        area=Fraction(unit.area_m2),
        developer=unit.is_developer,
        building=unit.building,
    )


def matters_of(session: Session, period_id: int) -> list[PeriodMatter]:
    """The period's matters in order."""
    return list(
        session.scalars(
            select(PeriodMatter)
            .where(PeriodMatter.period_id == period_id)
            .order_by(PeriodMatter.position)
        )
    )


def standing_ballots(session: Session, period_id: int) -> list[UnitBallot]:
    """Every standing ballot of the period."""
    return list(
        session.scalars(
            select(UnitBallot).where(UnitBallot.period_id == period_id, UnitBallot.standing)
        )
    )


def count_period(session: Session, period: VotingPeriod) -> dict[str, Any]:
    """Count every matter of the period from its standing ballots now."""
    units = [domain_unit(u) for u in units_of(session, period.id)]
    ballots = standing_ballots(session, period.id)
    matters = []
    for matter in matters_of(session, period.id):
        chosen = {str(b.unit_id): YesNo(b.choice) for b in ballots if b.matter_id == matter.id}
        count = count_matter(matter.rule, units, chosen, period.non_voters_agree)
        outcome = count.outcome
        matters.append(
            {
                "matter_id": matter.id,
                "position": matter.position,
                "title": matter.title,
                "kind": matter.kind.value,
                "rule": matter.rule.value,
                "passed": count.passed,
                "summary": outcome.summary_key.value,
                "tallies": {
                    choice.value: {
                        "heads": str(outcome.tallies[choice].headcount),
                        "area": str(outcome.tallies[choice].area),
                        "area_text": area_text(outcome.tallies[choice].area),
                    }
                    for choice in YesNo
                },
                # As a poll's clauses are stored, so its words explain them (voting.words).
                "clauses": [clause_record(c) for c in outcome.clauses],
                "split_persons": count.split_persons,
                "deemed_units": count.deemed_units,
                "deemed_persons": count.deemed_persons,
                "units_voted": count.units_voted,
            }
        )
    voted = turnout(units, {str(b.unit_id) for b in ballots})
    return {
        "non_voters_agree": period.non_voters_agree,
        "owners_assumed": period.owners_assumed,
        "units": len(units),
        "persons": voted.total_heads,
        "total_area": str(voted.total_area),
        "total_area_text": area_text(voted.total_area),
        "turnout_area_text": area_text(voted.area),
        "turnout_units": voted.units,
        "turnout_heads": voted.heads,
        "turnout_area": str(voted.area),
        "matters": matters,
        # The paper ballots' delivery (入户送达) is part of the period's record.
        "deliveries": delivery_record(session, period.id),
    }
