"""The organisers' live view over Socket.IO (/clerk, ``period.join`` then ``period``): a real
Socket.IO client following a period receives one newer snapshot after each committed ballot
of any channel (the office, a paper ballot's scan, the room's poll at its close), a delivery,
a clerk's review decision and an objection; nothing for another period's changes, and no
connection for a stranger."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_socketio import SocketIOTestClient
from sqlalchemy import select

from meeting_room.assembly import service
from meeting_room.domain.counting import YesNo
from meeting_room.extensions import socketio
from meeting_room.store.models.paper import MarkReview, PaperBallot
from tests.conftest import Clock, logged_in, unit
from tests.web.assembly.test_paper import photo, printed, upload
from tests.web.assembly.test_period import opened


def follow(app: Flask, period_id: int) -> tuple[SocketIOTestClient, dict[str, Any]]:
    """A clerk's socket following the period, and the snapshot its join answered."""
    clerk = socketio.test_client(app, namespace="/clerk", flask_test_client=logged_in(app, "clerk"))
    assert clerk.is_connected("/clerk")
    answer = clerk.emit("period.join", {"period_id": period_id}, namespace="/clerk", callback=True)
    assert isinstance(answer, dict) and "period" in answer, answer
    return clerk, answer["period"]


def snapshots(clerk: SocketIOTestClient) -> list[dict[str, Any]]:
    return [m["args"][0] for m in clerk.get_received("/clerk") if m["name"] == "period"]


def test_each_ballot_delivery_and_decision_sends_one_newer_snapshot(
    app: Flask, clock: Clock
) -> None:
    period_id, matters, units = opened(app, clock)
    clerk, joined = follow(app, period_id)
    assert (joined["state"], joined["units_voted"], joined["reached"]) == ("open", 0, False)
    assert joined["units"] == len(units)

    with app.app_context():  # the office
        service.record_unit_ballot(period_id, units[0], {matters[0]: YesNo.FOR}, by="王记录")
    (after_office,) = snapshots(clerk)
    assert after_office["version"] > joined["version"]
    assert (after_office["units_voted"], after_office["by_channel"]) == (1, {"office": 1})

    client = logged_in(app, "clerk")
    serials = printed(app, client, period_id)
    snapshots(clerk)  # the batch printed: the paper ballots changed (one snapshot at most)
    with unit(app) as s:
        ballot_id = s.scalars(select(PaperBallot.id).where(PaperBallot.unit_id == units[1])).one()
    client.post(
        f"/clerk/assembly/{period_id}/ballots/{ballot_id}/delivery",
        data={"delivery": "handed", "delivered_by": "王志愿者", "delivered_at": "2026-03-02T10:30"},
    )
    (after_delivery,) = snapshots(clerk)
    assert after_delivery["version"] > after_office["version"]
    assert after_delivery["not_voted_delivered"] == 1

    jpeg, _ = photo(serials[units[1]], ("two", "tick_pen"))  # matter 1 disputed
    upload(client, period_id, ("disputed.jpg", jpeg))
    (after_scan,) = snapshots(clerk)
    assert after_scan["units_voted"] == 2 and after_scan["by_channel"].get("paper") == 1
    with unit(app) as s:
        review_id = s.scalars(select(MarkReview.id)).one()
    client.post(f"/clerk/assembly/{period_id}/review/{review_id}", data={"decision": "against"})
    (after_review,) = snapshots(clerk)
    assert after_review["version"] > after_scan["version"]
    clerk.disconnect(namespace="/clerk")


def test_a_screen_hears_only_its_own_period(app: Flask, clock: Clock) -> None:
    first, matters, units = opened(app, clock)
    with app.app_context():
        other = service.create_period(
            service.PeriodDraft(
                title="另一次表决",
                opens_at=clock.now,
                closes_at=clock.now.replace(year=clock.now.year + 1),
                matters=(service.MatterIn("别的事项", service.MatterKind.OTHER),),
            ),
            "clerk",
        )
    clerk, _ = follow(app, first)
    with app.app_context():
        service.open_period(other, "clerk", assume_owners=True)
    assert snapshots(clerk) == []
    with app.app_context():
        service.record_unit_ballot(first, units[0], {matters[0]: YesNo.AGAINST})
    assert [s["period_id"] for s in snapshots(clerk)] == [first]


def test_a_stranger_cannot_follow_a_period(app: Flask, clock: Clock) -> None:
    period_id, _, _ = opened(app, clock)
    stranger = socketio.test_client(app, namespace="/clerk")
    answer = (
        stranger.emit("period.join", {"period_id": period_id}, namespace="/clerk", callback=True)
        if stranger.is_connected("/clerk")
        else {"error": "not connected"}
    )
    assert "error" in answer and "period" not in answer


def test_a_period_that_does_not_exist_is_refused_in_words(app: Flask, clock: Clock) -> None:
    clerk = socketio.test_client(app, namespace="/clerk", flask_test_client=logged_in(app, "clerk"))
    answer = clerk.emit("period.join", {"period_id": 999}, namespace="/clerk", callback=True)
    assert answer["error"]["code"] == "period_not_found" and answer["error"]["message"]
