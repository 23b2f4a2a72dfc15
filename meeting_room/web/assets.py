"""Static files for a crowded hall Wi-Fi: fingerprinted names, compressed once, kept a year.

A hall's access point shares a few Mbit/s between hundreds of phones, so a page must cost
little the first time and almost nothing again (issue 19). At start the app hashes every file
under ``static/`` (the manifest); ``url_for('static', filename='css/phone.css')`` then names
``css/phone.1a2b3c4d.css``. That name never changes meaning, so it is served with
``Cache-Control: public, max-age=31536000, immutable``: a reload asks the box for nothing.
The plain name still answers (``no-cache``, revalidated by ETag), for whatever links it.

ES modules import each other by plain relative names (``import … from "./live.js"``). The
import map in every page's head (``import_map()``, templates/base.html) sends those to the
fingerprinted names, so each module loads once, under one URL, cached like the rest. A module
that a page loads by ``<script src>`` *and* another module imports (``js/moderator.js``) keeps
its plain name everywhere: a browser without import maps (older phones and tablets) would
otherwise run it twice, once under each URL. Such a module is revalidated (a 304) instead.

Each file is compressed (brotli at its best quality, else gzip) once, at its first request, in
a real thread under gevent (brotli lets go of the GIL), and kept in memory: ``static/`` is
under 1 MB. Pages themselves are compressed by Flask-Compress (``init_app``), but not over TLS
(``compressed``: BREACH); the Socket.IO path never reaches Flask (engine.io's
middleware answers it), and streamed responses (the roster check's progress lines, file
downloads) are left alone.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import mimetypes
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import brotli
from flask import Flask, Response, abort, request
from flask_compress import Compress
from markupsafe import Markup

from meeting_room.extensions import off_the_loop

YEAR = 365 * 24 * 3600
DIGEST_LENGTH = 8  # hex digits: enough to tell versions of one file apart
FINGERPRINTED = re.compile(
    rf"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{{{DIGEST_LENGTH}}})(?P<suffix>\.[^./]+)$"
)
# What modules import: `import … from "./x.js"`, `import "./x.js"`, `import("./x.js")`.
IMPORTS = re.compile(r"""(?:\bfrom|\bimport)\s*\(?\s*["'](\.\.?/[^"']+\.js)["']""")
# What templates load by name: url_for('static', filename='js/phone.js').
TEMPLATE_SCRIPTS = re.compile(r"""filename\s*=\s*["']([^"']+\.js)["']""")
# What a rendered page loads: <script src="/static/js/phone.17b01c66.js">.
SCRIPT_SOURCES = re.compile(r"""<script[^>]*\ssrc=["']/static/([^"'?#]+)["']""")
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")
ENCODINGS = ("br", "gzip")
MODULE_FOLDERS = ("js/", "kiosk/")

# File contents by path, size and modification time: the many apps of a test run read once.
_read: dict[tuple[str, int, int], tuple[str, bytes]] = {}
# Compressed bodies by (name, digest, encoding): computed at most once per process.
_compressed: dict[tuple[str, str, str], bytes | None] = {}


@dataclass(frozen=True)
class Asset:
    """One file of ``static/``: its name there, its content's digest, its media type."""

    name: str
    digest: str
    mimetype: str
    data: bytes

    @property
    def fingerprinted(self) -> str:
        stem, dot, suffix = self.name.rpartition(".")
        return f"{stem}.{self.digest}.{suffix}" if dot and "/" not in suffix else self.name

    def body(self, encoding: str | None) -> bytes | None:
        """The file as sent with ``encoding`` (None: as it is); None when not worth it."""
        if encoding is None:
            return self.data
        key = (self.name, self.digest, encoding)
        if key not in _compressed:
            _compressed[key] = off_the_loop(_compress, self.data, encoding)
        return _compressed[key]


def _compress(data: bytes, encoding: str) -> bytes | None:
    packed = (
        brotli.compress(data, quality=11) if encoding == "br" else gzip.compress(data, 9, mtime=0)
    )
    return packed if len(packed) < len(data) else None


@dataclass(frozen=True)
class Manifest:
    """Every static file by name and by fingerprinted name; which module imports which."""

    assets: dict[str, Asset]
    by_fingerprint: dict[str, Asset]
    imports: dict[str, frozenset[str]]  # module → the modules it imports (names in static/)
    pinned: frozenset[str]  # modules kept under their plain name (see the module's docstring)

    def url_name(self, name: str) -> str:
        """The name ``url_for`` gives a static file."""
        asset = self.assets.get(name)
        if asset is None or name in self.pinned:
            return name
        return asset.fingerprinted

    def find(self, name: str) -> tuple[Asset, bool] | None:
        """The file a request names, and whether it was named by its current fingerprint."""
        if name in self.by_fingerprint:
            return self.by_fingerprint[name], True
        if name in self.assets:
            return self.assets[name], False
        stale = FINGERPRINTED.match(name)  # a page from before an update names an old version
        if stale and (asset := self.assets.get(stale["stem"] + stale["suffix"])):
            return asset, False
        return None

    def import_map(self, entries: Iterable[str]) -> dict[str, str]:
        """Plain URL → fingerprinted URL of every module the ``entries`` import, directly or
        not (a page's map holds only its own modules: its HTML stays small)."""
        seen: set[str] = set()
        todo = [found[0].name for entry in entries if (found := self.find(entry))]
        while todo:
            for imported in self.imports.get(todo.pop(), ()):
                if imported not in seen:
                    seen.add(imported)
                    todo.append(imported)
        return {
            f"/static/{name}": f"/static/{self.assets[name].fingerprinted}"
            for name in sorted(seen - self.pinned)
            if name in self.assets
        }


def read_asset(path: Path, name: str) -> Asset:
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _read:
        data = path.read_bytes()
        _read[key] = (hashlib.sha256(data).hexdigest()[:DIGEST_LENGTH], data)
    digest, data = _read[key]
    mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return Asset(name, digest, mimetype, data)


def build_manifest(static: Path, templates: Iterable[Path]) -> Manifest:
    """Hash every file under ``static``; find which modules import which (their text) and which
    modules the ``templates`` load by name."""
    assets = {
        path.relative_to(static).as_posix(): read_asset(path, path.relative_to(static).as_posix())
        for path in sorted(static.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }
    imports = {}
    for name, asset in assets.items():
        if name.endswith(".js") and name.startswith(MODULE_FOLDERS):
            folder = Path("/", name).parent
            found = IMPORTS.findall(asset.data.decode("utf-8", "replace"))
            imports[name] = frozenset(
                (folder / target).resolve().as_posix().lstrip("/") for target in found
            )
    loaded_by_pages = {
        found
        for folder in templates
        for template in folder.rglob("*.html")
        for found in TEMPLATE_SCRIPTS.findall(template.read_text(encoding="utf-8"))
    }
    imported = set().union(*imports.values())
    return Manifest(
        assets=assets,
        by_fingerprint={a.fingerprinted: a for a in assets.values() if a.fingerprinted != a.name},
        imports=imports,
        pinned=frozenset(imported & loaded_by_pages),
    )


def serve(manifest: Manifest, name: str) -> Response:
    """A static file: compressed as the browser accepts, cached a year under its fingerprint,
    revalidated (ETag, 304) under its plain name."""
    found = manifest.find(name)
    if found is None:
        abort(404)
    asset, current = found
    encoding = None
    if asset.mimetype.startswith(COMPRESSIBLE):
        accepted = request.accept_encodings
        encoding = next((e for e in ENCODINGS if accepted[e] > 0), None)
    body = asset.body(encoding)
    if body is None:
        encoding, body = None, asset.data
    response = Response(body, mimetype=asset.mimetype)
    if asset.mimetype.startswith(COMPRESSIBLE):
        response.vary.add("Accept-Encoding")
    if encoding:
        response.content_encoding = encoding
    response.set_etag(asset.digest + (f"-{encoding}" if encoding else ""))
    if current:
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:
        response.headers["Cache-Control"] = "no-cache"
    response.make_conditional(request)
    return response


def init_app(app: Flask) -> None:
    """Fingerprinted static files, the import map for templates, compressed pages."""
    assert app.static_folder is not None and app.template_folder is not None
    manifest = build_manifest(Path(app.static_folder), [Path(app.template_folder)])
    app.extensions["yishi.assets"] = manifest

    @app.url_defaults
    def fingerprint(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and isinstance(values.get("filename"), str):
            values["filename"] = manifest.url_name(values["filename"])

    app.view_functions["static"] = lambda filename: serve(manifest, filename)

    def import_map(scripts: str) -> Markup:
        """The import map of a page whose scripts block is ``scripts`` (templates/base.html
        renders that block into its head first, to find the page's modules)."""
        found = manifest.import_map(SCRIPT_SOURCES.findall(scripts))
        if not found:
            return Markup("")
        text = json.dumps({"imports": found}, separators=(",", ":"))
        # Inline JSON in a <script>: "</" must not end it early (no file name holds one, but…).
        return Markup('<script type="importmap">{}</script>').format(
            Markup(text.replace("</", "<\\/"))
        )

    app.add_template_global(import_map)
    # JSON in templates (|tojson, the pages' data blocks) as UTF-8, not \uXXXX escapes: a
    # Chinese character is 3 bytes instead of 6, before compression and after. Still HTML-safe
    # (<, >, & and ' are escaped by Jinja's htmlsafe_json_dumps either way).
    app.jinja_env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    app.config["COMPRESS_REGISTER"] = False  # compressed() below decides, then Compress
    compress = Compress(app)

    @app.after_request
    def compressed(response: Response) -> Response:
        """Over TLS, pages and JSON go uncompressed (BREACH): an attacker who sees a response's
        length and can make a victim's browser send requests learns a secret in a compressed
        body (a CSRF token, a personal code in a link or in JSON) byte by byte, whatever the
        encryption. Over plain http the hall's Wi-Fi sees every byte anyway: nothing to gain.
        ``HTTPS`` is read here, per answer: ``yishi run --https`` sets it after the app is
        made."""
        if app.config.get("HTTPS") and response.mimetype in SECRET_BEARING:
            return response
        return compress.after_request(response)


# Answers that may hold a secret beside what the request sent back (a search, a name typed).
SECRET_BEARING = frozenset({"text/html", "application/json"})
