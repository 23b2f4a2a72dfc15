"""Registers meeting_room's blueprints and Socket.IO events."""

from __future__ import annotations

from flask import Flask

from meeting_room import (
    accounts_views,
    api,
    auth_views,
    board,
    booth,
    clerk,
    events,
    exports,
    floor_events,
    moderator,
    phone,
    poll_events,
    projector,
    screens,
    voice,
    voice_events,
)


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
