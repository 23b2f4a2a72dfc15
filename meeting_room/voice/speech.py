"""Text made speech: what espeak-ng is given (names read as names, parts as sentences) and the
address of the WAV it makes.

``say`` only asks the speaker (``devices.tts``) to prepare the file and returns its URL at once;
the screen fetches it, and ``/audio/<name>`` waits a moment if espeak-ng is still writing it.
The speech rate is part of the file, so each screen has its own URLs. What is said to one
voter alone (``say_privately``) is never a file: the booth and the phone get its bytes.
"""

from __future__ import annotations

from devices.tts import Lane
from meeting_room.web.addresses import devices

AUDIO_PATH = "/audio"
LANGUAGES = ("zh_CN", "en")

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
    text: str,
    language: str = "zh_CN",
    rate: int | None = None,
    names: tuple[str, ...] = (),
    lane: Lane = Lane.ROOM,
) -> str:
    """Prepare ``text`` as speech and return its URL at once; ``names`` are read as names. The
    room's speech (the default ``lane``) goes before read-aloud for phones and staff.

    Raises ValueError when nothing in ``text`` can be spoken (only signs), ``SpeechBusy`` when
    too much read-aloud waits.
    """
    speaker = devices().speaker
    return audio_url(speaker.prepare(spoken_text(text, names), language, rate, lane).name)


def say_privately(text: str, language: str = "zh_CN", rate: int | None = None) -> bytes:
    """``text`` as speech for one listener (a voter hearing their name, their choice, their
    receipt): the WAV's bytes, made in memory and written nowhere, so nothing of it outlives
    the voter's session. Raises ValueError when nothing in ``text`` can be spoken."""
    return devices().speaker.private_wav(text, language, rate)


def sentences(parts: list[str], language: str) -> str:
    """Parts as one utterance, each ending with a full stop unless it has its own."""
    english = language.startswith("en")
    stop = "." if english else "。"
    done = []
    for part in filter(None, (p.strip() for p in parts)):
        done.append(part if part[-1] in ".!?。！？：:" else part + stop)
    return (" " if english else "").join(done)
