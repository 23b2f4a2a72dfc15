"""Schemathesis against /api/v1/openapi.json, in process: no 5xx, answers as documented, the
server keeps answering and the database stays consistent."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from meeting_room.store.models.meetings import Meeting
from tests.web.consistency import assert_consistent

EXAMPLES = 4  # per operation and mode: about 50 operations, two modes, ~35 s in all
# Invalid requests must be refused as documented; valid ones must also answer as documented.
NEGATIVE_CHECKS = [not_a_server_error, status_code_conformance]
POSITIVE_CHECKS = [*NEGATIVE_CHECKS, content_type_conformance, response_schema_conformance]
# The same examples on every run, no example database, no time limit: a bounded, repeatable fuzz.
BOUNDED = settings(
    deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
)


@pytest.fixture
def admin(app: Flask, client: FlaskClient) -> FlaskClient:
    """The ``client`` (logged in as the administrator), posting without a CSRF token: CSRF is
    the browser tests' business."""
    app.config["WTF_CSRF_ENABLED"] = False
    assert client.get("/api/v1/meetings").status_code == 200
    return client


@pytest.fixture
def known(admin: FlaskClient, meeting: Meeting) -> dict[str, int]:
    """One of each thing a path names (an agenda item, a poll, a decision, an action), so
    generated requests reach past "not found"; every id is also the first of its table."""
    base = f"/api/v1/meetings/{meeting.id}"

    def made(path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = admin.post(path, json=body)
        assert response.status_code in (200, 201), response.get_json()
        answer: dict[str, Any] = response.get_json()
        return answer

    item = made(f"{base}/agenda", {"title": "电梯加装方案"})["items"][0]["id"]
    poll = made(f"{base}/polls", {"question": "是否同意加装电梯？", "item_id": item})["id"]
    decision = made(
        f"{base}/decisions", {"text": "同意加装电梯。", "by": "书记员", "item_id": item}
    )
    action = made(
        f"/api/v1/decisions/{decision['id']}/actions",
        {"title": "征询低层业主意见", "responsible": "物业", "deadline": "2026-12-31"},
    )
    ids = {
        "meeting_id": meeting.id,
        "item_id": item,
        "poll_id": poll,
        "decision_id": decision["id"],
        "action_id": action["id"],
        "member_id": 1,
        "survey_id": made(
            "/api/v1/surveys",
            {
                "title": "季度满意度测评",
                "question": "您满意吗？",
                "period_start": "2026-10-01",
                "period_end": "2026-12-31",
                "by": "书记员",
            },
        )["id"],
    }
    assert set(ids.values()) == {1}
    return ids


def fuzz(client: FlaskClient, case: Case, known: dict[str, int], use_known: bool) -> None:
    """Send one generated request with the staff's session (naming existing things when
    ``use_known``); run the checks on the answer."""
    if use_known and case.path_parameters:
        case.path_parameters = {
            name: known.get(name, value) for name, value in case.path_parameters.items()
        }
    # As the app is called in-process, nothing would undo a compressed answer: ask for none.
    response = case.call(session=client, headers={"Accept-Encoding": "identity"})
    positive = case.meta is None or case.meta.generation.mode.is_positive
    case.validate_response(response, checks=POSITIVE_CHECKS if positive else NEGATIVE_CHECKS)


def test_generated_requests_never_fail_the_server_and_answer_as_documented(
    app: Flask, admin: FlaskClient, known: dict[str, int]
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40
    failures: list[str] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(BOUNDED, max_examples=EXAMPLES)
            @given(case=operation.as_strategy(generation_mode=mode), use_known=st.booleans())
            def run(case: Case, use_known: bool) -> None:
                fuzz(admin, case, known, use_known)

            try:
                run()
            except Unsatisfiable:
                assert mode == GenerationMode.NEGATIVE  # nothing in this operation to get wrong
            except (Exception, BaseExceptionGroup) as error:  # every failure is reported
                failures.append(f"{operation.label} [{mode}]: {error}")
    assert not failures, "\n\n".join(failures)
    assert admin.get(f"/api/v1/meetings/{known['meeting_id']}").status_code == 200
    with app.app_context(), app.extensions["yishi.storage"].transaction() as session:
        assert_consistent(session)


SKIPPED_ROUTES = ("/api/v1/", "/static/", "/logout")  # schemathesis above; files; ends the session
JSON_PATHS = ("/kiosk/api/", "/booth/api/", "/clerk/api/", "/audio/say")


def routes(app: Flask) -> list[tuple[str, str, list[str]]]:
    """Every (method, rule, arguments) outside /api/v1 (which the OpenAPI document covers)."""
    return sorted(
        (method, rule.rule, sorted(rule.arguments))
        for rule in app.url_map.iter_rules()
        if not rule.rule.startswith(SKIPPED_ROUTES)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    )


FIELDS = [
    "meeting_id", "member_id", "poll_id", "q", "building", "unit", "room", "first", "last",
    "limit", "phone_tail", "code", "name", "proxy_name", "represented_id", "phone_url",
    "text", "language", "rate", "ticket", "choices", "client_id", "lang", "next",
    "username", "password", "pairing_code", "kind", "label", "meeting", "slideshow",
    "title", "venue", "date", "time", "eligibility", "groups", "buildings", "quorum",
    "quorum_headcount", "quorum_area", "max_proxies_per_person", "preset", "speech_limit_s",
    "max_speeches", "warning_s", "question", "options", "item_id", "direction", "order",
    "upload_id", "filename", "area_m2", "group",
]  # fmt: skip
ROUTE_EXAMPLES = 3  # generated requests per route, besides the extremes
# Each sent in every field at once, besides the generated requests.
EXTREMES: list[Any] = ["9" * 30, 2**70, "议" * 400, [["x"]], "\ud800"]


def form_values(known: dict[str, int]) -> st.SearchStrategy[dict[str, Any]]:
    """Query strings and bodies: the names these routes read, with real, wrong or huge values."""
    value = st.one_of(
        st.sampled_from([str(known["meeting_id"]), "1", "0", "-3", "9" * 30, "", "x", "1.5"]),
        st.text(max_size=30),
        st.integers(min_value=1000, max_value=5000).map(lambda n: "议" * n),
    )
    return st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=6), value, max_size=6)


