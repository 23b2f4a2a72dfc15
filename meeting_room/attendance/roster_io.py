"""Reading a roster file (.csv or .xlsx) into its header and numbered rows of text.

Nothing is checked here beyond being readable: ``domain.roster.validate_rows`` does that.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

# The first that decodes the whole file wins. utf-8-sig also reads UTF-8 without a BOM;
# GB18030 is a superset of GBK, which Excel on Chinese Windows writes.
ENCODINGS = ("utf-8-sig", "gb18030")


class RosterFileProblem(StrEnum):
    """Why a roster file could not be read (the caller turns it into a translated message)."""

    UNSUPPORTED_TYPE = "unsupported_type"
    UNDECODABLE = "undecodable"
    UNREADABLE = "unreadable"
    EMPTY = "empty"


class RosterFileError(Exception):
    """A roster file that cannot be read, with the reason as ``code``."""

    def __init__(self, code: RosterFileProblem, path: Path) -> None:
        super().__init__(f"{path.name}: {code}")
        self.code = code
        self.path = path


@dataclass(frozen=True)
class RawTable:
    """The header and every later row with its line (the sheet's row number for .xlsx)."""

    header: list[str]
    rows: list[tuple[int, list[str]]]


def read_roster_file(path: Path) -> RawTable:
    """Read a .csv or .xlsx roster; RosterFileError when it is unreadable or holds no row."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        numbered = _read_csv(path)
    elif suffix == ".xlsx":
        numbered = _read_xlsx(path)
    else:
        raise RosterFileError(RosterFileProblem.UNSUPPORTED_TYPE, path)
    if not numbered:
        raise RosterFileError(RosterFileProblem.EMPTY, path)
    (_, header), *rows = numbered
    if not any(cell.strip() for _, cells in rows for cell in cells):
        raise RosterFileError(RosterFileProblem.EMPTY, path)
    return RawTable(header, rows)


def _read_csv(path: Path) -> list[tuple[int, list[str]]]:
    """Each record with the line it starts on (a quoted cell may span lines)."""
    text = _decode(path.read_bytes(), path)
    reader = csv.reader(io.StringIO(text, newline=""))
    numbered: list[tuple[int, list[str]]] = []
    try:
        start = reader.line_num + 1
        for record in reader:
            numbered.append((start, record))
            start = reader.line_num + 1
    except csv.Error as error:
        raise RosterFileError(RosterFileProblem.UNREADABLE, path) from error
    return numbered


def _decode(data: bytes, path: Path) -> str:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterFileError(RosterFileProblem.UNDECODABLE, path)


def _read_xlsx(path: Path) -> list[tuple[int, list[str]]]:
    """The first sheet's rows as text, numbered as the sheet numbers them."""
    import openpyxl  # here: openpyxl takes ~28 MB, only a spreadsheet import needs it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise RosterFileError(RosterFileProblem.UNREADABLE, path) from error
    try:
        sheet = book.worksheets[0]
        return [
            (number, [_cell_text(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()


def _cell_text(value: object) -> str:
    """A cell as a person reads it: 143.9 → "143.9", 8779.0 → "8779", empty → ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
