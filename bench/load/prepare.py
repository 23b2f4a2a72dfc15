"""The instance a run needs, made in-process before the server starts (or for a running one).

Migrate, add N generated owners (member numbers ``B00001``…), create a meeting, sign every
one in and keep their personal tokens (in memory only), make the harness's staff account and
projector device.
Afterwards, ``verify`` reads the database: ballots per poll, their receipts, the tallies and
the audit chain.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.load.access import Credentials, make_credentials

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国玉珍文辉凤红梅"


@dataclass
class Prepared:
    """The meeting under load and its attendees' tokens (index i is phone i)."""

    meeting_id: int
    member_ids: list[int]
    tokens: list[str] = field(repr=False)
    credentials: Credentials = field(repr=False)
    timings: dict[str, float] = field(default_factory=dict)


def _storage(instance: Path, database_url: str | None) -> Any:
    """The database of this instance (SQLite file by default), audited like the server's."""
    from meeting_room.store import audit
    from meeting_room.store.storage import Storage, sqlite_url

    instance.mkdir(parents=True, exist_ok=True)
    audit.install()
    return Storage(database_url or sqlite_url(instance / "yishi.db"))


def prepare(instance: Path, phones: int, database_url: str | None = None) -> Prepared:
    """Everything the scenario needs, committed before any client connects."""
    from sqlalchemy import select

    from meeting_room.attendance import members
    from meeting_room.attendance.roster import import_rows
    from meeting_room.domain.roster import RosterRow
    from meeting_room.domain.words import MeetingStatus, MemberGroup, SignInChannel
    from meeting_room.meetings import lifecycle
    from meeting_room.meetings.meetings import MeetingDraft, create_meeting
    from meeting_room.store.migrate import upgrade
    from meeting_room.store.models.roster import Member

    db = _storage(instance, database_url)
    upgrade(db.url)
    rng = random.Random(8)
    moment = datetime.now(UTC)
    tag = f"B{secrets.token_hex(3)}-" if database_url else "B"
    rows = tuple(
        RosterRow(
            member_no=f"{tag}{n:05d}",
            name=rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(2)),
            building=f"{n % 30 + 1}栋",
            unit=f"{n % 4 + 1}单元",
            room=f"{n % 33 + 1}{n % 4 + 1:02d}",
            floor=n % 33 + 1,
            area_m2=Decimal("88.50"),
            phone_tail=f"{rng.randrange(10_000):04d}",
            group=MemberGroup.OWNER,
            birth_year=1950 + n % 50,
        )
        for n in range(1, phones + 1)
    )
    with db.transaction() as session:
        import_rows(session, rows, "bench-roster.csv", moment)
        meeting = create_meeting(
            session,
            MeetingDraft(
                title="压力测试业主大会 (bench)",
                starts_at=moment + timedelta(minutes=5),
                venue="127.0.0.1",
                eligible_groups=(MemberGroup.OWNER,),
                quorum_headcount="1/2",
            ),
            moment,
        )
        numbers = [row.member_no for row in rows]
        by_number = dict(
            session.execute(
                select(Member.member_no, Member.id).where(Member.member_no.in_(numbers))
            ).all()
        )
        member_ids = [by_number[number] for number in numbers]
        tokens = [
            members.sign_in(session, meeting, member_id, SignInChannel.CLERK, moment).token
            for member_id in member_ids
        ]
        # The hall posts and opens the meeting: polls run only in an open meeting.
        lifecycle.move(session, meeting, MeetingStatus.ANNOUNCED, "bench", moment)
        lifecycle.open_meeting(session, meeting, "bench", moment, confirmed=True)
        meeting_id = meeting.id
        credentials = make_credentials(session, moment)
    db.engine.dispose()
    return Prepared(meeting_id, member_ids, tokens, credentials)


def verify(instance: Path, poll_id: int, database_url: str | None = None) -> dict[str, Any]:
    """What the database holds for one poll, and whether the audit chain is intact."""
    from sqlalchemy import func, select

    from meeting_room.store.audit import verify_log
    from meeting_room.store.models.voting import Ballot, Participation, PollTally

    db = _storage(instance, database_url)
    with db.transaction() as session:
        participations = session.scalar(
            select(func.count()).select_from(Participation).where(Participation.poll_id == poll_id)
        )
        receipts = list(session.scalars(select(Ballot.receipt).where(Ballot.poll_id == poll_id)))
        tallied = session.scalar(
            select(func.coalesce(func.sum(PollTally.headcount), 0)).where(
                PollTally.poll_id == poll_id
            )
        )
        broken = verify_log(session)
    db.engine.dispose()
    return {
        "participations": int(participations or 0),
        "receipts": receipts,
        "tallied": int(tallied or 0),
        "audit_intact": broken is None,
    }
