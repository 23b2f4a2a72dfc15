"""Reading a SQLite database's files as someone holding the box would: byte by byte, page by
page, and the write-ahead log commit by commit, without SQLite's help where SQLite would hide
something (old frames, freed pages, the slack inside pages, where a cell sits in its page).

The formats are SQLite's documented file format (https://sqlite.org/fileformat2.html).
"""

from __future__ import annotations

import sqlite3
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

HEADER = 100  # the database header at the start of page 1
WAL_HEADER = 32
FRAME_HEADER = 24
LEAF_TABLE, INTERIOR_TABLE, LEAF_INDEX, INTERIOR_INDEX = 13, 5, 10, 2


@dataclass(frozen=True)
class Frame:
    """One frame of the WAL: the page it holds, and the database size if it ends a commit."""

    page: int
    commit_pages: int
    data: bytes


def wal_frames(wal: bytes) -> list[Frame]:
    """Every frame in a WAL file, stale ones included (an attacker reads them all)."""
    if len(wal) < WAL_HEADER:
        return []
    page_size = struct.unpack(">I", wal[8:12])[0]
    frames = []
    at = WAL_HEADER
    while at + FRAME_HEADER + page_size <= len(wal):
        page, commit_pages = struct.unpack(">II", wal[at : at + 8])
        data = wal[at + FRAME_HEADER : at + FRAME_HEADER + page_size]
        frames.append(Frame(page, commit_pages, data))
        at += FRAME_HEADER + page_size
    return frames


def commits(database: bytes, wal: bytes) -> Iterator[bytes]:
    """The database as it was after each commit the WAL holds, oldest first."""
    frames = wal_frames(wal)
    if not frames:
        return
    size = len(frames[0].data)
    image = bytearray(database)
    for frame in frames:
        end = frame.page * size
        if len(image) < end:
            image.extend(bytes(end - len(image)))
        image[end - size : end] = frame.data
        if frame.commit_pages:
            yield bytes(image[: frame.commit_pages * size])


def query(image: bytes, sql: str, *params: object) -> list[tuple[object, ...]]:
    """Rows of ``sql`` on a database image (read in memory; nothing is written anywhere)."""
    connection = sqlite3.connect(":memory:")
    try:
        # Bytes 18-19 say "WAL mode", which a database in memory cannot open: say "rollback".
        connection.deserialize(image[:18] + b"\x01\x01" + image[20:])
        return connection.execute(sql, params).fetchall()
    except sqlite3.DatabaseError:
        return []  # an image of a half-written database: nothing to read in it
    finally:
        connection.close()


@dataclass
class Cell:
    """One cell of a b-tree page: where it sits in the page, its record's bytes and values."""

    offset: int
    payload: bytes
    values: list[object]


@dataclass
class Page:
    """A b-tree page: its number, its kind, and its cells in key order."""

    number: int
    kind: int
    cells: list[Cell] = field(default_factory=list)

    @property
    def leaf(self) -> bool:
        return self.kind in (LEAF_TABLE, LEAF_INDEX)

    def by_position(self) -> list[Cell]:
        """The cells in the order SQLite filled the page: from its end towards its start."""
        return sorted(self.cells, key=lambda cell: -cell.offset)


