"""Who may use what: every route and event is declared, and nobody gets more than declared.

The matrix tests enumerate the app's own url_map and Socket.IO handlers, so a new route or
event is covered without editing this file; docs/access.md must match the declarations.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from meeting_room.access.roles import OPEN, Role, roles_of_endpoint
from meeting_room.access.sockets import EVENTS, NAMESPACES
from meeting_room.access.table import render
from meeting_room.extensions import socketio
from meeting_room.store.models.audit import AuditEntry
from meeting_room.store.models.meetings import Meeting
from tests.conftest import PASSWORD, Clock, logged_in, paired
from tests.web.floor.test_events import OWNER, sign_in

ROOT = Path(__file__).resolve().parents[3]
VALUES = {"code": "ABCD1234", "name": "x.wav", "screen": "kiosk", "what": "attendance"}
VALUES |= {"file_format": "csv", "filename": "base.css", "token": "not-a-token"}


def principals(app: Flask, meeting: Meeting) -> dict[str, tuple[FlaskClient, frozenset[Role]]]:
    """A client per kind of principal, with the roles it really holds."""
    _, token = sign_in(app, meeting, OWNER["q"], OWNER["tail"])
    phone = app.test_client()
    assert phone.get(f"/v/{token}").status_code == 200
    return {
        "stranger": (app.test_client(), frozenset()),
        "attendee": (phone, frozenset()),
        "moderator": (logged_in(app, "moderator"), frozenset({Role.MODERATOR})),
        "clerk": (logged_in(app, "clerk"), frozenset({Role.CLERK})),
        "kiosk": (paired(app, "kiosk"), frozenset({Role.KIOSK})),
        "projector": (paired(app, "projector"), frozenset({Role.PROJECTOR})),
        "booth": (paired(app, "booth"), frozenset({Role.BOOTH})),
    }


def url_of(rule: str, meeting_id: int) -> str:
    """A concrete URL of a rule (every int is the meeting's id: it exists)."""

    def value(match: re.Match[str]) -> str:
        converter, name = match.group(1), match.group(2)
        return str(meeting_id) if converter == "int" else VALUES.get(name, "x")

    return re.sub(r"<(?:(\w+):)?(\w+)>", value, rule)


def audit_count(app: Flask) -> int:
    with app.app_context(), app.extensions["yishi.storage"].transaction() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_every_route_and_event_declares_its_roles_and_the_docs_table_is_current(
    app: Flask,
) -> None:
    undeclared = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if roles_of_endpoint(app, rule.endpoint) is None
    ]
    assert undeclared == []
    for namespace, handlers in socketio.server.handlers.items():
        declared = {event for (name, event) in EVENTS if name == namespace}
        assert set(handlers) - {"connect", "disconnect"} == declared, namespace
        assert namespace in NAMESPACES
    with app.app_context():
        expected = render(app)
    assert (ROOT / "docs" / "access.md").read_text() == expected, (
        "docs/access.md is out of date: run `yishi access-table > docs/access.md`"
    )


def test_no_principal_reaches_a_route_its_roles_do_not_allow(app: Flask, meeting: Meeting) -> None:
    clients = principals(app, meeting)
    before = audit_count(app)
    checked = 0
    for rule in app.url_map.iter_rules():
        roles = roles_of_endpoint(app, rule.endpoint)
        assert roles is not None
        if roles & OPEN:
            continue
        url = url_of(rule.rule, meeting.id)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            for who, (client, held) in clients.items():
                if held & roles:
                    continue
                answer = client.open(url, method=method, json={} if method != "GET" else None)
                checked += 1
                text = answer.get_data(as_text=True)
                assert answer.status_code in (302, 401, 403), (who, method, url, answer.status)
                if answer.status_code == 302:  # a browser is sent to log in or to pair
                    assert answer.headers["Location"].startswith(("/login?", "/pair?")), who
                assert "Traceback" not in text
    assert checked > 300
    assert audit_count(app) == before  # nothing refused changed anything


def test_an_attendee_token_and_an_unpaired_device_get_no_staff_socket(
    app: Flask, meeting: Meeting
) -> None:
    clients = principals(app, meeting)
    for who, (client, held) in clients.items():
        for namespace, allowed in NAMESPACES.items():
            connection = socketio.test_client(app, namespace=namespace, flask_test_client=client)
            may_connect = bool(allowed & OPEN) or bool(allowed & held)
            assert connection.is_connected(namespace) == may_connect, (who, namespace)
            if not may_connect:
                continue
            for (name, event), roles in EVENTS.items():
                if name != namespace or roles & OPEN or roles & held:
                    continue
                ack = connection.emit(
                    event, {"meeting_id": meeting.id}, namespace=namespace, callback=True
                )
                assert ack["error"]["code"] == "forbidden", (who, namespace, event, ack)
            connection.disconnect(namespace)


