"""The devices package: QR rendering, the PDF slip printer, the fakes and the adapter choice."""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import qrcode
from PIL import Image

from devices.adapters import Devices, build_devices
from devices.fakes import FAKE_PDF, FakeSlipPrinter
from devices.printing import QR_SIDE, FontMissingError, PdfSlipPrinter, Slip, masked_url
from devices.qr import qr_png, qr_svg, qr_terminal

TOKEN = "Zx9Qk2LmP4rT8vWc7yB1nD5sF3hJ6gK0"
URL = f"http://192.168.1.10:5000/v/{TOKEN}"


def reference_matrix(data: str, border: int) -> list[list[bool]]:
    """qrcode's own matrix for ``data`` at error correction M, independent of devices.qr."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=border)
    code.add_data(data)
    code.make(fit=True)
    matrix: list[list[bool]] = code.get_matrix()
    return matrix


SLIP = Slip(
    meeting_title="幸福里小区第三次业主议事会",
    meeting_time="2025年6月14日 14:00",
    venue="幸福里社区议事厅",
    name="王秀英",
    address="5栋2单元1203室",
    url=URL,
    heading="签到凭条",
    instructions=["用手机扫描二维码，打开您的表决页面。", "本凭条仅限本人使用。"],
    footer="如需帮助请找现场工作人员",
)


def a_slip(**changes: Any) -> Slip:
    return replace(SLIP, **changes)


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "slip.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture(scope="module")
def printer() -> PdfSlipPrinter:
    return PdfSlipPrinter()


# QR rendering


def test_svg_is_an_inline_svg_image_named_by_its_label() -> None:
    svg = qr_svg(URL, label="扫码投票")

    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert 'aria-label="扫码投票"' in svg
    assert "<title>扫码投票</title>" in svg
    assert 'fill="white"' in svg  # a white quiet zone even on a dark page
    assert " id=" not in svg  # two codes on one page must not share an id


def test_svg_escapes_its_label_so_it_is_safe_to_embed() -> None:
    svg = qr_svg(URL, label='<script>alert("x")</script> & co')

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "&amp; co" in svg


def test_svg_size_is_modules_with_quiet_zone_times_scale() -> None:
    modules = len(reference_matrix(URL, border=4))

    svg = qr_svg(URL, scale=5)

    assert f'width="{modules * 5}"' in svg
    assert f'height="{modules * 5}"' in svg
    assert f'viewBox="0 0 {modules} {modules}"' in svg
    assert "aria-label" not in svg
    assert 'aria-hidden="true"' in svg  # an unnamed role="img" fails accessibility checks


def test_png_decodes_as_a_square_black_and_white_image_of_the_code() -> None:
    modules = len(reference_matrix(URL, border=4))

    image = Image.open(io.BytesIO(qr_png(URL, box_size=6)))

    assert image.format == "PNG"
    assert image.size == (modules * 6, modules * 6)
    assert 33 * 6 <= image.width <= 57 * 6  # versions 2..6 with the quiet zone: a ballot URL
    assert image.convert("L").getpixel((0, 0)) == 255  # quiet zone is white
    assert image.convert("L").getpixel((4 * 6, 4 * 6)) == 0  # finder pattern's corner is black


def test_png_modules_match_the_qr_matrix() -> None:
    matrix = reference_matrix(URL, border=4)

    image = Image.open(io.BytesIO(qr_png(URL, box_size=4))).convert("L")

    drawn = [
        [image.getpixel((c * 4 + 2, r * 4 + 2)) == 0 for c in range(len(row))]
        for r, row in enumerate(matrix)
    ]
    assert drawn == matrix


def unblock(text: str) -> list[list[bool]]:
    """The module matrix (True = dark) drawn by qr_terminal's inverted half blocks."""
    light = {" ": (False, False), "▀": (True, False), "▄": (False, True), "█": (True, True)}
    rows: list[list[bool]] = []
    for line in text.split("\n"):
        pairs = [light[ch] for ch in line]
        rows.append([not top for top, _ in pairs])
        rows.append([not bottom for _, bottom in pairs])
    return rows


@pytest.mark.parametrize("data", ["x", URL, "http://10.0.0.2/v/" + "a" * 120])
def test_terminal_half_blocks_redraw_qrcodes_own_matrix_with_a_two_module_quiet_zone(
    data: str,
) -> None:
    expected = reference_matrix(data, border=2)

    drawn = unblock(qr_terminal(data))

    assert drawn[: len(expected)] == expected
    # An odd number of rows leaves half a line, drawn blank (the terminal's own background).
    assert all(all(row) for row in drawn[len(expected) :])


def test_terminal_code_uses_only_half_blocks_and_spaces_and_light_quiet_zone() -> None:
    lines = qr_terminal(URL).split("\n")

    assert set("".join(lines)) <= {" ", "▀", "▄", "█"}
    assert len({len(line) for line in lines}) == 1
    assert lines[0] == "█" * len(lines[0])  # the top quiet zone is ink: light on a dark terminal


# The PDF slip


def test_slip_is_a_single_a6_pdf_page(printer: PdfSlipPrinter, tmp_path: Path) -> None:
    pdf = printer.print_slip(a_slip())
    path = tmp_path / "slip.pdf"
    path.write_bytes(pdf)

    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)

    assert pdf.startswith(b"%PDF")
    assert "Pages:           1" in info.stdout
    assert "297.638 x 419.528 pts" in info.stdout  # A6 portrait


