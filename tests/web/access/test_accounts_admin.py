"""The administrator's staff accounts screen through the real app: every rule it enforces."""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from meeting_room.store.models.access import StaffAccount
from meeting_room.store.models.audit import AuditEntry
from meeting_room.store.models.meetings import Meeting
from tests.conftest import PASSWORD, Clock, logged_in, unit

GOOD = "a good long password"


def account(app: Flask, username: str) -> StaffAccount:
    with unit(app) as session:
        found = session.scalars(select(StaffAccount).where(StaffAccount.username == username))
        row = found.one()
        session.expunge(row)
        return row


def log_in(app: Flask, username: str, password: str) -> FlaskClient:
    browser = app.test_client()
    answer = browser.post("/login", data={"username": username, "password": password})
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return browser


def holds_session(browser: FlaskClient, username: str) -> bool:
    """Whether this browser is logged in as ``username`` (the login page says so)."""
    return f"您已登录为 {username}。" in browser.get("/login").text


def shown_password(page: str) -> str:
    found = re.search(r'data-testid="issued-value">([^<]+)<', page)
    assert found, "no password shown"
    return html.unescape(found.group(1))


def create(client: FlaskClient, **fields: str) -> tuple[int, str]:
    answer = client.post("/admin/accounts", data={"role": "clerk", **fields})
    return answer.status_code, answer.get_data(as_text=True)


def test_the_list_shows_every_account_in_words(client: FlaskClient) -> None:
    answer = client.get("/admin/accounts")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    assert "账户管理" in page and "管理员" in page and "记录员" in page and "主持人" in page
    for name in ("admin", "moderator", "clerk"):
        assert f'data-username="{name}" data-active="true"' in page
    assert 'name="csrf_token"' in page
    english = client.get("/admin/accounts?lang=en").get_data(as_text=True)
    assert "Staff accounts" in english and "Administrator" in english and "Disable" in english


def test_an_account_made_with_a_typed_password_can_log_in(app: Flask, client: FlaskClient) -> None:
    status, page = create(
        client, username="wang", display_name="王老师", password=GOOD, confirm=GOOD
    )
    assert status == 200, page
    assert "已创建账户 wang" in page and 'data-testid="issued-password"' not in page
    made = account(app, "wang")
    assert (made.role, made.display_name, made.active) == ("clerk", "王老师", True)
    assert log_in(app, "wang", GOOD).get("/clerk/api/devices").status_code == 200


def test_a_generated_password_is_shown_once_and_works(app: Flask, client: FlaskClient) -> None:
    status, page = create(client, username="li", role="moderator", generate="1")
    assert status == 200
    password = shown_password(page)
    assert len(password) >= 10
    assert holds_session(log_in(app, "li", password), "li")
    assert account(app, "li").role == "moderator"
    assert password not in client.get("/admin/accounts").get_data(as_text=True)  # once only
    with unit(app) as session:
        details = " ".join(session.scalars(select(AuditEntry.detail)))
    assert password not in details and "password_hash" not in details


def test_refusals_are_shown_in_words_next_to_the_form(app: Flask, client: FlaskClient) -> None:
    status, page = create(client, username="clerk", password=GOOD, confirm=GOOD)
    assert status == 400 and "已经有名为 clerk 的账号" in page and "Traceback" not in page
    status, page = create(client, username="zhao", password="short", confirm="short")
    assert status == 400 and "密码至少要 10 个字符" in page
    assert 'value="zhao"' in page  # the form keeps what was typed (not the password)
    status, page = create(client, username="zhao", password=GOOD, confirm=GOOD + "x")
    assert status == 400 and "两次输入的密码不一样" in page
    status, page = create(client, username="zhao")
    assert status == 400 and "请把密码输入两次" in page
    status, page = create(client, username="zhao li", password=GOOD, confirm=GOOD)
    assert status == 400 and "不能有空格" in page
    status, page = create(client, username="zhao", role="root", password=GOOD, confirm=GOOD)
    assert status == 400 and "请选择角色" in page
    with unit(app) as session:
        assert session.scalar(select(StaffAccount).where(StaffAccount.username == "zhao")) is None


