"""The administrator's verification page: one button, every check in words, anchors read off
paper; for administrators only."""

from __future__ import annotations

import html
import re
import sqlite3

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import logged_in
from tests.pg import server_url
from tests.web.scripted import Held


def checks(page: str) -> dict[str, str]:
    """Each check's title → its verdict, as the page shows them."""
    found = re.findall(
        r'<p class="verify-title">(.*?)</p>\s*<p class="verify-line">(.*?)</p>', page, re.S
    )
    return {html.unescape(title): html.unescape(verdict) for title, verdict in found}


def run(client: FlaskClient, anchors: str = "", lang: str = "en") -> str:
    page = client.post(f"/admin/verify?lang={lang}", data={"anchors": anchors})
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    return page.get_data(as_text=True)


def test_an_administrator_finds_the_page_from_the_account_bar(app: Flask, held: Held) -> None:
    admin = logged_in(app, "admin")
    desk = admin.get("/clerk?lang=en").get_data(as_text=True)
    assert 'data-testid="verify-link"' in desk and "Verify records" in desk
    page = admin.get("/admin/verify?lang=en").get_data(as_text=True)
    assert 'data-testid="verify-form"' in page and 'data-testid="verify-report"' not in page
    clerk_desk = logged_in(app, "clerk").get("/clerk").get_data(as_text=True)
    assert 'data-testid="verify-link"' not in clerk_desk


@pytest.mark.parametrize("role", ["clerk", "moderator"])
def test_other_staff_may_not_run_it(app: Flask, role: str) -> None:
    assert logged_in(app, role).post("/admin/verify", data={"anchors": ""}).status_code == 403


def test_the_untouched_box_holds_every_check_in_words(app: Flask, held: Held) -> None:
    text = run(logged_in(app))
    assert 'data-intact="true"' in text
    assert "Every check holds: the records are as the app wrote them." in text
    shown = checks(text)
    assert shown["Audit log"].startswith("intact (")
    assert shown["Anchor"].startswith("not checked: give a hash printed on the minutes")
    assert shown["Sign-ins (attendances)"] == "agrees with the audit log (10 rows)"
    assert shown[f"Vote {held.secret_poll}: 是否同意7栋加装电梯？"].startswith(
        "intact: recounted from the ballots: For 9, Against 1, Abstain 0, passed"
    )
    assert 'data-ok="false"' not in text


def test_in_chinese_by_default(app: Flask, held: Held) -> None:
    text = logged_in(app).post("/admin/verify", data={"anchors": ""}).get_data(as_text=True)
    assert "核验记录" in text and "审计日志" in text and "所有核验均通过" in text


def test_an_anchor_from_the_projector_is_found(app: Flask, held: Held) -> None:
    admin = logged_in(app)
    anchor = admin.get(f"/api/v1/polls/{held.simple_poll}").get_json()["anchor"]
    text = run(admin, f"#{anchor['seq']} {anchor['short']}\n")
    assert checks(text)["Anchor"].startswith(f"matches entry {anchor['seq']} of ")
    assert 'data-intact="true"' in text


def test_an_anchor_that_is_not_one_is_said_so(app: Flask, held: Held) -> None:
    text = run(logged_in(app), "3f2a 9c1b")
    assert 'data-intact="false"' in text
    assert "“3f2a 9c1b” is not an anchor" in text


def test_the_query_fills_in_the_anchor(app: Flask) -> None:
    page = logged_in(app).get("/admin/verify?anchor=YISHI-ANCHOR:12:ABCDEF").get_data(as_text=True)
    assert ">YISHI-ANCHOR:12:ABCDEF</textarea>" in page


@pytest.mark.skipif(server_url() is not None, reason="edits the SQLite file")
def test_a_forged_result_is_shown_in_words(app: Flask, held: Held) -> None:
    db = sqlite3.connect(app.config["DATABASE_URL"].removeprefix("sqlite:///"))
    db.execute(
        "UPDATE polls SET result = json_set(result, '$.tallies.against.headcount', 0) WHERE id = ?",
        (held.secret_poll,),
    )
    db.commit()
    text = run(logged_in(app))
    assert 'data-intact="false"' in text
    assert "1 check failed: the records were changed outside the app" in text
    assert (
        "stored result (as the minutes show it): votes for Against is 0, the recount from the "
        "ballots gives 1" in text
    )
