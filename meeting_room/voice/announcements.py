"""Announcements (see docs/events.md): after a change is committed, the screens that hear it say it.

``say`` {key, text: {zh_CN, en}, audio: {zh_CN, en}, volume} goes to the meeting's projectors
and booths, each screen with WAVs at its own rate; the kiosk's greeting rides on its sign-in
answer. The speech countdown's cues are the projector's own (it alone knows the moment).
/moderator: ``voice.settings`` stores the switches, volumes and rates and tells the screens.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask import Flask, current_app
from flask_babel import force_locale, gettext
from sqlalchemy import select

from devices.speech_text import duration_words
from meeting_room.clock import now
from meeting_room.domain.words import PollStatus
from meeting_room.extensions import socketio
from meeting_room.store.models.voting import Poll
from meeting_room.store.storage import transaction
from meeting_room.voice.schemas import Announcement, Screen
from meeting_room.voice.settings import HEARD_ON, voice_settings
from meeting_room.voice.speech import LANGUAGES, say, sentences, spoken_text
from meeting_room.web.addresses import devices
from meeting_room.web.rooms import BOOTH, KIOSK, PROJECTOR, meeting_room_name

NAMESPACES = {Screen.KIOSK: KIOSK, Screen.PROJECTOR: PROJECTOR, Screen.BOOTH: BOOTH}
CLOSING_NOTICE_S = 60  # "closing in one minute"
CLOSING_WINDOW_S = 10  # said only this close to the minute (not late, after a restart)
CLOSING_KEY = "yishi.voice.closing_said"

Words = dict[str, str]  # language → text


def _words(build: Callable[[str], str]) -> Words:
    """``build(language)`` in each language of the box."""
    words = {}
    for language in LANGUAGES:
        with force_locale(language):
            words[language] = build(language)
    return words


def announce(meeting_id: int, key: Announcement, text: Words, names: tuple[str, ...] = ()) -> None:
    """Send ``say`` to every screen that hears ``key``, unless the moderator switched it off."""
    with transaction() as session:
        setup = voice_settings(session, meeting_id)
    if not setup.announcements[key]:
        return
    for screen in HEARD_ON[key]:
        mine = setup.screens[screen]
        if mine.volume == 0:
            continue
        audio = {lang: say(text[lang], lang, mine.rate, names) for lang in LANGUAGES}
        payload = {"key": str(key), "text": text, "audio": audio, "volume": mine.volume}
        socketio.emit(
            "say", payload, namespace=NAMESPACES[screen], to=meeting_room_name(meeting_id)
        )
    if Screen.PROJECTOR in HEARD_ON[key] and current_app.config.get("TTS_PLAYBACK"):
        devices().speaker.speak(spoken_text(text["zh_CN"], names), "zh_CN")


def greet(
    meeting_id: int, text: str, language: str, names: tuple[str, ...]
) -> dict[str, Any] | None:
    """The kiosk's greeting as {key, text, url, volume}, or None when it is switched off."""
    with transaction() as session:
        setup = voice_settings(session, meeting_id)
    kiosk = setup.screens[Screen.KIOSK]
    if not setup.announcements[Announcement.GREETING] or kiosk.volume == 0:
        return None
    url = say(text, language, kiosk.rate, names)
    return {"key": str(Announcement.GREETING), "text": text, "url": url, "volume": kiosk.volume}


def announce_meeting_opened(
    meeting_id: int, title: str, in_person: int, by_proxy: int, quorum_met: bool
) -> None:
    """What the chair says first (宣布开会): the meeting, who is here, and whether the quorum
    recorded at this moment is met or the moderator confirmed opening without it (called by
    ``life.service.open_meeting`` after the commit)."""

    def build(language: str) -> str:
        present = (
            gettext(
                "%(in_person)s present in person, %(by_proxy)s by proxy.",
                in_person=in_person,
                by_proxy=by_proxy,
            )
            if by_proxy
            else gettext("%(in_person)s present.", in_person=in_person)
        )
        quorum = (
            gettext("The quorum is met.")
            if quorum_met
            else gettext("The quorum is not met; the moderator confirmed the opening.")
        )
        opened = gettext("The meeting is open: %(title)s", title=title)
        return sentences([opened, present, quorum], language)

    announce(meeting_id, Announcement.MEETING_OPENED, _words(build))


