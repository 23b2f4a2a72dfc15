"""The delivery record (入户送达) is part of the period's record: the result the clerk prints
lists every delivered unit with how, by whom and when, and who recorded it; the board shows
the same table only where the hall publishes units by address."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from meeting_room.assembly import service as assembly
from meeting_room.domain.assembly import PublishMode
from meeting_room.store.models.paper import PaperBallot
from tests.conftest import Clock, logged_in, unit
from tests.web.assembly.test_paper import address_of, printed
from tests.web.assembly.test_period import opened


def delivered_and_published(app: Flask, clock: Clock, **settings: object) -> tuple[int, str]:
    """A period with one unit's ballot left at the door by a volunteer, counted and its
    preliminary result published; the period and the unit's address."""
    period_id, _, units = opened(app, clock, **settings)
    client = logged_in(app, "clerk")
    printed(app, client, period_id)
    with unit(app) as s:
        ballot = s.scalars(select(PaperBallot).where(PaperBallot.unit_id == units[2])).one()
        ballot_id = ballot.id
    client.post(
        f"/clerk/assembly/{period_id}/ballots/{ballot_id}/delivery",
        data={"delivery": "left", "delivered_by": "王志愿者", "delivered_at": "2026-03-02T10:30"},
    )
    with app.app_context():
        assembly.close_period(period_id, "clerk")
        assembly.publish_preliminary(period_id, "clerk")
    return period_id, address_of(app, units[2])


def rows(page: str) -> list[str]:
    table = page.split('data-testid="delivery-table"')[1].split("</table>")[0]
    return table.split('data-testid="delivery-row"')[1:]


def test_the_clerks_result_prints_the_delivery_record_unit_by_unit(
    app: Flask, clock: Clock
) -> None:
    period_id, address = delivered_and_published(app, clock)
    page = logged_in(app, "clerk").get(f"/clerk/assembly/{period_id}").get_data(as_text=True)
    (row,) = rows(page)
    assert address in row and "王志愿者" in row and "clerk" in row
    assert "放在门口或信箱" in row or "Left at the door" in row
    assert "03-02 10:30" in row or "3月2日" in row or "10:30" in row
    board = app.test_client().get(f"/board/assembly/{period_id}").get_data(as_text=True)
    (shown,) = rows(board)
    assert address in shown


def test_a_hall_publishing_receipts_only_keeps_the_addresses_of_deliveries_off_the_board(
    app: Flask, clock: Clock
) -> None:
    period_id, address = delivered_and_published(app, clock, publish_mode=PublishMode.RECEIPTS)
    board = app.test_client().get(f"/board/assembly/{period_id}").get_data(as_text=True)
    assert 'data-testid="delivery-record"' in board
    assert 'data-testid="delivery-table"' not in board and address not in board
    page = logged_in(app, "clerk").get(f"/clerk/assembly/{period_id}").get_data(as_text=True)
    assert address in rows(page)[0]
