"""Time the browser roster check's work (read, check every row, find the traps) on a roster of
``--rows`` members, as a .csv (UTF-8 with BOM) and as an .xlsx, built from the demo roster.

Run: ``.venv/bin/python bench/roster_check_bench.py`` (20,000 rows, the largest roster).
"""

from __future__ import annotations

import argparse
import csv
import io
import tempfile
import time
from pathlib import Path

import openpyxl

from meeting_room.attendance.roster_upload import CheckProgress, _read
from meeting_room.ops.demo_commands import DEMO_ROSTER


def roster(rows: int) -> list[list[str]]:
    """The demo roster's header and ``rows`` members, each with its own member id."""
    header, *members = list(csv.reader(io.StringIO(DEMO_ROSTER.read_text(encoding="utf-8"))))
    return [header] + [[f"B{n:06d}", *members[n % len(members)][1:]] for n in range(rows)]


def write(folder: Path, table: list[list[str]]) -> tuple[Path, Path]:
    out = io.StringIO()
    csv.writer(out).writerows(table)
    as_csv = folder / "roster.csv"
    as_csv.write_bytes(out.getvalue().encode("utf-8-sig"))
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in table:
        sheet.append(row)
    as_xlsx = folder / "roster.xlsx"
    book.save(as_xlsx)
    return as_csv, as_xlsx


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    wanted = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for path in write(Path(folder), roster(wanted.rows)):
            times = []
            for _ in range(wanted.repeat):
                start = time.perf_counter()
                found = _read(path, 2026, CheckProgress())
                times.append(time.perf_counter() - start)
                assert not isinstance(found, Exception) and found.total == wanted.rows
            print(
                f"{path.suffix[1:]}: {wanted.rows} rows checked in "
                f"{min(times):.2f} s best, {max(times):.2f} s worst of {wanted.repeat}"
            )


if __name__ == "__main__":
    main()
