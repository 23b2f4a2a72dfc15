"""Paper cards through the API: hand them out, photograph the room, the cards become ballots."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import func, select

from meeting_room.attendance import members
from meeting_room.domain.words import MemberGroup, SignInChannel
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.models.voting import CardReading
from meeting_room.voting import service
from tests.conftest import Clock, logged_in
from tests.unit.test_cards import MODERATE, room_photo

MEANING = {"A": "for", "B": "against", "C": "abstain"}


def test_a_photo_of_the_room_turns_handed_cards_into_ballots(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    photo = room_photo(11, (1920, 1080), MODERATE, count=6, marker_px=(80, 100))
    placed = {card.number: card.answer for card in photo.cards}
    with app.app_context(), app.extensions["yishi.storage"].transaction() as s:
        m = s.get(Meeting, meeting.id)
        people = list(
            s.scalars(
                select(Member.id).where(Member.group == MemberGroup.OWNER).limit(len(placed) + 1)
            )
        )
        for member_id in people:
            members.sign_in(s, m, member_id, SignInChannel.CLERK, clock.now)  # type: ignore[arg-type]
    api = logged_in(app)
    holder = dict(zip(sorted(placed), people, strict=False))
    for number, member_id in holder.items():
        handed = api.post(
            f"/api/v1/meetings/{meeting.id}/cards", json={"number": number, "member_id": member_id}
        )
        assert handed.status_code == 200
    spare = people[-1]
    api.post(f"/api/v1/meetings/{meeting.id}/cards", json={"number": 500, "member_id": spare})
    taken = api.post(
        f"/api/v1/meetings/{meeting.id}/cards", json={"number": 500, "member_id": people[0]}
    )
    assert taken.get_json()["error"]["code"] == "card_taken"

    poll = api.post(f"/api/v1/meetings/{meeting.id}/polls", json={"question": "是否同意？"})
    poll_id = poll.get_json()["id"]
    api.post(f"/api/v1/polls/{poll_id}/open")
    summary = api.post(
        f"/api/v1/polls/{poll_id}/photos",
        data={"photo": (__import__("io").BytesIO(photo.jpeg), "room.jpg")},
        content_type="multipart/form-data",
    ).get_json()
    # A secret poll: the clerk learns which cards were seen; their answers count at closing.
    assert [c["number"] for c in summary["seen"]] == sorted(placed), "every card read"
    assert [c["number"] for c in summary["missing"]] == [500]
    closed = api.post(f"/api/v1/polls/{poll_id}/close").get_json()
    expected: dict[str, int] = {"for": 0, "against": 0, "abstain": 0}
    for answer in placed.values():
        if answer in MEANING:
            expected[MEANING[answer]] += 1
    got = {k: v["headcount"] for k, v in closed["result"]["tallies"].items()}
    assert got == expected
    with app.app_context(), app.extensions["yishi.storage"].transaction() as s:
        # A secret poll: once the cards are ballots, nothing pairs a card (a member) with its
        # answer any more.
        left = s.scalar(
            select(func.count()).select_from(CardReading).where(CardReading.poll_id == poll_id)
        )
        assert left == 0


def test_a_file_that_is_not_a_photo_is_refused_clearly(app: Flask, meeting: Meeting) -> None:
    api = logged_in(app)
    poll_id = api.post(
        f"/api/v1/meetings/{meeting.id}/polls", json={"question": "是否同意？"}
    ).get_json()["id"]
    api.post(f"/api/v1/polls/{poll_id}/open")
    bad = api.post(
        f"/api/v1/polls/{poll_id}/photos",
        data={"photo": (__import__("io").BytesIO(b"not an image"), "x.jpg")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 409 and bad.get_json()["error"]["code"] == "bad_photo"


def test_card_sheets_print_one_page_per_card(
    app: Flask, meeting: Meeting, tmp_path: object
) -> None:
    pdf = logged_in(app).get(f"/clerk/meetings/{meeting.id}/cards.pdf?first=1&last=3")
    assert pdf.mimetype == "application/pdf"
    path = f"{tmp_path}/cards.pdf"
    with open(path, "wb") as out:
        out.write(pdf.data)
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    assert "Pages:           3" in info
    text = subprocess.run(
        ["pdftotext", path, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "赞成" in text


def test_a_photo_of_a_poll_closed_while_it_was_read_is_refused_and_leaves_no_reading(
    app: Flask, meeting: Meeting, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    photo = room_photo(11, (1920, 1080), MODERATE, count=6, marker_px=(80, 100))
    with app.app_context(), app.extensions["yishi.storage"].transaction() as s:
        m = s.get(Meeting, meeting.id)
        owner = s.scalars(select(Member.id).where(Member.group == MemberGroup.OWNER)).first()
        members.sign_in(s, m, owner, SignInChannel.CLERK, clock.now)  # type: ignore[arg-type]
    api = logged_in(app)
    api.post(
        f"/api/v1/meetings/{meeting.id}/cards",
        json={"number": photo.cards[0].number, "member_id": owner},
    )
    poll_id = api.post(
        f"/api/v1/meetings/{meeting.id}/polls", json={"question": "是否同意？"}
    ).get_json()["id"]
    api.post(f"/api/v1/polls/{poll_id}/open")
    read = service.off_the_loop

    def closed_while_reading(work: Callable[..., object], *args: object) -> object:
        service.close(poll_id)  # the moderator closes the poll while the photo is decoded
        return read(work, *args)

    monkeypatch.setattr(service, "off_the_loop", closed_while_reading)
    late = api.post(
        f"/api/v1/polls/{poll_id}/photos",
        data={"photo": (io.BytesIO(photo.jpeg), "room.jpg")},
        content_type="multipart/form-data",
    )
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "poll_not_open"
    with app.app_context(), app.extensions["yishi.storage"].transaction() as s:
        left = s.scalar(
            select(func.count()).select_from(CardReading).where(CardReading.poll_id == poll_id)
        )
        assert left == 0, "a secret poll's card readings must not outlive its closing"
