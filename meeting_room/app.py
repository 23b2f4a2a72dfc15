"""The composition root: ``create_app`` builds the app, binds extensions, wires the hooks
between layers and registers every feature's routes and events. Nothing is wired at import
time, and this is the only module that sees every package (docs/architecture.md)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, Response, jsonify, request, session

from meeting_room.clock import offset_clock
from meeting_room.config import ROOT, defaults
from meeting_room.extensions import babel, csrf, socketio


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
    if app.config.get("CLOCK_OFFSET_FILE") and not app.config.get("CLOCK"):
        app.config["CLOCK"] = offset_clock(Path(app.config["CLOCK_OFFSET_FILE"]))

    _extensions(app)
    _infrastructure(app)
    _features(app)
    return app


def _extensions(app: Flask) -> None:
    from meeting_room.store import storage

    storage.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        ping_timeout=app.config["SOCKETIO_PING_TIMEOUT"],
    )
    csrf.init_app(app)


def _infrastructure(app: Flask) -> None:
    """The layers below the features, and the hooks that let a lower layer tell a higher one
    (storage never imports the socket layer: the clerk desks hear of its alarm through here)."""
    from devices.adapters import build_devices
    from meeting_room.access.guard import guard
    from meeting_room.access.principal import current_principal
    from meeting_room.store import alarm
    from meeting_room.store.storage import storage
    from meeting_room.web import assets, errors
    from meeting_room.web.rooms import CLERK

    def tell_clerk_desks(event: str, payload: dict[str, str]) -> None:
        socketio.emit(event, payload, namespace=CLERK)

    with app.app_context():
        alarm.install(app, storage(), tell_clerk_desks)
    app.before_request(guard)
    app.add_template_global(current_principal)
    app.extensions["yishi.devices"] = build_devices(app.config)
    errors.init_app(app)
    assets.init_app(app)  # fingerprinted static files, compressed pages (issue 19, hall Wi-Fi)


def _features(app: Flask) -> None:
    """Every feature's blueprints, events and background helpers (docs/architecture.md)."""
    from kiosk import rating as kiosk_rating
    from kiosk import topics as kiosk_topics
    from kiosk import views as kiosk
    from meeting_room.access import accounts_views, auth_views, connections
    from meeting_room.access import routes as access_routes
    from meeting_room.access.roles import Role, allow
    from meeting_room.assembly import events as period_events
    from meeting_room.assembly import live as period_live
    from meeting_room.assembly.room import record_closed_poll, unit_notes
    from meeting_room.attendance import routes as attendance_routes  # noqa: F401
    from meeting_room.attendance import service as attendance
    from meeting_room.floor import events as floor_events
    from meeting_room.floor import routes as floor_routes  # noqa: F401
    from meeting_room.followup import routes as followup_routes  # noqa: F401
    from meeting_room.followup import service as followup
    from meeting_room.life import routes as life_routes  # noqa: F401
    from meeting_room.meetings import routes as meeting_routes  # noqa: F401
    from meeting_room.meetings.lifecycle import AFTER_MOVE
    from meeting_room.ops import commands
    from meeting_room.ops.backup_schedule import backup_after_close
    from meeting_room.paper import events as paper_events
    from meeting_room.records import backup_views, verify_views
    from meeting_room.records import routes as records
    from meeting_room.screens import (
        assembly,
        assembly_board,
        board,
        booth,
        clerk,
        events,
        follow,
        join,
        moderator,
        paper_ballots,
        paper_camera,
        paper_disputes,
        phone,
        prepare,
        prepare_agenda,
        printing,
        projector,
        roster_page,
        start,
        topic_board,
    )
    from meeting_room.screens import common as screens
    from meeting_room.screens import records as records_desk
    from meeting_room.screens import reports as reports_screen
    from meeting_room.screens import topics as clerk_topics
    from meeting_room.screens.health import init_app as init_health
    from meeting_room.store.backups import AFTER_CLOSE
    from meeting_room.topics import routes as topic_routes  # noqa: F401
    from meeting_room.voice import events as voice_events
    from meeting_room.voice import routes as voice
    from meeting_room.voting import card_routes
    from meeting_room.voting import events as poll_events
    from meeting_room.voting import routes as poll_routes  # noqa: F401
    from meeting_room.voting import service as voting
    from meeting_room.web import api
    from meeting_room.web.rooms import PHONE

    attendance.init_app(app)
    voting.init_app(app)
    period_live.init_app(app)
    screens.init_app(app)
    for blueprint in (
        auth_views.bp,
        accounts_views.bp,
        access_routes.bp,
        projector.bp,
        clerk.bp,
        phone.bp,
        join.bp,
        moderator.bp,
        booth.bp,
        board.bp,
        records.exports,
        kiosk.bp,
        kiosk_rating.bp,
        kiosk_topics.bp,
        verify_views.bp,
        start.bp,
        prepare.bp,
        prepare_agenda.bp,
        roster_page.bp,
        printing.bp,
        backup_views.bp,
        records_desk.bp,
        clerk_topics.bp,
        topic_board.bp,
        follow.bp,
        assembly.bp,
        assembly_board.bp,
        paper_ballots.bp,
        paper_camera.bp,
        paper_disputes.bp,
    ):
        app.register_blueprint(blueprint)
    app.register_blueprint(reports_screen.bp)
    init_health(app)  # the administrator's /admin/health and the desk's backup line
    api.init_app(app)  # after the routes imported above put themselves on its blueprint
    app.add_url_rule(
        "/clerk/meetings/<int:meeting_id>/cards.pdf", "card_sheets", card_routes.card_sheets
    )

    @app.get("/api/v1/openapi.json")
    @allow(Role.ANYONE)
    def openapi() -> Response:
        """The OpenAPI document of the JSON API."""
        return jsonify(api.spec.spec)

    voice.init_app(app)
    events.register()
    connections.install(app, socketio.server, PHONE)
    floor_events.register()
    poll_events.register()
    voice_events.register()
    period_events.register()
    paper_events.register()
    commands.init_app(app)
    # What runs once a meeting has closed (``store.backups.meeting_closed``): a backup.
    app.extensions[AFTER_CLOSE] = [backup_after_close]
    # What runs when a meeting is announced or opened (``meetings.lifecycle.move``): the
    # follow-up report item (督办事项通报) is generated, once.
    app.extensions[AFTER_MOVE] = [followup.ensure_report]
    # What runs as a poll closes: a poll put to an assembly period's matter records its units.
    app.extensions[voting.CLOSE_HOOKS_KEY] = [record_closed_poll]
    # What a voter hears as they tap in such a poll: their unit already voted on the matter.
    app.extensions[voting.CAST_NOTES_KEY] = [unit_notes]


def _select_locale() -> str:
    """The language chosen with ``?lang=`` (remembered in the session), else zh-CN."""
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    wanted = request.args.get("lang")
    if wanted in languages:
        session["lang"] = wanted
    chosen = session.get("lang")
    return str(chosen) if chosen in languages else str(languages[0])
