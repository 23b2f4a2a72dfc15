"""The sign-in rules on a real database: proxies (one level, limits), observers, sign-out."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.attendance import guests, members, proxies, tokens
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import MemberGroup, SignInChannel
from meeting_room.meetings.meetings import summarise_attendance
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member
from tests.conftest import Clock, unit

CLERK = SignInChannel.CLERK


def owners(session: Session, count: int) -> list[int]:
    return list(
        session.scalars(
            select(Member.id)
            .where(Member.group == MemberGroup.OWNER)
            .order_by(Member.id)
            .limit(count)
        )
    )


def test_a_proxy_counts_only_after_a_clerk_accepts_the_mandate(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    with unit(app) as s:
        absent = owners(s, 1)[0]
        result = proxies.sign_in_proxy(
            s,
            s.get(Meeting, meeting.id),
            proxies.ProxyRequest(absent, proxy_name="李四"),
            CLERK,
            clock.now,
        )
        assert summarise_attendance(s, s.get(Meeting, meeting.id)).by_proxy == 0
        proxies.decide_mandate(
            s, s.get(Meeting, meeting.id), result.attendance.id, True, "张记录", clock.now
        )
        summary = summarise_attendance(s, s.get(Meeting, meeting.id))
        assert summary.by_proxy == 1 and summary.quorum.clauses[0].present == 1
        assert result.attendance.mandate_checked_by == "张记录"


def test_a_proxy_may_carry_only_one_member_unless_the_meeting_allows_more(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    with unit(app) as s:
        first, second, proxy = owners(s, 3)
        m = s.get(Meeting, meeting.id)
        proxies.sign_in_proxy(
            s, m, proxies.ProxyRequest(first, proxy_member_id=proxy), CLERK, clock.now
        )
        with pytest.raises(Refusal) as refused:
            proxies.sign_in_proxy(
                s, m, proxies.ProxyRequest(second, proxy_member_id=proxy), CLERK, clock.now
            )
        assert refused.value.problem == Problem.PROXY_LIMIT
        m.max_proxies_per_person = 2
        proxies.sign_in_proxy(
            s, m, proxies.ProxyRequest(second, proxy_member_id=proxy), CLERK, clock.now
        )


def test_proxies_go_one_level_only(app: Flask, meeting: Meeting, clock: Clock) -> None:
    with unit(app) as s:
        a, b, c = owners(s, 3)
        m = s.get(Meeting, meeting.id)
        proxies.sign_in_proxy(s, m, proxies.ProxyRequest(a, proxy_member_id=b), CLERK, clock.now)
        # a is represented: a cannot in turn act for c.
        with pytest.raises(Refusal) as refused:
            proxies.sign_in_proxy(
                s, m, proxies.ProxyRequest(c, proxy_member_id=a), CLERK, clock.now
            )
        assert refused.value.problem == Problem.PROXY_IS_REPRESENTED
        # b acts for a: b cannot be represented by c.
        with pytest.raises(Refusal) as refused:
            proxies.sign_in_proxy(
                s, m, proxies.ProxyRequest(b, proxy_member_id=c), CLERK, clock.now
            )
        assert refused.value.problem == Problem.PROXY_IS_REPRESENTED


def test_a_member_present_in_person_cannot_be_represented(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    with unit(app) as s:
        here, other = owners(s, 2)
        m = s.get(Meeting, meeting.id)
        members.sign_in(s, m, here, CLERK, clock.now)
        with pytest.raises(Refusal) as refused:
            proxies.sign_in_proxy(
                s, m, proxies.ProxyRequest(here, proxy_member_id=other), CLERK, clock.now
            )
        assert refused.value.problem == Problem.ALREADY_PRESENT


def test_a_member_arriving_in_person_takes_their_seat_back_from_the_proxy(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    with unit(app) as s:
        (member,) = owners(s, 1)
        m = s.get(Meeting, meeting.id)
        by_proxy = proxies.sign_in_proxy(
            s,
            m,
            proxies.ProxyRequest(member, proxy_name="王五", checked_by="张记录"),
            CLERK,
            clock.now,
        )
        clock.advance(600)
        himself = members.sign_in(s, m, member, CLERK, clock.now)
        assert himself.replaced_proxy and not himself.again
        with pytest.raises(Refusal):
            tokens.attendance_by_token(s, by_proxy.token)
        summary = summarise_attendance(s, m)
        assert (summary.in_person, summary.by_proxy) == (1, 0)


def test_signing_in_twice_keeps_the_first_time_and_voids_the_old_code(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    with unit(app) as s:
        (member,) = owners(s, 1)
        m = s.get(Meeting, meeting.id)
        first = members.sign_in(s, m, member, CLERK, clock.now)
        clock.advance(300)
        second = members.sign_in(s, m, member, CLERK, clock.now)
        assert second.again and second.first_signed_in_at == first.attendance.signed_in_at
        assert tokens.attendance_by_token(s, second.token).member_id == member
        with pytest.raises(Refusal):
            tokens.attendance_by_token(s, first.token)
        assert summarise_attendance(s, m).in_person == 1


def test_tenants_at_an_owners_meeting_attend_as_observers_and_guests_never_count(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    with unit(app) as s:
        tenant = s.scalars(select(Member.id).where(Member.group == MemberGroup.TENANT)).first()
        assert tenant is not None
        m = s.get(Meeting, meeting.id)
        members.sign_in(s, m, tenant, CLERK, clock.now)
        guests.register_guest(s, m, "街道办 刘干事", "", CLERK, clock.now)
        summary = summarise_attendance(s, m)
        assert (summary.observers, summary.guests, summary.in_person) == (1, 1, 0)
        assert summary.quorum.clauses[0].present == 0


def test_signing_out_stops_counting_and_voids_the_personal_code(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    with unit(app) as s:
        (member,) = owners(s, 1)
        m = s.get(Meeting, meeting.id)
        signed = members.sign_in(s, m, member, CLERK, clock.now)
        members.sign_out(s, m, member, clock.now)
        assert summarise_attendance(s, m).in_person == 0
        with pytest.raises(Refusal):
            tokens.attendance_by_token(s, signed.token)
        with pytest.raises(Refusal) as refused:
            members.sign_out(s, m, member, clock.now)
        assert refused.value.problem == Problem.NOT_SIGNED_IN


def test_every_state_change_raises_the_meeting_version(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    with unit(app) as s:
        (member,) = owners(s, 1)
        m = s.get(Meeting, meeting.id)
        versions = [m.version]
        members.sign_in(s, m, member, CLERK, clock.now)
        versions.append(m.version)
        guests.register_guest(s, m, "来宾", "", CLERK, clock.now)
        versions.append(m.version)
        members.sign_out(s, m, member, clock.now)
        versions.append(m.version)
        assert versions == sorted(set(versions))


def test_a_refused_mandate_is_neither_counted_nor_left_pending(
    app: Flask, meeting: Meeting, clock: Clock
) -> None:
    with unit(app) as s:
        (absent,) = owners(s, 1)
        m = s.get(Meeting, meeting.id)
        result = proxies.sign_in_proxy(
            s, m, proxies.ProxyRequest(absent, proxy_name="李四"), CLERK, clock.now
        )
        assert summarise_attendance(s, m).proxies_pending == 1
        proxies.decide_mandate(s, m, result.attendance.id, False, "张记录", clock.now)
        summary = summarise_attendance(s, m)
        assert (summary.proxies_pending, summary.by_proxy) == (0, 0)
        with pytest.raises(Refusal):
            tokens.attendance_by_token(s, result.token)
