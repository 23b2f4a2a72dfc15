"""Voice for the room's screens: WAVs served from the speech cache (/audio/<name>.wav), text
made speakable on request (POST /audio/say), and the moderator's voice settings of a meeting
(which announcements play; each screen's volume and speech rate).

The server only prepares files: ``say`` returns a URL at once and the screen fetches it, the
route waiting a moment if espeak-ng is still writing it. Screens play what they get, each at its
own volume; the speech rate is part of the file, so each screen has its own URLs.
"""

from __future__ import annotations

import time
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from flask import Blueprint, Flask, Response, abort, current_app, request, send_file
from flask_babel import force_locale, gettext
from pydantic import BaseModel, Field, StringConstraints
from sqlalchemy.orm import Session

from devices.speech_text import duration_words
from devices.tts import CACHE_NAME, DEFAULT_RATE, RATES
from meeting_room.access.roles import Role, allow
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.extensions import socketio
from meeting_room.meetings.meetings import get_meeting
from meeting_room.store.models.meetings import VoiceSettings
from meeting_room.store.storage import transaction
from meeting_room.web.addresses import devices
from meeting_room.web.limits import Id

bp = Blueprint("voice", __name__)

AUDIO_PATH = "/audio"
WAIT_SECONDS = 3.0  # how long /audio waits for a file espeak-ng is still writing
WAIT_STEP = 0.02
LANGUAGES = ("zh_CN", "en")
# POST /audio/say: a burst of BURST texts per address, then one more a second.
BURST = 40
REFILL_PER_SECOND = 1.0


class Announcement(StrEnum):
    """What the room's screens say by themselves, each switchable by the moderator."""

    GREETING = "greeting"
    NEXT_SPEAKER = "next_speaker"
    WARNING = "warning"
    TIME_UP = "time_up"
    POLL_OPENED = "poll_opened"
    POLL_CLOSING = "poll_closing"
    POLL_RESULT = "poll_result"


class Screen(StrEnum):
    """The screens with a loudspeaker or headphones."""

    KIOSK = "kiosk"
    PROJECTOR = "projector"
    BOOTH = "booth"


# Where each announcement is heard: the greeting at the door, the floor on the wall, votes on the
# wall and in the booth's headphones.
HEARD_ON: dict[Announcement, tuple[Screen, ...]] = {
    Announcement.GREETING: (Screen.KIOSK,),
    Announcement.NEXT_SPEAKER: (Screen.PROJECTOR,),
    Announcement.WARNING: (Screen.PROJECTOR,),
    Announcement.TIME_UP: (Screen.PROJECTOR,),
    Announcement.POLL_OPENED: (Screen.PROJECTOR, Screen.BOOTH),
    Announcement.POLL_CLOSING: (Screen.PROJECTOR, Screen.BOOTH),
    Announcement.POLL_RESULT: (Screen.PROJECTOR, Screen.BOOTH),
}


class ScreenVoice(BaseModel):
    """How loud (0–100) and how fast (espeak-ng's words a minute) one screen speaks."""

    volume: int = Field(default=80, ge=0, le=100)
    rate: int = Field(default=DEFAULT_RATE, ge=RATES.start, le=RATES.stop - 1)


class VoiceSetup(BaseModel):
    """A meeting's voice settings as the console shows and sends them."""

    announcements: dict[Announcement, bool] = Field(default_factory=dict)
    screens: dict[Screen, ScreenVoice] = Field(default_factory=dict)


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


# Surnames read otherwise than their character's everyday reading: the spoken text puts a
# character of the surname's sound in its place (单 shàn → 善), so 单雄信 is not "dān xióng xìn".
SURNAMES = {
    "单": "善", "曾": "增", "解": "谢", "仇": "求", "区": "欧", "查": "渣", "朴": "瓢",
    "黑": "贺", "盖": "舸", "葛": "舸", "任": "人", "翟": "宅", "缪": "妙", "覃": "秦",
    "种": "虫", "召": "邵", "阚": "看", "燕": "烟",
}  # fmt: skip


def spoken_name(name: str) -> str:
    """A person's name as it should sound: 单雄信 → 善雄信 (only the text given to espeak-ng)."""
    if 2 <= len(name) <= 3 and name[0] in SURNAMES:
        return SURNAMES[name[0]] + name[1:]
    return name