def test_a_reset_password_ends_the_old_sessions(
    app: Flask, client: FlaskClient, clock: Clock
) -> None:
    old = log_in(app, "clerk", PASSWORD)
    assert holds_session(old, "clerk")
    clerk_id = account(app, "clerk").id
    answer = client.post(f"/admin/accounts/{clerk_id}/password", data={"generate": "1"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "会话已全部结束" in page
    password = shown_password(page)
    assert old.get("/clerk").headers["Location"] == "/login?next=/clerk"  # refused now
    assert old.post("/clerk/api/devices/pairing", json={"kind": "kiosk"}).status_code == 401
    assert (
        app.test_client()
        .post("/login", data={"username": "clerk", "password": PASSWORD})
        .status_code
        == 401
    )
    assert holds_session(log_in(app, "clerk", password), "clerk")

    clock.advance(60)
    typed = client.post(
        f"/admin/accounts/{clerk_id}/password", data={"password": GOOD, "confirm": GOOD}
    )
    assert typed.status_code == 200 and 'data-testid="issued-password"' not in typed.text
    assert holds_session(log_in(app, "clerk", GOOD), "clerk")
    weak = client.post(
        f"/admin/accounts/{clerk_id}/password", data={"password": "x", "confirm": "x"}
    )
    assert weak.status_code == 400 and "密码至少要 10 个字符" in weak.text
    missing = client.post("/admin/accounts/9999/password", data={"generate": "1"})
    assert missing.status_code == 404


def test_an_administrator_resetting_their_own_password_stays_logged_in(
    app: Flask, client: FlaskClient
) -> None:
    admin_id = account(app, "admin").id
    answer = client.post(
        f"/admin/accounts/{admin_id}/password", data={"password": GOOD, "confirm": GOOD}
    )
    assert answer.status_code == 200
    assert client.get("/admin/accounts").status_code == 200
    assert holds_session(log_in(app, "admin", GOOD), "admin")


def test_disable_ends_sessions_and_enable_lets_the_account_in_again(
    app: Flask, client: FlaskClient
) -> None:
    session_before = log_in(app, "moderator", PASSWORD)
    assert holds_session(session_before, "moderator")
    moderator_id = account(app, "moderator").id
    off = client.post(f"/admin/accounts/{moderator_id}/active", data={"active": "0"})
    assert off.status_code == 200 and "已停用账户 moderator" in off.text
    assert 'data-username="moderator" data-active="false"' in off.text
    assert session_before.get("/moderator").status_code == 302
    refused = app.test_client().post("/login", data={"username": "moderator", "password": PASSWORD})
    assert refused.status_code == 401
    on = client.post(f"/admin/accounts/{moderator_id}/active", data={"active": "1"})
    assert on.status_code == 200 and "已启用账户 moderator" in on.text
    assert account(app, "moderator").active
    assert session_before.get("/moderator").status_code == 302  # old sessions stay ended
    assert holds_session(log_in(app, "moderator", PASSWORD), "moderator")


def test_no_one_disables_themselves_or_the_last_active_administrator(
    app: Flask, client: FlaskClient
) -> None:
    admin_id = account(app, "admin").id
    last = client.post(f"/admin/accounts/{admin_id}/active", data={"active": "0"})
    assert last.status_code == 400 and "admin 是最后一个启用的管理员" in last.text
    status, _ = create(client, username="second", role="admin", password=GOOD, confirm=GOOD)
    assert status == 200
    own = client.post(f"/admin/accounts/{admin_id}/active", data={"active": "0"})
    assert own.status_code == 400 and "不能停用您自己的账户" in own.text
    assert account(app, "admin").active
    assert client.get("/admin/accounts").status_code == 200  # still logged in

    second = log_in(app, "second", GOOD)  # another administrator may disable this one
    assert (
        second.post(f"/admin/accounts/{admin_id}/active", data={"active": "0"}).status_code == 200
    )
    assert not account(app, "admin").active
    second_id = account(app, "second").id
    again = second.post(f"/admin/accounts/{second_id}/active", data={"active": "0"})
    assert again.status_code == 400 and "最后一个启用的管理员" in again.text


def test_changes_are_audited_as_the_command_line_ones_are(app: Flask, client: FlaskClient) -> None:
    with unit(app) as session:
        before = session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1))
    create(client, username="zhou", password=GOOD, confirm=GOOD)
    zhou = account(app, "zhou").id
    client.post(f"/admin/accounts/{zhou}/active", data={"active": "0"})
    with unit(app) as session:
        kinds = list(
            session.execute(
                select(AuditEntry.kind, AuditEntry.subject, AuditEntry.detail)
                .where(AuditEntry.seq > (before or 0))
                .order_by(AuditEntry.seq)
            )
        )
    assert [(k, s) for k, s, _ in kinds] == [
        ("staff_accounts.insert", f"staff_accounts:{zhou}"),
        ("staff_accounts.update", f"staff_accounts:{zhou}"),
    ]
    assert '"active":false' in kinds[1][2]


