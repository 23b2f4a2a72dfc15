"""The ``yishi`` console command: the app's commands, with gevent patched first for ``run``."""

from __future__ import annotations

import sys

if len(sys.argv) > 1 and sys.argv[1] == "run":  # gevent must patch before anything else loads
    from gevent import monkey

    monkey.patch_all()

import click
from flask import Flask
from flask.cli import FlaskGroup

from meeting_room import create_app


def _app(*_args: object) -> Flask:
    return create_app()


@click.group(
    cls=FlaskGroup,
    create_app=_app,
    add_default_commands=False,
    add_version_option=False,
    load_dotenv=False,
)
def cli() -> None:
    """Yishi (议事): the offline meeting system of a deliberation hall."""


def main() -> None:
    """Console entry point."""
    cli(prog_name="yishi")


if __name__ == "__main__":
    main()
