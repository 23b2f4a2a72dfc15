"""Roster files for the upload tests: the shared 480-household sample in each encoding a
community office sends, and as a workbook; and the same with the usual spreadsheet traps."""

from __future__ import annotations

import csv
import io
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DEMO_ROSTER = ROOT / "meeting_room" / "ops" / "demo" / "roster-demo.csv"
SHARED_SAMPLE = ROOT.parent / "shared" / "data" / "roster-sample.csv"
SAMPLE_ROWS = 480


def sample_text() -> str:
    """The 480-household sample: the shared file when present (it is the demo roster's first
    480 members, which the repository carries)."""
    if SHARED_SAMPLE.exists():
        return SHARED_SAMPLE.read_text(encoding="utf-8")
    lines = DEMO_ROSTER.read_text(encoding="utf-8").splitlines(keepends=True)
    return "".join(lines[: SAMPLE_ROWS + 1])


def sample_rows() -> list[list[str]]:
    """The sample as rows of text, the header first."""
    return list(csv.reader(io.StringIO(sample_text())))


def as_csv(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    """Rows as a CSV file in ``encoding`` ("utf-8-sig" writes Excel's BOM)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def as_xlsx(rows: list[list[str]], numbers: bool = False) -> bytes:
    """Rows as a workbook; with ``numbers``, digit-only cells are stored as numbers, as a
    spreadsheet does when the column is not formatted as text (0123 becomes 123)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append([int(c) if numbers and c.isdigit() else c for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_zero_tail(rows: list[list[str]], line: int) -> list[list[str]]:
    """The rows with the member on file line ``line`` given the phone tail 0123."""
    changed = [list(r) for r in rows]
    changed[line - 1][rows[0].index("phone_tail")] = "0123"
    return changed
