"""How a command ends on a refusal: the reason in Chinese, then English, and exit status 2."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from meeting_room.domain.problems import Refusal


def fail(refusal: Refusal) -> NoReturn:
    """Say why the command was refused (both languages: the output serves both) and exit."""
    from meeting_room.attendance.roster_import import bilingual
    from meeting_room.web.messages import describe

    click.echo(bilingual(lambda: describe(refusal)), err=True)
    sys.exit(2)
