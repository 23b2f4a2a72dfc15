"""Residents rate completed work without typing a 32-character code: at the kiosk with their
resident card (confirmed with the phone's last digits, wrong tries counted as at sign-in) or
their sign-in slip's QR code, and from their own phone page. Each rating is audited."""

from __future__ import annotations

import json
import sqlite3

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import logged_in, paired
from tests.web.scripted import Held, add_decision_with_action

SLIP_HOST = "http://192.0.2.10:5000"


def ratings(app: Flask) -> list[dict[str, object]]:
    """The audit log's entries of ratings, oldest first."""
    path = app.config["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT detail FROM audit_log WHERE kind LIKE 'action_ratings.%' ORDER BY seq"
        )
        return [json.loads(detail) for (detail,) in rows]


@pytest.fixture
def done(app: Flask, held: Held) -> int:
    """The scripted decision's action item, completed; its id."""
    clerk = logged_in(app, "clerk")
    _decision, action_id = add_decision_with_action(clerk, held)
    clerk.patch(f"/api/v1/actions/{action_id}", json={"status": "done"})
    return action_id


def member(client: FlaskClient, name: str) -> dict[str, object]:
    found = client.get("/api/v1/members", query_string={"q": name}).get_json()["members"]
    return next(m for m in found if m["name"] == name)


def test_a_card_asks_for_the_phone_digits_then_lists_the_work_to_rate(
    app: Flask, held: Held, done: int, client: FlaskClient
) -> None:
    kiosk = paired(app, "kiosk")
    card = f"YISHI:{member(client, '莫明')['member_no']}".lower()
    who = kiosk.post("/kiosk/api/rate/who", json={"meeting_id": held.meeting_id, "code": card})
    assert who.get_json() == {
        "name": "莫明",
        "needs_tail": True,
        "actions": [],
        "survey": None,
        "credit": None,
    }
    who = kiosk.post(
        "/kiosk/api/rate/who",
        json={"meeting_id": held.meeting_id, "code": card, "phone_tail": "6918"},
    ).get_json()
    assert who["needs_tail"] is False
    assert [(a["id"], a["title"], a["stars"]) for a in who["actions"]] == [
        (done, "完成电梯井道施工", None)
    ]
    rated = kiosk.post(
        "/kiosk/api/rate",
        json={
            "meeting_id": held.meeting_id,
            "code": card,
            "phone_tail": "6918",
            "action_id": done,
            "stars": 4,
        },
    ).get_json()
    assert rated["replaced"] is False and rated["rating"]["average"] == "4.0"
    (entry,) = ratings(app)
    assert (entry["member_id"], entry["stars"]) == (member(client, "莫明")["id"], 4)
    again = kiosk.post(
        "/kiosk/api/rate/who",
        json={"meeting_id": held.meeting_id, "code": card, "phone_tail": "6918"},
    ).get_json()
    assert again["actions"][0]["stars"] == 4


def test_a_card_with_wrong_digits_is_refused_in_words_and_nothing_is_rated(
    app: Flask, held: Held, done: int, client: FlaskClient
) -> None:
    kiosk = paired(app, "kiosk")
    card = f"YISHI:{member(client, '莫明')['member_no']}"
    body = {
        "meeting_id": held.meeting_id,
        "code": card,
        "phone_tail": "0000",
        "action_id": done,
        "stars": 1,
    }
    answer = kiosk.post("/kiosk/api/rate?lang=en", json=body)
    assert answer.status_code == 409
    assert answer.get_json()["error"]["message"] == "The digits do not match. 2 tries left."
    without = kiosk.post("/kiosk/api/rate?lang=en", json=body | {"phone_tail": ""})
    assert without.status_code == 422
    assert ratings(app) == []


def test_a_slip_is_proof_enough(app: Flask, held: Held, done: int) -> None:
    kiosk = paired(app, "kiosk")
    slip = f"{SLIP_HOST}/v/{held.tokens['尹英']}"
    who = kiosk.post(
        "/kiosk/api/rate/who", json={"meeting_id": held.meeting_id, "code": slip}
    ).get_json()
    assert (who["name"], who["needs_tail"], len(who["actions"])) == ("尹英", False, 1)
    first = kiosk.post(
        "/kiosk/api/rate",
        json={"meeting_id": held.meeting_id, "code": slip, "action_id": done, "stars": 2},
    )
    assert first.status_code == 200 and first.get_json()["replaced"] is False
    again = kiosk.post(
        "/kiosk/api/rate",
        json={"meeting_id": held.meeting_id, "code": slip, "action_id": done, "stars": 5},
    )
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_rated"
    assert [e["stars"] for e in ratings(app)] == [2]


