"""The counting stage (唱票、计票): paper ballots returned to the sealed box before the close are
scanned and counted after it, until the preliminary result is published; the room's and the
office's ballots are refused after the close, and everything once the preliminary result is
out, in words."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from meeting_room.domain.assembly import Channel, PeriodState, ballot_refused
from meeting_room.store.models.assembly import UnitBallot, VotingPeriod
from meeting_room.store.models.paper import BallotScan
from tests.conftest import Clock, logged_in, unit
from tests.web.assembly.test_paper import address_of, photo, printed, upload
from tests.web.assembly.test_period import opened


def test_the_rule_paper_from_the_box_until_the_preliminary_result_the_rest_until_the_close(
    clock: Clock,
) -> None:
    ends = clock.now
    before, after = ends - timedelta(seconds=1), ends + timedelta(days=1)
    assert ballot_refused(PeriodState.OPEN, False, before, ends) is None
    assert ballot_refused(PeriodState.OPEN, False, after, ends) == "closed_paper_only"
    assert ballot_refused(PeriodState.OPEN, True, after, ends) is None
    assert ballot_refused(PeriodState.CLOSED, True, after, ends) is None
    assert ballot_refused(PeriodState.CLOSED, False, after, ends) == "closed_paper_only"
    assert ballot_refused(PeriodState.PRELIMINARY, True, after, ends) == "counting_over"
    assert ballot_refused(PeriodState.FINAL, True, after, ends) == "counting_over"
    assert ballot_refused(PeriodState.DRAFT, True, before, ends) == "draft"


def test_paper_scanned_after_the_close_is_counted_until_the_preliminary_result(
    app: Flask, clock: Clock
) -> None:
    period_id, matters, units = opened(app, clock)
    client = logged_in(app, "clerk")
    serials = printed(app, client, period_id)
    clock.advance(14 * 24 * 3600 + 60)
    closed = client.post(f"/clerk/assembly/{period_id}/close", follow_redirects=True)
    assert 'data-testid="counting-stage"' in closed.get_data(as_text=True)
    with unit(app) as s:
        period = s.get(VotingPeriod, period_id)
        assert period is not None and period.state is PeriodState.CLOSED
        assert period.preliminary is not None and period.preliminary["turnout_units"] == 0

    # The box is counted after the close: the page is read and counted for its unit.
    jpeg, _ = photo(serials[units[1]], ("tick_pen", "cross"))
    upload(client, period_id, ("box-1.jpg", jpeg))
    with unit(app) as s:
        ballots = s.scalars(select(UnitBallot).where(UnitBallot.unit_id == units[1])).all()
        assert {b.matter_id for b in ballots} == set(matters)
        assert all(b.channel is Channel.PAPER and b.standing for b in ballots)
        period = s.get(VotingPeriod, period_id)
        assert period is not None and period.preliminary is not None
        assert period.preliminary["turnout_units"] == 1
        assert sum(m["units_voted"] for m in period.preliminary["matters"]) == 2
    desk = client.get(f"/clerk/assembly/{period_id}?lang=en").get_data(as_text=True)
    assert "paper ballot" in desk.split('data-testid="by-channel"')[1].split("</table>")[0]

    # The office's ballot is refused after the close, in words.
    office = client.post(
        f"/clerk/assembly/{period_id}/ballots?lang=en",
        data={"unit": address_of(app, units[2]), f"choice_{matters[0]}": "for"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "only paper ballots from the sealed box are still counted" in office
    with unit(app) as s:
        assert not s.scalars(select(UnitBallot).where(UnitBallot.unit_id == units[2])).all()

    # The preliminary result includes the paper counted after the close; then the count is over.
    client.post(f"/clerk/assembly/{period_id}/preliminary")
    with unit(app) as s:
        period = s.get(VotingPeriod, period_id)
        assert period is not None and period.state is PeriodState.PRELIMINARY
        assert period.preliminary is not None and period.preliminary["turnout_units"] == 1
    late, _ = photo(serials[units[2]], ("cross", "cross"), index=5002)
    page = upload(client, period_id, ("late.jpg", late))
    assert "count is over" in page or "计票已结束" in page
    with unit(app) as s:
        assert not s.scalars(select(UnitBallot).where(UnitBallot.unit_id == units[2])).all()
        assert s.scalars(select(BallotScan)).all()[-1].serial == serials[units[1]]
