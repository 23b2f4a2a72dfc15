"""Socket.IO events of voice (see docs/events.md): the moderator console's settings.

/moderator: ``voice.settings`` stores the switches, volumes and rates of a meeting and tells
the projectors and booths (``voice.service``). Announcements themselves are sent by the
features whose change they speak of (``voice.announcements``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from meeting_room.access.roles import Role
from meeting_room.access.sockets import on_event
from meeting_room.voice import service
from meeting_room.voice.schemas import VoiceSetup
from meeting_room.web.rooms import MODERATOR


class VoiceSettingsIn(VoiceSetup):
    """The console's voice settings of a meeting (only what it names changes)."""

    meeting_id: int


class VoiceAck(BaseModel):
    """The settings as stored."""

    ok: Literal[True] = True
    voice: VoiceSetup


def change_settings(wanted: VoiceSettingsIn) -> VoiceAck:
    """Moderator: switch announcements, set each screen's volume and rate; screens follow."""
    return VoiceAck(voice=service.change_settings(wanted.meeting_id, wanted))


def register() -> None:
    """Bind the console's voice event (the namespace admits staff only)."""
    on_event("voice.settings", change_settings, MODERATOR, [Role.MODERATOR])
