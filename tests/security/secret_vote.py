"""A secret, area-weighted vote cast through the real app on its real SQLite file (WAL mode, as
on a box), on every channel, and the attacks of someone who then holds the box's files."""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from meeting_room.attendance import members
from meeting_room.domain.words import MemberGroup, SignInChannel
from meeting_room.extensions import socketio
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.models.voting import Ballot
from meeting_room.voting.cards import CARD_ANSWERS
from tests.conftest import Clock, logged_in, paired, unit
from tests.security.sqlite_files import DatabaseFile, commits, files_of, query
from tests.unit.test_cards import MODERATE, room_photo

CHOICES = ("for", "against", "abstain")
PHONES, CARDS = 8, 6


@dataclass
class SecretVote:
    """The vote: its poll, the database file, and what each member chose (their receipt too,
    where the channel gave them one) as only the voters know it."""

    meeting_id: int
    poll_id: int
    database: Path
    clerk: FlaskClient
    chose: dict[int, str]
    receipts: dict[int, str]
    cast_in_turn: list[int]  # members who voted alone, one commit each, in their order


def cast_secret_vote(app: Flask, meeting: Meeting, clock: Clock) -> SecretVote:
    """Eight phones one after the other, a voter at the booth, a clerk's assisted entry and six
    paper cards in a photo of the room; the poll is left open."""
    photo = room_photo(11, (1920, 1080), MODERATE, count=CARDS, marker_px=(80, 100))
    with unit(app) as s:
        here = s.get(Meeting, meeting.id)
        assert here is not None
        owners = list(
            s.scalars(
                select(Member.id)
                .where(Member.group == MemberGroup.OWNER)
                .order_by(Member.id)
                .limit(PHONES + 2 + CARDS)
            )
        )
        tokens = {
            member: members.sign_in(s, here, member, SignInChannel.CLERK, clock.now).token
            for member in owners
        }
    clerk = logged_in(app, "clerk")
    carded = dict(zip(sorted(card.number for card in photo.cards), owners[-CARDS:], strict=True))
    for number, member in carded.items():
        handed = clerk.post(
            f"/api/v1/meetings/{meeting.id}/cards", json={"number": number, "member_id": member}
        )
        assert handed.status_code == 200, handed.get_json()
    poll = logged_in(app, "moderator").post(
        f"/api/v1/meetings/{meeting.id}/polls",
        json={"question": "是否同意更换小区物业公司？", "secret": True, "weighting": "area"},
    )
    poll_id = poll.get_json()["id"]
    assert logged_in(app, "moderator").post(f"/api/v1/polls/{poll_id}/open").status_code == 200
    vote = SecretVote(
        meeting.id, poll_id, Path(str(app.config["DATABASE_URL"]).removeprefix("sqlite:///")),
        clerk, {}, {}, [],
    )  # fmt: skip

    for turn, member in enumerate(owners[:PHONES]):
        choice = CHOICES[turn % 3]
        vote.receipts[member] = phone_ballot(app, tokens[member], poll_id, choice)
        vote.chose[member] = choice
        vote.cast_in_turn.append(member)

    booth_voter, helped = owners[PHONES], owners[PHONES + 1]
    booth = paired(app, "booth")
    ticket = booth.post(
        "/booth/api/identify", json={"meeting_id": meeting.id, "token": tokens[booth_voter]}
    ).get_json()["ticket"]
    cast = booth.post(
        "/booth/api/ballot",
        json={
            "ticket": ticket,
            "poll_id": poll_id,
            "choices": ["against"],
            "client_id": secrets.token_hex(16),
        },
    ).get_json()
    vote.receipts[booth_voter], vote.chose[booth_voter] = cast["receipt"], "against"
    assisted = clerk.post(
        f"/api/v1/polls/{poll_id}/assisted",
        json={"member_id": helped, "choices": ["against"], "helper": "张记录"},
    ).get_json()
    vote.receipts[helped], vote.chose[helped] = assisted["receipt"], "against"
    vote.cast_in_turn += [booth_voter, helped]

    read = clerk.post(
        f"/api/v1/polls/{poll_id}/photos",
        data={"photo": (io.BytesIO(photo.jpeg), "room.jpg")},
        content_type="multipart/form-data",
    )
    assert read.status_code == 200, read.get_json()
    for card in photo.cards:
        if card.answer in CARD_ANSWERS:
            vote.chose[carded[card.number]] = CARD_ANSWERS[card.answer].value
    return vote


