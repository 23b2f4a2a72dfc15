"""Paper ballots read from photos the tests draw themselves: never a box read wrongly, and most
single marks read without the clerk; the printed PDF read back by the same reader."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices import ballot_layout as layout
from devices.ballot_pdf import BallotPage, BallotWords, DeliveryRow, ballots_pdf, delivery_lists_pdf
from devices.ballot_reader import PX_PER_MM, PageProblem, Unclear, read_ballot
from meeting_room.domain.paper import ScanResult, judge_scan
from tests.support.ballot_scans import AMBIGUOUS, generate, serial_for

# make test reads 60 pages; `make ballots` the whole set of 300 (BENCHMARKS.md has both).
PAGES = int(os.environ.get("YISHI_BALLOT_PAGES", "60"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WORDS = BallotWords(
    title="业主大会表决票",
    instructions=["请在每个事项的一个方框内打 √ 或 ×，或涂满。", "签名后投入票箱。"],
    choices=("同意", "反对", "弃权"),
    signature="签名",
    date="日期",
    area_label="专有部分面积",
)


def test_generated_scans_are_never_read_wrongly_and_mostly_read_without_the_clerk() -> None:
    started = time.perf_counter()
    tally: Counter[str] = Counter()
    wrong: list[str] = []
    for index in range(PAGES):
        scan = generate(index)
        reading = read_ballot(scan.jpeg)
        tally["pages"] += 1
        tally["matters"] += len(scan.truth)
        tally["single"] += sum(1 for kind in scan.kinds if kind not in AMBIGUOUS)
        if reading.problem is not None:
            tally["pages_unread"] += 1
            tally["review"] += len(scan.truth)
            continue
        assert reading.serial == scan.serial, index  # a serial is never misread
        assert len(reading.matters) == len(scan.truth)
        for matter, truth, kind in zip(reading.matters, scan.truth, scan.kinds, strict=True):
            if matter.choice is None:
                tally["review"] += 1
                continue
            tally["read"] += 1
            tally["read_single"] += kind not in AMBIGUOUS
            if matter.choice != truth:
                wrong.append(f"page {index} matter {matter.matter + 1}: {kind} {truth} read as "
                             f"{matter.choice} {matter.darkness}")  # fmt: skip
    seconds = time.perf_counter() - started
    rate = tally["read_single"] / tally["single"]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"ballot-scans-{PAGES}.json").write_text(
        json.dumps(tally | {"wrong": len(wrong), "rate_single": rate, "seconds": seconds})
    )
    assert wrong == []
    assert tally["pages_unread"] <= max(1, PAGES // 30)
    assert rate >= 0.9, tally


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        (("tick_pen", "cross", "fill"), [None, None, None]),  # read (checked against the truth)
        (("none",), [Unclear.NONE]),
        (("two",), [Unclear.TWO]),
        (("between",), [Unclear.BETWEEN]),
    ],
)
def test_each_kind_of_hand_is_read_or_sent_to_the_clerk_for_its_reason(
    kinds: tuple[str, ...], expected: list[Unclear | None]
) -> None:
    for index in range(1000, 1006):  # a few photographs of the same hand
        scan = generate(index, matters=len(kinds), kinds=kinds)
        reading = read_ballot(scan.jpeg)
        if reading.problem is not None:
            continue  # the photo missed a corner: not this test's point
        assert [m.unclear for m in reading.matters] == expected
        for matter, truth in zip(reading.matters, scan.truth, strict=True):
            assert matter.choice == truth


def _printed_page(matters: int) -> np.ndarray:
    """The printed PDF's page at 150 dpi, as a flatbed scanner sees it."""
    pdf = ballots_pdf(
        [
            BallotPage(
                serial_for(7), "3栋2单元501", "89.50 m²", [f"事项{i}" for i in range(matters)]
            )
        ],
        WORDS,
    )
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            ["pdftoppm", "-r", "150", "-gray", "-png", "-singlefile", "-", f"{folder}/page"],
            input=pdf, capture_output=True, check=True,
        )  # fmt: skip
        page = cv2.imread(f"{folder}/page.png", cv2.IMREAD_GRAYSCALE)
    assert page is not None
    return np.asarray(page)


def test_the_printed_ballot_is_read_by_the_reader_at_the_layouts_places() -> None:
    page = _printed_page(3)
    px = page.shape[1] / layout.PAGE_WIDTH_MM
    box = layout.box_rect(1, 2)  # matter 2, abstain: a cross as a voter draws it
    corners = [(box.left + 2, box.top + 2), (box.left + box.width - 2, box.top + box.height - 2)]
    a, b = [(round(x * px), round(y * px)) for x, y in corners]
    cv2.line(page, a, b, 20, 3)
    cv2.line(page, (a[0], b[1]), (b[0], a[1]), 20, 3)
    reading = read_ballot(page)
    assert reading.problem is None
    assert reading.serial == serial_for(7)
    assert [(m.choice, m.unclear) for m in reading.matters] == [
        (None, Unclear.NONE),
        (2, None),
        (None, Unclear.NONE),
    ]
    crop = reading.crop(1)
    assert crop is not None and crop.shape[0] == round(layout.ROW_HEIGHT_MM * PX_PER_MM)


def test_a_page_without_its_corners_is_not_read() -> None:
    page = _printed_page(1)
    page[:, : page.shape[1] // 4] = 255  # both left corner markers gone
    assert read_ballot(page).problem is PageProblem.NO_MARKERS


def test_a_ballot_page_turned_upside_down_reads_the_same() -> None:
    page = _printed_page(2)
    reading = read_ballot(np.ascontiguousarray(page[::-1, ::-1]))
    assert reading.serial == serial_for(7)
    assert [m.unclear for m in reading.matters] == [Unclear.NONE, Unclear.NONE]


def test_delivery_lists_have_a_page_a_building_and_more_for_long_ones() -> None:
    rows = [DeliveryRow(f"1栋{i}", "ABC", "") for i in range(30)]
    pdf = delivery_lists_pdf(
        [("1栋", rows), ("2栋", rows[:3])], ("地址", "编号", "记录", "送达人", "时间")
    )
    pages = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout
    assert b"Pages:           3" in pages


def test_qr_text_carries_serial_and_matters_and_refuses_anything_else() -> None:
    serial = serial_for(1)
    assert layout.parse_qr_text(layout.qr_text(serial, 4)) == (serial, 4)
    assert layout.parse_qr_text("YISHI:12") is None
    assert layout.parse_qr_text(f"YSB1:{serial}:7") is None
    with pytest.raises(ValueError):
        layout.qr_text("O0O0O0O0O0O0", 1)  # letters a clerk would confuse are never printed


@pytest.mark.parametrize(
    ("ballot_period", "counted", "page_matters", "expected"),
    [
        (None, False, 3, ScanResult.UNKNOWN),
        (2, False, 3, ScanResult.WRONG_PERIOD),
        (1, True, 3, ScanResult.TWICE),
        (1, False, 2, ScanResult.LAYOUT),
        (1, False, 3, None),
    ],
)
def test_judge_scan_refuses_unknown_foreign_repeated_and_misshapen_pages(
    ballot_period: int | None, counted: bool, page_matters: int, expected: ScanResult | None
) -> None:
    assert (
        judge_scan(
            ballot_period=ballot_period,
            period=1,
            counted_before=counted,
            page_matters=page_matters,
            period_matters=3,
        )
        is expected
    )
