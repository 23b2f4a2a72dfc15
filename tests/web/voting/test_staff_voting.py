"""The staff's voting screens through the real app: the console's voting view and the desk's."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from flask import Flask
from flask.testing import FlaskClient

from meeting_room.domain.assembly import MatterKind, rule_for
from meeting_room.domain.counting import Rule, Weighting
from meeting_room.domain.words import BallotChannel, Eligibility, MemberGroup, PollStatus
from meeting_room.store.models.meetings import Meeting
from tests.web.test_screens import page


class Fields(HTMLParser):
    """Every form control of a page: name → list of its attributes (one per control)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.controls: dict[str, list[dict[str, str | None]]] = {}
        self.options: dict[str, list[str]] = {}
        self.select: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("input", "select", "textarea") and found.get("name"):
            self.controls.setdefault(str(found["name"]), []).append({"tag": tag, **found})
        if tag == "select":
            self.select = found.get("name")
        if tag == "option" and self.select:
            self.options.setdefault(self.select, []).append(str(found.get("value")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None


def blob(html: str, element_id: str) -> dict[str, object]:
    pattern = rf'<script type="application/json" id="{element_id}">(.*?)</script>'
    found = re.search(pattern, html, re.S)
    assert found, f"no {element_id}"
    data: dict[str, object] = json.loads(found.group(1))
    return data


def console(app: Flask, client: FlaskClient) -> str:
    html, _ = page(client, "/moderator")
    return html


def test_the_console_has_a_voting_view_beside_the_floor_with_the_poll_s_buttons(
    app: Flask, client: FlaskClient, meeting: Meeting
) -> None:
    html, ids = page(client, "/moderator")
    assert ids.attrs["view-floor"]["aria-pressed"] == "true"
    assert ids.attrs["view-voting"]["aria-pressed"] == "false"
    assert f'id="moderator" data-meeting-id="{meeting.id}" data-view="floor"' in html
    for hook in ("poll-panel", "poll-current", "poll-count", "poll-countdown", "poll-list"):
        assert hook in ids.attrs, hook
    buttons = ("poll-open", "poll-close", "poll-publish")
    assert [ids.attrs[b]["data-poll-command"] for b in buttons] == ["open", "close", "publish"]
    # Closing asks first; the result is shown only once there is one.
    assert "hidden" in ids.attrs["poll-confirm"] and "hidden" in ids.attrs["poll-result"]
    assert ids.attrs["poll-confirm-close"]["data-poll-command"] == "confirm-close"
    assert "poll-hash" in ids.attrs and "poll-explanation" in ids.attrs
    assert re.search(r"js/moderator-voting\.[0-9a-f]{8}\.js", html)  # fingerprinted


def test_the_console_s_poll_form_defaults_to_a_secret_for_against_abstain_simple_majority(
    app: Flask, client: FlaskClient, meeting: Meeting
) -> None:
    html = console(app, client)
    form = html[html.index('id="poll-form"') : html.index("</form>", html.index('id="poll-form"'))]
    fields = Fields(form)
    assert fields.controls["question"][0]["tag"] == "textarea"
    assert "required" in fields.controls["question"][0]
    kinds = {c["value"]: "checked" in c for c in fields.controls["kind"]}
    assert kinds == {"yes_no": True, "choice": False}
    secret = {c["value"]: "checked" in c for c in fields.controls["secret"]}
    assert secret == {"true": True, "false": False}
    assert fields.controls["options"][0]["tag"] == "textarea"
    assert fields.controls["max_choices"][0]["min"] == "1"
    # Every choice the form offers is one the server accepts, and none is missing.
    assert fields.options["eligibility"] == [e.value for e in Eligibility]
    assert fields.options["weighting"] == [w.value for w in Weighting]
    # The art. 278 rules are offered once per matter of the article (the moderator picks the
    # matter, and the matter decides ordinary or major): every value one the server accepts.
    # Each art. 278 option names its matter with the rule ("art278_major:fund_raising").
    rules = [value.partition(":")[0] for value in fields.options["rule"]]
    assert set(rules) == {r.value for r in Rule}
    assert rules.count("art278_major") == 3  # items 6 to 8
    assert rules.count("art278_ordinary") == 6
    matters = [v.partition(":") for v in fields.options["rule"] if ":" in v]
    assert [kind for _, _, kind in matters] == [k.value for k in MatterKind]  # items 1 to 9
    assert all(rule == rule_for(MatterKind(kind)) for rule, _, kind in matters)
    assert fields.options["rule"][0] == "simple_majority"
    assert sorted(str(c["value"]) for c in fields.controls["groups"]) == sorted(
        g.value for g in MemberGroup
    )
    minutes = fields.controls["minutes"][0]
    assert (minutes["min"], minutes["max"]) == ("1", "60")  # the server takes 10 s to 1 h
    assert "item_id" in fields.controls


def test_the_console_s_page_data_words_every_rule_status_and_answer(
    app: Flask, client: FlaskClient, meeting: Meeting
) -> None:
    data = blob(console(app, client), "page-data")
    words = data["poll_words"]
    assert isinstance(words, dict)
    assert set(words["rules"]) == set(words["rule_notes"]) == {r.value for r in Rule}
    assert set(words["statuses"]) == {s.value for s in PollStatus}
    assert set(words["options"]) == {"for", "against", "abstain"}
    assert set(words["channels"]) == {c.value for c in BallotChannel}
    assert "{cast}" in words["count"] and "{eligible}" in words["count"]
    # The rule's description under the select starts as the default rule's.
    _, ids = page(client, "/moderator")
    assert ids.text["rule-description"].strip() == words["rule_notes"]["simple_majority"]
    assert data["lang"] == "zh-CN"
    assert isinstance(data["voting"], dict) and "{num}" in data["voting"]["card_problems"]


def test_the_console_s_voting_words_follow_the_language_of_the_page(
    app: Flask, client: FlaskClient, meeting: Meeting
) -> None:
    html, _ = page(client, "/moderator?lang=en")
    words = blob(html, "page-data")["poll_words"]
    assert isinstance(words, dict)
    assert words["options"]["for"] == "For" and words["statuses"]["open"] == "Voting open"
    assert blob(html, "page-data")["lang"] == "en"


def test_the_clerk_desk_has_a_voting_view_with_assisted_votes_cards_and_receipts(
    client: FlaskClient, meeting: Meeting
) -> None:
    html, ids = page(client, "/clerk")
    assert 'id="desk-main" data-view="attendance"' in html
    assert ids.attrs["view-attendance"]["aria-pressed"] == "true"
    assert ids.attrs["clerk-voting"]["data-view-of"] == "voting"
    for hook in (
        "clerk-poll",
        "clerk-poll-count",
        "assisted-form",
        "assisted-choices",
        "assisted-helper",
        "assisted-submit",
        "assisted-result",
        "card-form",
        "card-list",
        "card-photos",
        "photo-progress",
        "cards-seen",
        "cards-missing",
        "cards-problems",
        "clerk-poll-list",
        "ballot-list",
        "receipt-form",
        "receipt-result",
    ):
        assert hook in ids.attrs, hook
    photo = ids.attrs["card-photo-input"]
    assert photo["type"] == "file" and photo["accept"] == "image/*"
    assert photo["capture"] == "environment" and "multiple" in photo
    # The webcam is offered by the script only where a browser allows it (https, localhost).
    assert "hidden" in ids.attrs["webcam-start"]
    # Fingerprinted (meeting_room/web/assets.py): cached a year, a new name when it changes.
    assert re.search(r'<script type="module" src="/static/js/clerk-voting\.[0-9a-f]{8}\.js">', html)
    voting = blob(html, "voting-data")
    assert isinstance(voting["words"], dict) and isinstance(voting["texts"], dict)
    assert "{number}" in voting["texts"]["problem_already_voted"]


def test_the_desk_s_print_link_gives_the_card_sheets_as_a_pdf(
    client: FlaskClient, meeting: Meeting
) -> None:
    _, ids = page(client, "/clerk")
    link = str(ids.attrs["card-print"]["href"])
    assert link == f"/clerk/meetings/{meeting.id}/cards.pdf?first=1&last=50"
    assert ids.attrs["card-print"]["data-base"] == f"/clerk/meetings/{meeting.id}/cards.pdf"
    sheets = client.get(link)
    assert sheets.status_code == 200 and sheets.mimetype == "application/pdf"
    assert sheets.data.startswith(b"%PDF")


def test_the_staff_scripts_and_styles_are_served(client: FlaskClient) -> None:
    for path in (
        "/static/js/moderator-voting.js",
        "/static/js/clerk-voting.js",
        "/static/css/moderator.css",
        "/static/css/clerk.css",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        response.close()