def audio_url(name: str) -> str:
    """The address of a cached WAV (no request needed: announcements come from background tasks)."""
    return f"{AUDIO_PATH}/{name}"


def spoken_text(text: str, names: tuple[str, ...] = ()) -> str:
    """What espeak-ng is given for ``text``: the ``names`` in it as they should sound."""
    for name in names:
        text = text.replace(name, spoken_name(name))
    return text


def say(
    text: str, language: str = "zh_CN", rate: int | None = None, names: tuple[str, ...] = ()
) -> str:
    """Prepare ``text`` as speech and return its URL at once; ``names`` are read as names."""
    return audio_url(devices().speaker.prepare(spoken_text(text, names), language, rate).name)


def sentences(parts: list[str], language: str) -> str:
    """Parts as one utterance, each ending with a full stop unless it has its own."""
    english = language.startswith("en")
    stop = "." if english else "。"
    done = []
    for part in filter(None, (p.strip() for p in parts)):
        done.append(part if part[-1] in ".!?。！？：:" else part + stop)
    return (" " if english else "").join(done)


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


@bp.get(f"{AUDIO_PATH}/<name>")
@allow(Role.ANYONE)
def audio(name: str) -> Response:
    """A WAV of the speech cache; waits up to ``WAIT_SECONDS`` for one still being written."""
    if not CACHE_NAME.fullmatch(name):
        abort(404)
    path = devices().speaker.cache_dir / name
    deadline = time.monotonic() + WAIT_SECONDS
    while not path.exists():
        if time.monotonic() > deadline:
            abort(404)
        socketio.sleep(WAIT_STEP)  # gevent's sleep when serving: other requests go on
    response = send_file(path, mimetype="audio/wav", conditional=True)
    # A name is a hash of what is said, by which voice, how fast: its file never changes.
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


class SayIn(BaseModel):
    """Text a screen wants read aloud (what it shows: a screen's words, options, a receipt)."""

    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
    language: Annotated[str, StringConstraints(pattern=r"^(zh|en)([-_][A-Za-z]{2})?$")] = "zh_CN"
    rate: int | None = Field(default=None, ge=RATES.start, le=RATES.stop - 1)


class ConfigQuery(BaseModel):
    """The meeting whose voice settings a screen asks for."""

    meeting_id: Id


class _Bucket:
    """A token bucket per client address: bursts are fine, a flood is not."""

    def __init__(self) -> None:
        self.levels: dict[str, tuple[float, float]] = {}

    def take(self, who: str) -> bool:
        moment = time.monotonic()
        if len(self.levels) > 10_000:  # many addresses: forget the idle ones' history
            self.levels.clear()
        level, then = self.levels.get(who, (BURST, moment))
        level = min(BURST, level + (moment - then) * REFILL_PER_SECOND)
        if level < 1:
            self.levels[who] = (level, moment)
            return False
        self.levels[who] = (level - 1, moment)
        return True


@bp.post(f"{AUDIO_PATH}/say")
@allow(Role.ANYONE)
def say_text() -> Any:
    """Read-aloud: the URL of ``text`` spoken in ``language`` (the WAV follows when ready)."""
    bucket: _Bucket = current_app.extensions["yishi.voice.bucket"]
    if not bucket.take(request.remote_addr or "?"):
        raise Refusal(Problem.READ_ALOUD_BUSY)
    wanted = SayIn.model_validate(request.get_json(silent=True) or {})
    language = "en" if wanted.language.startswith("en") else "zh_CN"
    try:
        url = say(wanted.text, language, wanted.rate)
    except ValueError as error:  # nothing speakable in it (only signs)
        raise Refusal(Problem.INVALID_INPUT, detail="text") from error
    return {"url": url}


@bp.get(f"{AUDIO_PATH}/config/<screen>")
@allow(Role.ANYONE)
def config(screen: str) -> dict[str, Any]:
    """A screen's voice settings (the kiosk asks again after each person)."""
    if screen not in {str(place) for place in Screen}:
        abort(404)
    return voice_config(screen, ConfigQuery.model_validate(request.args.to_dict()).meeting_id)


def init_app(app: Flask) -> None:
    """The routes, the read-aloud limit and the templates' ``voice_config``."""
    app.register_blueprint(bp)
    app.extensions["yishi.voice.bucket"] = _Bucket()
    app.add_template_global(voice_config)
    app.add_template_global(voice_setup)
