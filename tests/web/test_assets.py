"""Light pages on a crowded hall Wi-Fi (issue 19): fingerprinted static files kept a year,
compressed once; pages compressed; the phone page's modules found through its import map."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import brotli
from flask import Flask, Response, stream_with_context, url_for
from flask.testing import FlaskClient

from meeting_room.access.roles import Role, allow
from meeting_room.config import ROOT
from meeting_room.store.models.meetings import Meeting
from meeting_room.web.assets import build_manifest
from tests.web.test_screens import phone_path, sign_in

STATIC = ROOT / "static"
BR = {"Accept-Encoding": "gzip, deflate, br, zstd"}  # what Chromium sends


def static_url(app: Flask, name: str) -> str:
    with app.test_request_context():
        return url_for("static", filename=name)


def test_a_static_file_has_its_content_s_hash_in_its_name_and_is_kept_a_year(
    app: Flask, client: FlaskClient
) -> None:
    url = static_url(app, "js/phone.js")
    assert re.fullmatch(r"/static/js/phone\.[0-9a-f]{8}\.js", url)
    response = client.get(url, headers=BR)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response.headers["Vary"]
    original = (STATIC / "js" / "phone.js").read_bytes()
    assert brotli.decompress(response.data) == original
    assert len(response.data) < len(original) / 2
    # Asked again with its ETag: nothing but the headers comes back.
    again = client.get(url, headers={**BR, "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_gzip_goes_to_a_browser_without_brotli_and_the_plain_file_to_one_without_either(
    app: Flask, client: FlaskClient
) -> None:
    url = static_url(app, "vendor/socket.io.min.js")
    original = (STATIC / "vendor" / "socket.io.min.js").read_bytes()
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == original
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.data == original
    # One ETag per representation: a cache never mixes a gzip body with a brotli one.
    assert zipped.headers["ETag"] != plain.headers["ETag"]


def test_the_plain_name_still_answers_but_is_revalidated_every_time(
    app: Flask, client: FlaskClient
) -> None:
    plain = client.get("/static/css/phone.css", headers=BR)
    assert plain.status_code == 200 and plain.headers["Cache-Control"] == "no-cache"
    assert brotli.decompress(plain.data) == (STATIC / "css" / "phone.css").read_bytes()
    # A page from before an update names the file by its old hash: the file, not cached long.
    stale = client.get("/static/css/phone.00000000.css", headers=BR)
    assert stale.status_code == 200 and stale.headers["Cache-Control"] == "no-cache"
    assert client.get("/static/css/nothing-here.css").status_code == 404
    assert client.get("/static/../pyproject.toml").status_code == 404


def test_the_phone_page_is_compressed_and_its_import_map_names_its_modules_by_hash(
    app: Flask, client: FlaskClient, meeting: Meeting
) -> None:
    path = phone_path(sign_in(client, meeting, "孙艳娜"))
    response = client.get(path, headers=BR)
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "br"
    html = brotli.decompress(response.data).decode()
    assert len(response.data) < 6000, len(response.data)  # the reload: ≤ 5 KB on the wire
    found = re.search(r'<script type="importmap">(.*?)</script>', html, re.S)
    assert found, "no import map"
    imports = json.loads(found.group(1))["imports"]
    # Everything phone.js imports, directly or not, and nothing of the staff screens.
    assert {"/static/js/live.js", "/static/js/ballot.js", "/static/js/http.js"} <= set(imports)
    assert not any("moderator" in name or "clerk" in name for name in imports)
    for plain, hashed in imports.items():
        assert re.fullmatch(re.escape(plain[:-3]) + r"\.[0-9a-f]{8}\.js", hashed)
        served = client.get(hashed, headers=BR)
        assert served.status_code == 200, hashed
        assert "immutable" in served.headers["Cache-Control"]
    # The import map comes before any module, as browsers require.
    assert html.index('type="importmap"') < html.index('type="module"')
    # The page's data in UTF-8, not \\uXXXX: half the bytes for Chinese text.
    assert "\\u" not in re.search(r'id="page-data">(.*?)</script>', html, re.S).group(1)


def test_a_module_that_a_page_loads_and_another_module_imports_keeps_its_plain_name(
    app: Flask,
) -> None:
    """Else a browser without import maps would run js/moderator.js twice, under two URLs."""
    assert static_url(app, "js/moderator.js") == "/static/js/moderator.js"
    assert static_url(app, "js/clerk.js") == "/static/js/clerk.js"
    manifest = build_manifest(STATIC, [ROOT / "templates"])
    assert manifest.pinned == {"js/moderator.js", "js/clerk.js"}
    console = manifest.import_map(["js/moderator-life.js"])
    assert "/static/js/moderator.js" not in console and "/static/js/live.js" in console


def test_the_manifest_follows_imports_through_folders(tmp_path: Path) -> None:
    (tmp_path / "static" / "js").mkdir(parents=True)
    (tmp_path / "static" / "kiosk").mkdir()
    (tmp_path / "templates").mkdir()
    (tmp_path / "static" / "kiosk" / "a.js").write_text('import { b } from "../js/b.js";\n')
    (tmp_path / "static" / "js" / "b.js").write_text('import "./c.js";\nexport const b = 1;\n')
    (tmp_path / "static" / "js" / "c.js").write_text('const d = import("./d.js");\n')
    (tmp_path / "static" / "js" / "d.js").write_text("export {};\n")
    (tmp_path / "templates" / "a.html").write_text("url_for('static', filename='kiosk/a.js')")
    manifest = build_manifest(tmp_path / "static", [tmp_path / "templates"])
    assert set(manifest.import_map(["kiosk/a.js"])) == {
        "/static/js/b.js",
        "/static/js/c.js",
        "/static/js/d.js",
    }
    assert manifest.pinned == frozenset()
    # A changed file gets a new name; an unchanged one keeps its own.
    before = {name: a.fingerprinted for name, a in manifest.assets.items()}
    (tmp_path / "static" / "js" / "d.js").write_text("export const changed = true;\n")
    after = build_manifest(tmp_path / "static", [tmp_path / "templates"])
    assert after.assets["js/d.js"].fingerprinted != before["js/d.js"]
    assert after.assets["js/b.js"].fingerprinted == before["js/b.js"]


def test_a_streamed_answer_is_not_compressed(app: Flask, client: FlaskClient) -> None:
    """The roster check streams its progress lines: a compressor would hold them back."""

    @app.get("/test-only/stream")
    @allow(Role.ANYONE)
    def streamed() -> Response:
        return Response(stream_with_context(iter(["one\n"] * 200)), mimetype="text/plain")

    response = client.get("/test-only/stream", headers=BR)
    assert "Content-Encoding" not in response.headers
    assert response.data == b"one\n" * 200


def test_the_socket_io_path_is_not_compressed_by_flask(client: FlaskClient) -> None:
    """Engine.io answers /socket.io/ before Flask: its long-polling answers are its own."""
    response = client.get("/socket.io/?EIO=4&transport=polling", headers=BR)
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") != "br"
    assert response.data.startswith(b"0{")  # the engine.io open packet, readable as is