def as_text(value: Any) -> str:
    """A value as a query string or a form carries it (a lone surrogate cannot be sent)."""
    text = str(value)
    try:
        text.encode()
    except UnicodeEncodeError:
        return "x"
    return text


def test_every_other_route_refuses_bad_input_clearly(
    app: Flask, admin: FlaskClient, known: dict[str, int]
) -> None:
    arguments = {
        "meeting_id": st.sampled_from([known["meeting_id"], 0, 10**18, 2**63]),
        "item_id": st.sampled_from([known["item_id"], 0, 10**18]),
        "decision_id": st.sampled_from([known["decision_id"], 0, 10**18]),
        "action_id": st.sampled_from([known["action_id"], 0, 10**18]),
        "survey_id": st.sampled_from([known["survey_id"], 0, 10**18]),
        "device_id": st.sampled_from([1, 0, 10**18]),
        "account_id": st.sampled_from([1, 2, 0, 10**18]),
        "member_id": st.sampled_from([1, 0, 10**18]),
        "poll_id": st.sampled_from([1, 0, 10**18]),
        "token": st.sampled_from(["x" * 22, "", "%00", "議" * 300]),
        "screen": st.sampled_from(["projector", "kiosk", "booth", "wall"]),
        "name": st.sampled_from(["0" * 64 + ".wav", "../instance/yishi.db", "x.wav"]),
        "what": st.sampled_from(["minutes", "attendance", "ballots", "decisions", "nothing"]),
        "file_format": st.sampled_from(["csv", "json", "pdf", "html", "exe"]),
        "key": st.sampled_from(["2026-q4", "2026-m13", "2026", "x" * 300]),
        "figure": st.sampled_from(["meetings", "topics", "nothing", "..%2Fx"]),
    }
    found = routes(app)
    assert ("POST", "/kiosk/api/sign-in", []) in found
    bad: list[str] = []
    for method, rule, names in found:
        # Any other record's id: one that may exist, none, and one too large for the database.
        path = st.fixed_dictionaries(
            {name: arguments.get(name, st.sampled_from([1, 0, 10**18])) for name in names}
        )
        extremes = {name: 2**63 if name.endswith("_id") else "x" * 300 for name in names}
        bad += fuzz_route(admin, method, rule, path, form_values(known), extremes)
    assert not bad, "\n".join(bad)
    assert admin.get(f"/api/v1/meetings/{known['meeting_id']}").status_code == 200
    with app.app_context(), app.extensions["yishi.storage"].transaction() as session:
        assert_consistent(session)


