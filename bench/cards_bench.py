"""Paper cards: detection rate, wrong answers and time per photo on generated room photos.

Generates K photos (fixed seeds) at 4032×3024 and 1920×1080, 40 cards each, under each of the
tests' conditions (``tests/unit/test_cards.py``), reads them with ``devices.cards`` and prints,
per resolution and condition: cards placed, read, seen but unclear, wrong answers and wrong
numbers (both must be 0), and the median and p95 time to read one photo (decoding included).

Run: ``.venv/bin/python bench/cards_bench.py [K]`` (K = 10 photos a row by default).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devices.cards import scan_photo
from tests.unit.test_cards import (
    DIAGONAL,
    HARSH,
    MODERATE,
    PHOTO_SIZES,
    room_photo,
)

SEED = 4_000


def main(photos: int) -> None:
    """Print one row per resolution and condition."""
    print(f"{photos} photos a row, 40 cards a photo; times are per photo, decoding included")
    header = (
        "resolution   condition  markers px  placed  read  rate    unclear  wrong  p50 s  p95 s"
    )
    print(header)
    for (width, height), marker_px in PHOTO_SIZES.items():
        for conditions in (MODERATE, HARSH, DIAGONAL):
            placed = read = unclear = wrong = 0
            seconds = []
            for k in range(photos):
                photo = room_photo(SEED + k, (width, height), conditions, marker_px=marker_px)
                start = time.perf_counter()
                scan = scan_photo(photo.jpeg)
                seconds.append(time.perf_counter() - start)
                truth = {card.number: card.answer for card in photo.cards}
                placed += len(truth)
                read += len(scan.readings)
                unclear += len(scan.unclear | scan.conflicts)
                wrong += sum(truth.get(r.number) != r.answer for r in scan.readings)
            p95 = statistics.quantiles(seconds, n=20)[-1] if len(seconds) > 1 else seconds[0]
            print(
                f"{width}×{height:<5}  {conditions.name:<9}  {marker_px[0]:>3}–{marker_px[1]:<4}"
                f"  {placed:>6}  {read:>4}  {read / placed:6.1%}  {unclear:>7}  {wrong:>5}"
                f"  {statistics.median(seconds):5.2f}  {p95:5.2f}"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
