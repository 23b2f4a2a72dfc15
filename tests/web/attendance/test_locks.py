"""Guessing a member's phone digits: each lock lasts longer (1, 5, 30 minutes), the clerk can
lift it, and every personal code made again is shown on the clerk desk with who and when."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from meeting_room.extensions import socketio
from meeting_room.store.models.meetings import Meeting
from tests.conftest import Clock, logged_in, paired
from tests.web.attendance.test_broadcasts import SUN_YANNA

WRONG = "0000"


def member_id(clerk: FlaskClient) -> int:
    found = clerk.get("/api/v1/members", query_string={"q": SUN_YANNA["name"]}).get_json()
    return int(found["members"][0]["id"])


def kiosk_try(kiosk: FlaskClient, meeting: Meeting, member: int, tail: str) -> dict[str, Any]:
    answer = kiosk.post(
        "/kiosk/api/sign-in",
        json={"meeting_id": meeting.id, "member_id": member, "phone_tail": tail},
        headers={"Accept-Language": "en"},
    )
    body: dict[str, Any] = answer.get_json()
    return body


def locked_for(kiosk: FlaskClient, meeting: Meeting, member: int, clock: Clock) -> float:
    """Type wrong digits until locked; the seconds the lock lasts (tried with the right ones)."""
    for _ in range(3):
        answer = kiosk_try(kiosk, meeting, member, WRONG)
    assert answer["error"]["code"] == "locked"
    waited = 0.0
    while kiosk_try(kiosk, meeting, member, SUN_YANNA["tail"]).get("error"):
        clock.advance(30)
        waited += 30
    return waited


def test_each_lock_at_the_kiosk_lasts_longer_one_five_then_thirty_minutes(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    kiosk, clerk = paired(app, "kiosk"), logged_in(app, "clerk")
    member = member_id(clerk)
    # Three wrong, locked; the right digits work only once the lock is over. Waiting in steps
    # of 30 s, the first lock (60 s) is over after 60 s, the second (300 s) after 300 s, ...
    assert locked_for(kiosk, meeting, member, clock) == 60
    # The right try cleared the tries: the next lock is short again.
    assert locked_for(kiosk, meeting, member, clock) == 60

    for _ in range(3):
        kiosk_try(kiosk, meeting, member, WRONG)
    clock.advance(60)
    for _ in range(3):
        kiosk_try(kiosk, meeting, member, WRONG)
    refusal = kiosk_try(kiosk, meeting, member, SUN_YANNA["tail"])["error"]
    assert refusal["code"] == "locked"
    clock.advance(299)
    assert kiosk_try(kiosk, meeting, member, SUN_YANNA["tail"])["error"]["code"] == "locked"
    clock.advance(1)
    for _ in range(3):
        kiosk_try(kiosk, meeting, member, WRONG)
    clock.advance(30 * 60 - 1)
    assert kiosk_try(kiosk, meeting, member, SUN_YANNA["tail"])["error"]["code"] == "locked"
    clock.advance(1)
    assert "error" not in kiosk_try(kiosk, meeting, member, SUN_YANNA["tail"])


def test_the_clerk_lifts_a_lock_and_the_next_lock_is_short_again(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    kiosk, clerk = paired(app, "kiosk"), logged_in(app, "clerk")
    member = member_id(clerk)
    for _ in range(2):  # two locks: the next would last 30 minutes
        for _ in range(3):
            kiosk_try(kiosk, meeting, member, WRONG)
        clock.advance(5 * 60)
    for _ in range(3):
        kiosk_try(kiosk, meeting, member, WRONG)
    alerts = clerk.get(f"/api/v1/meetings/{meeting.id}/alerts").get_json()["alerts"]
    assert {a["kind"] for a in alerts} == {"kiosk_lockout"} and len(alerts) == 3

    stranger = app.test_client()
    assert stranger.post(f"/api/v1/meetings/{meeting.id}/members/{member}/unlock").status_code in (
        401,
        403,
    )
    assert kiosk.post(f"/api/v1/meetings/{meeting.id}/members/{member}/unlock").status_code == 403
    assert clerk.post(f"/api/v1/meetings/{meeting.id}/members/{member}/unlock").status_code == 200
    assert clerk.get(f"/api/v1/meetings/{meeting.id}/alerts").get_json()["alerts"] == []
    for _ in range(3):
        answer = kiosk_try(kiosk, meeting, member, WRONG)
    assert answer["error"]["code"] == "locked"
    clock.advance(60)  # the first lock's length again, not thirty minutes
    assert "error" not in kiosk_try(kiosk, meeting, member, SUN_YANNA["tail"])


def test_signing_in_again_alerts_the_clerk_desk_with_who_and_when(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    kiosk, clerk = paired(app, "kiosk"), logged_in(app, "clerk")
    member = member_id(clerk)
    desk = socketio.test_client(app, namespace="/clerk", flask_test_client=clerk)
    desk.emit("join", {"meeting_id": meeting.id}, namespace="/clerk", callback=True)
    first = kiosk_try(kiosk, meeting, member, SUN_YANNA["tail"])
    first_page = first["phone_url"].split("5000", 1)[1]
    assert app.test_client().get(first_page).status_code == 200
    assert clerk.get(f"/api/v1/meetings/{meeting.id}/alerts").get_json()["alerts"] == []
    desk.get_received("/clerk")

    clock.advance(600)
    kiosk_try(kiosk, meeting, member, SUN_YANNA["tail"])  # someone else who knows the digits

    assert app.test_client().get(first_page).status_code == 404  # the first phone's page
    (alert,) = clerk.get(f"/api/v1/meetings/{meeting.id}/alerts").get_json()["alerts"]
    assert alert["kind"] == "token_reissued" and alert["member_id"] == member
    assert alert["detail"] == SUN_YANNA["name"]
    assert alert["created_at"].startswith(clock.now.isoformat()[:19])
    pushed = [e for e in desk.get_received("/clerk") if e["name"] == "alert"]
    assert [e["args"][0]["kind"] for e in pushed] == ["token_reissued"]


def test_a_proxy_signed_in_in_anothers_place_alerts_the_clerk_desk(
    app: Flask, meeting: Meeting
) -> None:
    clerk = logged_in(app, "clerk")
    member = member_id(clerk)
    base = f"/api/v1/meetings/{meeting.id}/proxies"
    first = clerk.post(base, json={"represented_id": member, "proxy_name": "王一"})
    assert first.status_code == 200
    assert clerk.get(f"/api/v1/meetings/{meeting.id}/alerts").get_json()["alerts"] == []
    second = clerk.post(base, json={"represented_id": member, "proxy_name": "王二"})
    assert second.status_code == 200
    (alert,) = clerk.get(f"/api/v1/meetings/{meeting.id}/alerts").get_json()["alerts"]
    assert alert["kind"] == "token_reissued"
