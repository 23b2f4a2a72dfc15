"""Voice over HTTP: WAVs from the speech cache (``/audio/<name>``), read-aloud for the screens
(``POST /audio/say``, limited per address) and each screen's voice settings."""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, request, send_file

from devices.tts import CACHE_NAME
from meeting_room.access.roles import Role, allow
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.extensions import socketio
from meeting_room.voice.schemas import ConfigQuery, SayIn, Screen
from meeting_room.voice.settings import voice_config, voice_setup
from meeting_room.voice.speech import AUDIO_PATH, say
from meeting_room.web.addresses import devices

bp = Blueprint("voice", __name__)

WAIT_SECONDS = 3.0  # how long /audio waits for a file espeak-ng is still writing
WAIT_STEP = 0.02
# POST /audio/say: a burst of BURST texts per address, then one more a second.
BURST = 40
REFILL_PER_SECOND = 1.0
LIMIT = "yishi.voice.bucket"


class ReadAloudLimit:
    """A token bucket per client address: bursts are fine, a flood is not."""

    def __init__(self) -> None:
        self.levels: dict[str, tuple[float, float]] = {}

    def take(self, who: str) -> bool:
        """Whether ``who`` may have one more text read now (taking it from the bucket)."""
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


@bp.post(f"{AUDIO_PATH}/say")
@allow(Role.ANYONE)
def say_text() -> Any:
    """Read-aloud: the URL of ``text`` spoken in ``language`` (the WAV follows when ready)."""
    limit: ReadAloudLimit = current_app.extensions[LIMIT]
    if not limit.take(request.remote_addr or "?"):
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
    """The routes, the read-aloud limit and the templates' ``voice_config`` and ``voice_setup``."""
    app.register_blueprint(bp)
    app.extensions[LIMIT] = ReadAloudLimit()
    app.add_template_global(voice_config)
    app.add_template_global(voice_setup)
