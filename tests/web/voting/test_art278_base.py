"""An art. 278 poll's base is the owners, always: drafting or opening one on any other base is
refused in words, and tenants or property staff are never counted. Through the real app."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from meeting_room.domain.words import Eligibility, MemberGroup, PollKind, PollStatus
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.models.voting import Poll
from tests.conftest import Clock, logged_in, open_now, unit

ART278 = {"question": "是否同意使用维修资金更换电梯？", "rule": "art278_ordinary"}
OWNER_GROUPS = (MemberGroup.OWNER, MemberGroup.OWNERS_COMMITTEE)


def hall_meeting(app: Flask, clock: Clock, groups: list[str]) -> int:
    """A meeting of these roster groups (none: everyone), through the API."""
    api = logged_in(app)
    made = api.post(
        "/api/v1/meetings",
        json={
            "title": "幸福里议事会",
            "starts_at": (clock.now + timedelta(minutes=10)).isoformat(),
            "venue": "议事厅",
            "eligible_groups": groups,
        },
    )
    assert made.status_code in (200, 201), made.get_json()
    open_now(api.application, made.get_json()["id"])
    return int(made.get_json()["id"])


def sign_in(api: FlaskClient, meeting_id: int, group: str) -> int:
    """Sign in the first member of a roster group (clerk's sign-in); their id."""
    with unit(api.application) as s:
        member = s.scalars(select(Member).where(Member.group == group).limit(1)).one()
        member_id, tail = member.id, member.phone_tail
    signed = api.post(
        f"/api/v1/meetings/{meeting_id}/sign-in", json={"member_id": member_id, "phone_tail": tail}
    )
    assert signed.status_code == 200, signed.get_json()
    return member_id


def test_drafting_an_art_278_poll_for_anyone_but_the_owners_is_refused_in_words(
    app: Flask, clock: Clock
) -> None:
    api = logged_in(app)
    meeting_id = hall_meeting(app, clock, [])
    for eligibility in ("all", "representatives", "groups"):
        body = {**ART278, "eligibility": eligibility, "groups": ["业主", "租户"]}
        refused = api.post(f"/api/v1/meetings/{meeting_id}/polls", json=body)
        assert refused.status_code >= 400
        error = refused.get_json()["error"]
        assert error["code"] == "art278_owners_only"
        assert "第二百七十八条" in error["message"] and "仅业主" in error["message"]
    english = api.post(
        f"/api/v1/meetings/{meeting_id}/polls?lang=en", json={**ART278, "rule": "art278_major"}
    ).get_json()["error"]["message"]
    assert "decided by the owners" in english
    # A choice poll has no art. 278 rule to apply: its rule field is not read.
    choice = {**ART278, "kind": "choice", "options": ["甲", "乙"]}
    assert api.post(f"/api/v1/meetings/{meeting_id}/polls", json=choice).status_code == 201


def test_an_art_278_poll_in_a_meeting_of_everyone_counts_the_owners_and_only_them(
    app: Flask, clock: Clock
) -> None:
    api = logged_in(app)
    meeting_id = hall_meeting(app, clock, [])  # tenants and property staff attend too
    owner = sign_in(api, meeting_id, MemberGroup.OWNER)
    tenant = sign_in(api, meeting_id, MemberGroup.TENANT)
    staff = sign_in(api, meeting_id, MemberGroup.PROPERTY_MANAGEMENT)
    poll = api.post(
        f"/api/v1/meetings/{meeting_id}/polls", json={**ART278, "eligibility": "owners"}
    ).get_json()
    opened = api.post(f"/api/v1/polls/{poll['id']}/open").get_json()
    with unit(app) as s:
        owners = s.scalar(
            select(func.count()).select_from(Member).where(Member.group.in_(OWNER_GROUPS))
        )
    assert opened["eligible"] == owners and opened["present"] == 1
    for outsider in (tenant, staff):
        refused = api.post(
            f"/api/v1/polls/{poll['id']}/assisted",
            json={"member_id": outsider, "choices": ["for"], "helper": "王记录"},
        )
        assert refused.get_json()["error"]["code"] == "not_eligible_to_vote"
    api.post(
        f"/api/v1/polls/{poll['id']}/assisted",
        json={"member_id": owner, "choices": ["for"], "helper": "王记录"},
    )
    result = api.post(f"/api/v1/polls/{poll['id']}/close").get_json()["result"]
    assert result["cast"] == 1 and result["eligible"]["headcount"] == owners
    assert result["passed"] is False and result["summary"] == "participation_not_reached"


def test_opening_an_art_278_poll_in_a_meeting_that_leaves_owners_out_is_refused(
    app: Flask, clock: Clock
) -> None:
    api = logged_in(app)
    meeting_id = hall_meeting(app, clock, ["居民代表", "业委会"])
    poll = api.post(
        f"/api/v1/meetings/{meeting_id}/polls", json={**ART278, "eligibility": "owners"}
    ).get_json()
    refused = api.post(f"/api/v1/polls/{poll['id']}/open")
    error = refused.get_json()["error"]
    assert error["code"] == "art278_owners_left_out"
    assert "居民代表、业委会" in error["message"] and "全体业主" in error["message"]
    assert api.get(f"/api/v1/polls/{poll['id']}").get_json()["status"] == "draft"


def test_a_draft_stored_with_another_base_is_refused_when_it_opens(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    with unit(app) as s:
        stored = Poll(
            meeting_id=meeting.id,
            question="旧版本留下的草稿",
            kind=PollKind.YES_NO,
            options=[],
            eligibility=Eligibility.ALL,
            groups=[],
            secret=True,
            weighting="area",
            rule="art278_major",
            status=PollStatus.DRAFT,
            created_at=clock.now,
        )
        s.add(stored)
        s.flush()
        poll_id = stored.id
    refused = logged_in(app).post(f"/api/v1/polls/{poll_id}/open").get_json()
    assert refused["error"]["code"] == "art278_owners_only"
