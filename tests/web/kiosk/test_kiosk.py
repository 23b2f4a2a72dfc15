"""The kiosk's page and its JSON calls, through the real app on a real SQLite file.

The demo roster is loaded: 孙艳娜 (1栋1单元202, tail 6851, owner), 周珍秀 (物业, an observer at
an owners' meeting), and two 王静 (2栋1单元201 tail 5318, 9栋2单元201 tail 1186).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient

from meeting_room.store.models.meetings import Meeting
from tests.conftest import Clock

SUN_YANNA = {"name": "孙艳娜", "tail": "6851", "card": "YISHI:M00002"}


def find(client: FlaskClient, meeting: Meeting, **query: str) -> list[dict[str, Any]]:
    """The kiosk's search: ``q`` (name or pinyin) or building/unit/room."""
    response = client.get("/kiosk/api/search", query_string={"meeting_id": meeting.id, **query})
    assert response.status_code == 200, response.get_json()
    results: list[dict[str, Any]] = response.get_json()["results"]
    return results


def member_id(client: FlaskClient, meeting: Meeting, name: str) -> int:
    """The id of the only member called ``name``."""
    found = [r for r in find(client, meeting, q=name) if r["name"] == name]
    assert len(found) == 1, found
    return int(found[0]["id"])


def sign_in(client: FlaskClient, meeting: Meeting, member: int, tail: str) -> Any:
    """Confirm at the kiosk with a phone tail."""
    return client.post(
        "/kiosk/api/sign-in",
        json={"meeting_id": meeting.id, "member_id": member, "phone_tail": tail},
    )


def page_path(phone_url: str) -> str:
    """The personal page's path (the URL is on the hall's address, http://192.0.2.10:5000)."""
    return urlsplit(phone_url).path


def attendance(client: FlaskClient, meeting: Meeting) -> dict[str, Any]:
    """The meeting's attendance snapshot from the API."""
    snapshot: dict[str, Any] = client.get(f"/api/v1/meetings/{meeting.id}").get_json()["attendance"]
    return snapshot


def accept_mandate(client: FlaskClient, meeting: Meeting, member: int) -> None:
    """The clerk accepts the written mandate of ``member``'s proxy."""
    rows = client.get(f"/api/v1/meetings/{meeting.id}/attendance").get_json()["attendance"]
    (row,) = [r for r in rows if r["member_id"] == member]
    decision = client.post(
        f"/api/v1/meetings/{meeting.id}/proxies/{row['attendance_id']}/decision",
        json={"accept": True, "clerk": "记录员小刘"},
    )
    assert decision.status_code == 200


def test_the_kiosk_page_shows_the_meeting_and_its_words_in_chinese(
    client: FlaskClient, meeting: Meeting
) -> None:
    response = client.get("/kiosk")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in html
    assert "7栋加装电梯业主大会" in html and "幸福里社区议事厅" in html
    assert "欢迎参会，请签到" in html
    assert f'data-meeting-id="{meeting.id}"' in html
    blob = re.search(r'<script type="application/json" id="kiosk-strings">(.*?)</script>', html)
    assert blob is not None
    strings = json.loads(blob.group(1))
    assert strings["signed_in_at"] == "已于 {time} 签到"
    assert strings["again"] == "您已于 {time} 签到，这是您新的个人二维码（旧的已失效）。"
    assert all(text.strip() for text in strings.values())


def test_the_english_switch_is_remembered_for_the_next_visit(
    client: FlaskClient, meeting: Meeting
) -> None:
    client.get("/kiosk?lang=en")
    html = client.get("/kiosk").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Welcome! Please sign in." in html
    assert 'href="/kiosk?lang=zh_CN"' in html
    assert "欢迎参会" not in html


def test_initials_find_both_wang_jing_told_apart_by_their_address(
    client: FlaskClient, meeting: Meeting
) -> None:
    found = [r for r in find(client, meeting, q="wj") if r["name"] == "王静"]
    assert {r["address"]: r["phone_hint"] for r in found} == {
        "2栋1单元201": "•••8",
        "9栋2单元201": "•••6",
    }
    assert {r["name"] for r in find(client, meeting, q="wangjing")} == {"王静"}


def test_building_unit_and_room_from_the_keypad_find_the_resident(
    client: FlaskClient, meeting: Meeting
) -> None:
    found = find(client, meeting, building="1栋", unit="1单元", room="202")
    assert [(r["name"], r["address"]) for r in found] == [("孙艳娜", "1栋1单元202")]
    assert find(client, meeting, building="1栋", unit="1单元", room="999") == []


def test_a_scanned_resident_card_finds_its_member_and_an_unknown_one_is_refused(
    client: FlaskClient, meeting: Meeting
) -> None:
    response = client.post(
        "/kiosk/api/card", json={"meeting_id": meeting.id, "code": SUN_YANNA["card"]}
    )
    assert [r["name"] for r in response.get_json()["results"]] == ["孙艳娜"]
    unknown = client.post("/kiosk/api/card", json={"meeting_id": meeting.id, "code": "YISHI:X9"})
    assert unknown.status_code == 404
    assert unknown.get_json()["error"]["code"] == "member_not_found"


def test_the_right_tail_signs_in_and_gives_a_personal_qr_code_that_opens_the_phone_page(
    client: FlaskClient, meeting: Meeting
) -> None:
    response = sign_in(client, meeting, member_id(client, meeting, "孙艳娜"), "6851")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["name"] == "孙艳娜" and body["counts"] is True and body["again"] is False
    assert body["qr_svg"].startswith("<svg") and "您的个人二维码" in body["qr_svg"]
    assert body["phone_url"].startswith("http://192.0.2.10:5000/v/")
    phone = client.get(page_path(body["phone_url"]))
    assert phone.status_code == 200
    assert "孙艳娜" in phone.get_data(as_text=True)
    assert attendance(client, meeting)["in_person"] == 1


