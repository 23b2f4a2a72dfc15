"""``yishi`` commands for the roster and meetings: import a roster file, create a meeting."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext

from meeting_room.domain.problems import Refusal
from meeting_room.domain.words import MemberGroup
from meeting_room.ops.refusals import fail
from meeting_room.store.models.meetings import Meeting


@click.command("import-roster")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_roster(path: Path) -> None:
    """Import a roster (CSV in UTF-8/GBK, or .xlsx): every row is checked, then all or nothing."""
    from meeting_room.attendance.roster_import import import_file

    sys.exit(import_file(path, echo=click.echo, progress=True))


def _starts_at(text: str) -> datetime:
    """``--starts-at``: a date and time, in the hall's time zone unless it names one."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"not a date and time: {text}", param_hint="--starts-at") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(current_app.config["TIMEZONE"]))
    return moment


def _groups(names: tuple[str, ...]) -> tuple[MemberGroup, ...]:
    """``--eligible``: roster groups by their names."""
    try:
        return tuple(MemberGroup(name) for name in names)
    except ValueError as error:
        known = "、".join(group.value for group in MemberGroup)
        raise click.BadParameter(
            f"{error}; known groups: {known}", param_hint="--eligible"
        ) from None


def _warn_if_short_notice(meeting: Meeting) -> None:
    """Say so when the meeting starts sooner after its notice than the rules ask."""
    from flask_babel import gettext

    from meeting_room.attendance.roster_import import bilingual
    from meeting_room.meetings.notice import meeting_notice

    check = meeting_notice(meeting)
    if check.short:
        said = bilingual(
            lambda: gettext(
                "Short notice: this meeting was put on the notice board %(days)d "
                "days before it starts; at least %(required)d days are asked for.",
                days=check.days,
                required=check.required_days,
            )
        )
        click.echo(said, err=True)


@click.command("create-meeting")
@click.option("--title", required=True)
@click.option("--starts-at", required=True, help="Local time, e.g. 2026-12-01T19:00")
@click.option("--venue", required=True)
@click.option(
    "--eligible", "eligible", multiple=True, help="A roster group (repeatable); none: all"
)
@click.option("--quorum-headcount", default="1/2", show_default=True)
@click.option("--quorum-area", default=None)
@click.option("--max-proxies", default=1, show_default=True, type=click.IntRange(1, 10))
@with_appcontext
def create_meeting_command(
    title: str,
    starts_at: str,
    venue: str,
    eligible: tuple[str, ...],
    quorum_headcount: str,
    quorum_area: str | None,
    max_proxies: int,
) -> None:
    """Create a meeting with its eligible groups and quorum rule."""
    from meeting_room.meetings import service as meetings
    from meeting_room.meetings.meetings import MeetingDraft

    draft = MeetingDraft(
        title=title,
        starts_at=_starts_at(starts_at),
        venue=venue,
        eligible_groups=_groups(eligible),
        quorum_headcount=quorum_headcount,
        quorum_area=quorum_area,
        max_proxies_per_person=max_proxies,
    )
    try:
        meeting = meetings.create_meeting(draft)
    except Refusal as refusal:
        fail(refusal)
    click.echo(f"meeting {meeting.id} created: {meeting.title}")
    _warn_if_short_notice(meeting)


COMMANDS = (import_roster, create_meeting_command)