def fuzz_route(
    client: FlaskClient,
    method: str,
    rule: str,
    path: st.SearchStrategy[dict[str, Any]],
    values: st.SearchStrategy[dict[str, Any]],
    extremes: dict[str, Any],
) -> list[str]:
    """Send generated requests, and every extreme value in every field, to one route; what
    answered 5xx, a trace, or a vague error."""

    @settings(BOUNDED, max_examples=ROUTE_EXAMPLES)
    @given(names=path, query=values, body=values | st.none())
    def send(names: dict[str, Any], query: dict[str, Any], body: Any) -> None:
        url = rule
        for name, value in names.items():
            url = url.replace(f"<{name}>", str(value)).replace(f"<int:{name}>", str(value))
        as_json = body is not None and url.startswith(JSON_PATHS)
        form = {k: as_text(v) for k, v in body.items()} if body and not as_json else None
        response = client.open(
            url,
            method=method,
            query_string={k: as_text(v) for k, v in query.items()},
            json=body if as_json else None,
            data=form,
        )
        where = f"{method} {url} {query!r:.200} {body!r:.200}"
        assert response.status_code < 500, f"{where} -> {response.status_code}"
        if response.status_code >= 400 and response.is_json:
            error = response.get_json()["error"]
            assert error["code"] and error["message"], where
        assert b"Traceback" not in response.get_data(), where

    for extreme in EXTREMES:
        everywhere = dict.fromkeys(FIELDS, extreme)
        send = example(names=extremes, query=everywhere, body=everywhere)(send)

    try:
        send()
    except AssertionError as error:
        return [str(error).splitlines()[0]]
    return []


def test_ids_too_large_for_the_database_are_refused_clearly(
    admin: FlaskClient, meeting: Meeting
) -> None:
    path = admin.get("/api/v1/meetings/99999999999999999999")
    body = admin.post(f"/api/v1/meetings/{meeting.id}/sign-in", json={"member_id": 2**70})
    kiosk = admin.get("/kiosk/api/search", query_string={"meeting_id": 2**70, "q": "sun"})
    assert path.status_code == 404 and path.get_json()["error"]["code"] == "404"
    assert body.status_code == 422 and "member_id" in body.get_json()["error"]["message"]
    assert kiosk.status_code == 422 and "meeting_id" in kiosk.get_json()["error"]["message"]


def test_json_that_is_not_unicode_or_nested_too_deeply_is_refused_clearly(
    admin: FlaskClient, meeting: Meeting
) -> None:
    raw = f'{{"meeting_id": {meeting.id}, "name": "\\ud800 guest"}}'
    guest = admin.post("/kiosk/api/guest", data=raw, content_type="application/json")
    assert guest.status_code == 422 and guest.get_json()["error"]["code"] == "invalid_input"
    deep = admin.post(
        f"/api/v1/meetings/{meeting.id}/guests", data="[" * 100_000, content_type="application/json"
    )
    assert deep.status_code == 422 and deep.get_json()["error"]["code"] == "invalid_input"
    listed = admin.get(f"/api/v1/meetings/{meeting.id}/attendance").get_json()
    assert listed["guests"] == []


def test_query_strings_are_validated_not_silently_defaulted(
    admin: FlaskClient, meeting: Meeting
) -> None:
    cards = f"/clerk/meetings/{meeting.id}/cards.pdf"
    assert admin.get(cards, query_string={"first": 3, "last": 4}).mimetype == "application/pdf"
    not_a_number = admin.get(cards, query_string={"first": "x"})  # a page: the browser opened it
    too_many = admin.get(cards, query_string={"first": 1, "last": 526})
    voice = admin.get(
        "/audio/config/projector",
        query_string={"meeting_id": "abc"},
        headers={"Accept": "application/json"},
    )
    assert not_a_number.status_code == 422 and "first" in not_a_number.get_data(as_text=True)
    assert too_many.status_code == 422
    assert voice.status_code == 422 and "meeting_id" in voice.get_json()["error"]["message"]
