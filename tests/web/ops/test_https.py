"""``yishi run --https``: the real server (gevent) over TLS with its self-signed certificate,
secure cookies, Socket.IO over wss, and an output that never shows a personal token."""

from __future__ import annotations

import http.client
import ipaddress
import os
import socket
import ssl
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path

import pytest
import requests
import socketio
from cryptography import x509
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from meeting_room.app import create_app
from meeting_room.attendance.members import sign_in
from meeting_room.domain.words import SignInChannel
from meeting_room.ops.demo_commands import load_demo
from meeting_room.ops.tls import covered
from meeting_room.store.migrate import upgrade
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.storage import transaction
from meeting_room.web.netinfo import lan_addresses
from tests.browser.conftest import free_port

ROOT = Path(__file__).resolve().parents[3]
YISHI_RUN = (sys.executable, "-m", "meeting_room.ops.cli", "run")


@dataclass(frozen=True)
class Reply:
    """An answer of the server."""

    status: int
    headers: Message
    body: bytes


@dataclass
class HttpsServer:
    """``yishi run --https`` on 127.0.0.1, its instance folder and a signed-in phone's token."""

    process: subprocess.Popen[bytes]
    port: int
    instance: Path
    token: str

    @property
    def cert(self) -> Path:
        return self.instance / "tls-cert.pem"

    def context(self) -> ssl.SSLContext:
        """A client context that trusts only the box's certificate (and checks the name)."""
        return ssl.create_default_context(cafile=str(self.cert))

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        """GET ``path`` over TLS: status, headers and body (the connection closed)."""
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.port, context=self.context(), timeout=10
        )
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return Reply(response.status, response.headers, response.read())
        finally:
            connection.close()

    def output(self) -> str:
        return (self.instance / "server.log").read_text(errors="replace")


