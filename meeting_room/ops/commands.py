"""The ``yishi`` commands (registered on ``app.cli``): init-db, import-roster, create-meeting,
demo, run."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_babel import force_locale


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the database to the newest schema."""
    from meeting_room.store.migrate import upgrade

    upgrade(current_app.config["DATABASE_URL"])
    click.echo(f"database ready: {_redacted(current_app.config['DATABASE_URL'])}")


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@click.command("import-roster")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_roster(path: Path) -> None:
    """Import a roster (CSV in UTF-8/GBK, or .xlsx): every row is checked, then all or nothing."""
    from meeting_room.attendance.roster_import import import_file

    sys.exit(import_file(path, echo=click.echo, progress=True))


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
    from flask_babel import gettext

    from meeting_room.attendance.roster_import import bilingual
    from meeting_room.domain.problems import Refusal
    from meeting_room.domain.words import MemberGroup
    from meeting_room.meetings import service as meetings
    from meeting_room.meetings.meetings import MeetingDraft
    from meeting_room.meetings.notice import meeting_notice
    from meeting_room.web.messages import describe

    try:
        moment = datetime.fromisoformat(starts_at)
    except ValueError:
        raise click.BadParameter(
            f"not a date and time: {starts_at}", param_hint="--starts-at"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(current_app.config["TIMEZONE"]))
    try:
        groups = tuple(MemberGroup(g) for g in eligible)
    except ValueError as error:
        known = "、".join(g.value for g in MemberGroup)
        raise click.BadParameter(
            f"{error}; known groups: {known}", param_hint="--eligible"
        ) from None
    try:
        meeting = meetings.create_meeting(
            MeetingDraft(
                title=title,
                starts_at=moment,
                venue=venue,
                eligible_groups=groups,
                quorum_headcount=quorum_headcount,
                quorum_area=quorum_area,
                max_proxies_per_person=max_proxies,
            )
        )
    except Refusal as refusal:
        with force_locale("zh_CN"):
            zh = describe(refusal)
        with force_locale("en"):
            en = describe(refusal)
        click.echo(f"{zh}\n{en}", err=True)
        sys.exit(2)
    click.echo(f"meeting {meeting.id} created: {meeting.title}")
    check = meeting_notice(meeting)
    if check.short:
        click.echo(
            bilingual(
                lambda: gettext(
                    "Short notice: this meeting was put on the notice board %(days)d "
                    "days before it starts; at least %(required)d days are asked for.",
                    days=check.days,
                    required=check.required_days,
                )
            ),
            err=True,
        )


@click.command("demo")
@click.option("--sign-in", "sign_in", default=0, help="Sign in this many members at random.")
@with_appcontext
def demo(sign_in: int) -> None:
    """Load the demo roster and a demo meeting (once; later calls keep what is there)."""
    from meeting_room.ops.demo import load_demo

    click.echo(load_demo(sign_in=sign_in))


@click.command("run")
@click.option("--host", default="0.0.0.0", show_default=True)
@click.option(
    "--port",
    default=lambda: int(os.environ.get("PORT", "5000")),
    type=int,
    help="Default: $PORT or 5000.",
)
@click.option(
    "--https", is_flag=True, help="Serve over TLS with the box's self-signed certificate."
)
@with_appcontext
def run(host: str, port: int, https: bool) -> None:
    """Prepare the database, load the demo if empty, print every screen's URL and serve."""
    from meeting_room.ops.cli import serve
    from meeting_room.store.storage import unwritable_reason

    reason = unwritable_reason(current_app.config["DATABASE_URL"])
    if reason is not None:  # refuse at once rather than lose the first sign-in
        database = _redacted(current_app.config["DATABASE_URL"])
        click.echo(f"议事系统没有启动：数据库无法写入（{reason}）：{database}", err=True)
        click.echo(f"Yishi did not start: {reason}: {database}", err=True)
        sys.exit(2)
    serve(current_app._get_current_object(), host, port, https)  # type: ignore[attr-defined]


@click.command("verify")
@with_appcontext
def verify() -> None:
    """Re-check the audit log's hash chain and every published ballot list."""
    from sqlalchemy import select

    from meeting_room.records.purge_record import ballot_list_problem, purged_final_hashes
    from meeting_room.store.audit import verify_log
    from meeting_room.store.models.voting import Poll
    from meeting_room.store.storage import transaction

    failed = False
    with transaction() as session:
        broken = verify_log(session)
        if broken is None:
            click.echo("audit log: intact")
        else:
            failed = True
            click.echo(f"audit log: BROKEN at entry {broken.seq} ({broken.reason})", err=True)
        polls = session.scalars(
            select(Poll).where(Poll.status.in_(("closed", "published"))).order_by(Poll.id)
        ).all()
        sealed = purged_final_hashes(session)
        for poll in polls:
            problem = ballot_list_problem(session, poll, sealed)
            if problem is None:
                how = (
                    " (holders purged: hash sealed)"
                    if poll.id in sealed and not poll.secret
                    else ""
                )
                click.echo(f"poll {poll.id} ballot list: intact ({poll.final_hash}){how}")
            else:
                failed = True
                click.echo(f"poll {poll.id} ballot list: {problem}", err=True)
    sys.exit(1 if failed else 0)