@pytest.mark.parametrize(
    ("code", "status", "words"),
    [
        ("hello", 422, "This code is neither a resident card nor a sign-in slip of Yishi."),
        ("YISHI:M99999", 404, "This person is not on the roster."),
        (f"{SLIP_HOST}/v/{'x' * 32}", 404, ""),
    ],
)
def test_what_is_no_card_or_slip_is_said_so(
    app: Flask, held: Held, done: int, code: str, status: int, words: str
) -> None:
    answer = paired(app, "kiosk").post(
        "/kiosk/api/rate/who?lang=en", json={"meeting_id": held.meeting_id, "code": code}
    )
    assert answer.status_code == status
    assert answer.get_json()["error"]["message"].startswith(words)


def test_work_not_done_cannot_be_rated(app: Flask, held: Held) -> None:
    clerk = logged_in(app, "clerk")
    _decision, action_id = add_decision_with_action(clerk, held)
    answer = paired(app, "kiosk").post(
        "/kiosk/api/rate?lang=en",
        json={
            "meeting_id": held.meeting_id,
            "code": f"{SLIP_HOST}/v/{held.tokens['尹英']}",
            "action_id": action_id,
            "stars": 3,
        },
    )
    assert answer.status_code == 409
    assert "is not completed yet" in answer.get_json()["error"]["message"]


def test_the_rating_screen_is_for_the_kiosk_and_linked_from_it(app: Flask, held: Held) -> None:
    kiosk = paired(app, "kiosk")
    shown = kiosk.get(f"/kiosk/rate?meeting={held.meeting_id}").get_data(as_text=True)
    assert "评价已完成事项" in shown and 'data-url-rate="/kiosk/api/rate"' in shown
    start = kiosk.get(f"/kiosk?meeting={held.meeting_id}").get_data(as_text=True)
    assert 'data-testid="kiosk-rate-link"' in start
    assert app.test_client().get(f"/kiosk/rate?meeting={held.meeting_id}").status_code in (
        302,
        401,
    )
    assert paired(app, "projector").post("/kiosk/api/rate/who", json={}).status_code == 403


def test_the_phone_page_lists_finished_work_and_rates_it(app: Flask, held: Held, done: int) -> None:
    phone = app.test_client()
    token = held.tokens["刘艳"]
    page = phone.get(f"/v/{token}?lang=en").get_data(as_text=True)
    assert 'data-testid="phone-rate"' in page and "完成电梯井道施工" in page
    assert 'data-rated="false"' in page
    rated = phone.post(f"/api/v1/actions/{done}/ratings", json={"token": token, "stars": 5})
    assert rated.status_code == 200
    page = phone.get(f"/v/{token}?lang=en").get_data(as_text=True)
    assert 'data-rated="true"' in page and "Your rating: 5 of 5" in page
    other = phone.get(f"/v/{held.tokens['莫明']}?lang=en").get_data(as_text=True)
    assert 'data-rated="false"' in other  # each resident sees their own rating only


def test_the_booth_offers_the_rating_screen_while_no_vote_is_open(
    app: Flask, held: Held, done: int
) -> None:
    booth = paired(app, "booth")
    waiting = booth.get(f"/booth?meeting={held.meeting_id}").get_data(as_text=True)
    assert f'href="/kiosk/rate?meeting={held.meeting_id}"' in waiting
    shown = booth.get(f"/kiosk/rate?meeting={held.meeting_id}").get_data(as_text=True)
    assert 'data-testid="rate-leave">' in shown
    assert f'href="/booth?meeting={held.meeting_id}" data-testid="rate-leave"' in shown
    rated = booth.post(
        "/kiosk/api/rate",
        json={
            "meeting_id": held.meeting_id,
            "code": f"{SLIP_HOST}/v/{held.tokens['尹英']}",
            "action_id": done,
            "stars": 3,
        },
    )
    assert rated.status_code == 200 and rated.get_json()["rating"]["count"] == 1