def phone_ballot(app: Flask, token: str, poll_id: int, choice: str) -> str:
    """A ballot from the phone page's socket, with a random ballot id as phones make one; its
    receipt."""
    phone = socketio.test_client(app, namespace="/phone")
    answer = phone.emit(
        "ballot.cast",
        {
            "token": token,
            "poll_id": poll_id,
            "choices": [choice],
            "client_id": secrets.token_hex(16),
        },
        namespace="/phone",
        callback=True,
    )
    phone.disconnect(namespace="/phone")
    return str(answer["receipt"])


def close(vote: SecretVote) -> dict[str, bytes]:
    """Close the poll (through the API, as the moderator does); the files right after."""
    closed = vote.clerk.post(f"/api/v1/polls/{vote.poll_id}/close")
    assert closed.status_code == 200, closed.get_json()
    return files_of(vote.database)


# --- the attacks ----------------------------------------------------------------------------------


def current(files: dict[str, bytes]) -> bytes:
    """The database as SQLite itself would read it: the file with the log's commits applied."""
    images = list(commits(files["db"], files.get("-wal", b"")))
    return images[-1] if images else files["db"]


def replay_links(files: dict[str, bytes], poll_id: int) -> dict[int, set[str]]:
    """Replay the write-ahead log commit by commit: a commit that adds one member's
    participation and one ballot pairs the member with the ballot's receipt and choice; a commit
    that adds one voter's floor area to one option's tally names that voter's choice."""
    found: dict[int, set[str]] = {}
    before: tuple[set[object], set[tuple[object, ...]], dict[str, float]] | None = None
    areas: dict[float, list[int]] = {}
    for image in commits(files["db"], files.get("-wal", b"")):
        who = {row[0] for row in query(image, PARTICIPATION, poll_id)}
        ballots = set(query(image, BALLOTS, poll_id))
        tallies = {str(o): float(str(a)) for o, a in query(image, TALLIES, poll_id)}
        for member, area in query(image, VOTERS, poll_id):
            areas.setdefault(round(float(str(area)), 2), []).append(int(str(member)))
        if before is not None:
            new_who = who - before[0]
            new_ballots = ballots - before[1]
            if len(new_who) == 1 and len(new_ballots) == 1:
                ((receipt, choices),) = new_ballots
                found.setdefault(int(str(next(iter(new_who)))), set()).update(
                    {str(receipt), str(choices)}
                )
            moved = {o: round(a - before[2].get(o, 0.0), 2) for o, a in tallies.items()}
            grown = [(o, d) for o, d in moved.items() if d]
            if len(grown) == 1 and len(set(areas.get(grown[0][1], []))) == 1:
                found.setdefault(areas[grown[0][1]][0], set()).add(f'["{grown[0][0]}"]')
        before = (who, ballots, tallies)
    return found


def position_links(image: bytes, poll_id: int) -> dict[int, str]:
    """Read the ballots in the order SQLite put them into their pages (a page fills from its
    end), and pair them with the participations in the audit log's order."""
    database = DatabaseFile(image)
    arrived = [
        cell.values
        for page in database.tree("ballots")
        if page.leaf
        for cell in page.by_position()
        if len(cell.values) == len(Ballot.__table__.columns) and cell.values[1] == poll_id
    ]
    subjects = query(image, AUDITED_VOTERS, f"poll_participation:{poll_id}/%")
    voters = [int(str(subject).rsplit("/", 1)[-1]) for (subject,) in subjects]
    return {voter: str(values[2]) for voter, values in zip(voters, arrived, strict=False)}


def pages_out_of_key_order(image: bytes, within: str = "") -> list[tuple[str, int]]:
    """The pages (table or index, page number) whose cells do not lie in key order: where the
    positions of rows could tell the order they came in (of the trees whose name has
    ``within``; the schema, which holds no rows, aside)."""
    database = DatabaseFile(image)
    return [
        (name, page.number)
        for name in database.roots()
        if within in name and name != "sqlite_schema"
        for page in database.tree(name)
        if [c.offset for c in page.by_position()] != [c.offset for c in page.cells]
    ]


def history(files: dict[str, bytes]) -> set[bytes]:
    """Every row's and index entry's record as it was after any commit the log holds."""
    seen: set[bytes] = set()
    for image in commits(files["db"], files.get("-wal", b"")):
        seen |= DatabaseFile(image).records()
    return seen


PARTICIPATION = "SELECT member_id FROM poll_participation WHERE poll_id = ?"
BALLOTS = "SELECT receipt, choices FROM ballots WHERE poll_id = ?"
TALLIES = "SELECT option, area_m2 FROM poll_tallies WHERE poll_id = ?"
VOTERS = "SELECT member_id, area_m2 FROM poll_voters WHERE poll_id = ?"
AUDITED_VOTERS = "SELECT subject FROM audit_log WHERE subject LIKE ? ORDER BY seq"
