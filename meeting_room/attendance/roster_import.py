"""Importing a roster file: read, check every row (with a progress bar), then all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from flask_babel import force_locale, gettext
from tqdm import tqdm

from meeting_room.attendance.roster import import_rows
from meeting_room.attendance.roster_io import (
    MAX_CSV_BYTES,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    RosterFileError,
    RosterFileProblem,
    read_roster_file,
)
from meeting_room.clock import now
from meeting_room.domain.roster import RosterCheck, RowError, RowProblem, validate_rows
from meeting_room.store.storage import transaction

Echo = Callable[..., None]


def describe_row_error(error: RowError) -> str:
    """One bad row in words, in the current language."""
    return gettext("line %(line)d: %(reason)s", line=error.line, reason=row_problem_words(error))


def row_problem_words(error: RowError) -> str:
    """What is wrong with a row (or a member's corrected values), without its line."""
    column, value = error.column or "", error.value
    words = {
        RowProblem.MISSING_COLUMN: gettext("the column %(column)s is missing", column=column),
        RowProblem.MISSING_VALUE: gettext("%(column)s is empty", column=column),
        RowProblem.BAD_AREA: gettext(
            "the area %(value)s is not a positive number of square metres", value=value
        ),
        RowProblem.BAD_FLOOR: gettext("the floor %(value)s is not a whole number", value=value),
        RowProblem.BAD_PHONE_TAIL: gettext("the phone tail %(value)s is not 4 digits", value=value),
        RowProblem.BAD_BIRTH_YEAR: gettext("the birth year %(value)s is not a year", value=value),
        RowProblem.BAD_WEIGHT: gettext(
            "the weight %(value)s is not a positive number", value=value
        ),
        RowProblem.UNKNOWN_GROUP: gettext("the group %(value)s is unknown", value=value),
        RowProblem.DUPLICATE_MEMBER_NO: gettext(
            "the member id %(value)s already appears on line %(line)s",
            value=value,
            line=error.first_line or "?",
        ),
        RowProblem.NAME_TOO_LONG: gettext("the name is longer than 64 characters"),
        RowProblem.BAD_DEVELOPER: gettext(
            "developer must be 是 or 否 (yes or no), not %(value)s", value=value
        ),
        RowProblem.NO_OWNER_KEY: gettext(
            "the owner key is empty: an owner's row needs it, so that several units of one "
            "buyer count as one owner (法释〔2009〕7号 art. 9)"
        ),
        RowProblem.UNIT_DISAGREES: gettext(
            "the unit key %(value)s is on line %(line)s with another address or area: one "
            "unit has one address and one registered area",
            value=value,
            line=error.first_line or "?",
        ),
    }
    return words[error.problem]


def describe_file_error(error: RosterFileError) -> str:
    """A file that cannot be read, in words."""
    return {
        RosterFileProblem.UNSUPPORTED_TYPE: gettext("Only .csv and .xlsx files can be imported."),
        RosterFileProblem.UNDECODABLE: gettext(
            "The file is neither UTF-8 nor GBK text; save it again as CSV UTF-8."
        ),
        RosterFileProblem.UNREADABLE: gettext("The file cannot be read."),
        RosterFileProblem.EMPTY: gettext("The file has no members."),
        RosterFileProblem.TOO_MANY_ROWS: gettext(
            "The file has more than %(rows)d rows; a roster holds at most %(rows)d members. "
            "Nothing was read beyond that.",
            rows=MAX_ROWS,
        ),
        RosterFileProblem.TOO_BIG: gettext(
            "The file is larger than a roster can be (at most %(csv)d MB as CSV, %(xlsx)d MB "
            "unpacked as .xlsx); it was not read.",
            csv=MAX_CSV_BYTES // 2**20,
            xlsx=MAX_UNPACKED_BYTES // 2**20,
        ),
    }[error.code]


def bilingual(render: Callable[[], str]) -> str:
    """A message in Chinese, then English (the command's output serves both)."""
    with force_locale("zh_CN"):
        chinese = render()
    with force_locale("en"):
        english = render()
    return f"{chinese} / {english}"


def check_file(path: Path, progress: bool = False) -> RosterCheck:
    """Read and check every row of a roster file (raises ``RosterFileError``)."""
    table = read_roster_file(path)
    rows: Iterable[tuple[int, list[str]]] = table.rows
    if progress:
        rows = tqdm(table.rows, desc="checking", unit="rows", disable=None)
    return validate_rows(table.header, rows, this_year=now().year)


def import_file(path: Path, echo: Echo, progress: bool = False) -> int:
    """Import ``path`` if every row is right; report every bad row. Returns an exit status."""
    try:
        check = check_file(path, progress)
    except RosterFileError as error:
        echo(bilingual(partial(describe_file_error, error)), err=True)
        return 2
    if not check.ok:
        for row_error in check.errors:
            echo(bilingual(partial(describe_row_error, row_error)), err=True)
        echo(
            bilingual(
                lambda: gettext(
                    "Nothing was imported: %(count)d problem(s) to fix first.",
                    count=len(check.errors),
                )
            ),
            err=True,
        )
        return 1
    with transaction() as session:
        count = import_rows(session, check.rows, path.name, now())
    echo(bilingual(lambda: gettext("%(count)d members imported.", count=count)))
    return 0
