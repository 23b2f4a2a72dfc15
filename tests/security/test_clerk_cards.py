"""While a secret poll is open, the clerk desk learns which paper cards the photos saw and which
they could not read, never who chose what (issue 15): the API itself sends no answer, no
holder next to a seen card. A named poll's cards are public and keep their answers. The desk's
page is ``tests/browser/test_staff_voting.py``."""

from __future__ import annotations

import io
import json

from flask import Flask
from sqlalchemy import select

from meeting_room.attendance import members
from meeting_room.domain.words import MemberGroup, SignInChannel
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.models.voting import Poll
from meeting_room.voting.cards import UNREAD, record_photo
from tests.conftest import Clock, logged_in, unit
from tests.unit.test_cards import MODERATE, room_photo

PHOTO = room_photo(11, (1920, 1080), MODERATE, count=6, marker_px=(80, 100))


def vote_with_cards(app: Flask, meeting: Meeting, clock: Clock, secret: bool) -> tuple[int, dict]:
    """A poll with six handed cards, one more card its holder forgot to hold up, and a photo of
    the room; the clerk's summary after the photo."""
    numbers = sorted(card.number for card in PHOTO.cards)
    with unit(app) as s:
        here = s.get(Meeting, meeting.id)
        assert here is not None
        query = select(Member.id).where(Member.group == MemberGroup.OWNER).order_by(Member.id)
        people = list(s.scalars(query.limit(len(numbers) + 1)))
        for member_id in people:
            members.sign_in(s, here, member_id, SignInChannel.CLERK, clock.now)
    clerk = logged_in(app, "clerk")
    for number, member_id in zip([*numbers, 500], people, strict=True):
        handed = clerk.post(
            f"/api/v1/meetings/{meeting.id}/cards", json={"number": number, "member_id": member_id}
        )
        assert handed.status_code == 200, handed.get_json()
    poll = clerk.post(
        f"/api/v1/meetings/{meeting.id}/polls", json={"question": "是否同意？", "secret": secret}
    ).get_json()
    clerk.post(f"/api/v1/polls/{poll['id']}/open")
    summary = clerk.post(
        f"/api/v1/polls/{poll['id']}/photos",
        data={"photo": (io.BytesIO(PHOTO.jpeg), "room.jpg")},
        content_type="multipart/form-data",
    )
    assert summary.status_code == 200, summary.get_json()
    return poll["id"], summary.get_json()


def test_in_a_secret_poll_the_clerk_sees_which_cards_were_seen_not_what_they_show(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    poll_id, summary = vote_with_cards(app, meeting, clock, secret=True)

    assert summary["secret"] is True
    assert [c["number"] for c in summary["seen"]] == sorted(c.number for c in PHOTO.cards)
    assert all(
        (c["answer"], c["choice"], c["member_id"], c["name"]) == (None, None, None, None)
        for c in summary["seen"]
    )
    assert [c["number"] for c in summary["missing"]] == [500]
    # Nothing in the answer pairs a card or a person with a letter or an option.
    words = json.dumps(summary["seen"])
    assert not any(f'"{letter}"' in words for letter in "ABCD")
    assert not any(option in words for option in ("for", "against", "abstain"))
    again = logged_in(app, "clerk").get(f"/api/v1/polls/{poll_id}/cards").get_json()
    assert again == summary


def test_in_a_named_poll_the_clerk_sees_each_card_s_answer_and_holder(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    _, summary = vote_with_cards(app, meeting, clock, secret=False)

    assert summary["secret"] is False
    assert {c["number"]: c["answer"] for c in summary["seen"]} == {
        card.number: card.answer for card in PHOTO.cards
    }
    assert all(c["name"] for c in summary["seen"])


def test_a_card_seen_but_not_read_clearly_is_named_for_the_clerk_to_ask_again(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    poll_id, first = vote_with_cards(app, meeting, clock, secret=True)
    blurred = first["seen"][0]["number"]
    with unit(app) as s:  # the next photo saw that card held crooked: no answer read
        poll = s.get(Poll, poll_id)
        assert poll is not None
        record_photo(s, poll, [], [blurred], clock.now)

    summary = logged_in(app, "clerk").get(f"/api/v1/polls/{poll_id}/cards").get_json()

    assert [c["number"] for c in summary["unclear"]] == [blurred]
    assert summary["unclear"][0]["name"], "the clerk can find the holder"
    assert blurred not in [c["number"] for c in summary["seen"] + summary["missing"]]
    assert UNREAD not in json.dumps(summary["seen"])
