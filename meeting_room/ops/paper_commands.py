"""``yishi paper-scan``: count a folder of scanned paper ballots (a sheet-fed scanner's output)
as the clerk's scan screen does, one page a file, with progress; for automation."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".bmp"}


@click.command("paper-scan")
@click.option("--period", "period_id", type=int, required=True, help="The voting period's id.")
@click.option(
    "--folder",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    required=True,
    help="A folder of photos or scans, one ballot page a file.",
)
@click.option("--by", default="scanner", show_default=True, help="Who counts (the audit says).")
@with_appcontext
def paper_scan(period_id: int, folder: Path, by: str) -> None:
    """Read and count every image in FOLDER for the period; a line a page, then the totals.
    Pages refused (unreadable, a serial twice, another period's) are kept and listed; exits 1
    if any page was refused, 2 if the period refuses."""
    from meeting_room.domain.paper import ScanResult
    from meeting_room.domain.problems import Refusal
    from meeting_room.ops.refusals import fail
    from meeting_room.paper.service import scan_page

    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
    store = Path(current_app.instance_path) / "ballot-scans"
    refused = read = review = 0
    for number, path in enumerate(files, start=1):
        try:
            outcome = scan_page(period_id, path.read_bytes(), path.name, by, store)
        except Refusal as refusal:
            fail(refusal)
        except ValueError as error:
            click.echo(f"[{number}/{len(files)}] {path.name}: not an image ({error})", err=True)
            refused += 1
            continue
        if outcome.result in (ScanResult.COUNTED, ScanResult.REVIEW):
            read += outcome.read
            review += outcome.review
            click.echo(
                f"[{number}/{len(files)}] {path.name}: {outcome.serial} {outcome.address} "
                f"{outcome.result}: {outcome.read} read, {outcome.review} to review"
            )
        else:
            refused += 1
            click.echo(f"[{number}/{len(files)}] {path.name}: refused: {outcome.result}", err=True)
    click.echo(f"{len(files)} pages: {read} marks read, {review} to review, {refused} refused")
    sys.exit(1 if refused else 0)


COMMANDS = (paper_scan,)
