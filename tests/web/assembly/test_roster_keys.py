"""The roster upload (/clerk/roster) learns owner keys, unit keys and the developer flag: a
row the count cannot use is named in words and nothing is imported; a good file is imported
and a voting period then opens on it without any confirmation, one buyer counted once."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from meeting_room.assembly import service
from meeting_room.domain.assembly import MatterKind
from meeting_room.store.models.assembly import ExclusiveUnit, VotingPeriod
from meeting_room.store.models.roster import Member
from tests.conftest import Clock, unit
from tests.web.prepare.rosters import DEMO_ROSTER, as_csv
from tests.web.prepare.test_roster_upload import check

OWNERS = ("业主", "业委会")


def keyed_rows() -> list[list[str]]:
    """The demo roster with owner_key (the member id; M00002 and M00003 one buyer), unit_key
    and developer (M00004's unit is the developer's)."""
    rows = list(csv.reader(io.StringIO(DEMO_ROSTER.read_text(encoding="utf-8"))))
    out = [[*rows[0], "owner_key", "unit_key", "developer"]]
    for row in rows[1:]:
        owner = "BUYER" if row[0] in ("M00002", "M00003") else row[0]
        out.append(
            [*row, owner if row[8] in OWNERS else "", "", "是" if row[0] == "M00004" else "否"]
        )
    return out


def test_an_owner_row_without_its_key_is_named_and_nothing_is_imported(
    app: Flask, client: FlaskClient
) -> None:
    rows = keyed_rows()
    rows[2][-3] = ""  # M00002 (an owner) without an owner key
    answer = check(client, as_csv(rows), "roster.csv")
    assert answer["ok"] is False
    assert any("owner_key" in str(e) and "法释" in str(e) for e in answer["errors"])


def test_a_keyed_roster_opens_a_period_without_confirmation_one_buyer_counted_once(
    app: Flask, client: FlaskClient, clock: Clock
) -> None:
    answer = check(client, as_csv(keyed_rows()), "roster.csv")
    assert answer["ok"] is True, answer["errors"][:3]
    done = client.post("/clerk/roster/commit", json={"upload_id": answer["upload_id"]})
    assert done.status_code == 200
    with unit(app) as s:
        owners = list(s.scalars(select(Member).where(Member.group.in_(OWNERS))))
        assert {m.owner_key for m in owners if m.member_no in ("M00002", "M00003")} == {"BUYER"}
    with app.app_context():
        period_id = service.create_period(
            service.PeriodDraft(
                "业主大会",
                clock.now,
                clock.now + timedelta(days=7),
                [service.MatterIn("选聘物业", MatterKind.PROPERTY_MANAGER)],
            ),
            "clerk",
        )
        service.open_period(period_id, "clerk")  # no confirmation needed: the roster says
    with unit(app) as s:
        period = s.get(VotingPeriod, period_id)
        assert period is not None and period.owners_assumed == 0
        units = list(s.scalars(select(ExclusiveUnit).where(ExclusiveUnit.period_id == period_id)))
        assert len(units) == len(owners)
        assert len({u.owner_key for u in units}) == len(units) - 1  # the buyer's two units
        assert [u.address for u in units if u.is_developer] == ["1栋1单元402"]
