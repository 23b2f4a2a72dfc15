"""Voice's words and payloads: the announcements, the screens that speak, a meeting's voice
settings (the moderator's console and ``voice.service``), and the read-aloud route's input."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from devices.tts import DEFAULT_RATE, RATES
from meeting_room.web.limits import Id


class Announcement(StrEnum):
    """What the room's screens say by themselves, each switchable by the moderator."""

    GREETING = "greeting"
    MEETING_OPENED = "meeting_opened"
    MEETING_CLOSED = "meeting_closed"
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


class ScreenVoice(BaseModel):
    """How loud (0–100) and how fast (espeak-ng's words a minute) one screen speaks."""

    volume: int = Field(default=80, ge=0, le=100)
    rate: int = Field(default=DEFAULT_RATE, ge=RATES.start, le=RATES.stop - 1)


class VoiceSetup(BaseModel):
    """A meeting's voice settings as the console shows and sends them."""

    announcements: dict[Announcement, bool] = Field(default_factory=dict)
    screens: dict[Screen, ScreenVoice] = Field(default_factory=dict)


# The longest text read aloud at once: a screen reads longer words in several parts
# (static/js/voice.js), so a flood of long texts costs each reader little.
READ_ALOUD_CHARS = 200


class SayIn(BaseModel):
    """Text a screen wants read aloud (what it shows: a screen's words, options, a receipt);
    a phone sends its attendee's personal ``token`` (screens and staff need none)."""

    text: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=READ_ALOUD_CHARS)
    ]
    language: Annotated[str, StringConstraints(pattern=r"^(zh|en)([-_][A-Za-z]{2})?$")] = "zh_CN"
    rate: int | None = Field(default=None, ge=RATES.start, le=RATES.stop - 1)
    token: str | None = Field(default=None, max_length=64)


class ConfigQuery(BaseModel):
    """The meeting whose voice settings a screen asks for."""

    meeting_id: Id
