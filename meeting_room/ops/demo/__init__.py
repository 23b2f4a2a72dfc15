"""The demo meeting that ``make run`` serves: the shipped roster and one owners' meeting."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from meeting_room.attendance import members
from meeting_room.attendance.roster import import_rows
from meeting_room.attendance.roster_io import read_roster_file
from meeting_room.domain.roster import validate_rows
from meeting_room.domain.words import MemberGroup, SignInChannel
from meeting_room.meetings.meetings import MeetingDraft, create_meeting, current_meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.storage import transaction

DEMO_ROSTER = Path(__file__).with_name("roster-demo.csv")


def load_demo(sign_in: int = 0, now: datetime | None = None) -> str:
    """Import the demo roster when the roster is empty and add a meeting when none is current."""
    moment = now or datetime.now(UTC)
    said = []
    with transaction() as session:
        if not session.scalar(select(func.count()).select_from(Member)):
            table = read_roster_file(DEMO_ROSTER)
            check = validate_rows(table.header, table.rows, this_year=moment.year)
            if not check.ok:
                raise RuntimeError(f"the demo roster has errors: {check.errors[:3]}")
            said.append(
                f"demo roster: {import_rows(session, check.rows, DEMO_ROSTER.name, moment)} members"
            )
        meeting = current_meeting(session, moment)
        if meeting is None:
            meeting = create_meeting(
                session,
                MeetingDraft(
                    title="7栋加装电梯业主大会",
                    starts_at=moment + timedelta(minutes=30),
                    venue="幸福里社区议事厅",
                    eligible_groups=(MemberGroup.OWNER, MemberGroup.OWNERS_COMMITTEE),
                    quorum_headcount="2/3",
                    quorum_area="2/3",
                ),
                moment,
            )
            said.append(f"demo meeting {meeting.id}: {meeting.title}")
        if sign_in:
            roster = list(session.scalars(select(Member.id)))
            for member_id in random.Random(7).sample(roster, min(sign_in, len(roster))):
                members.sign_in(session, meeting, member_id, SignInChannel.CLERK, moment)
            said.append(f"{sign_in} members signed in")
    return "; ".join(said) or "demo already loaded"
