"""The demo that ``make run`` serves: the shipped roster (``ops/demo/roster-demo.csv``), one
owners' meeting and one staff account per role, loaded into an empty box by ``yishi run`` and
by the ``demo`` command (once: later calls keep what is there)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from meeting_room.store.files import write_private

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from meeting_room.store.models.meetings import Meeting

DEMO_ROSTER = Path(__file__).with_name("demo") / "roster-demo.csv"
DEMO_ACCOUNTS_FILE = "demo-accounts.txt"
# The story demo's meeting was posted this long ago: an owners' meeting needs 15 days' notice
# (物业管理条例 art. 14; meetings.notice), so it shows a notice given in time, not a warning.
STORY_POSTED = timedelta(days=16)


def load_demo(sign_in: int = 0, story: bool = False) -> str:
    """Import the demo roster when the roster is empty and add a meeting when none is current;
    sign ``sign_in`` members in at random. With ``story`` (``make run``), the meeting is the
    whole life ready to walk through: posted in time (``STORY_POSTED``), with its rules of order,
    an agenda and draft polls. Says what it did."""
    from meeting_room.attendance import members
    from meeting_room.attendance.roster import import_rows
    from meeting_room.attendance.roster_io import read_roster_file
    from meeting_room.clock import now
    from meeting_room.domain.roster import validate_rows
    from meeting_room.domain.words import MeetingStatus, MemberGroup, SignInChannel
    from meeting_room.meetings import lifecycle
    from meeting_room.meetings.meetings import MeetingDraft, create_meeting, current_meeting
    from meeting_room.store.models.roster import Member
    from meeting_room.store.storage import transaction

    moment = now()
    said = []
    with transaction() as session:
        if not session.scalar(select(func.count()).select_from(Member)):
            table = read_roster_file(DEMO_ROSTER)
            check = validate_rows(table.header, table.rows, this_year=moment.year)
            if not check.ok:
                raise RuntimeError(f"the demo roster has errors: {check.errors[:3]}")
            imported = import_rows(session, check.rows, DEMO_ROSTER.name, moment)
            said.append(f"demo roster: {imported} members")
        meeting = current_meeting(session, moment)
        if meeting is None:
            draft = MeetingDraft(
                title="7栋加装电梯业主大会",
                starts_at=moment + timedelta(minutes=30),
                venue="幸福里社区议事厅",
                eligible_groups=(MemberGroup.OWNER, MemberGroup.OWNERS_COMMITTEE),
                quorum_headcount="2/3",
                quorum_area="2/3",
            )
            posted = moment - STORY_POSTED if story else moment
            meeting = create_meeting(session, draft, posted)
            lifecycle.move(session, meeting, MeetingStatus.ANNOUNCED, "demo", posted)
            said.append(f"demo meeting {meeting.id}: {meeting.title}")
            if story:
                said.append(prepare_story(session, meeting, moment))
        if sign_in:
            roster = list(session.scalars(select(Member.id)))
            for member_id in random.Random(7).sample(roster, min(sign_in, len(roster))):
                members.sign_in(session, meeting, member_id, SignInChannel.CLERK, moment)
            said.append(f"{sign_in} members signed in")
    return "; ".join(said) or "demo already loaded"


def prepare_story(session: Session, meeting: Meeting, moment: datetime) -> str:
    """The demo meeting as a clerk prepares it (see ``load_demo``): 南塘 rules of order, three
    items and two draft polls, one of them decided by the owners under Civil Code art. 278."""
    from meeting_room.domain.counting import Rule
    from meeting_room.domain.speakers import NANTANG
    from meeting_room.domain.words import Eligibility, ItemKind
    from meeting_room.floor import agenda
    from meeting_room.voting.polls import PollDraft, create_poll

    agenda.set_rules(session, meeting, NANTANG, warning_s=30, auto_stop=False)
    agenda.add_item(session, meeting, "物业公司报告加装电梯前期工作", ItemKind.REPORT, 10)
    plan = agenda.add_item(
        session,
        meeting,
        "讨论7栋加装电梯方案",
        ItemKind.DISCUSSION,
        30,
        "电梯位置、费用分摊和施工期间的出行安排。",
    )
    vote = agenda.add_item(session, meeting, "表决：同意7栋加装电梯", ItemKind.VOTE, 15)
    create_poll(
        session,
        meeting,
        PollDraft(
            question="是否同意按公示方案在7栋加装电梯？",
            eligibility=Eligibility.OWNERS,
            # Adding a lift rebuilds the building's common parts: Civil Code art. 278 para. 1
            # item (7), decided by 3/4 of the owners taking part, by area and by headcount.
            rule=Rule.ART278_MAJOR,
            item_id=vote.id,
        ),
        moment,
    )
    create_poll(
        session,
        meeting,
        PollDraft(
            question="施工期间是否每周在议事厅通报进度？",
            secret=False,
            item_id=plan.id,
        ),
        moment,
    )
    return "rules of order, 3 items and 2 draft polls"


def ensure_demo_accounts(instance: Path) -> str | None:
    """On a box with no staff account yet, make one per role with random passwords, written
    to a private file of the instance folder (never to the terminal or a log): its path."""
    from meeting_room.access.service import create_demo_accounts

    made = create_demo_accounts()
    if not made:
        return None
    path = instance / DEMO_ACCOUNTS_FILE
    text = (
        "# Demo staff accounts (user name, password). Change them: yishi set-password NAME\n"
        + "\n".join(f"{role:<10} {password}" for role, password in made.items())
        + "\n"
    )
    write_private(path, text.encode())
    return str(path)


@click.command("demo")
@click.option("--sign-in", "sign_in", default=0, help="Sign in this many members at random.")
@click.option("--story", is_flag=True, help="The meeting posted in time, with rules and agenda.")
@with_appcontext
def demo(sign_in: int, story: bool) -> None:
    """Load the demo roster and a demo meeting (once; later calls keep what is there)."""
    click.echo(load_demo(sign_in=sign_in, story=story))


COMMANDS = (demo,)