def announce_meeting_closed(meeting_id: int) -> None:
    """The chair's last words (宣布散会), after ``life.service.close_meeting`` committed."""
    text = _words(lambda lang: gettext("The meeting is closed. Thank you all."))
    announce(meeting_id, Announcement.MEETING_CLOSED, text)


def announce_speaker(meeting_id: int, name: str, limit_s: int) -> None:
    """Say who speaks and for how long (请孙艳娜发言，限时两分钟), after ``speaker.next``."""
    text = _words(
        lambda lang: gettext(
            "%(name)s, you have the floor for %(time)s.",
            name=name,
            time=duration_words(limit_s, lang),
        )
    )
    announce(meeting_id, Announcement.NEXT_SPEAKER, text, (name,))


def announce_opened(meeting_id: int, question: str, duration_s: int | None) -> None:
    """The question of a poll just opened, and its time if it has a countdown (called by
    ``voting.service.open_poll`` after the commit)."""

    def build(language: str) -> str:
        parts = [gettext("Voting is open: %(question)s", question=question)]
        if duration_s:
            time = duration_words(duration_s, language)
            parts.append(gettext("Please vote within %(time)s.", time=time))
        else:
            parts.append(gettext("Please vote."))
        return sentences(parts, language)

    announce(meeting_id, Announcement.POLL_OPENED, _words(build))


@dataclass(frozen=True)
class PollOutcome:
    """What is said of a closed poll: a yes/no poll's verdict (``passed``) and its votes for,
    against and abstaining; or, with ``passed`` None, a choice poll's places as the result
    words them in each language (those chosen, a tie and what the hall does next)."""

    passed: bool | None
    votes: tuple[int, int, int] = (0, 0, 0)
    places: Words = field(default_factory=dict)


def announce_result(meeting_id: int, outcome: PollOutcome) -> None:
    """Say the verdict and the votes (表决通过。赞成3票，反对1票，弃权0票。) of a closed poll
    (called by ``voting.service.close`` after the commit)."""

    def build(language: str) -> str:
        if outcome.passed is not None:
            verdict = (
                gettext("The motion is passed.")
                if outcome.passed
                else gettext("The motion is not passed.")
            )
            yes, no, abstain = outcome.votes
            return sentences(
                [
                    verdict,
                    gettext(
                        "For %(yes)s, against %(no)s, abstain %(abstain)s.",
                        yes=yes,
                        no=no,
                        abstain=abstain,
                    ),
                ],
                language,
            )
        said = outcome.places.get(language) or gettext("No ballots")
        return sentences([gettext("Voting has closed."), said], language)

    announce(meeting_id, Announcement.POLL_RESULT, _words(build))


def announce_closing(app: Flask) -> list[int]:
    """Say "closing in one minute" once for each open poll entering its last minute (a poll
    with a countdown of a minute or less has none); run by the watcher that closes polls."""
    said: set[int] = app.extensions.setdefault(CLOSING_KEY, set())
    with app.app_context():
        moment = now()
        notice = timedelta(seconds=CLOSING_NOTICE_S)
        with transaction() as session:
            due = session.execute(
                select(Poll.id, Poll.meeting_id).where(
                    Poll.status == PollStatus.OPEN,
                    Poll.duration_s > CLOSING_NOTICE_S,
                    Poll.closes_at <= moment + notice,
                    Poll.closes_at > moment + notice - timedelta(seconds=CLOSING_WINDOW_S),
                )
            ).all()
        fresh = [(poll_id, meeting_id) for poll_id, meeting_id in due if poll_id not in said]
        for poll_id, meeting_id in fresh:
            said.add(poll_id)
            text = _words(lambda lang: gettext("Voting closes in one minute."))
            announce(meeting_id, Announcement.POLL_CLOSING, text)
    return [poll_id for poll_id, _ in fresh]