def test_a_phone_connection_cannot_act_for_the_moderator(app: Flask, meeting: Meeting) -> None:
    _, token = sign_in(app, meeting, OWNER["q"], OWNER["tail"])
    phone = socketio.test_client(app, namespace="/phone")
    assert phone.emit("join", {"token": token}, namespace="/phone", callback=True)["member_id"]
    for event in ("poll.create", "poll.open", "agenda.start", "timer", "voice.settings"):
        assert (
            phone.emit(event, {"meeting_id": meeting.id}, namespace="/phone", callback=True) is None
        )
    moderator = socketio.test_client(app, namespace="/moderator")
    assert not moderator.is_connected("/moderator")


def test_a_device_is_paired_with_a_code_from_the_clerk_and_revoked_at_once(
    app: Flask, meeting: Meeting
) -> None:
    clerk = logged_in(app, "clerk")
    issued = clerk.post("/clerk/api/devices/pairing", json={"kind": "kiosk", "name": "大厅签到机"})
    code = issued.get_json()["code"]
    assert re.fullmatch(r"\d{6}", code)

    device = app.test_client()
    assert device.get("/kiosk").headers["Location"] == "/pair?next=/kiosk"
    wrong = device.post("/pair", data={"code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 400 and "配对码不对或已过期" in wrong.get_data(as_text=True)
    answer = device.post("/pair", data={"code": code, "next": "/kiosk"})
    assert answer.status_code == 303 and answer.headers["Location"] == "/kiosk"
    cookie = answer.headers["Set-Cookie"]
    assert "yishi_device=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert device.get("/kiosk").status_code == 200
    assert device.get("/clerk").status_code == 403  # a kiosk is not a clerk
    assert app.test_client().post("/pair", data={"code": code}).status_code == 400  # used up

    socket = socketio.test_client(app, namespace="/kiosk", flask_test_client=device)
    assert socket.is_connected("/kiosk")
    listed = clerk.get("/clerk/api/devices").get_json()["devices"]
    kiosk = next(d for d in listed if d["name"] == "大厅签到机")
    assert kiosk["kind"] == "kiosk" and kiosk["revoked_at"] is None
    assert clerk.post(f"/clerk/api/devices/{kiosk['id']}/revoke").status_code == 200
    assert not socket.is_connected("/kiosk")  # its screen is cut off now, not at next reload
    assert device.get("/kiosk").headers["Location"] == "/pair?next=/kiosk"
    again = socketio.test_client(app, namespace="/kiosk", flask_test_client=device)
    assert not again.is_connected("/kiosk")


def test_a_pairing_code_expires_after_ten_minutes(app: Flask, clock: Clock) -> None:
    clerk = logged_in(app, "clerk")
    code = clerk.post("/clerk/api/devices/pairing", json={"kind": "booth"}).get_json()["code"]
    clock.advance(timedelta(minutes=10, seconds=1).total_seconds())
    assert app.test_client().post("/pair", data={"code": code}).status_code == 400


def test_ten_wrong_pairing_codes_lock_pairing_for_five_minutes(app: Flask, clock: Clock) -> None:
    clerk = logged_in(app, "clerk")
    code = clerk.post("/clerk/api/devices/pairing", json={"kind": "projector"}).get_json()["code"]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(10):  # each from a fresh browser: the count is the box's, not the cookie's
        assert app.test_client().post("/pair", data={"code": wrong}).status_code == 400
    locked = app.test_client().post("/pair", data={"code": code})
    assert locked.status_code == 429 and "5 分钟后再试" in locked.get_data(as_text=True)
    clock.advance(5 * 60 + 1)
    assert app.test_client().post("/pair", data={"code": code}).status_code == 303


def test_logins_are_checked_throttled_and_end_with_a_new_password(
    app: Flask, runner: Any, clock: Clock, meeting: Meeting
) -> None:
    browser = app.test_client()
    wrong = browser.post("/login", data={"username": "clerk", "password": "wrong password"})
    assert wrong.status_code == 401 and "用户名或密码不对" in wrong.get_data(as_text=True)
    unknown = browser.post("/login", data={"username": "nobody", "password": "x" * 12})
    assert unknown.get_data(as_text=True).count("用户名或密码不对") == 1  # the same answer
    good = browser.post(
        "/login", data={"username": "clerk", "password": PASSWORD, "next": "/clerk"}
    )
    assert good.status_code == 303 and good.headers["Location"] == "/clerk"
    assert browser.get("/clerk").status_code == 200
    offsite = app.test_client().post(
        "/login", data={"username": "clerk", "password": PASSWORD, "next": "//evil.example/"}
    )
    assert offsite.headers["Location"] == "/clerk"  # never sent to another site

    for _ in range(5):  # five wrong passwords in a row lock the name for five minutes
        app.test_client().post("/login", data={"username": "clerk", "password": "guess guess"})
    locked = app.test_client().post("/login", data={"username": "clerk", "password": PASSWORD})
    assert locked.status_code == 429 and "5 分钟后再试" in locked.get_data(as_text=True)
    clock.advance(5 * 60 + 1)
    assert (
        app.test_client()
        .post("/login", data={"username": "clerk", "password": PASSWORD})
        .status_code
        == 303
    )

    changed = runner.invoke(
        args=["set-password", "clerk", "--password-stdin"], input="new password 2026\n"
    )
    assert changed.exit_code == 0, changed.output
    assert "new password" not in changed.output
    assert browser.get("/clerk").headers["Location"] == "/login?next=/clerk"  # session ended


def test_create_user_refuses_a_short_password_and_a_taken_name(runner: Any) -> None:
    short = runner.invoke(
        args=["create-user", "li", "--role", "clerk", "--password-stdin"], input="short\n"
    )
    assert short.exit_code == 2 and "密码至少要 10 个字符" in short.output
    taken = runner.invoke(
        args=["create-user", "clerk", "--role", "clerk", "--password-stdin"],
        input="long enough pw\n",
    )
    assert taken.exit_code == 2 and "已经有名为 clerk 的账号" in taken.output
    made = runner.invoke(
        args=["create-user", "wang", "--role", "moderator", "--password-stdin"],
        input="long enough pw\n",
    )
    assert made.exit_code == 0 and "long enough pw" not in made.output
    assert "wang" in runner.invoke(args=["users"]).output


def test_the_commands_keep_the_accounts_rules_and_revoke_a_device_at_once(
    app: Flask, runner: Any
) -> None:
    last = runner.invoke(args=["disable-user", "admin"])
    assert last.exit_code == 2 and "admin 是最后一个启用的管理员" in last.output
    assert runner.invoke(args=["disable-user", "clerk"]).exit_code == 0
    assert re.search(r"^clerk\s+clerk\s+disabled$", runner.invoke(args=["users"]).output, re.M)
    assert runner.invoke(args=["disable-user", "clerk", "--enable"]).exit_code == 0
    assert re.search(r"^clerk\s+clerk\s+active$", runner.invoke(args=["users"]).output, re.M)

    kiosk = paired(app, "kiosk")
    socket = socketio.test_client(app, namespace="/kiosk", flask_test_client=kiosk)
    assert socket.is_connected("/kiosk")
    listed = runner.invoke(args=["devices"]).output
    found = re.search(r"^\s*(\d+) kiosk\s+test kiosk\s+paired$", listed, re.M)
    assert found, listed
    revoked = runner.invoke(args=["devices", "--revoke", found.group(1)])
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    assert not socket.is_connected("/kiosk")
    assert kiosk.get("/kiosk").headers["Location"] == "/pair?next=/kiosk"
    missing = runner.invoke(args=["devices", "--revoke", "9999"])
    assert missing.exit_code == 2 and "已配对设备中没有这台设备" in missing.output


def test_forms_and_api_calls_need_the_pages_csrf_token(app: Flask, meeting: Meeting) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    clerk = logged_in(app, "clerk")
    body = {"name": "访客", "note": ""}
    refused = clerk.post(f"/api/v1/meetings/{meeting.id}/guests", json=body)
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "csrf_failed"
    page = clerk.get("/clerk").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert token is not None
    accepted = clerk.post(
        f"/api/v1/meetings/{meeting.id}/guests", json=body, headers={"X-CSRFToken": token.group(1)}
    )
    assert accepted.status_code == 200, accepted.get_data(as_text=True)
    login = app.test_client().post("/login", data={"username": "clerk", "password": PASSWORD})
    assert login.status_code == 400  # the login form carries its token too
