"""A meeting's notice period as the hall configures it (``NOTICE_DAYS``); the rule itself is
``domain.notice``. The board, the clerk's desk, the API and ``yishi create-meeting`` ask here."""

from __future__ import annotations

from flask import current_app

from meeting_room.domain.notice import NoticeCheck, notice_check
from meeting_room.store.models.meetings import Meeting

NOTICE_DAYS = 7  # default of the NOTICE_DAYS setting: how long ahead a meeting is announced


def notice_days() -> int:
    """How many days ahead a meeting must be announced (``NOTICE_DAYS``, default 7)."""
    return int(current_app.config.get("NOTICE_DAYS", NOTICE_DAYS))


def meeting_notice(meeting: Meeting) -> NoticeCheck:
    """The notice ``meeting`` was given, against the days the hall requires."""
    return notice_check(meeting.created_at, meeting.starts_at, notice_days())
