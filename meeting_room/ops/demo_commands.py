"""The demo that ``make run`` serves: the shipped roster (``ops/demo/roster-demo.csv``), one
owners' meeting and one staff account per role, loaded into an empty box by ``yishi run`` and
by the ``demo`` command (once: later calls keep what is there)."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from meeting_room.store.files import write_private

DEMO_ROSTER = Path(__file__).with_name("demo") / "roster-demo.csv"
DEMO_ACCOUNTS_FILE = "demo-accounts.txt"


def load_demo(sign_in: int = 0) -> str:
    """Import the demo roster when the roster is empty and add a meeting when none is current;
    sign ``sign_in`` members in at random. Says what it did."""
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
            meeting = create_meeting(session, draft, moment)
            lifecycle.move(session, meeting, MeetingStatus.ANNOUNCED, "demo", moment)  # posted
            said.append(f"demo meeting {meeting.id}: {meeting.title}")
        if sign_in:
            roster = list(session.scalars(select(Member.id)))
            for member_id in random.Random(7).sample(roster, min(sign_in, len(roster))):
                members.sign_in(session, meeting, member_id, SignInChannel.CLERK, moment)
            said.append(f"{sign_in} members signed in")
    return "; ".join(said) or "demo already loaded"


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
@with_appcontext
def demo(sign_in: int) -> None:
    """Load the demo roster and a demo meeting (once; later calls keep what is there)."""
    click.echo(load_demo(sign_in=sign_in))


COMMANDS = (demo,)