def test_other_roles_and_strangers_are_refused(app: Flask) -> None:
    clerk_id = 1
    for role in ("moderator", "clerk"):
        staff = logged_in(app, role)
        assert staff.get("/admin/accounts").status_code == 403
        assert create(staff, username="x" + role, password=GOOD, confirm=GOOD)[0] == 403
        assert (
            staff.post(f"/admin/accounts/{clerk_id}/password", data={"generate": "1"}).status_code
            == 403
        )
        assert (
            staff.post(f"/admin/accounts/{clerk_id}/active", data={"active": "0"}).status_code
            == 403
        )
    stranger = app.test_client()
    assert stranger.get("/admin/accounts").headers["Location"] == "/login?next=/admin/accounts"
    assert create(stranger, username="intruder", password=GOOD, confirm=GOOD)[0] == 401
    with unit(app) as session:
        names = set(session.scalars(select(StaffAccount.username)))
    assert names == {"admin", "moderator", "clerk"}


def test_the_staff_screens_link_to_it_for_an_administrator(
    app: Flask, client: FlaskClient, meeting: Meeting
) -> None:
    for path in ("/clerk", "/moderator"):
        answer = client.get(path)
        assert answer.status_code == 200
        assert 'href="/admin/accounts" data-testid="accounts-link"' in answer.text
    for role, path in (("clerk", "/clerk"), ("moderator", "/moderator")):
        answer = logged_in(app, role).get(path)
        assert answer.status_code == 200 and 'data-testid="accounts-link"' not in answer.text


def test_every_form_needs_the_pages_csrf_token(app: Flask, client: FlaskClient) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/admin/accounts").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    forms = re.findall(r'<form method="post" action="([^"]+)"', page)
    assert len(forms) == 1 + 2 * 3  # create; reset and disable for each account
    assert page.count('name="csrf_token"') == len(forms) + 1  # and the logout form
    clerk_id = account(app, "clerk").id
    assert create(client, username="nocsrf", password=GOOD, confirm=GOOD)[0] == 400
    refused = client.post(f"/admin/accounts/{clerk_id}/active", data={"active": "0"})
    assert refused.status_code == 400 and account(app, "clerk").active
    accepted = client.post(
        "/admin/accounts",
        data={"username": "withcsrf", "role": "clerk", "generate": "1"},
        headers={"X-CSRFToken": token.group(1)},
    )
    assert accepted.status_code == 200
    with_field = client.post(
        f"/admin/accounts/{clerk_id}/active", data={"active": "0", "csrf_token": token.group(1)}
    )
    assert with_field.status_code == 200 and not account(app, "clerk").active
