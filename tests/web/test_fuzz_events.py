"""Hypothesis over every Socket.IO event of every namespace: whatever the payload (none, the
wrong type, huge, deeply nested, nearly right), the ack is a result or a clear error, never a
trace; the server keeps answering and the database stays consistent."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_socketio import SocketIOTestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from meeting_room.extensions import socketio
from meeting_room.store.models.meetings import Meeting
from tests.web.consistency import assert_consistent
from tests.web.test_fuzz_api import BOUNDED, admin  # noqa: F401  (admin: the fixture)

EXAMPLES = 12  # per event: about 30 events, ~20 s
LIFECYCLE = {"connect", "disconnect"}
PEOPLE = [("孙艳娜", "6851"), ("秦娜", "2181"), ("邱秀德", None)]


def events() -> list[tuple[str, str]]:
    """Every (namespace, event) the server handles, read from the server itself."""
    return sorted(
        (namespace, event)
        for namespace, handlers in socketio.server.handlers.items()
        for event in handlers
        if event not in LIFECYCLE
    )


def junk() -> st.SearchStrategy[Any]:
    """Any JSON value: scalars of every type and size, lists and dicts nested deep."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.integers(min_value=2**63, max_value=2**80),
        st.floats(allow_nan=False),
        st.text(max_size=20),
        st.integers(min_value=1000, max_value=20000).map(lambda n: "议事" * n),  # huge
        st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), max_size=3),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=30,
    )


