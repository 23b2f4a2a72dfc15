"""The words of paper ballots: a ballot's delivery and a scan's fate, and how a scan is judged.

Pure: no Flask, no database. ``judge_scan`` decides from what is on record whether a page may be
counted; the service writes what it says.
"""

from __future__ import annotations

from enum import StrEnum


class Delivery(StrEnum):
    """How a ballot reached its unit (入户送达)."""

    HANDED = "handed"  # into an owner's hands
    LEFT = "left"  # left at the door or in the letterbox
    REFUSED = "refused"  # the owner would not take it


class ScanResult(StrEnum):
    """What became of one page put to the reader."""

    COUNTED = "counted"  # every matter read and recorded
    REVIEW = "review"  # read, some matters left to the clerk
    UNREADABLE = "unreadable"  # corners or QR code not found: take the photo again
    UNKNOWN = "unknown"  # a serial no ballot of this box carries
    WRONG_PERIOD = "wrong_period"  # a ballot of another assembly
    TWICE = "twice"  # this ballot was counted before
    LAYOUT = "layout"  # the page's number of matters is not the period's


class Unread(StrEnum):
    """Why a page was not read at all (the reader's ``PageProblem``, in the store's words)."""

    NO_MARKERS = "no_markers"  # its corner markers not found: photograph it again
    NO_SERIAL = "no_serial"  # straightened, but its QR code not read: the clerk types the serial


class ReviewReason(StrEnum):
    """Why a matter was left to the clerk (the reader's ``Unclear``, in the store's words)."""

    NONE = "none"
    TWO = "two"
    BETWEEN = "between"
    DAMAGED = "damaged"


class ReviewDecision(StrEnum):
    """The clerk's decision on a matter left to them: a choice, or no valid vote."""

    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"
    INVALID = "invalid"  # no choice can be told: the matter is not counted for this unit


def judge_scan(
    *,
    ballot_period: int | None,
    period: int,
    counted_before: bool,
    page_matters: int,
    period_matters: int,
) -> ScanResult | None:
    """Why a page whose serial was read may not be counted, or None when it may."""
    if ballot_period is None:
        return ScanResult.UNKNOWN
    if ballot_period != period:
        return ScanResult.WRONG_PERIOD
    if counted_before:
        return ScanResult.TWICE
    if page_matters != period_matters:
        return ScanResult.LAYOUT
    return None