def test_slip_text_is_extractable_chinese(printer: PdfSlipPrinter, tmp_path: Path) -> None:
    text = pdf_text(printer.print_slip(a_slip()), tmp_path)

    for expected in (
        "签到凭条",
        "王秀英",
        "5栋2单元1203室",
        "幸福里小区第三次业主议事会",
        "2025年6月14日 14:00",
        "幸福里社区议事厅",
        "本凭条仅限本人使用。",
        "如需帮助请找现场工作人员",
    ):
        assert expected in text


def test_slip_shows_the_host_but_never_the_token(printer: PdfSlipPrinter, tmp_path: Path) -> None:
    pdf = printer.print_slip(a_slip())

    text = pdf_text(pdf, tmp_path)

    assert "http://192.168.1.10:5000/v/…" in text
    assert TOKEN not in text
    assert TOKEN[:8] not in text
    assert TOKEN.encode() not in pdf  # not in metadata or any uncompressed stream either


def test_slip_marks_a_character_the_font_lacks_with_a_box(
    printer: PdfSlipPrinter, tmp_path: Path
) -> None:
    # 𠮷 (U+20BB7, CJK Extension B) is not in WenQuanYi Zen Hei; without the box it vanished.
    text = pdf_text(printer.print_slip(a_slip(name="𠮷祥")), tmp_path)

    assert "□祥" in text


def test_slip_embeds_every_font(printer: PdfSlipPrinter, tmp_path: Path) -> None:
    path = tmp_path / "slip.pdf"
    path.write_bytes(printer.print_slip(a_slip()))

    listing = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)

    fonts = listing.stdout.splitlines()[2:]
    assert fonts, "the slip uses at least one font"
    for line in fonts:
        name, emb = line.split()[0], line.split()[-5]
        assert emb == "yes", f"{name} is not embedded"
        assert "+" in name  # a subset, not the whole 10 MB collection


def test_slip_qr_code_printed_is_qrcodes_code_for_the_url(
    printer: PdfSlipPrinter, tmp_path: Path
) -> None:
    expected = reference_matrix(URL, border=4)
    path = tmp_path / "slip.pdf"
    path.write_bytes(printer.print_slip(a_slip()))
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-gray",
            "-r",
            "300",
            "-singlefile",
            str(path),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    page = Image.open(tmp_path / "page.png").convert("L")
    module = QR_SIDE / len(expected) * 300 / 72

    # The top edge of the top-left finder pattern: the first solid run about 7 modules long.
    top, left = next(
        (y, x)
        for y in range(page.height)
        for x, length in dark_runs(page, y)
        if abs(length - 7 * module) < module / 2
    )
    origin_x, origin_y = left - 4 * module, top - 4 * module
    printed = [
        [
            page.getpixel((int(origin_x + (c + 0.5) * module), int(origin_y + (r + 0.5) * module)))
            < 128
            for c in range(len(expected))
        ]
        for r in range(len(expected))
    ]
    assert printed == expected


# Maps each grey level to b"1" (dark) or b"0" (light).
DARK = bytes(ord("1") if v < 128 else ord("0") for v in range(256))


def dark_runs(page: Image.Image, y: int) -> list[tuple[int, int]]:
    """(start, length) of each horizontal run of dark pixels in row ``y`` of a grey image."""
    row = page.crop((0, y, page.width, y + 1)).tobytes().translate(DARK)
    return [(run.start(), len(run.group())) for run in re.finditer(rb"1+", row)]


def test_url_mask_keeps_host_and_first_segment_only() -> None:
    assert masked_url(URL) == "http://192.168.1.10:5000/v/…"
    assert masked_url("http://box.local/ballot?t=secret") == "http://box.local/…"
    assert masked_url("https://10.0.0.2:8443/a/b/secret#frag") == "https://10.0.0.2:8443/a/…"


def test_printer_refuses_a_missing_font_with_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FontMissingError, match="CJK_FONT_PATH"):
        PdfSlipPrinter(font_path=tmp_path / "nope.ttc")


# Fakes and the composition


def test_fake_printer_records_each_slip_and_returns_a_fake_pdf() -> None:
    fake = FakeSlipPrinter()
    first, second = a_slip(name="甲"), a_slip(name="乙")

    results = [fake.print_slip(first), fake.print_slip(second)]

    assert fake.printed == [first, second]
    assert results == [FAKE_PDF, FAKE_PDF]


def test_build_devices_picks_the_fake_printer_when_configured() -> None:
    devices = build_devices({"PRINTER": "fake"})

    assert isinstance(devices, Devices)
    assert isinstance(devices.printer, FakeSlipPrinter)


def test_build_devices_defaults_to_the_pdf_printer_with_the_configured_font() -> None:
    assert isinstance(build_devices({}).printer, PdfSlipPrinter)
    with pytest.raises(FontMissingError):
        build_devices({"CJK_FONT_PATH": "/nonexistent/font.ttc"})


def test_build_devices_rejects_an_unknown_printer_naming_the_choices() -> None:
    with pytest.raises(ValueError, match=r"PRINTER='thermal'.*fake, pdf"):
        build_devices({"PRINTER": "thermal"})