class DatabaseFile:
    """A database image, page by page."""

    def __init__(self, image: bytes) -> None:
        self.image = image
        self.page_size = struct.unpack(">H", image[16:18])[0] or 65536
        self.usable = self.page_size - image[20]
        self.pages = len(image) // self.page_size

    def page(self, number: int) -> bytes:
        """The bytes of page ``number`` (from 1)."""
        return self.image[(number - 1) * self.page_size : number * self.page_size]

    def roots(self) -> dict[str, int]:
        """Each table's and index's root page, by name."""
        rows = query(self.image, "SELECT name, rootpage FROM sqlite_schema WHERE rootpage > 0")
        return {"sqlite_schema": 1} | {str(name): int(str(root)) for name, root in rows}

    def tree(self, name: str) -> list[Page]:
        """Every page of the table or index ``name``, in key order (each interior page
        before the pages under it)."""
        found: list[Page] = []
        self._walk(self.roots()[name], found)
        return found

    def records(self) -> set[bytes]:
        """The record of every row and index entry in the database (an index keeps entries in
        its interior pages too)."""
        return {
            cell.payload
            for name in self.roots()
            for page in self.tree(name)
            if page.kind != INTERIOR_TABLE
            for cell in page.cells
        }

    def freed_pages(self) -> dict[int, bytes]:
        """The freelist's pages that are not blank, with what they hold (beyond the list's
        own page numbers)."""
        found = {}
        trunk = struct.unpack(">I", self.image[32:36])[0]
        while trunk:
            data = self.page(trunk)
            after, count = struct.unpack(">II", data[:8])
            leaves = [struct.unpack(">I", data[8 + 4 * i : 12 + 4 * i])[0] for i in range(count)]
            for number, kept in [(trunk, data[8 + 4 * count :])] + [
                (leaf, self.page(leaf)) for leaf in leaves
            ]:
                if kept.strip(b"\0"):
                    found[number] = kept
            trunk = after
        return found

    def _walk(self, number: int, found: list[Page]) -> None:
        page = self._parse(number)
        found.append(page)
        if not page.leaf:
            data = self.page(number)
            start = HEADER if number == 1 else 0
            for cell in page.cells:
                self._walk(struct.unpack(">I", data[cell.offset : cell.offset + 4])[0], found)
            self._walk(struct.unpack(">I", data[start + 8 : start + 12])[0], found)

    def _parse(self, number: int) -> Page:
        data = self.page(number)
        start = HEADER if number == 1 else 0
        kind = data[start]
        count = struct.unpack(">H", data[start + 3 : start + 5])[0]
        pointers = start + (8 if kind in (LEAF_TABLE, LEAF_INDEX) else 12)
        page = Page(number, kind)
        for i in range(count):
            offset = struct.unpack(">H", data[pointers + 2 * i : pointers + 2 * i + 2])[0]
            page.cells.append(self._cell(data, offset, kind))
        return page

    def _cell(self, data: bytes, offset: int, kind: int) -> Cell:
        at = offset + (4 if kind in (INTERIOR_TABLE, INTERIOR_INDEX) else 0)
        if kind == INTERIOR_TABLE:
            return Cell(offset, b"", [])
        size, at = _varint(data, at)
        if kind == LEAF_TABLE:
            _, at = _varint(data, at)  # the rowid
        local = self._local(size, kind)
        payload = data[at : at + local]
        if local < size:
            first = struct.unpack(">I", data[at + local : at + local + 4])[0]
            payload += self._overflow(first, size - local)
        return Cell(offset, payload, _record(payload))

    def _local(self, size: int, kind: int) -> int:
        """How much of a payload of ``size`` bytes the page holds (the rest overflows)."""
        usable = self.usable
        most = usable - 35 if kind == LEAF_TABLE else (usable - 12) * 64 // 255 - 23
        if size <= most:
            return size
        least = (usable - 12) * 32 // 255 - 23
        k = least + (size - least) % (usable - 4)
        return k if k <= most else least

    def _overflow(self, number: int, left: int) -> bytes:
        body = b""
        while number and left > 0:
            data = self.page(number)
            take = min(left, self.usable - 4)
            body += data[4 : 4 + take]
            left -= take
            number = struct.unpack(">I", data[:4])[0]
        return body


def shm_frame_pages(shm: bytes) -> list[int]:
    """The page of each frame the -shm index still names (its first block), in frame order."""
    start, slots = 136, 4062  # after two copies of the index header and the checkpoint info
    pages = struct.unpack(f"<{slots}I", shm[start : start + 4 * slots]) if len(shm) > 16384 else ()
    return [page for page in pages if page]


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = 0
    for i in range(9):
        byte = data[at + i]
        if i == 8:
            return (value << 8) | byte, at + 9
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, at + i + 1
    raise AssertionError("unreachable")


def _record(body: bytes) -> list[object]:
    """The values of a record (the SQLite record format)."""
    try:
        header, at = _varint(body, 0)
        types = []
        while at < header:
            kind, at = _varint(body, at)
            types.append(kind)
        values: list[object] = []
        at = header
        for kind in types:
            if kind == 0:
                values.append(None)
            elif kind in (8, 9):
                values.append(kind - 8)
            elif 1 <= kind <= 6:
                width = (1, 2, 3, 4, 6, 8)[kind - 1]
                values.append(int.from_bytes(body[at : at + width], "big", signed=True))
                at += width
            elif kind == 7:
                values.append(struct.unpack(">d", body[at : at + 8])[0])
                at += 8
            else:
                width = (kind - 12) // 2
                raw = body[at : at + width]
                values.append(raw.decode("utf-8", "replace") if kind % 2 else raw)
                at += width
        return values
    except IndexError:
        return []


def files_of(database: Path) -> dict[str, bytes]:
    """The database and every file SQLite keeps beside it (-wal, -shm, -journal), as bytes."""
    found = {}
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = database.with_name(database.name + suffix)
        if path.exists():
            found[suffix or "db"] = path.read_bytes()
    return found
