"""Guessing a member's phone digits at a paired kiosk of the real server, and signing in as
someone already in the room.

Measured on the box before: the kiosk's lock was a flat three tries a minute (a 4-digit tail
falls in days of patient guessing), and a second sign-in silently made a new personal code: the
first phone's page turned 404 and nobody was told.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.browser.conftest import LiveServer
from tests.security.conftest import Hall, Member, Visitor, start

UNTIL = re.compile(r"\d\d:\d\d:\d\d")


def wrong_digits(member: Member) -> str:
    return "0000" if member.tail != "0000" else "1111"


def attempt(kiosk: Visitor, hall: Hall, member: Member, tail: str) -> dict[str, object]:
    answer = kiosk.post_json(
        "/kiosk/api/sign-in",
        {"meeting_id": hall.meeting, "member_id": member.id, "phone_tail": tail},
    )
    body: dict[str, object] = answer.json()
    return body


def error_of(kiosk: Visitor, hall: Hall, member: Member) -> dict[str, str]:
    error = attempt(kiosk, hall, member, wrong_digits(member))["error"]
    assert isinstance(error, dict)
    return error


def next_lock(kiosk: Visitor, hall: Hall, member: Member) -> datetime:
    """Ask until a lock in force is over, then type wrong digits until the kiosk locks the
    member again: the time (UTC, the hall's here) it says to come back."""
    error = error_of(kiosk, hall, member)
    while error["code"] == "locked":
        error = error_of(kiosk, hall, member)
    while error["code"] != "locked":
        assert error["code"] == "wrong_phone_tail", error
        error = error_of(kiosk, hall, member)
    found = UNTIL.search(error["message"])
    assert found, error
    clock = datetime.strptime(found.group(0), "%H:%M:%S")
    now = datetime.now(UTC)
    said = now.replace(hour=clock.hour, minute=clock.minute, second=clock.second, microsecond=0)
    # The message gives the time of day only: a lock that ends past midnight is tomorrow's
    # (and one said just before midnight, read just after, was yesterday's).
    return min((said + timedelta(days=d) for d in (-1, 0, 1)), key=lambda t: abs(t - now))


def test_each_lock_lasts_longer_and_the_clerk_sees_and_lifts_it(tmp_path: Path) -> None:
    # Locks of 1 s, then 3 s, then 30 minutes (the defaults are 1, 5 and 30 minutes): short
    # enough to see each end by asking again, without sleeping.
    server = start(
        tmp_path,
        YISHI_TTS="fake",
        YISHI_LOCKOUT_SECONDS="1",
        YISHI_LOCKOUT_ESCALATION_SECONDS="[3, 1800]",
        YISHI_TIMEZONE="UTC",
        YISHI_BABEL_DEFAULT_TIMEZONE="UTC",
    )
    try:
        hall = Hall(server)
        kiosk = hall.paired("kiosk")
        (member,) = hall.owners(1)
        lengths = []
        for _ in range(3):
            until = next_lock(kiosk, hall, member)
            lengths.append(until - datetime.now(UTC).replace(microsecond=0))
        # Said to the second, each lock ends at most its length after it began: 1 s, 3 s, and
        # then the thirty minutes of the last step.
        assert lengths[0] <= timedelta(seconds=1)
        assert lengths[1] <= timedelta(seconds=3)
        assert timedelta(minutes=29) < lengths[2] <= timedelta(minutes=30)
        right = attempt(kiosk, hall, member, member.tail)
        assert right["error"]["code"] == "locked"  # type: ignore[index]

        clerk = hall.staff("clerk")
        alerts = clerk.get(f"/api/v1/meetings/{hall.meeting}/alerts").json()["alerts"]
        assert [a["kind"] for a in alerts] == ["kiosk_lockout"] * 3
        assert {a["detail"] for a in alerts} == {member.name}
        lifted = clerk.post_json(f"/api/v1/meetings/{hall.meeting}/members/{member.id}/unlock", {})
        assert lifted.status == 200
        assert "error" not in attempt(kiosk, hall, member, member.tail)
    finally:
        server.stop()


def test_a_second_sign_in_voids_the_first_phone_and_the_clerk_is_told_who_and_when(
    server: LiveServer, hall: Hall
) -> None:
    kiosk = hall.paired("kiosk")
    (member,) = hall.owners(1)
    first = attempt(kiosk, hall, member, member.tail)
    first_page = str(first["phone_url"]).split(server.url, 1)[1]
    owner = Visitor(server)
    assert owner.page(first_page).status == 200
    clerk = hall.staff("clerk")
    assert clerk.get(f"/api/v1/meetings/{hall.meeting}/alerts").json()["alerts"] == []

    again = attempt(kiosk, hall, member, member.tail)  # someone who knows the four digits
    assert again["again"] is True

    voided = owner.page(first_page)
    assert voided.status == 404 and "个人码已失效" in voided.text
    (alert,) = clerk.get(f"/api/v1/meetings/{hall.meeting}/alerts").json()["alerts"]
    assert alert["kind"] == "token_reissued"
    assert (alert["member_id"], alert["detail"]) == (member.id, member.name)
    assert alert["created_at"]