def signed_in_token(instance: Path) -> str:
    """Prepare the instance's database with the demo and sign one member in: their token."""
    app = create_app({"INSTANCE_PATH": str(instance), "TTS": "fake"})
    upgrade(app.config["DATABASE_URL"])
    with app.app_context():
        load_demo(sign_in=0)
        with transaction() as session:
            meeting = session.scalars(select(Meeting).order_by(Meeting.id.desc())).first()
            member_id = session.scalars(select(Member.id).order_by(Member.id)).first()
            assert meeting is not None and member_id is not None
            token = sign_in(
                session, meeting, member_id, SignInChannel.CLERK, datetime.now(UTC)
            ).token
    app.extensions["yishi.storage"].engine.dispose()
    return token


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HttpsServer]:
    """One server for the module (it costs a few seconds to start)."""
    instance = tmp_path_factory.mktemp("https")
    token = signed_in_token(instance)
    port = free_port()
    env = {**os.environ, "YISHI_INSTANCE": str(instance), "YISHI_TTS": '"fake"'}
    env.pop("YISHI_PUBLIC_BASE_URL", None)
    with (instance / "server.log").open("w") as log:
        process = subprocess.Popen(
            [*YISHI_RUN, "--https", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env={**env, "PYTHONUNBUFFERED": "1"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    running = HttpsServer(process, port, instance, token)
    deadline = time.monotonic() + 180  # a failure guard on a busy box; ends when it answers
    while True:
        try:
            running.get("/api/v1/meetings")
            break
        except (OSError, ssl.SSLError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("server did not start:\n" + running.output())
            time.sleep(0.3)
    yield running
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def test_the_certificate_names_the_box_s_addresses_and_its_key_is_private(
    server: HttpsServer,
) -> None:
    cert = x509.load_pem_x509_certificate(server.cert.read_bytes())
    ips, names = covered(cert)
    assert {"127.0.0.1", *lan_addresses()} <= ips
    assert socket.gethostname() in names
    assert all(ipaddress.ip_address(ip) for ip in ips)
    key_mode = stat.S_IMODE((server.instance / "tls-key.pem").stat().st_mode)
    assert key_mode == 0o600
    # The certificate the server presents is that one (the client trusts nothing else).
    with (
        socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw,
        server.context().wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        presented = tls.getpeercert(binary_form=True)
        assert presented is not None
    assert x509.load_der_x509_certificate(presented) == cert


def test_the_server_prints_https_addresses_and_the_certificate_s_fingerprint(
    server: HttpsServer,
) -> None:
    output = server.output()
    box = (lan_addresses() or ["127.0.0.1"])[0]
    assert f"https://{box}:{server.port}/kiosk" in output
    assert "http://" not in output
    assert "SHA-256 fingerprint:" in output


def test_cookies_over_https_are_secure_http_only_and_same_site(server: HttpsServer) -> None:
    response = server.get("/board?lang=en")
    assert response.status == 200
    cookies = response.headers.get_all("Set-Cookie") or []
    session_cookie = [c for c in cookies if c.startswith("session=")]
    assert session_cookie, cookies
    assert "Secure" in session_cookie[0]
    assert "HttpOnly" in session_cookie[0]
    assert "SameSite=Lax" in session_cookie[0]
    # A self-signed LAN box sends no HSTS (see meeting_room.ops.cli.serve).
    assert response.headers.get("Strict-Transport-Security") is None


def test_over_https_pages_and_json_go_uncompressed_but_static_files_compressed(
    server: HttpsServer,
) -> None:
    # BREACH: a compressed body holding a secret (the phone page's personal code, a CSRF token)
    # beside what the request sent leaks the secret by its length, TLS or not.
    wants = {"Accept-Encoding": "br, gzip"}
    page = server.get(f"/v/{server.token}?lang=en", wants)
    assert page.status == 200 and server.token.encode() in page.body
    assert page.headers.get("Content-Encoding") is None
    assert b"<html" in page.body[:200]
    api = server.get("/api/v1/openapi.json", wants)
    assert api.status == 200 and api.headers.get("Content-Encoding") is None
    assert api.body.startswith(b"{")
    style = server.get("/static/css/base.css", wants)
    assert style.status == 200 and style.headers.get("Content-Encoding") in ("br", "gzip")


def test_over_plain_http_pages_still_go_compressed(tmp_path: Path) -> None:
    app = create_app({"INSTANCE_PATH": str(tmp_path), "TTS": "fake"})
    upgrade(app.config["DATABASE_URL"])
    page = app.test_client().get("/board?lang=en", headers={"Accept-Encoding": "br, gzip"})
    assert page.status_code == 200 and page.headers.get("Content-Encoding") in ("br", "gzip")
    app.extensions["yishi.storage"].engine.dispose()


def test_a_phone_joins_its_meeting_through_socket_io_over_wss(server: HttpsServer) -> None:
    http_session = requests.Session()
    http_session.verify = str(server.cert)
    client = socketio.Client(http_session=http_session, reconnection=False)
    client.connect(
        f"https://127.0.0.1:{server.port}",
        namespaces=["/phone"],
        transports=["websocket"],
        wait_timeout=10,
    )
    try:
        assert client.transport() == "websocket"
        answer = client.call("join", {"token": server.token}, namespace="/phone", timeout=10)
        assert "error" not in answer and answer["meeting_id"] > 0
    finally:
        client.disconnect()


def test_a_client_that_does_not_trust_the_certificate_is_refused(server: HttpsServer) -> None:
    with (
        socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw,
        pytest.raises(ssl.SSLCertVerificationError),
    ):
        ssl.create_default_context().wrap_socket(raw, server_hostname="127.0.0.1")


def test_the_server_s_output_never_shows_a_personal_token(server: HttpsServer) -> None:
    page = server.get(f"/v/{server.token}")
    assert page.status == 200 and server.token.encode() in page.body
    assert server.get(f"/v/{server.token}x").status == 404
    # A malformed request line: gevent reports it on the error log, path included.
    with (
        socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw,
        server.context().wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        tls.sendall(f"GET /v/{server.token} HTTP/7.1\r\n\r\n".encode())
        assert tls.recv(100).startswith(b"HTTP/1.1 400")
    # Plain http to the https port: refused, and not reported as a server error.
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as plain:
        plain.sendall(f"GET /v/{server.token} HTTP/1.1\r\nHost: box\r\n\r\n".encode())
        try:
            answer = plain.recv(100)
        except ConnectionResetError:
            answer = b""
        assert not answer.startswith(b"HTTP/1.1 200")
    deadline = time.monotonic() + 30  # a failure guard: the loop ends when the line is logged
    while "Invalid http version" not in server.output() and time.monotonic() < deadline:
        time.sleep(0.1)
    output = server.output()
    assert "/v/…" in output  # the request was reported, its token was not
    assert server.token not in output
    assert server.token[:12] not in output
    assert "Traceback" not in output and "SSLError" not in output


def test_a_request_larger_than_a_room_photo_and_its_envelope_is_refused(
    app: Flask, client: FlaskClient
) -> None:
    from meeting_room.voting.card_routes import MAX_PHOTO_BYTES

    limit = app.config["MAX_CONTENT_LENGTH"]
    assert MAX_PHOTO_BYTES < limit <= MAX_PHOTO_BYTES + 2 * 1024 * 1024
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["HTTPS"] is False and app.config["SESSION_COOKIE_SECURE"] is False
    envelope = "multipart/form-data; boundary=yishi"
    response = client.post("/api/v1/polls/1/photos", data=b"0" * (limit + 1), content_type=envelope)
    assert response.status_code == 413