def payloads(known: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Junk, and dicts of the fields events take with real values (to get past validation)
    or junk in them."""
    values = {
        "meeting_id": st.sampled_from([known["meeting_id"], 0, -1, 2**70]),
        "poll_id": st.sampled_from([known["poll_id"], known["draft_id"], 999]),
        "item_id": st.sampled_from([known["item_id"], 999]),
        "item_ids": st.lists(st.sampled_from([known["item_id"], 999]), max_size=3),
        "request_id": st.integers(min_value=-1, max_value=5),
        "member_id": st.sampled_from([*known["member_ids"], 999999]),
        "token": st.sampled_from([*known["tokens"], "x" * 64, "x" * 65]),
        "choices": st.lists(st.sampled_from(["for", "against", "abstain", "", "ok"]), max_size=3),
        "client_id": st.text(min_size=6, max_size=70),
        "question": st.text(max_size=310),
        "title": st.text(max_size=210),
        "action": st.sampled_from(["pause", "resume", "toggle", "add", "stop", "jump"]),
        "seconds": st.integers(min_value=-700, max_value=700),
        "stance": st.sampled_from(["for", "against", "neutral", "maybe"]),
        "kind": st.sampled_from(["speech", "reply", "point_of_order", "yes_no", "choice", "?"]),
        "options": st.lists(st.text(max_size=5), max_size=3),
        "max_choices": st.integers(min_value=-1, max_value=25),
        "duration_s": st.one_of(st.none(), st.integers(min_value=0, max_value=4000)),
        "override": st.booleans(),
        "announcements": st.dictionaries(st.text(max_size=12), st.booleans(), max_size=3),
        "screens": st.dictionaries(st.sampled_from(["projector", "booth", "kiosk", "x"]), junk()),
    }
    fields = st.fixed_dictionaries(
        {}, optional={name: st.one_of(v, v, junk()) for name, v in values.items()}
    )
    return st.one_of(fields, fields, fields, junk())


def is_answer(ack: Any) -> bool:
    """A result, or ``{"error": {"code", "message"}}`` with words and no trace."""
    if not isinstance(ack, dict):
        return False
    if "Traceback" in repr(ack) or 'File "' in repr(ack):
        return False
    if "error" not in ack:
        return True
    error = ack["error"]
    return (
        isinstance(error, dict)
        and isinstance(error.get("code"), str)
        and isinstance(error.get("message"), str)
        and bool(error["message"])
    )


@pytest.fixture
def known(app: Flask, admin: FlaskClient, meeting: Meeting) -> dict[str, Any]:  # noqa: F811
    """People signed in (their tokens), an item under discussion, an open and a draft poll."""
    base = f"/api/v1/meetings/{meeting.id}"
    member_ids, tokens = [], []
    for q, tail in PEOPLE:
        member = admin.get("/api/v1/members", query_string={"q": q}).get_json()["members"][0]
        body = {"member_id": member["id"]} | ({"phone_tail": tail} if tail else {})
        signed = admin.post(f"{base}/sign-in", json=body).get_json()
        member_ids.append(member["id"])
        tokens.append(signed["phone_url"].rsplit("/", 1)[-1])
    item = admin.post(f"{base}/agenda", json={"title": "电梯加装方案"}).get_json()["items"][0]
    moderator = socketio.test_client(app, namespace="/moderator", flask_test_client=admin)
    started = moderator.emit(
        "agenda.start",
        {"meeting_id": meeting.id, "item_id": item["id"], "confirm": True},
        namespace="/moderator",
        callback=True,
    )
    assert started["ok"] is True
    poll = admin.post(f"{base}/polls", json={"question": "是否同意加装电梯？", "secret": False})
    assert admin.post(f"/api/v1/polls/{poll.get_json()['id']}/open").status_code == 200
    draft = admin.post(f"{base}/polls", json={"question": "停车位划线方案"}).get_json()
    moderator.disconnect(namespace="/moderator")
    return {
        "meeting_id": meeting.id,
        "item_id": item["id"],
        "poll_id": poll.get_json()["id"],
        "draft_id": draft["id"],
        "member_ids": member_ids,
        "tokens": tokens,
    }


def fuzz_event(
    client: SocketIOTestClient,
    namespace: str,
    event: str,
    arguments: st.SearchStrategy[tuple[Any, ...]],
) -> list[str]:
    """Send ``event`` generated arguments; the answers that are not clear results or errors."""

    @settings(BOUNDED, max_examples=EXAMPLES)
    @given(args=arguments)
    def send(args: tuple[Any, ...]) -> None:
        ack = client.emit(event, *args, namespace=namespace, callback=True)
        client.get_received(namespace)  # broadcasts are not under test here
        assert is_answer(ack), f"{namespace} {event} {args!r:.300} -> {ack!r:.300}"

    try:
        send()
    except AssertionError as error:
        return [str(error)]
    return []


def test_every_event_answers_any_payload_with_a_result_or_a_clear_error(
    app: Flask,
    admin: FlaskClient,  # noqa: F811
    known: dict[str, Any],
) -> None:
    handled = events()
    assert {("/phone", "ballot.cast"), ("/moderator", "poll.create")} <= set(handled)
    clients: dict[str, SocketIOTestClient] = {}
    for namespace in {namespace for namespace, _ in handled}:
        clients[namespace] = socketio.test_client(app, namespace=namespace, flask_test_client=admin)
        assert clients[namespace].is_connected(namespace), namespace
    arguments = st.one_of(
        payloads(known).map(lambda payload: (payload,)),
        st.just(()),  # no payload at all
        st.tuples(payloads(known), junk()),  # one too many
    )
    bad: list[str] = []
    for namespace, event in handled:
        bad += fuzz_event(clients[namespace], namespace, event, arguments)
    assert not bad, "\n".join(bad)

    projector = clients["/projector"]
    view = projector.emit(
        "join", {"meeting_id": known["meeting_id"]}, namespace="/projector", callback=True
    )
    assert view["attendance"]["meeting_id"] == known["meeting_id"]
    assert admin.get(f"/api/v1/meetings/{known['meeting_id']}").status_code == 200
    with app.app_context(), app.extensions["yishi.storage"].transaction() as session:
        assert_consistent(session)


def test_a_number_too_large_to_store_or_a_wrong_argument_count_is_invalid_input(
    app: Flask,
    admin: FlaskClient,  # noqa: F811
    meeting: Meeting,
) -> None:
    moderator = socketio.test_client(app, namespace="/moderator", flask_test_client=admin)
    huge = moderator.emit(
        "poll.create",
        {"meeting_id": 2**70, "question": "是否同意？"},
        namespace="/moderator",
        callback=True,
    )
    extra = moderator.emit(
        "join", {"meeting_id": meeting.id}, [1], namespace="/moderator", callback=True
    )
    assert huge["error"]["code"] == "invalid_input"
    assert extra["error"]["code"] == "invalid_input" and extra["error"]["message"]


def test_a_failing_handler_answers_a_clear_error_and_logs_no_payload(
    app: Flask,
    admin: FlaskClient,  # noqa: F811
    meeting: Meeting,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    secret = "-".join(["secret", "token", "0123"])  # built, so no source line shows it

    def broken(*_args: Any) -> None:
        raise RuntimeError(f"{secret} leaked into a message")

    monkeypatch.setattr("meeting_room.screens.events.attendance_snapshot", broken)
    projector = socketio.test_client(app, namespace="/projector", flask_test_client=admin)
    ack = projector.emit("join", {"meeting_id": meeting.id}, namespace="/projector", callback=True)
    assert ack["error"]["code"] == "internal"
    assert "Traceback" not in ack["error"]["message"] and "secret" not in ack["error"]["message"]
    assert "RuntimeError" in caplog.text and "/projector" in caplog.text
    assert secret not in caplog.text
    again = projector.emit("join", {"meeting_id": 0}, namespace="/projector", callback=True)
    assert again["error"]["code"] == "meeting_not_found"
