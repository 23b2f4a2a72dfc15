"""The hall's periodic satisfaction survey (``SURVEY_PERIODIC``, default on): when a quarter
begins, by the app's clock, the box makes the quarter's survey and opens it for
``SURVEY_OPEN_DAYS`` (default 14), once, as made by "system"; it closes by itself at the end of
those days. Done lazily: by the first read of the surveys in the quarter (the clerk's screen,
the kiosk, the booth, the phone page, the API) or by the server's background round
(``ops.backup_schedule``), whichever comes first.

Apart from ``followup.service`` so that the phone page can ask without loading the service's
heavier imports (the PDF and calendar libraries); the service re-exports these.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app
from flask_babel import force_locale, gettext

from meeting_room.clock import now, today
from meeting_room.domain.follow_up import next_periodic_survey, quarter_of
from meeting_room.extensions import socketio
from meeting_room.followup import surveys
from meeting_room.followup.schemas import SurveyView
from meeting_room.store.storage import transaction
from meeting_room.web.rooms import BOARD, BOARD_ROOM, CLERK

CHANGED = "follow.changed"


def announce_change(action_id: int, what: str) -> None:
    """Tell the clerk desks and the notice boards that the follow-up list changed."""
    payload: dict[str, Any] = {"action_id": action_id, "what": what}
    socketio.emit(CHANGED, payload, namespace=CLERK)
    socketio.emit(CHANGED, payload, namespace=BOARD, to=BOARD_ROOM)


def survey_open_days() -> int:
    """How many days a survey stays open by default (``SURVEY_OPEN_DAYS``, default 14)."""
    return int(current_app.config.get("SURVEY_OPEN_DAYS", 14))


def periodic_on() -> bool:
    """Whether the box makes each quarter's survey by itself (``SURVEY_PERIODIC``, default on)."""
    return bool(current_app.config.get("SURVEY_PERIODIC", True))


_CHECKED = "yishi.periodic_survey_quarter"  # the quarter this process already saw made or past


def _survey_words(year: int, quarter: int) -> tuple[str, str]:
    """The automatic survey's title and question, in the hall's language."""
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "zh_CN")):
        return (
            str(
                gettext(
                    "Satisfaction survey of the hall, %(year)s Q%(quarter)s",
                    year=year,
                    quarter=quarter,
                )
            ),
            str(
                gettext(
                    "How satisfied are you with the hall's deliberation and the follow-up of its "
                    "decisions this quarter?"
                )
            ),
        )


def ensure_periodic_survey() -> SurveyView | None:
    """Make and open the quarter's survey if it is due (``SURVEY_PERIODIC``), once per quarter:
    the survey made, or None. Checked in one write transaction (SQLite's BEGIN IMMEDIATE), so
    two desks asking at once make one survey; after that this process only compares dates."""
    if not periodic_on():
        return None
    day, moment = today(), now()
    start, _end = quarter_of(day)
    if current_app.extensions.get(_CHECKED) == start:
        return None
    words = _survey_words(start.year, (start.month - 1) // 3 + 1)
    with transaction() as session:
        survey = surveys.make_periodic(session, day, moment, survey_open_days(), words)
        view = surveys.survey_view(session, survey, moment) if survey else None
    current_app.extensions[_CHECKED] = start
    if view is not None:
        announce_change(0, "survey")
    return view


def next_periodic_day() -> date | None:
    """The day the box makes the next survey by itself (None: the hall makes them by hand)."""
    if not periodic_on():
        return None
    day = today()
    with transaction() as session:
        return next_periodic_survey(day, survey_open_days(), surveys.covered_quarters(session))
