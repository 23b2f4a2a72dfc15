"""Residents of one unit (3栋2单元, 20 households) signed in to an open meeting, with their
personal codes, for the topics' tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import select

from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member
from tests.conftest import logged_in, unit

BUILDING, UNIT = "3栋", "2单元"


@dataclass(frozen=True)
class Resident:
    """A member signed in: id, name, building, unit, phone tail, personal code."""

    id: int
    name: str
    building: str
    unit: str
    tail: str
    token: str


def residents_of(app: Flask, meeting_id: int, building: str, unit_name: str) -> list[Resident]:
    """Every member living in a unit, signed in by the clerk; in roster order."""
    with unit(app) as session:
        members = [
            (m.id, m.name, m.building, m.unit, m.phone_tail)
            for m in session.scalars(
                select(Member)
                .where(Member.building == building, Member.unit == unit_name)
                .order_by(Member.id)
            )
        ]
    clerk = logged_in(app, "clerk")
    out = []
    for member_id, name, b, u, tail in members:
        body = clerk.post(
            f"/api/v1/meetings/{meeting_id}/sign-in",
            json={"member_id": member_id, "phone_tail": tail},
        ).get_json()
        out.append(Resident(member_id, name, b, u, tail, body["phone_url"].rsplit("/", 1)[-1]))
    return out


@pytest.fixture
def residents(app: Flask, meeting: Meeting) -> list[Resident]:
    """The 20 households of 3栋2单元, each signed in (one member per household)."""
    return residents_of(app, meeting.id, BUILDING, UNIT)


@pytest.fixture
def categories(app: Flask) -> dict[str, int]:
    """The topic library as seeded: name → id."""
    from meeting_room.topics import service

    with app.app_context():
        return {c.name: c.id for c in service.categories()}
