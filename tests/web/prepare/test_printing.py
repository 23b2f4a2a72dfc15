"""What the hall prints: resident cards the kiosk reads, the notice with its posting date, the
personal slip of someone signed in at the clerk desk; and the start page at /."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from meeting_room.attendance.roster import member_index
from meeting_room.store.models.meetings import Meeting
from tests.conftest import unit
from tests.web.test_screens import sign_in


def test_resident_cards_carry_the_code_the_kiosk_reads(app: Flask, client: FlaskClient) -> None:
    page = client.get("/clerk/print/cards?building=1栋").get_data(as_text=True)
    codes = re.findall(r'data-code="([^"]+)"', page)
    assert codes[0] == "YISHI:M00001"
    assert len(codes) == page.count("<svg")
    with app.test_request_context(), unit(app) as session:
        found = member_index(session).by_code(codes[0])
        assert found is not None and found.member_no == "M00001"
    assert "2栋" not in "".join(re.findall(r"<p>([^<]*)</p>", page))  # one building


def test_the_notice_shows_the_posting_date_and_the_agenda(
    app: Flask, client: FlaskClient, meeting: Meeting
) -> None:
    client.post(f"/clerk/prepare/{meeting.id}/agenda", data={"title": "加装电梯方案"})
    page = client.get(f"/clerk/meetings/{meeting.id}/notice?lang=en").get_data(as_text=True)
    assert "Public notice of a meeting" in page
    assert 'data-testid="notice-posted">November 21, 2026<' in page
    assert "加装电梯方案" in page
    assert "Short notice" in page  # the meeting fixture starts 30 minutes after its creation


def test_a_personal_slip_prints_the_qr_of_a_clerk_sign_in(
    client: FlaskClient, meeting: Meeting
) -> None:
    receipt = sign_in(client, meeting, "孙艳娜")
    page = client.post("/clerk/slip", data={"phone_url": str(receipt["phone_url"])})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert str(receipt["phone_url"]) in text and "<svg" in text
    assert "孙艳娜" in text


def test_a_slip_for_an_unknown_code_is_refused(client: FlaskClient, meeting: Meeting) -> None:
    answer = client.post("/clerk/slip", data={"phone_url": "http://x/v/nonsense"})
    assert answer.status_code == 404


def test_the_start_page_is_open_and_leads_a_phone_on(stranger: FlaskClient) -> None:
    answer = stranger.get("/?lang=en")
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    for link in ('href="/join"', 'href="/board"', 'href="/login"', 'href="/kiosk"'):
        assert link in page
    assert "Did you scan a QR code in the room?" in page


def test_the_start_page_names_the_coming_meeting(stranger: FlaskClient, meeting: Meeting) -> None:
    page = stranger.get("/").get_data(as_text=True)
    assert meeting.title in page


def test_the_clerk_desk_of_a_box_without_a_meeting_leads_to_the_preparation(
    client: FlaskClient,
) -> None:
    answer = client.get("/clerk")
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith("/clerk/prepare")


def test_the_clerk_desk_links_to_the_preparation(client: FlaskClient, meeting: Meeting) -> None:
    page = client.get("/clerk").get_data(as_text=True)
    assert 'href="/clerk/prepare"' in page


def test_the_preparation_lists_the_meetings_and_links_what_to_print(
    client: FlaskClient, meeting: Meeting
) -> None:
    index = client.get("/clerk/prepare?lang=en").get_data(as_text=True)
    assert f'href="/clerk/prepare/{meeting.id}"' in index and meeting.title in index
    page = client.get(f"/clerk/prepare/{meeting.id}").get_data(as_text=True)
    sheets = f"/clerk/meetings/{meeting.id}/cards.pdf"
    assert f'href="{sheets}"' in page
    answer = client.get(sheets)
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
