"""The room's screens through the real app: projector, clerk desk, phone page."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from flask.testing import FlaskClient

from meeting_room.store.models.meetings import Meeting


class Hooks(HTMLParser):
    """The text and attributes of every element carrying a ``data-testid``."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.text: dict[str, str] = {}
        self.attrs: dict[str, dict[str, str | None]] = {}
        self.open: list[tuple[str, str, int]] = []  # (testid, tag, depth of that tag)
        self.depth: dict[str, int] = {}
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.depth[tag] = self.depth.get(tag, 0) + 1
        found = dict(attrs)
        testid = found.get("data-testid")
        if testid:
            self.attrs[testid] = found
            self.text[testid] = ""
            self.open.append((testid, tag, self.depth[tag]))

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1][1] == tag and self.open[-1][2] == self.depth.get(tag):
            self.open.pop()
        self.depth[tag] = self.depth.get(tag, 1) - 1

    def handle_data(self, data: str) -> None:
        for testid, _tag, _depth in self.open:
            self.text[testid] += data


def page(client: FlaskClient, url: str, status: int = 200) -> tuple[str, Hooks]:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    html = response.get_data(as_text=True)
    return html, Hooks(html)


def member_id(client: FlaskClient, name: str) -> int:
    found = client.get("/api/v1/members", query_string={"q": name}).get_json()["members"]
    assert found and found[0]["name"] == name, found
    return int(found[0]["id"])


def sign_in(client: FlaskClient, meeting: Meeting, name: str) -> dict[str, object]:
    response = client.post(
        f"/api/v1/meetings/{meeting.id}/sign-in", json={"member_id": member_id(client, name)}
    )
    assert response.status_code == 200, response.get_json()
    body: dict[str, object] = response.get_json()
    return body


def phone_path(receipt: dict[str, object]) -> str:
    return "/v/" + str(receipt["phone_url"]).rsplit("/v/", 1)[1]


def test_the_projector_shows_nobody_then_one_member_after_a_sign_in(
    client: FlaskClient, meeting: Meeting
) -> None:
    html, ids = page(client, "/projector")
    assert meeting.title in html and "幸福里社区议事厅" in html
    assert ids.text["present-headcount"].strip() == "0"
    assert ids.attrs["quorum-verdict"]["data-met"] == "false"
    assert "未达法定人数" in ids.text["quorum-verdict"]
    assert "人数还差" in ids.text["quorum-verdict"] and "需 ≥ 2/3" in html
    assert ids.text["area-percent"].strip() == "0.0"
    assert "<svg" in html and "扫码签到" in html and "http://192.0.2.10:5000/join" in html

    sign_in(client, meeting, "孙艳娜")

    _html, ids = page(client, "/projector")
    assert ids.text["present-headcount"].strip() == "1"
    assert ids.text["in-person"].strip() == "1"
    assert ids.text["area-percent"].strip() != "0.0"


def test_the_projector_speaks_english_when_asked(client: FlaskClient, meeting: Meeting) -> None:
    sign_in(client, meeting, "孙艳娜")
    html, ids = page(client, "/projector?lang=en")
    assert '<html lang="en">' in html
    assert ids.text["present-headcount"].strip() == "1"
    assert "Quorum not reached" in ids.text["quorum-verdict"]
    assert "Headcount: 239 short" in ids.text["quorum-verdict"]
    assert "Headcount" in html and "Floor area" in html and "needs ≥ 2/3" in html
    assert "未达法定人数" not in html


def test_the_projector_turns_green_when_the_quorum_is_met(
    client: FlaskClient, meeting: Meeting
) -> None:
    """A rule of 0 needs nobody: the verdict is met from the start (no shortfall shown)."""
    with client.application.app_context():
        from meeting_room.store.storage import transaction

        with transaction() as session:
            row = session.get(Meeting, meeting.id)
            assert row is not None
            row.quorum_headcount, row.quorum_area = "0/1", None
    _html, ids = page(client, "/projector")
    assert ids.attrs["quorum-verdict"]["data-met"] == "true"
    assert "已达法定人数" in ids.text["quorum-verdict"] and "还差" not in ids.text["quorum-verdict"]
    assert "area-percent" not in ids.text


def test_the_phone_page_names_the_attendee_and_whether_they_count(
    client: FlaskClient, meeting: Meeting
) -> None:
    receipt = sign_in(client, meeting, "孙艳娜")
    html, ids = page(client, phone_path(receipt))
    assert ids.text["phone-name"].strip() == "孙艳娜"
    assert "1栋1单元202" in html and meeting.title in html
    assert ids.attrs["standing"]["data-standing"] == "counts"
    assert ids.text["meeting-status"].strip() == "会议进行中"  # the fixture's meeting is open
    assert 'name="viewport"' in html


def test_the_phone_page_of_an_observer_and_of_a_pending_proxy(
    client: FlaskClient, meeting: Meeting
) -> None:
    observer = sign_in(client, meeting, "周珍秀")  # 物业: not eligible at an owners' meeting
    _html, ids = page(client, phone_path(observer))
    assert ids.attrs["standing"]["data-standing"] == "observer"

    proxy = client.post(
        f"/api/v1/meetings/{meeting.id}/proxies",
        json={
            "represented_id": member_id(client, "邱秀德"),
            "proxy_name": "邱小明",
        },
    ).get_json()
    html, ids = page(client, phone_path(proxy))
    assert ids.text["phone-name"].strip() == "邱小明"
    assert "代 邱秀德 出席" in html
    assert ids.attrs["standing"]["data-standing"] == "pending"


def test_a_bad_personal_code_gets_a_friendly_page_without_details(
    client: FlaskClient, meeting: Meeting
) -> None:
    html, _ids = page(client, "/v/not-a-real-token", status=404)
    assert "此个人码已失效" in html and "工作人员" in html
    assert "Traceback" not in html and "token_unknown" not in html and "404" not in html
    english, _ids = page(client, "/v/not-a-real-token?lang=en", status=404)
    assert "This personal code is not valid" in english


def test_the_clerk_desk_has_an_agenda_editor_bound_to_the_api(
    client: FlaskClient, meeting: Meeting
) -> None:
    client.post(f"/api/v1/meetings/{meeting.id}/agenda", json={"title": "加装电梯方案"})
    html = client.get(f"/clerk?meeting={meeting.id}").get_data(as_text=True)
    assert 'data-testid="clerk-agenda"' in html and 'data-view="agenda"' in html
    assert f"/api/v1/meetings/{meeting.id}/agenda" in html
    assert re.search(r"js/clerk-agenda\.[0-9a-f]{8}\.js", html)  # fingerprinted


def test_the_clerk_is_warned_of_a_meeting_inside_the_notice_period(
    client: FlaskClient, meeting: Meeting
) -> None:
    html = client.get(f"/clerk?meeting={meeting.id}&lang=en").get_data(as_text=True)
    assert 'data-testid="notice-warning"' in html
    # An owners' assembly posted (the fixture) 30 minutes before it: 物业管理条例 art. 14.
    assert "an owners’ assembly must be notified 15 days before it" in html
    assert "this one has 0 days" in html
