"""The delivery record (入户送达) is part of the minutes: a meeting tied to a voting period
prints, in its minutes (HTML and PDF alike), the ballots handed, left at the door, refused and
not delivered, building by building, each delivery with who took it and when, and a summary
line; a hall publishing receipts only gets the counts without addresses."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import select

from meeting_room.domain.assembly import PublishMode
from meeting_room.store.models.assembly import ExclusiveUnit
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.paper import PaperBallot
from tests.conftest import Clock, logged_in, unit
from tests.web.assembly.test_paper import printed
from tests.web.assembly.test_period import opened
from tests.web.records.test_minutes import pdf_text


def delivered(app: Flask, clock: Clock, meeting: Meeting, **settings: object) -> dict[str, str]:
    """A period of the meeting, its ballots printed; the first unit's ballot handed by 王志愿者
    and the second's refused at 李志愿者's knock. Each unit's address by what became of it."""
    period_id, _, units = opened(app, clock, meeting_id=meeting.id, **settings)
    client = logged_in(app, "clerk")
    printed(app, client, period_id)
    with unit(app) as s:
        ballots = {
            b.unit_id: b.id
            for b in s.scalars(select(PaperBallot).where(PaperBallot.period_id == period_id))
        }
        address = {u: s.get(ExclusiveUnit, u).address for u in units[:3]}  # type: ignore[union-attr]
    for unit_id, how, by, at in (
        (units[0], "handed", "王志愿者", "2026-03-02T10:30"),
        (units[1], "refused", "李志愿者", "2026-03-03T19:05"),
    ):
        answer = client.post(
            f"/clerk/assembly/{period_id}/ballots/{ballots[unit_id]}/delivery",
            data={"delivery": how, "delivered_by": by, "delivered_at": at},
        )
        assert answer.status_code in (200, 302)
    return {"handed": address[units[0]], "refused": address[units[1]], "none": address[units[2]]}


def test_the_minutes_carry_the_delivery_record_unit_by_unit_and_building_by_building(
    app: Flask, clock: Clock, meeting: Meeting, tmp_path: Path
) -> None:
    addresses = delivered(app, clock, meeting)
    client = logged_in(app, "clerk")
    data = client.get(f"/api/v1/meetings/{meeting.id}/minutes").get_json()
    (record,) = data["deliveries"]
    assert (record["handed"], record["left"], record["refused"]) == (1, 0, 1)
    assert record["none"] == record["units"] - 2 and record["units"] >= 3
    assert {(d["address"], d["delivery"], d["by"]) for d in record["delivered"]} == {
        (addresses["handed"], "handed", "王志愿者"),
        (addresses["refused"], "refused", "李志愿者"),
    }
    assert any(addresses["none"] in b["not_delivered"] for b in record["buildings"])
    assert sum(b["none"] for b in record["buildings"]) == record["none"]

    page = client.get(f"/board/meetings/{meeting.id}/minutes").get_data(as_text=True)
    section = page.split("纸质选票送达")[1]
    assert "王志愿者" in section and "李志愿者" in section and "10:30" in section
    assert addresses["none"] in section and "拒收" in section
    assert f"{record['none']}户没有送达记录" in section

    text = pdf_text(client.get(f"/board/meetings/{meeting.id}/minutes.pdf").data, tmp_path)
    flat = text.replace("\n", "").replace(" ", "")
    assert "纸质选票送达" in flat and "王志愿者" in flat and "李志愿者" in flat
    assert f"{record['none']}户没有送达记录" in flat


def test_a_hall_publishing_receipts_only_prints_the_counts_without_addresses(
    app: Flask, clock: Clock, meeting: Meeting
) -> None:
    addresses = delivered(app, clock, meeting, publish_mode=PublishMode.RECEIPTS)
    client = logged_in(app, "clerk")
    (record,) = client.get(f"/api/v1/meetings/{meeting.id}/minutes").get_json()["deliveries"]
    assert record["by_address"] is False and record["delivered"] == []
    assert (record["handed"], record["refused"]) == (1, 1)
    page = client.get(f"/board/meetings/{meeting.id}/minutes").get_data(as_text=True)
    assert "纸质选票送达" in page and "王志愿者" not in page
    assert all(a not in page.split("纸质选票送达")[1] for a in addresses.values())


def test_a_meeting_without_a_voting_period_has_no_delivery_record(
    app: Flask, meeting: Meeting
) -> None:
    client = logged_in(app, "clerk")
    assert client.get(f"/api/v1/meetings/{meeting.id}/minutes").get_json()["deliveries"] == []
    page = client.get(f"/board/meetings/{meeting.id}/minutes").get_data(as_text=True)
    assert "纸质选票送达" not in page