def test_an_observer_signs_in_but_is_not_counted(client: FlaskClient, meeting: Meeting) -> None:
    body = sign_in(client, meeting, member_id(client, meeting, "周珍秀"), "8779").get_json()
    assert body["eligible"] is False and body["counts"] is False
    assert attendance(client, meeting)["in_person"] == 0


def test_signing_in_again_says_when_and_the_old_code_stops_working(
    client: FlaskClient, meeting: Meeting, clock: Clock
) -> None:
    member = member_id(client, meeting, "孙艳娜")
    first = sign_in(client, meeting, member, "6851").get_json()
    listed = [r for r in find(client, meeting, q="孙艳娜") if r["id"] == member]
    assert listed[0]["signed_in_at"] == "19:00"
    clock.advance(12 * 60)
    second = sign_in(client, meeting, member, "6851").get_json()
    assert second["again"] is True and second["first_signed_in_at"] == "19:00"
    assert second["phone_url"] != first["phone_url"]
    old = client.get(page_path(first["phone_url"]))
    assert old.status_code == 404
    assert "Traceback" not in old.get_data(as_text=True)
    assert client.get(page_path(second["phone_url"])).status_code == 200


def test_three_wrong_tails_lock_the_member_until_the_lock_runs_out(
    client: FlaskClient, meeting: Meeting, clock: Clock
) -> None:
    member = member_id(client, meeting, "孙艳娜")
    tries = [sign_in(client, meeting, member, "0000") for _ in range(3)]
    assert [t.status_code for t in tries] == [409, 409, 423]
    assert [t.get_json()["error"]["code"] for t in tries] == [
        "wrong_phone_tail",
        "wrong_phone_tail",
        "locked",
    ]
    assert re.search(r"(?<!\d)2(?!\d)", tries[0].get_json()["error"]["message"])  # tries left
    assert re.search(r"(?<!\d)1(?!\d)", tries[1].get_json()["error"]["message"])
    assert "19:01" in tries[2].get_json()["error"]["message"]  # locked until 19:01:00

    still_locked = sign_in(client, meeting, member, "6851")
    assert still_locked.status_code == 423
    clock.advance(61)
    assert sign_in(client, meeting, member, "6851").status_code == 200

    alerts = client.get(f"/api/v1/meetings/{meeting.id}/alerts").get_json()["alerts"]
    assert [(a["kind"], a["member_id"]) for a in alerts] == [("kiosk_lockout", member)]


def test_a_walk_in_registers_as_a_guest(client: FlaskClient, meeting: Meeting) -> None:
    response = client.post("/kiosk/api/guest", json={"meeting_id": meeting.id, "name": " 张来宾 "})
    assert response.status_code == 200
    assert response.get_json() == {"name": "张来宾"}
    assert attendance(client, meeting)["guests"] == 1


def test_a_proxy_counts_once_a_clerk_accepts_the_written_mandate(
    client: FlaskClient, meeting: Meeting
) -> None:
    member = member_id(client, meeting, "孙艳娜")
    response = client.post(
        "/kiosk/api/proxy",
        json={
            "meeting_id": meeting.id,
            "represented_id": member,
            "phone_tail": "6851",
            "proxy_name": "李代理",
        },
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["counts"] is False and body["proxy_name"] == "李代理"
    assert body["qr_svg"].startswith("<svg")
    assert attendance(client, meeting)["proxies_pending"] == 1
    assert attendance(client, meeting)["by_proxy"] == 0

    accept_mandate(client, meeting, member)
    assert attendance(client, meeting)["by_proxy"] == 1


def test_a_proxy_with_the_wrong_tail_of_the_member_is_refused(
    client: FlaskClient, meeting: Meeting
) -> None:
    response = client.post(
        "/kiosk/api/proxy",
        json={
            "meeting_id": meeting.id,
            "represented_id": member_id(client, meeting, "孙艳娜"),
            "phone_tail": "1111",
            "proxy_name": "李代理",
        },
    )
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "wrong_phone_tail"
    assert attendance(client, meeting)["proxies_pending"] == 0


def test_the_printed_slip_is_a_pdf(client: FlaskClient, meeting: Meeting) -> None:
    body = sign_in(client, meeting, member_id(client, meeting, "孙艳娜"), "6851").get_json()
    response = client.post("/kiosk/slip", json={"phone_url": body["phone_url"]})
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data == b"%PDF-fake"


KIOSK_CALLS = [
    "/kiosk/api/card",
    "/kiosk/api/sign-in",
    "/kiosk/api/proxy",
    "/kiosk/api/guest",
    "/kiosk/slip",
]
MALFORMED = [b"{not json", b"null", b"[1, 2]", b'"just text"', b'{"meeting_id": "one"}']


@pytest.mark.parametrize("body", MALFORMED, ids=["broken", "null", "list", "string", "wrong-type"])
@pytest.mark.parametrize("path", KIOSK_CALLS)
def test_a_malformed_body_gets_a_422_json_error_never_a_crash(
    client: FlaskClient, meeting: Meeting, path: str, body: bytes
) -> None:
    response = client.post(
        path, data=body, content_type="application/json", headers={"Accept": "application/json"}
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid_input"


@pytest.mark.parametrize("query", [{"meeting_id": "x"}, {}, {"meeting_id": "1", "q": "w" * 65}])
def test_a_malformed_search_gets_a_422_json_error(
    client: FlaskClient, meeting: Meeting, query: dict[str, str]
) -> None:
    response = client.get("/kiosk/api/search", query_string=query)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid_input"
