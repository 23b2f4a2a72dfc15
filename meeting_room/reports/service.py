"""Reports and credit: the period's figures (read in one transaction) and the one writer of the
credit settings (one committed, audited transaction; nothing is broadcast: a member's page
counts their credit when it loads)."""

from __future__ import annotations

from dataclasses import dataclass

from meeting_room.clock import now, today
from meeting_room.domain.credits import Credit, Deed
from meeting_room.domain.reports import Period
from meeting_room.reports import credits
from meeting_room.reports.figures import Report, report
from meeting_room.reports.schemas import CreditSettingsIn
from meeting_room.store.models.credits import CreditSettings
from meeting_room.store.storage import transaction


@dataclass(frozen=True)
class CreditSetup:
    """The hall's credit settings as the staff screen shows them."""

    enabled: bool
    points: dict[Deed, int]
    updated_by: str | None


def period_report(period: Period) -> Report:
    """The figures of ``period`` as of now."""
    with transaction() as session:
        return report(session, period, now(), today())


def credit_setup() -> CreditSetup:
    """The credit settings (off, with default points, until staff set them)."""
    with transaction() as session:
        row = credits.settings_row(session)
        return CreditSetup(
            enabled=bool(row and row.enabled),
            points=credits.points_of(row),
            updated_by=row.updated_by if row else None,
        )


def save_credit_setup(wanted: CreditSettingsIn, by: str) -> CreditSetup:
    """Turn credit on or off and set the points of each deed (audited: ``credit_settings``)."""
    with transaction() as session:
        row = credits.settings_row(session)
        if row is None:
            row = CreditSettings(id=1)
            session.add(row)
        row.enabled = wanted.enabled
        row.points = {deed.value: getattr(wanted, deed.value) for deed in Deed}
        row.updated_by, row.updated_at = by[:64], now()
    return credit_setup()


def member_credit(member_id: int) -> Credit | None:
    """A member's credit, None while credit is off."""
    with transaction() as session:
        return credits.member_credit(session, member_id)
