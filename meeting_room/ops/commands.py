"""The ``yishi`` commands, registered on ``app.cli`` by the composition root: ``run`` here,
the others by idea (``database_``, ``meeting_``, ``records_``, ``demo_`` and
``account_commands``)."""

from __future__ import annotations

import os
import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from meeting_room.ops import (
    account_commands,
    box_commands,
    database_commands,
    demo_commands,
    meeting_commands,
    paper_commands,
    records_commands,
)


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
@click.option(
    "--demo-story",
    is_flag=True,
    help="On an empty box, a demo meeting posted in time, with rules, agenda and draft polls "
    "(make run).",
)
@click.option(
    "--no-demo",
    is_flag=True,
    help="Start an empty box: no demo roster or meeting (the staff accounts are still made).",
)
@with_appcontext
def run(host: str, port: int, https: bool, demo_story: bool, no_demo: bool) -> None:
    """Prepare the database, load the demo if empty (unless --no-demo), print every screen's
    URL and serve."""
    from meeting_room.ops.cli import serve
    from meeting_room.store.storage import unwritable_reason

    reason = unwritable_reason(current_app.config["DATABASE_URL"])
    if reason is not None:  # refuse at once rather than lose the first sign-in
        database = database_commands.redacted(current_app.config["DATABASE_URL"])
        click.echo(f"议事系统没有启动：数据库无法写入（{reason}）：{database}", err=True)
        click.echo(f"Yishi did not start: {reason}: {database}", err=True)
        sys.exit(2)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    serve(app, host, port, https, demo=not no_demo, demo_story=demo_story)


def init_app(app: Flask) -> None:
    """Add the commands to the app's CLI (the ``yishi`` command and ``flask --app``)."""
    for module in (
        account_commands,
        box_commands,
        database_commands,
        meeting_commands,
        records_commands,
        demo_commands,
        paper_commands,
    ):
        for command in module.COMMANDS:
            app.cli.add_command(command)
    app.cli.add_command(run)
