"""The files of the attacks, made as an attacker would make them: small on the wire, huge once
unpacked. Each is built in about a second (the deflate streams are made of one block repeated)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

HEADER = "member_id,name,building,unit,room,floor,area_m2,phone_tail,group,birth_year"


def png_bomb(width: int = 30_000, height: int = 30_000, rows_per_block: int = 1000) -> bytes:
    """A valid greyscale PNG of ``width``×``height`` black pixels: 900 million pixels in about
    855 KB (each block of rows is compressed once, after a full flush, and repeated)."""
    assert height % rows_per_block == 0
    block = bytes((width + 1) * rows_per_block)  # each row: filter byte 0, then the pixels
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    middle = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)
    end = deflate.flush(zlib.Z_FINISH)
    adler = 1
    for _ in range(height // rows_per_block):
        adler = zlib.adler32(block, adler)
    stream = b"\x78\xda" + middle * (height // rows_per_block) + end + struct.pack(">I", adler)

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"".join(
        (b"\x89PNG\r\n\x1a\n", chunk(b"IHDR", header), chunk(b"IDAT", stream), chunk(b"IEND", b""))
    )


def _row(values: list[str] | tuple[str, ...]) -> str:
    # Rows and cells without their optional ``r`` attribute: every member's row is the same
    # text, so the sheet packs tight, as a bomb's does.
    cells = "".join(f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in values)
    return f"<row>{cells}</row>"


def _sheet_rows(rows: int) -> str:
    member = ("M000001", "王静", "1栋", "1单元", "101", "1", "88.5", "1234", "业主", "1960")
    return _row(HEADER.split(",")) + _row(member) * rows


def xlsx_roster(path: Path, rows: int, declared: int | None = None) -> Path:
    """A roster workbook of ``rows`` members (plus the header; all the same member), written
    with inline strings; ``declared`` is the row count its ``<dimension>`` claims (a lie if it
    differs from ``rows``)."""
    last = (declared if declared is not None else rows) + 1
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:J{last}"/><sheetData>{_sheet_rows(rows)}</sheetData></worksheet>'
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="roster" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as book:
        for name, text in parts.items():
            book.writestr(name, text)
    path.write_bytes(buffer.getvalue())
    return path
