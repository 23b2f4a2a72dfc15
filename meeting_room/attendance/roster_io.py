"""Reading a roster file (.csv or .xlsx) into its header and numbered rows of text.

Nothing is checked here beyond being readable and of a roster's size: ``domain.roster.
validate_rows`` checks the rows. The size is checked before the file is read whole: a 2 MB
``.xlsx`` can unpack to 300,000 rows (which took 5 minutes and 835 MB to import), so a file is
refused when it, or what its zip unpacks to, is larger than a roster can be, when its sheet
declares more rows than ``MAX_ROWS``, and, since a declaration can lie, as soon as the row
after the last allowed one is read.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

# The first that decodes the whole file wins. utf-8-sig also reads UTF-8 without a BOM;
# GB18030 is a superset of GBK, which Excel on Chinese Windows writes.
ENCODINGS = ("utf-8-sig", "gb18030")
# A hall's roster: a community of 20,000 units is large. A row of a roster is ~100 bytes in CSV
# and a few hundred in a workbook's XML, so the byte limits leave room for wide rows.
MAX_ROWS = 20_000
MAX_CSV_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # all the parts of an .xlsx, as unpacked
# Told (rows read, rows expected) every STEP rows while a file is read: the browser's progress
# bar. The expected count is the sheet's declaration or the CSV's line breaks: a guide only.
Progress = Callable[[int, int], None]
STEP = 500


class RosterFileProblem(StrEnum):
    """Why a roster file could not be read (the caller turns it into a translated message)."""

    UNSUPPORTED_TYPE = "unsupported_type"
    UNDECODABLE = "undecodable"
    UNREADABLE = "unreadable"
    EMPTY = "empty"
    TOO_MANY_ROWS = "too_many_rows"
    TOO_BIG = "too_big"


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


def read_roster_file(path: Path, progress: Progress | None = None) -> RawTable:
    """Read a .csv or .xlsx roster; RosterFileError when it is unreadable or holds no row."""
    suffix = path.suffix.lower()
    tell = progress or _silent
    if suffix == ".csv":
        numbered = _read_csv(path, tell)
    elif suffix == ".xlsx":
        numbered = _read_xlsx(path, tell)
    else:
        raise RosterFileError(RosterFileProblem.UNSUPPORTED_TYPE, path)
    if not numbered:
        raise RosterFileError(RosterFileProblem.EMPTY, path)
    (_, header), *rows = numbered
    if not any(cell.strip() for _, cells in rows for cell in cells):
        raise RosterFileError(RosterFileProblem.EMPTY, path)
    return RawTable(header, rows)


def _silent(_read: int, _expected: int) -> None:
    return None


def _read_csv(path: Path, progress: Progress) -> list[tuple[int, list[str]]]:
    """Each record with the line it starts on (a quoted cell may span lines)."""
    if path.stat().st_size > MAX_CSV_BYTES:
        raise RosterFileError(RosterFileProblem.TOO_BIG, path)
    text = _decode(path.read_bytes(), path)
    expected = text.count("\n")
    reader = csv.reader(io.StringIO(text, newline=""))
    numbered: list[tuple[int, list[str]]] = []
    try:
        start = reader.line_num + 1
        for record in reader:
            if len(numbered) > MAX_ROWS:  # the header and MAX_ROWS members are in
                raise RosterFileError(RosterFileProblem.TOO_MANY_ROWS, path)
            numbered.append((start, record))
            start = reader.line_num + 1
            if len(numbered) % STEP == 0:
                progress(len(numbered), expected)
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


def _read_xlsx(path: Path, progress: Progress) -> list[tuple[int, list[str]]]:
    """The first sheet's rows as text, numbered as the sheet numbers them."""
    import openpyxl  # here: openpyxl takes ~28 MB, only a spreadsheet import needs it
    from openpyxl.utils.exceptions import InvalidFileException

    _refuse_a_zip_bomb(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise RosterFileError(RosterFileProblem.UNREADABLE, path) from error
    try:
        sheet = book.worksheets[0]
        declared = sheet.max_row  # the sheet's <dimension>: read, not counted (it may lie)
        if declared is not None and declared > MAX_ROWS + 1:
            raise RosterFileError(RosterFileProblem.TOO_MANY_ROWS, path)
        # openpyxl would stop at the declared last row: a dimension claiming fewer rows than
        # there are would drop members silently. Every row is read, up to the limit, each as
        # wide as the declared columns (as openpyxl fills them in).
        width = sheet.max_column or 0
        sheet.reset_dimensions()
        numbered: list[tuple[int, list[str]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if len(numbered) > MAX_ROWS:
                raise RosterFileError(RosterFileProblem.TOO_MANY_ROWS, path)
            cells = [_cell_text(value) for value in values]
            numbered.append((number, cells + [""] * (width - len(cells))))
            if number % STEP == 0:
                progress(number, declared or 0)
        return numbered
    finally:
        book.close()


def _refuse_a_zip_bomb(path: Path) -> None:
    """Refuse (``TOO_BIG``) a workbook whose parts unpack to more than ``MAX_UNPACKED_BYTES``,
    going by the zip's directory, before openpyxl unpacks any (it reads the shared strings
    whole); a file that is no zip is left for openpyxl to refuse."""
    try:
        with zipfile.ZipFile(path) as book:
            unpacked = sum(part.file_size for part in book.infolist())
    except (zipfile.BadZipFile, OSError):
        return
    if unpacked > MAX_UNPACKED_BYTES:
        raise RosterFileError(RosterFileProblem.TOO_BIG, path)


def _cell_text(value: object) -> str:
    """A cell as a person reads it: 143.9 → "143.9", 8779.0 → "8779", empty → ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
