"""The kiosk sends a lost sign-in (ordinary, proxy, guest) again: a repeat never counts twice.

Each submission carries the kiosk's request id (kept across its retries). A guest repeat
answers the guest the first try made. A member has one attendance row, so a sign-in or proxy
repeat renews it; with the same id it is not "signed in already" and keeps a mandate decision.
Refusals stay refusals. The kiosk's Socket.IO namespace gets the attendance snapshot of every
sign-in, wherever it was made.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from meeting_room.extensions import socketio
from meeting_room.store.models.meetings import Attendance, Guest, Meeting
from tests.conftest import paired, unit
from tests.web.kiosk.test_kiosk import accept_mandate, attendance, member_id

KEY = "0123456789abcdef0123456789abcdef"


def guest(client: FlaskClient, meeting: Meeting, name: str, key: str | None = KEY) -> Any:
    """Register a guest at the kiosk, with the request id ``key`` (None: without one)."""
    body: dict[str, Any] = {"meeting_id": meeting.id, "name": name}
    if key is not None:
        body["request_id"] = key
    return client.post("/kiosk/api/guest", json=body)


def proxy(
    client: FlaskClient,
    meeting: Meeting,
    represented: int,
    tail: str,
    name: str,
    key: str | None = None,
) -> Any:
    """A proxy's sign-in at the kiosk (with the request id ``key``, if any)."""
    body: dict[str, Any] = {
        "meeting_id": meeting.id,
        "represented_id": represented,
        "phone_tail": tail,
        "proxy_name": name,
    }
    if key is not None:
        body["request_id"] = key
    return client.post("/kiosk/api/proxy", json=body)


def sign_in(client: FlaskClient, meeting: Meeting, member: int, tail: str, key: str) -> Any:
    """The ordinary sign-in at the kiosk, with the request id ``key``."""
    return client.post(
        "/kiosk/api/sign-in",
        json={"meeting_id": meeting.id, "member_id": member, "phone_tail": tail, "request_id": key},
    )


def guest_rows(app: Flask, meeting: Meeting) -> list[tuple[str, str | None]]:
    """The meeting's guests as stored: (name, request_hash)."""
    with unit(app) as session:
        rows = session.execute(
            select(Guest.name, Guest.request_hash).where(Guest.meeting_id == meeting.id)
        )
        return [(name, hashed) for name, hashed in rows]


def test_a_retried_guest_registration_answers_the_first_and_adds_no_second_guest(
    app: Flask, client: FlaskClient, meeting: Meeting
) -> None:
    first = guest(client, meeting, " 张来宾 ")
    again = guest(client, meeting, "张来宾")
    assert first.status_code == again.status_code == 200
    assert first.get_json() == again.get_json() == {"name": "张来宾"}
    assert attendance(client, meeting)["guests"] == 1
    rows = guest_rows(app, meeting)
    assert len(rows) == 1
    assert rows[0][1] is not None and KEY not in rows[0][1]  # only its hash is kept


def test_a_repeat_with_the_same_id_answers_the_first_guest_even_if_the_name_differs(
    app: Flask, client: FlaskClient, meeting: Meeting
) -> None:
    assert guest(client, meeting, "张来宾").get_json() == {"name": "张来宾"}
    assert guest(client, meeting, "李来宾").get_json() == {"name": "张来宾"}
    assert [name for name, _ in guest_rows(app, meeting)] == ["张来宾"]


def test_two_registrations_with_their_own_ids_or_none_are_two_guests(
    app: Flask, client: FlaskClient, meeting: Meeting
) -> None:
    assert guest(client, meeting, "王来宾", "a" * 32).status_code == 200
    assert guest(client, meeting, "王来宾", "b" * 32).status_code == 200
    assert guest(client, meeting, "王来宾", None).status_code == 200
    assert guest(client, meeting, "王来宾", None).status_code == 200
    assert attendance(client, meeting)["guests"] == 4
    assert len(guest_rows(app, meeting)) == 4


def test_a_malformed_request_id_is_refused_and_registers_nobody(
    app: Flask, client: FlaskClient, meeting: Meeting
) -> None:
    for bad in ("short", "x" * 65, "has spaces in it, sixteen+"):
        response = guest(client, meeting, "张来宾", bad)
        assert response.status_code == 422, (bad, response.get_json())
        assert response.get_json()["error"]["code"] == "invalid_input"
    assert guest_rows(app, meeting) == []


