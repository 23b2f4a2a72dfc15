"""Tables written as spreadsheet files: CSV (UTF-8 with a BOM) or Excel.

No cell can run as a formula: a text starting like one is written with a leading quote (CSV
injection), in every file Yishi hands out (the exports and the clerk's attendance list).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from enum import StrEnum

Cell = str | int

# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class FileFormat(StrEnum):
    """How a table is written."""

    CSV = "csv"
    XLSX = "xlsx"


MIMETYPES = {
    FileFormat.CSV: "text/csv",
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Table:
    """A header and its rows, every text already in the reader's language."""

    title: str
    header: list[str]
    rows: list[list[Cell]]


def safe_cell(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _safe_lines(table: Table) -> list[list[Cell]]:
    header: list[Cell] = list(table.header)
    return [
        [safe_cell(c) if isinstance(c, str) else c for c in line] for line in [header, *table.rows]
    ]


def to_csv(table: Table) -> bytes:
    """UTF-8 with a BOM (so Excel reads the Chinese), every text cell formula-safe."""
    out = io.StringIO()
    csv.writer(out).writerows(_safe_lines(table))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    """An Excel workbook of one sheet, every text cell formula-safe."""
    return to_xlsx_book([table])


def sheet_title(title: str, taken: set[str]) -> str:
    """A sheet name Excel accepts: ≤ 31 characters, none of []:*?/\\, unique in the book."""
    name = "".join(" " if c in "[]:*?/\\" else c for c in title).strip()[:31] or "-"
    base, number = name, 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(name.lower())
    return name


def to_xlsx_book(tables: list[Table]) -> bytes:
    """An Excel workbook of a sheet per table, every text cell formula-safe."""
    from openpyxl import Workbook  # here: openpyxl takes ~28 MB, only an export needs it

    book = Workbook()
    book.remove(book.worksheets[0])
    taken: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(sheet_title(table.title, taken))
        for line in _safe_lines(table):
            sheet.append(line)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def written(table: Table, file_format: FileFormat) -> bytes:
    """The table as a file of ``file_format``."""
    return to_csv(table) if file_format is FileFormat.CSV else to_xlsx(table)
