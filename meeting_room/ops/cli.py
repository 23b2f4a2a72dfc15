"""The ``yishi`` console command: the app's commands, with gevent patched first for ``run``."""

from __future__ import annotations

import sys

if len(sys.argv) > 1 and sys.argv[1] == "run":  # gevent must patch before anything else loads
    from gevent import monkey

    monkey.patch_all()

import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import click
from flask import Flask
from flask.cli import FlaskGroup

from meeting_room.app import create_app
from meeting_room.store.files import PRIVATE_UMASK

# What never reaches the server's output: a phone's personal token in /v/<token>, the values
# of the session and device cookies.
SECRETS = re.compile(r"(/v/)[^\s/?#\"'\\]+|(\b(?:session|yishi_device)=)[^\s;\"'\\]+")


def redact(text: str) -> str:
    """``text`` with every personal token and cookie value replaced by ``…``."""
    return SECRETS.sub(lambda m: f"{m.group(1) or m.group(2)}…", text)


class RedactingStream:
    """A text stream that redacts what it is given, then writes it to ``target``.

    The server's output goes through it (Python logging, gevent's error log and tracebacks),
    so a request line or an exception that names a /v/<token> URL cannot put the token there.
    """

    def __init__(self, target: TextIO) -> None:
        self.target = target

    def write(self, text: str) -> int:
        self.target.write(redact(text))
        return len(text)

    def writelines(self, lines: list[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self.target.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.target, name)


def serve(
    app: Flask, host: str, port: int, https: bool, demo: bool = True, demo_story: bool = False
) -> None:
    """Prepare the database, load the demo if empty (unless ``demo`` is false: an empty box,
    as a hall starts its first real meeting; ``demo_story``: the whole life to walk through),
    print every screen's URL and serve.

    No access log is written (``log_output=False``); errors and tracebacks are redacted.
    """
    import gc
    import ssl

    import gevent

    from devices.qr import qr_terminal
    from meeting_room.access.connections import raise_open_file_limit
    from meeting_room.extensions import socketio
    from meeting_room.ops.backup_schedule import keep_backing_up
    from meeting_room.ops.cluster import run_as_leader
    from meeting_room.ops.demo_commands import load_demo
    from meeting_room.ops.watcher import watch_deadlines
    from meeting_room.store.migrate import MigrationFailed, upgrade_in_child
    from meeting_room.voting.secrecy import forget_history
    from meeting_room.web.netinfo import base_url, lan_address, lan_addresses
    from meeting_room.web.quiet_gc import COLLECTOR

    sys.stderr = RedactingStream(sys.stderr)
    try:
        upgrade_in_child(app.config["DATABASE_URL"])
    except MigrationFailed as failed:
        click.echo(f"议事系统没有启动：数据库结构无法更新（{failed}）", err=True)
        click.echo(
            f"Yishi did not start: the database schema could not be updated ({failed})", err=True
        )
        sys.exit(2)
    # A secret poll closed just before a crash may have left its history in the log: gone
    # before anyone connects (voting.secrecy).
    forget_history(app)
    if demo:
        click.echo(load_demo(sign_in=0, story=demo_story))
    https = https or bool(app.config["HTTPS"])
    # No HSTS header even then: a self-signed box on a LAN address must stay reachable over
    # plain http when a hall turns https off again or a phone refuses the certificate; HSTS
    # would lock browsers out of that address (and of any other box later given it).
    app.config.update(HTTPS=https, SESSION_COOKIE_SECURE=https)
    tls: dict[str, str] = {}
    if https:  # here: cryptography's X.509 takes ~7 MB a plain-http box never needs
        from meeting_room.ops.tls import box_names, ensure_certificate, fingerprint

        cert = ensure_certificate(
            Path(app.instance_path), lan_addresses(), box_names(), datetime.now(UTC)
        )
        tls = {"certfile": str(cert.cert_file), "keyfile": str(cert.key_file)}
        # A phone that refuses the certificate, or types http:// to this port, fails its
        # handshake: the client's problem, not a server error worth a traceback.
        hub = gevent.get_hub()
        hub.NOT_ERROR = (*hub.NOT_ERROR, ssl.SSLError)
    base = app.config.get("PUBLIC_BASE_URL") or base_url(lan_address(), port, https)
    app.config["PUBLIC_BASE_URL"] = base
    screens = [
        ("签到机 kiosk", "/kiosk"),
        ("投影 projector", "/projector"),
        ("主持人 moderator", "/moderator"),
        ("记录员 clerk", "/clerk"),
        ("API", "/api/v1/openapi.json"),
    ]
    click.echo("\nYishi 议事 is serving:")
    for label, path in screens:
        click.echo(f"  {label:<20} {base}{path}")
    click.echo(f"  {'手机 phones':<20} {base}/join (then the personal QR code from the kiosk)")
    _staff_notice(app)
    if https:
        click.echo(
            "\nHTTPS with the box's own certificate: each phone asks once whether to trust it."
            f"\n  certificate: {tls['certfile']}"
            f"\n  SHA-256 fingerprint: {fingerprint(Path(tls['certfile']))}"
        )
    # For residents' phones: /kiosk on a phone is a staff pairing page, /join helps them.
    click.echo(f"\nScan with a phone to open the meeting's page ({base}/join):")
    click.echo(qr_terminal(f"{base}/join"))
    files, _hard = raise_open_file_limit()  # a stock service's 1,024: about 900 sockets
    click.echo(
        f"\nOpen files: {files} (sockets: {app.config['SOCKETS_PER_ADDRESS']} per address,"
        f" {app.config['SOCKETS_PER_TOKEN']} per personal code)"
    )
    # Several workers on one database: only the one holding the lead runs the watcher.
    socketio.start_background_task(run_as_leader, app, watch_deadlines)
    # Backups without anyone remembering: daily, to the folder the administrator chose.
    socketio.start_background_task(keep_backing_up, app)
    # Everything loaded so far lives as long as the server: keep it out of the collector's
    # way; from now on garbage is collected when the hall is quiet (quiet_gc).
    gc.collect()
    gc.freeze()
    socketio.start_background_task(COLLECTOR.run, socketio.sleep)
    socketio.run(app, host=host, port=port, log_output=False, allow_unsafe_werkzeug=False, **tls)


def _staff_notice(app: Flask) -> None:
    """Tell where the staff log in: the demo accounts' file, or how to make an account."""
    from meeting_room.ops.demo_commands import ensure_demo_accounts

    with app.app_context():
        made = ensure_demo_accounts(Path(app.instance_path))
    click.echo("\n工作人员登录 staff login: /login (room screens are paired on the clerk desk)")
    if made:
        click.echo(f"  demo accounts admin / moderator / clerk, passwords in {made}")
    click.echo(
        "  new account: an administrator's /admin/accounts, or"
        " yishi create-user NAME --role admin|moderator|clerk"
    )


def _app(*_args: object) -> Flask:
    return create_app()


@click.group(
    cls=FlaskGroup,
    create_app=_app,
    add_default_commands=False,
    add_version_option=False,
    load_dotenv=False,
)
def cli() -> None:
    """Yishi (议事): the offline meeting system of a deliberation hall."""


def main() -> None:
    """Console entry point. Whatever the command creates (database, backups, exports, speech)
    is readable by the box's account only."""
    os.umask(PRIVATE_UMASK)
    cli(prog_name="yishi")


if __name__ == "__main__":
    main()
