"""The board's objection form identifies an owner by their unit and the last 4 digits of their
phone on the roster: wrong digits are counted per unit and, at the configured number, pause the
unit's objections for the configured time on the app's clock, in words (like the kiosk's and the
pairing codes' locks), so the 10,000 tails cannot be tried one after another."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from meeting_room.assembly import service
from meeting_room.domain.counting import YesNo
from meeting_room.store.models.assembly import ExclusiveUnit, Objection
from meeting_room.store.models.roster import Member
from tests.conftest import Clock, unit
from tests.web.assembly.test_period import opened


def in_objection_window(app: Flask, clock: Clock) -> tuple[int, str, str]:
    """A period whose preliminary result is published; a unit's address and its owner's tail."""
    period_id, matters, units = opened(app, clock)
    with app.app_context():
        service.record_unit_ballot(period_id, units[0], {matters[0]: YesNo.FOR})
        service.close_period(period_id, "clerk")
        service.publish_preliminary(period_id, "clerk")
    with unit(app) as s:
        found = s.get(ExclusiveUnit, units[1])
        assert found is not None
        tail = s.get(Member, found.member_ids[0]).phone_tail  # type: ignore[union-attr]
        return period_id, found.address, tail


def lodge(app: Flask, period_id: int, address: str, tail: str) -> str:
    """Lodge at the board as an owner would; the page's message."""
    board = app.test_client()
    page = board.post(
        f"/board/assembly/{period_id}/objections",
        data={"unit": address, "tail": tail, "text": "我家没有收到选票。"},
        follow_redirects=True,
    ).get_data(as_text=True)
    return (
        page.split('data-testid="board-message"')[1].split("</")[0]
        if ('data-testid="board-message"' in page)
        else page
    )


def wrong(tail: str) -> str:
    return f"{(int(tail) + 1) % 10000:04d}"


def objections(app: Flask) -> int:
    with unit(app) as s:
        return len(s.scalars(select(Objection)).all())


def test_two_wrong_tries_pass_the_third_locks_and_the_lock_ends_on_the_apps_clock(
    app: Flask, clock: Clock
) -> None:
    attempts = app.config["OBJECTION_LOCKOUT_ATTEMPTS"]
    seconds = app.config["OBJECTION_LOCKOUT_SECONDS"]
    assert attempts == 3
    period_id, address, tail = in_objection_window(app, clock)
    for left in range(attempts - 1, 0, -1):  # N-1 wrong tries: refused, not locked
        said = lodge(app, period_id, address, wrong(tail))
        assert "不符" in said or "do not match" in said, said
        assert f"还可以再试{left}次" in said, said
    said = lodge(app, period_id, address, wrong(tail))  # the N-th locks
    assert "暂停到" in said, said
    assert lodge(app, period_id, address, tail) and objections(app) == 0  # right, but locked
    assert "暂停到" in lodge(app, period_id, address, tail)
    clock.advance(seconds - 1)
    assert "暂停到" in lodge(app, period_id, address, tail) and objections(app) == 0
    clock.advance(1)  # the lock has ended
    said = lodge(app, period_id, address, tail)
    assert "已记录" in said and objections(app) == 1, said


def test_a_right_try_forgets_the_wrong_ones_before_it(app: Flask, clock: Clock) -> None:
    period_id, address, tail = in_objection_window(app, clock)
    for _ in range(2):
        lodge(app, period_id, address, wrong(tail))
    assert "已记录" in lodge(app, period_id, address, tail)
    for _ in range(2):  # two more wrong: again refused, not locked
        assert "暂停到" not in lodge(app, period_id, address, wrong(tail))
    assert "已记录" in lodge(app, period_id, address, tail) and objections(app) == 2


def test_the_lock_is_the_units_own(app: Flask, clock: Clock) -> None:
    period_id, address, tail = in_objection_window(app, clock)
    for _ in range(3):
        lodge(app, period_id, address, wrong(tail))
    assert "暂停到" in lodge(app, period_id, address, tail)
    with unit(app) as s:
        other = next(
            u
            for u in s.scalars(select(ExclusiveUnit).where(ExclusiveUnit.period_id == period_id))
            if u.address != address
        )
        other_tail = s.get(Member, other.member_ids[0]).phone_tail  # type: ignore[union-attr]
        other_address = other.address
    assert "已记录" in lodge(app, period_id, other_address, other_tail)


def test_a_refused_objection_keeps_what_the_owner_wrote_but_not_the_digits(
    app: Flask, clock: Clock
) -> None:
    period_id, address, tail = in_objection_window(app, clock)
    page = (
        app.test_client()
        .post(
            f"/board/assembly/{period_id}/objections",
            data={"unit": address, "tail": wrong(tail), "text": "我家没有收到选票。"},
        )
        .get_data(as_text=True)
    )
    assert ">我家没有收到选票。</textarea>" in page and f'value="{address}"' in page
    assert wrong(tail) not in page
