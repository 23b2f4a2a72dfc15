"""Configuration defaults; ``YISHI_*`` variables and the caller's mapping override them."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from meeting_room.store.files import private_file, private_folder, write_private

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_TRANSLATIONS = ("meeting_room/translations", "kiosk/translations")


def defaults(instance_path: Path) -> dict[str, Any]:
    """The settings a fresh box starts with."""
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "DATABASE_URL": f"sqlite:///{instance_path / 'yishi.db'}",
        "SOCKETIO_ASYNC_MODE": "gevent",
        "SOCKETIO_MESSAGE_QUEUE": None,
        # Live connections (meeting_room/access/connections.py): phone sockets joined under
        # one attendee's token, and connections from one address. A hall's phones may share
        # one address behind its access point: 3,000 lets 1,000 phones through, reconnecting.
        # SOCKETS_TOTAL (unset: the open-file limit less a reserve) caps them all.
        "SOCKETS_PER_TOKEN": 5,
        "SOCKETS_PER_ADDRESS": 3000,
        "SOCKETS_TOTAL": None,
        # Seconds a client may stay silent after a ping: long enough that a burst of a
        # thousand ballots keeping the box busy delays phones instead of dropping them.
        "SOCKETIO_PING_TIMEOUT": 60,
        # Coalescing window of projector/clerk broadcasts (seconds); 0 emits at once.
        "BROADCAST_DELAY": 0.25,
        # How long the writer of phone ballots waits for more before committing a batch
        # (seconds): a few milliseconds per ballot, a far larger batch in a burst.
        "BALLOT_BATCH_WINDOW": 0.01,
        "TIMEZONE": "Asia/Shanghai",
        "BABEL_DEFAULT_LOCALE": "zh_CN",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        "BABEL_TRANSLATION_DIRECTORIES": ";".join(str(ROOT / p) for p in PACKAGE_TRANSLATIONS),
        "LANGUAGES": ("zh_CN", "en"),
        # Text-to-speech: "espeak" (espeak-ng's Mandarin and English voices) or "fake".
        "TTS": "espeak",
        "TTS_CACHE_DIR": str(instance_path / "tts"),
        "TTS_RATE": 160,
        "TTS_PLAYBACK": False,
        # The speech cache's budget: beyond it the least recently used WAVs go.
        "TTS_CACHE_MB": 512,
        # Read-aloud texts (phones, staff) that may wait for synthesis; more are refused.
        "TTS_READ_ALOUD_WAITING": 16,
        # Serve over TLS with the box's self-signed certificate (``yishi run --https`` or
        # YISHI_HTTPS=1); then the session and device cookies travel over https only.
        "HTTPS": False,
        "SESSION_COOKIE_SECURE": False,
        # The largest request is a photo of the room (api_cards.MAX_PHOTO_BYTES, 25 MiB) in its
        # multipart envelope; anything larger is refused with 413 before it is read.
        "MAX_CONTENT_LENGTH": 26 * 1024 * 1024,
        # Days a meeting's personal data is kept before ``yishi purge`` removes it.
        "RETENTION_DAYS": 365,
        "KIOSK_IDLE_SECONDS": 60,
        "KIOSK_IDLE_WARNING_SECONDS": 20,
        # How long a resident's personal QR code stays on the kiosk after signing in (a large
        # countdown; "我已收好" ends it at once): never long enough for the next person to
        # photograph it from the queue.
        "KIOSK_QR_SECONDS": 20,
        "LOCKOUT_ATTEMPTS": 3,
        "LOCKOUT_SECONDS": 60,
        # Each later lock of the same member lasts the next of these (the last repeats) until a
        # right try or the clerk's unlock: 3 tries a minute would let a 4-digit tail be found.
        "LOCKOUT_ESCALATION_SECONDS": (300, 1800),
        # Wrong phone digits for one unit at the board's objection form (询异期) that pause
        # its objections, and for how long (the clerk can always write one down).
        "OBJECTION_LOCKOUT_ATTEMPTS": 3,
        "OBJECTION_LOCKOUT_SECONDS": 900,
        # The address phones reach this box at; found from the LAN address when unset.
        "PUBLIC_BASE_URL": None,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        # Staff sessions last a long meeting day; a new password or a deactivation ends them.
        "PERMANENT_SESSION_LIFETIME": 12 * 3600,
        # Pages compressed by Flask-Compress (meeting_room/web/assets.py compresses the static
        # files once itself): brotli, else gzip; never a streamed response (the roster check's
        # progress lines must arrive as they are written, not when a compressor flushes).
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_BR_LEVEL": 5,
        "COMPRESS_STREAMS": False,
        # CSRF tokens live as long as the session: a kiosk page stays open all day.
        "WTF_CSRF_TIME_LIMIT": None,
        # The token is the check; pages send no Referer (personal tokens live in some URLs).
        "WTF_CSRF_SSL_STRICT": False,
    }


def _secret_key(instance_path: Path) -> str:
    """A per-box secret kept in the instance folder (owner-only, as the folder), made on first
    start."""
    private_folder(instance_path)
    path = instance_path / "secret_key"
    if path.exists():
        private_file(path)
    else:
        write_private(path, secrets.token_hex(32).encode())
    return path.read_text().strip()
