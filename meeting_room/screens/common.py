"""What every screen's template needs: the meeting in view, languages, time formatting; and
the speech a voter's screen (booth, phone) asks for, for its voter's ears only."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, request
from flask_babel import format_datetime, get_locale
from sqlalchemy.orm import Session

from meeting_room.assembly.words import art278_matters
from meeting_room.clock import local, now
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import MeetingStatus
from meeting_room.meetings.meetings import current_meeting, get_meeting
from meeting_room.meetings.snapshot import meeting_state
from meeting_room.store.models.meetings import Meeting
from meeting_room.voice.schemas import SayIn
from meeting_room.voice.speech import say_privately
from meeting_room.web.messages import state_name


def meeting_in_view(session: Session) -> Meeting:
    """The meeting named by ``?meeting=``, else the current one; refused when there is none."""
    wanted = request.args.get("meeting", type=int)
    if wanted is not None:
        return get_meeting(session, wanted)
    meeting = current_meeting(session, now())
    if meeting is None:
        raise Refusal(Problem.MEETING_NOT_FOUND, meeting_id=None)
    return meeting


def meeting_time(meeting: Meeting) -> str:
    """The meeting's start in the hall's time zone, in the page's language."""
    return format_datetime(local(meeting.starts_at), "medium")


def spoken_privately(wanted: SayIn) -> Response:
    """The answer to a voter's screen asking for its words as speech: a WAV made in memory,
    sent once and kept by nobody (no cache on the box, none in the browser)."""
    language = "en" if wanted.language.startswith("en") else "zh_CN"
    try:
        wav = say_privately(wanted.text, language, wanted.rate)
    except ValueError as error:  # nothing speakable in it (only signs)
        raise Refusal(Problem.INVALID_INPUT, detail="text") from error
    return Response(wav, mimetype="audio/wav", headers={"Cache-Control": "no-store"})


def init_app(app: Flask) -> None:
    """Template globals shared by every screen."""

    @app.context_processor
    def screen_context() -> dict[str, Any]:
        locale = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
        return {
            "locale": locale,
            "html_lang": "zh-CN" if locale.startswith("zh") else "en",
            "languages": current_app.config["LANGUAGES"],
            "meeting_time": meeting_time,
            "meeting_state": meeting_state,
            "state_name": state_name,
            "state_names": lambda: {str(status): state_name(status) for status in MeetingStatus},
            "art278_matters": art278_matters,
        }
