"""Voice over HTTP: WAVs from the speech cache (``/audio/<name>``), read-aloud for the screens
(``POST /audio/say``) and each screen's voice settings.

Read-aloud makes speech of any text it is sent, so it is not open to anyone: a paired screen,
staff, or a phone with its attendee's personal token (in the body) may ask, each within a
limit of its own (a hall's phones share one address behind its access point, so the limit
is not per address). Screens and staff speak in the room's lane; phones in read-aloud's, which
waits behind the room's and is capped (``devices.tts``).
"""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, request, send_file

from devices.tts import CACHE_NAME, Lane, SpeechBusy
from meeting_room.access.principal import current_principal
from meeting_room.access.roles import DEVICES, STAFF, Role, allow, refusal_for
from meeting_room.attendance.tokens import attendance_by_token
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.extensions import socketio
from meeting_room.store.storage import transaction
from meeting_room.voice.schemas import ConfigQuery, SayIn, Screen
from meeting_room.voice.settings import voice_config, voice_setup
from meeting_room.voice.speech import AUDIO_PATH, say
from meeting_room.web.addresses import devices

bp = Blueprint("voice", __name__)

WAIT_SECONDS = 3.0  # how long /audio waits for a file espeak-ng is still writing
WAIT_STEP = 0.02
# POST /audio/say: a burst of BURST texts per reader (screen, account, attendee), then one
# more a second.
BURST = 40
REFILL_PER_SECOND = 1.0
LIMIT = "yishi.voice.bucket"
READERS = frozenset({*STAFF, *DEVICES, Role.ATTENDEE})


class ReadAloudLimit:
    """A token bucket per reader: bursts are fine, a flood is not."""

    def __init__(self) -> None:
        self.levels: dict[str, tuple[float, float]] = {}

    def take(self, who: str) -> bool:
        """Whether ``who`` may have one more text read now (taking it from the bucket)."""
        moment = time.monotonic()
        if len(self.levels) > 10_000:  # many readers: forget the idle ones' history
            self.levels.clear()
        level, then = self.levels.get(who, (BURST, moment))
        level = min(BURST, level + (moment - then) * REFILL_PER_SECOND)
        if level < 1:
            self.levels[who] = (level, moment)
            return False
        self.levels[who] = (level - 1, moment)
        return True


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
    response = send_file(path, mimetype="audio/wav", conditional=True, etag=name)
    # A name is a keyed hash of what is said, by which voice, how fast: its file never changes.
    # No Last-Modified: the file's time says when a name was first spoken (a sign-in's time).
    response.headers.pop("Last-Modified", None)
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    return response


def _reader(token: str | None) -> tuple[str, Lane]:
    """Who asks to have a text read (a key of the limit) and the lane they take: a paired
    screen or staff the room's, a phone (its attendee's token) read-aloud's. Anyone else is
    refused (``login_required``; a token no longer valid: ``token_unknown``)."""
    principal = current_principal()
    if principal.device_id is not None:
        return f"device:{principal.device_id}", Lane.ROOM
    if principal.account_id is not None:
        return f"account:{principal.account_id}", Lane.ROOM
    if not token:
        raise refusal_for(READERS - {Role.ATTENDEE}, principal)
    with transaction() as session:
        return f"attendance:{attendance_by_token(session, token).id}", Lane.READ_ALOUD


@bp.post(f"{AUDIO_PATH}/say")
@allow(*READERS)
def say_text() -> Any:
    """Read-aloud for a paired screen, staff or a phone (with its personal ``token``): the URL
    of ``text`` spoken in ``language`` (the WAV follows when ready). Refused to anyone else,
    beyond a reader's limit or when too much read-aloud waits (``too_many_requests``)."""
    wanted = SayIn.model_validate(request.get_json(silent=True) or {})
    reader, lane = _reader(wanted.token)
    limit: ReadAloudLimit = current_app.extensions[LIMIT]
    if not limit.take(reader):
        raise Refusal(Problem.READ_ALOUD_BUSY)
    language = "en" if wanted.language.startswith("en") else "zh_CN"
    try:
        url = say(wanted.text, language, wanted.rate, lane=lane)
    except SpeechBusy as error:
        raise Refusal(Problem.READ_ALOUD_BUSY) from error
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
    """The routes, the read-aloud limit and the templates' ``voice_config`` and ``voice_setup``."""
    app.register_blueprint(bp)
    app.extensions[LIMIT] = ReadAloudLimit()
    app.add_template_global(voice_config)
    app.add_template_global(voice_setup)
