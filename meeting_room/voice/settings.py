"""A meeting's voice settings: which announcements play, and each screen's volume and rate.

``voice_settings`` reads them over the defaults (everything on, the box's rate);
``save_voice_settings`` is ``voice.service``'s write; ``voice_config`` is what a screen's page
receives (at load, from ``/audio/config/<screen>`` and in ``voice.settings`` broadcasts).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy.orm import Session

from devices.speech_text import duration_words
from meeting_room.meetings.meetings import get_meeting
from meeting_room.store.models.meetings import VoiceSettings
from meeting_room.store.storage import transaction
from meeting_room.voice.schemas import Announcement, Screen, VoiceSetup
from meeting_room.voice.speech import AUDIO_PATH, LANGUAGES, say

# Where each announcement is heard: the greeting at the door, the floor on the wall, votes on the
# wall and in the booth's headphones.
HEARD_ON: dict[Announcement, tuple[Screen, ...]] = {
    Announcement.GREETING: (Screen.KIOSK,),
    Announcement.MEETING_OPENED: (Screen.PROJECTOR,),
    Announcement.MEETING_CLOSED: (Screen.PROJECTOR,),
    Announcement.NEXT_SPEAKER: (Screen.PROJECTOR,),
    Announcement.WARNING: (Screen.PROJECTOR,),
    Announcement.TIME_UP: (Screen.PROJECTOR,),
    Announcement.POLL_OPENED: (Screen.PROJECTOR, Screen.BOOTH),
    Announcement.POLL_CLOSING: (Screen.PROJECTOR, Screen.BOOTH),
    Announcement.POLL_RESULT: (Screen.PROJECTOR, Screen.BOOTH),
}


def voice_settings(session: Session, meeting_id: int) -> VoiceSetup:
    """The meeting's settings: what the moderator stored over the defaults (all on)."""
    stored = session.get(VoiceSettings, meeting_id)
    rate = current_app.config["TTS_RATE"]
    announcements: dict[str, bool] = {str(key): True for key in Announcement}
    screens: dict[str, dict[str, int]] = {str(screen): {"rate": rate} for screen in Screen}
    if stored is not None:
        announcements |= {k: v for k, v in stored.announcements.items() if k in announcements}
        for name, values in stored.screens.items():
            if name in screens:
                screens[name] |= values
    return VoiceSetup.model_validate({"announcements": announcements, "screens": screens})


def save_voice_settings(
    session: Session, meeting_id: int, wanted: VoiceSetup, moment: datetime
) -> VoiceSetup:
    """Store the moderator's settings (a partial setup changes only what it names)."""
    get_meeting(session, meeting_id)
    merged = voice_settings(session, meeting_id)
    merged.announcements |= wanted.announcements
    merged.screens |= wanted.screens
    row = session.get(VoiceSettings, meeting_id) or VoiceSettings(meeting_id=meeting_id)
    row.announcements = {str(k): v for k, v in merged.announcements.items()}
    row.screens = {str(k): v.model_dump() for k, v in merged.screens.items()}
    row.updated_at = moment
    session.add(row)
    return merged


def cue_words(key: Announcement, warning_s: int, language: str) -> str:
    """The projector's own cues in one language: "还剩三十秒", "时间到"."""
    with force_locale(language):
        if key == Announcement.WARNING:
            return str(gettext("%(time)s left", time=duration_words(warning_s, language)))
        return str(gettext("Time is up"))


def voice_config(screen: str, meeting_id: int) -> dict[str, Any]:
    """What a screen's page needs to speak: its volume and rate, the announcements it plays,
    and for the projector the WAVs of its countdown's cues (prepared now, fetched at once)."""
    place = Screen(screen)
    with transaction() as session:
        setup = voice_settings(session, meeting_id)
        warning_s = get_meeting(session, meeting_id).warning_s
    mine = setup.screens[place]
    heard = {str(k): setup.announcements[k] for k, where in HEARD_ON.items() if place in where}
    cues: dict[str, Any] = {}
    if place == Screen.PROJECTOR:
        for key in (Announcement.WARNING, Announcement.TIME_UP):
            if setup.announcements[key]:
                text = {lang: cue_words(key, warning_s, lang) for lang in LANGUAGES}
                audio = {lang: say(text[lang], lang, mine.rate) for lang in LANGUAGES}
                cues[str(key)] = {"text": text, "audio": audio}
    return {
        "screen": str(place),
        "meeting_id": meeting_id,
        "volume": mine.volume,
        "rate": mine.rate,
        "announcements": heard,
        "cues": cues,
        "elder": place != Screen.PROJECTOR,  # the shared attendee screens read each screen
        "say_url": f"{AUDIO_PATH}/say",
        "config_url": f"{AUDIO_PATH}/config/{place}?meeting_id={meeting_id}",
    }


def voice_setup(meeting_id: int) -> dict[str, Any]:
    """The meeting's voice settings for the moderator's console."""
    with transaction() as session:
        return voice_settings(session, meeting_id).model_dump(mode="json")
