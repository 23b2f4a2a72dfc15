"""Schemathesis against /api/v1/openapi.json, in process: no 5xx, answers as documented, the
server keeps answering and the database stays consistent."""

from __future__ import annotations

import time
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from meeting_room.models import Meeting
from tests.web.consistency import assert_consistent

EXAMPLES = 4  # per operation and mode: about 50 operations, two modes, ~35 s in all
# Invalid requests must be refused as documented; valid ones must also answer as documented.
NEGATIVE_CHECKS = [not_a_server_error, status_code_conformance]
POSITIVE_CHECKS = [*NEGATIVE_CHECKS, content_type_conformance, response_schema_conformance]


@pytest.fixture
def admin(app: Flask, client: FlaskClient) -> FlaskClient:
    """The ``client`` (logged in as the administrator), posting without a CSRF token: CSRF is
    the browser tests' business."""
    app.config["WTF_CSRF_ENABLED"] = False
    if "STAFF_KEY" in app.config:  # the staff key, until accounts and roles land
        client.get("/moderator", query_string={"key": app.config["STAFF_KEY"]})
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
    response = case.call(session=client)
    positive = case.meta is None or case.meta.generation.mode.is_positive
    case.validate_response(response, checks=POSITIVE_CHECKS if positive else NEGATIVE_CHECKS)


def test_generated_requests_never_fail_the_server_and_answer_as_documented(
    app: Flask, admin: FlaskClient, known: dict[str, int]
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40
    failures: list[str] = []
    started = time.monotonic()
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode), use_known=st.booleans())
            def run(case: Case, use_known: bool) -> None:
                fuzz(admin, case, known, use_known)

            try:
                run()
            except Unsatisfiable:
                assert mode == GenerationMode.NEGATIVE  # nothing in this operation to get wrong
            except (Exception, BaseExceptionGroup) as error:  # every failure is reported
                failures.append(f"{operation.label} [{mode}]: {error}")
    elapsed = time.monotonic() - started
    assert not failures, "\n\n".join(failures)
    assert admin.get(f"/api/v1/meetings/{known['meeting_id']}").status_code == 200
    with app.app_context(), app.extensions["yishi.storage"].transaction() as session:
        assert_consistent(session)
    assert elapsed < 60, elapsed
