"""The composition root: ``create_app`` builds the app, binds extensions, registers blueprints."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, request, session

from meeting_room.config import ROOT, defaults
from meeting_room.extensions import babel, socketio
from meeting_room.store import storage


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Yishi app; ``config`` overrides defaults and ``YISHI_*`` environment variables."""
    instance = Path(
        (config or {}).get("INSTANCE_PATH") or os.environ.get("YISHI_INSTANCE") or ROOT / "instance"
    )
    app = Flask(
        "meeting_room",
        instance_path=str(instance),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(defaults(instance))
    app.config.from_prefixed_env("YISHI")
    if config:
        app.config.from_mapping(config)
    if app.config.get("HTTPS"):  # behind TLS (yishi run --https or a proxy): cookies only over it
        app.config["SESSION_COOKIE_SECURE"] = True

    storage.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        ping_timeout=app.config["SOCKETIO_PING_TIMEOUT"],
    )

    from devices import build_devices
    from kiosk import init_app as init_kiosk
    from meeting_room import views
    from meeting_room.access import guard as access
    from meeting_room.extensions import csrf
    from meeting_room.ops import commands
    from meeting_room.voting import service as poll_actions
    from meeting_room.web import broadcast, errors

    csrf.init_app(app)
    app.before_request(access.guard)
    app.add_template_global(access.current_principal)
    app.extensions["yishi.devices"] = build_devices(app.config)
    broadcast.init_app(app)
    poll_actions.init_app(app)
    errors.init_app(app)
    views.init_app(app)
    init_kiosk(app)
    commands.init_app(app)
    return app


def _select_locale() -> str:
    """The language chosen with ``?lang=`` (remembered in the session), else zh-CN."""
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    wanted = request.args.get("lang")
    if wanted in languages:
        session["lang"] = wanted
    chosen = session.get("lang")
    return str(chosen) if chosen in languages else str(languages[0])