def test_a_retried_proxy_sign_in_keeps_one_attendance_and_is_not_refused_by_the_limit(
    app: Flask, client: FlaskClient, meeting: Meeting
) -> None:
    member = member_id(client, meeting, "孙艳娜")
    first = proxy(client, meeting, member, "6851", "李代理")
    again = proxy(client, meeting, member, "6851", "李代理")
    assert first.status_code == 200, first.get_json()
    # The limit is one member per proxy: the repeat is the same mandate, not a second one.
    assert again.status_code == 200, again.get_json()
    assert again.get_json()["proxy_name"] == "李代理"
    snapshot = attendance(client, meeting)
    assert snapshot["proxies_pending"] == 1 and snapshot["in_person"] == 0
    with unit(app) as session:
        count = session.scalar(
            select(func.count())
            .select_from(Attendance)
            .where(Attendance.meeting_id == meeting.id, Attendance.member_id == member)
        )
    assert count == 1
    # The code shown is the last answer's: the personal page of the repeat opens.
    path = re.sub(r"^https?://[^/]+", "", again.get_json()["phone_url"])
    assert client.get(path).status_code == 200


def test_a_retried_sign_in_is_not_told_it_signed_in_already_but_a_second_one_is(
    client: FlaskClient, meeting: Meeting
) -> None:
    member = member_id(client, meeting, "孙艳娜")
    first = sign_in(client, meeting, member, "6851", KEY)
    retried = sign_in(client, meeting, member, "6851", KEY)
    assert first.status_code == retried.status_code == 200
    assert first.get_json()["again"] is False
    assert retried.get_json()["again"] is False and retried.get_json()["first_signed_in_at"] is None
    assert attendance(client, meeting)["in_person"] == 1
    second = sign_in(client, meeting, member, "6851", "f" * 32)  # a new tap: a new id
    assert second.get_json()["again"] is True and second.get_json()["first_signed_in_at"]
    assert attendance(client, meeting)["in_person"] == 1


def test_a_retried_proxy_sign_in_keeps_the_mandate_a_clerk_accepted_meanwhile(
    client: FlaskClient, meeting: Meeting
) -> None:
    member = member_id(client, meeting, "孙艳娜")
    assert proxy(client, meeting, member, "6851", "李代理", KEY).status_code == 200
    accept_mandate(client, meeting, member)
    assert attendance(client, meeting)["by_proxy"] == 1
    again = proxy(client, meeting, member, "6851", "李代理", KEY)  # the answer had been lost
    assert again.status_code == 200 and again.get_json()["counts"] is True
    assert attendance(client, meeting)["by_proxy"] == 1
    assert attendance(client, meeting)["proxies_pending"] == 0
    fresh = proxy(
        client, meeting, member, "6851", "李代理", "e" * 32
    )  # a new sign-in: checked anew
    assert fresh.get_json()["counts"] is False
    assert attendance(client, meeting)["proxies_pending"] == 1


def test_refusals_of_a_proxy_stay_refusals(client: FlaskClient, meeting: Meeting) -> None:
    sun = member_id(client, meeting, "孙艳娜")
    assert proxy(client, meeting, sun, "6851", "李代理").status_code == 200
    found = client.get("/kiosk/api/search", query_string={"meeting_id": meeting.id, "q": "wj"})
    other = next(r for r in found.get_json()["results"] if r["address"] == "2栋1单元201")
    limited = proxy(client, meeting, int(other["id"]), "5318", "李代理")
    assert limited.status_code == 409
    assert limited.get_json()["error"]["code"] == "proxy_limit"


def test_the_kiosk_page_carries_the_attendance_and_its_namespace_gets_every_change(
    app: Flask, client: FlaskClient, meeting: Meeting
) -> None:
    kiosk = paired(app, "kiosk")
    page = kiosk.get("/kiosk").get_data(as_text=True)
    embedded = re.search(r'id="kiosk-attendance">(.*?)</script>', page)
    assert embedded is not None
    shown = json.loads(embedded.group(1))
    assert shown["meeting_id"] == meeting.id and shown["in_person"] == 0
    assert any(c["measure"] == "headcount" for c in shown["clauses"])

    socket = socketio.test_client(app, namespace="/kiosk", flask_test_client=kiosk)
    joined = socket.emit("join", {"meeting_id": meeting.id}, namespace="/kiosk", callback=True)
    assert joined["attendance"]["version"] == shown["version"]
    socket.get_received("/kiosk")
    # The clerk signs someone in at the desk: the kiosk hears of it.
    desk = client.post(
        f"/api/v1/meetings/{meeting.id}/sign-in",
        json={"member_id": member_id(client, meeting, "孙艳娜")},
    )
    assert desk.status_code == 200, desk.get_json()
    heard = [m for m in socket.get_received("/kiosk") if m["name"] == "attendance"]
    assert heard, "no attendance event on /kiosk"
    latest = heard[-1]["args"][0]
    assert latest["in_person"] == 1 and latest["version"] > shown["version"]
