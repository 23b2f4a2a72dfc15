"""Voice's one writer: the moderator's voice settings of a meeting (switches, volumes and
rates per screen). One committed transaction, then ``voice.settings`` to the kiosks, projectors
and booths, each with its own configuration."""

from __future__ import annotations

from meeting_room.clock import now
from meeting_room.extensions import socketio
from meeting_room.store.storage import transaction
from meeting_room.voice.announcements import NAMESPACES
from meeting_room.voice.schemas import Screen, VoiceSetup
from meeting_room.voice.settings import save_voice_settings, voice_config
from meeting_room.web.rooms import meeting_room_name


def change_settings(meeting_id: int, wanted: VoiceSetup) -> VoiceSetup:
    """Store the settings the console names (the rest stays); the screens follow at once."""
    with transaction() as session:
        setup = save_voice_settings(session, meeting_id, wanted, now())
    for screen in (Screen.KIOSK, Screen.PROJECTOR, Screen.BOOTH):
        socketio.emit(
            "voice.settings",
            voice_config(screen, meeting_id),
            namespace=NAMESPACES[screen],
            to=meeting_room_name(meeting_id),
        )
    return setup