@click.command("purge")
@click.option(
    "--older-than",
    "days",
    type=click.IntRange(1),
    default=None,
    help="Retention in days (default: RETENTION_DAYS, 365).",
)
@click.option("--dry-run", is_flag=True, help="Only list what would be removed.")
@click.option("--yes", is_flag=True, help="Do not ask before removing.")
@with_appcontext
def purge_command(days: int | None, dry_run: bool, yes: bool) -> None:
    """Remove the personal data of meetings older than the retention period; keep the results."""
    from meeting_room.records.purge import PurgeRefused, describe
    from meeting_room.records.service import purge_due, purge_meetings

    days = days or int(current_app.config["RETENTION_DAYS"])
    with current_app.test_request_context():
        found = purge_due(days)
    click.echo(f"meetings older than {days} days holding personal data: {len(found)}")
    for line in describe(found):
        click.echo(f"  {line}")
    found = [item for item in found if item.held_back is None]
    if dry_run or not found:
        return
    if not yes:
        click.confirm("Remove this personal data for good?", abort=True)
    try:
        with current_app.test_request_context():
            done = purge_meetings([item.meeting_id for item in found], days)
    except PurgeRefused as refused:
        click.echo(f"purge refused, nothing removed: {refused}", err=True)
        sys.exit(2)
    for purged in done:
        click.echo(
            f"meeting {purged.meeting_id}: {purged.total} rows removed, "
            f"{purged.redacted} audit entries redacted"
        )


@click.command("backup")
@click.argument("target", required=False, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(target: Path | None) -> None:
    """Copy the database while the server runs (default: instance/backups/<time>.db)."""
    from meeting_room.store.backup import BackupError, backup

    if target is None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = Path(current_app.instance_path) / "backups" / f"yishi-{stamp}.db"
    try:
        click.echo(f"backup written: {backup(current_app.config['DATABASE_URL'], target)}")
    except BackupError as error:
        click.echo(f"backup failed: {error}", err=True)
        sys.exit(2)


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
@with_appcontext
def restore_command(source: Path, yes: bool) -> None:
    """Replace the database with a backup (stop the server first)."""
    from meeting_room.store.backup import BackupError, restore

    if not yes:
        click.confirm(f"Replace the database with {source}?", abort=True)
    try:
        click.echo(f"restored into {restore(current_app.config['DATABASE_URL'], source)}")
    except BackupError as error:
        click.echo(f"restore failed: {error}", err=True)
        sys.exit(2)


@click.command("minutes")
@click.argument("meeting_id", type=int)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["html", "pdf", "json"]),
    default="html",
    show_default=True,
)
@click.option("--lang", type=click.Choice(["zh_CN", "en"]), default="zh_CN", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def minutes_command(meeting_id: int, file_format: str, lang: str, output: Path) -> None:
    """Write a meeting's minutes as HTML (print-ready), PDF or JSON."""
    from meeting_room.records.document import minutes_pdf
    from meeting_room.records.service import minutes_of
    from meeting_room.screens.board import minutes_html

    with _records_context(lang):
        minutes = minutes_of(meeting_id)
        if file_format == "json":
            output.write_text(minutes.model_dump_json(indent=2), encoding="utf-8")
        elif file_format == "pdf":
            output.write_bytes(minutes_pdf(minutes))
        else:
            output.write_text(minutes_html(minutes, toolbar=False), encoding="utf-8")
    click.echo(f"minutes of meeting {meeting_id} written: {output}")


@click.command("export")
@click.argument("meeting_id", type=int)
@click.option(
    "--what", type=click.Choice(["attendance", "speeches", "ballots", "actions"]), required=True
)
@click.option(
    "--format", "file_format", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True
)
@click.option("--lang", type=click.Choice(["zh_CN", "en"]), default="zh_CN", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def export_command(meeting_id: int, what: str, file_format: str, lang: str, output: Path) -> None:
    """Export attendance, speeches, ballots (secret polls: receipts only) or actions."""
    from meeting_room.records.exports import Export
    from meeting_room.records.service import export_file
    from meeting_room.records.spreadsheets import FileFormat

    with _records_context(lang):
        output.write_bytes(export_file(meeting_id, Export(what), FileFormat(file_format)))
    click.echo(f"{what} of meeting {meeting_id} written: {output}")


@contextmanager
def _records_context(lang: str) -> Iterator[None]:
    """A request context in ``lang`` for rendering records; a refusal ends the command clearly."""
    from meeting_room.domain.problems import Refusal
    from meeting_room.web.messages import describe

    with current_app.test_request_context(), force_locale(lang):
        try:
            yield
        except Refusal as refusal:
            click.echo(describe(refusal), err=True)
            sys.exit(2)


def init_app(app: Flask) -> None:
    """Add the commands to the app's CLI (the ``yishi`` command and ``flask --app``)."""
    from meeting_room.ops.account_commands import COMMANDS

    for command in COMMANDS:
        app.cli.add_command(command)
    for command in (
        init_db,
        import_roster,
        create_meeting_command,
        demo,
        run,
        verify,
        purge_command,
        backup_command,
        restore_command,
        minutes_command,
        export_command,
    ):
        app.cli.add_command(command)
