"""``yishi`` commands for the records: verify them (``records.verify``), purge personal data
past its retention, write a meeting's minutes or export its lists."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale


@click.command("verify")
@click.option(
    "--anchor",
    "anchors",
    multiple=True,
    metavar="HASH",
    help="A hash printed on the minutes or shown on the projector (at least its first 16 "
    "characters; may be given again): proves the log up to it was not rewritten.",
)
@click.option("--lang", type=click.Choice(["en", "zh_CN"]), default="en", show_default=True)
@with_appcontext
def verify(anchors: tuple[str, ...], lang: str) -> None:
    """Check the records: the audit chain (and anchors read off paper), every audited table
    against the log, every closed poll recounted from its ballots. Exits 1 if anything fails."""
    from meeting_room.records.service import verify as verify_records
    from meeting_room.records.verify_words import report_words

    with _records_context(lang):
        report = verify_records(list(anchors))
        for said in report_words(report.checks):
            click.echo(said.line, err=not said.ok)
            for flaw in said.flaws:
                click.echo(f"  - {flaw}", err=True)
    sys.exit(0 if report.intact else 1)


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
    """Remove the personal data of meetings older than the retention period; keep the results.
    The speech cache goes too: its WAVs say names ("王静，您已签到") and what screens read."""
    from meeting_room.records.purge import PurgeRefused, describe
    from meeting_room.records.service import purge_due, purge_meetings
    from meeting_room.web.addresses import devices

    days = days or int(current_app.config["RETENTION_DAYS"])
    with current_app.test_request_context():
        found = purge_due(days)
    click.echo(f"meetings older than {days} days holding personal data: {len(found)}")
    for line in describe(found):
        click.echo(f"  {line}")
    found = [item for item in found if item.held_back is None]
    if dry_run:
        return
    if found:
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
    removed = devices().speaker.clear_cache()
    click.echo(f"speech cache: {removed} files removed (spoken names and texts read aloud)")


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


COMMANDS = (verify, purge_command, minutes_command, export_command)
