"""Registers meeting_room's blueprints and Socket.IO events."""

from __future__ import annotations

from flask import Flask

from meeting_room.access import accounts_views, auth_views
from meeting_room.floor import events as floor_events
from meeting_room.records import exports
from meeting_room.screens import board, booth, clerk, events, moderator, phone, projector
from meeting_room.screens import common as screens
from meeting_room.voice import announcements as voice_events
from meeting_room.voice import audio as voice
from meeting_room.voting import events as poll_events
from meeting_room.web import api


def init_app(app: Flask) -> None:
    """Attach the screens, the API and the events to the app."""
    screens.init_app(app)
    app.register_blueprint(auth_views.bp)
    app.register_blueprint(accounts_views.bp)
    app.register_blueprint(projector.bp)
    app.register_blueprint(clerk.bp)
    app.register_blueprint(phone.bp)
    app.register_blueprint(moderator.bp)
    app.register_blueprint(booth.bp)
    app.register_blueprint(board.bp)
    app.register_blueprint(exports.bp)
    api.init_app(app)
    voice.init_app(app)
    events.register()
    floor_events.register()
    poll_events.register()
    voice_events.register()
