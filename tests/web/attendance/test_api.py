"""Sign-in through the JSON API: the real app on a real SQLite file."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from meeting_room.store.models.meetings import Meeting


def _member(client: FlaskClient, q: str) -> dict[str, object]:
    found = client.get("/api/v1/members", query_string={"q": q}).get_json()["members"]
    assert found, f"nobody found for {q!r}"
    return found[0]


def test_a_member_signs_in_with_the_right_phone_tail_and_counts(
    client: FlaskClient, meeting: Meeting
) -> None:
    member = _member(client, "周珍秀")
    assert member["group"] == "物业"
    owner = client.get("/api/v1/members", query_string={"q": "孙艳娜"}).get_json()["members"][0]
    response = client.post(
        f"/api/v1/meetings/{meeting.id}/sign-in",
        json={"member_id": owner["id"], "phone_tail": "6851"},
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["counts"] is True and body["first_signed_in_at"] is None
    assert body["phone_url"].startswith("http://192.0.2.10:5000/v/")
    snapshot = client.get(f"/api/v1/meetings/{meeting.id}").get_json()["attendance"]
    assert snapshot["in_person"] == 1


def test_a_wrong_phone_tail_is_refused_with_the_tries_left(
    client: FlaskClient, meeting: Meeting
) -> None:
    owner = _member(client, "孙艳娜")
    response = client.post(
        f"/api/v1/meetings/{meeting.id}/sign-in",
        json={"member_id": owner["id"], "phone_tail": "0000"},
    )
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "wrong_phone_tail"


def test_a_malformed_body_gets_a_clear_json_error(client: FlaskClient, meeting: Meeting) -> None:
    response = client.post(f"/api/v1/meetings/{meeting.id}/sign-in", json={"member_id": "x"})
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid_input"
    assert "member_id" in response.get_json()["error"]["message"]


def test_the_openapi_document_describes_every_api_route(client: FlaskClient, app: object) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    documented = {(path, method) for path, item in spec["paths"].items() for method in item}
    routes = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method.lower())
        for rule in app.url_map.iter_rules()  # type: ignore[attr-defined]
        if rule.rule.startswith("/api/v1/") and not rule.rule.endswith("openapi.json")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes and routes <= documented
    sign_in = spec["paths"]["/api/v1/meetings/{meeting_id}/sign-in"]["post"]
    assert "requestBody" in sign_in


def test_unknown_api_paths_and_missing_members_answer_json_errors(
    client: FlaskClient, meeting: Meeting
) -> None:
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "404"
    member = client.get("/api/v1/members/999999")
    assert member.status_code == 404
    assert member.get_json()["error"]["code"] == "member_not_found"
    sign_in = client.post(
        f"/api/v1/meetings/{meeting.id}/sign-in", data="not json", content_type="application/json"
    )
    assert sign_in.status_code in (400, 422)
    assert "error" in sign_in.get_json()


def test_searching_members_by_pinyin_initials_tells_same_names_apart(client: FlaskClient) -> None:
    found = client.get("/api/v1/members", query_string={"q": "wj"}).get_json()["members"]
    wang_jing = [m for m in found if m["name"] == "王静"]
    assert len(wang_jing) == 2
    assert wang_jing[0]["address"] != wang_jing[1]["address"]
    assert all(m["phone_hint"].startswith("•••") and len(m["phone_hint"]) == 4 for m in found)
