"""The speech cache: WAV files named by a keyed hash of what they say, kept under a size budget.

Names. A file is named by an HMAC, with the box's secret, of (voice, rate, spoken text): asking
twice synthesises once, yet nobody without the secret can work out the name of "王静，您已签到"
and fetch it to learn who signed in (a plain hash of the text could be computed by anyone).
A folder written under another secret (or by a version that did not key the names) is emptied
when the cache opens it: its files could be named from their words.

Budget. Every synthesis adds a file (a flood of long texts once filled the disk), so the cache
keeps at most ``max_bytes``: after a file is stored, the least recently used files go until
the cache is back under nine tenths of it. "Used" is the file's modification time, touched
whenever a file is asked for again, so the order survives a restart without an index.

Threads. ``stored`` runs on the synthesis thread, ``touch`` and ``clear`` on the server's;
the running total is guarded by a lock of the unpatched ``_thread`` (held for microseconds,
never across a wait, so it cannot stall the gevent loop).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
from pathlib import Path
from typing import Any

from gevent.monkey import get_original

logger = logging.getLogger(__name__)

CACHE_NAME = re.compile(r"[0-9a-f]{32}\.wav")  # the only names the cache directory serves
MARKER = ".keyed"  # holds a fingerprint of the secret the names were made with
DEFAULT_MAX_BYTES = 512 * 1024 * 1024  # some 3 hours of speech; a day of a hall is far less
LOW_WATER = 0.9


class SpeechCache:
    """The WAVs of one speaker in ``directory``, named with ``secret``, at most ``max_bytes``."""

    def __init__(
        self,
        directory: Path,
        secret: bytes | str | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self.directory = Path(directory)
        key = secret.encode() if isinstance(secret, str) else secret
        self._key = key or secrets.token_bytes(32)  # none given: names no one else can make
        self.max_bytes = max_bytes
        self._lock: Any = get_original("_thread", "allocate_lock")()
        self._total: int | None = None  # counted on first use
        self._fingerprint = hmac.new(self._key, b"yishi speech cache", "sha256").hexdigest()[:16]
        self._marked = False
        if self.directory.is_dir():
            self._forget_other_names()

    def name(self, spoken: str, voice: str, rate: int) -> str:
        """The file name of one synthesis: a keyed hash of what is said, by whom, how fast."""
        message = f"{voice}\n{rate}\n{spoken}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:32] + ".wav"

    def touch(self, path: Path) -> bool:
        """Whether ``path`` is in the cache; if so it becomes the most recently used."""
        try:
            os.utime(path)
        except OSError:  # not there (or no folder at all)
            return False
        return True

    def stored(self, path: Path) -> None:
        """Count a file just written; beyond the budget, the least recently used files go."""
        try:
            size = path.stat().st_size
        except OSError:
            return
        if not self._marked:
            self._mark()
        with self._lock:
            total = self._counted() + size
            self._total = total
            if total <= self.max_bytes:
                return
            self._total = self._evict(int(self.max_bytes * LOW_WATER), keep=path)

    def clear(self) -> int:
        """Remove every cached file (``yishi purge``); how many there were."""
        with self._lock:
            removed = 0
            for entry in self._files():
                Path(entry.path).unlink(missing_ok=True)
                removed += 1
            self._total = 0
            return removed

    def size(self) -> int:
        """The bytes the cache holds now."""
        with self._lock:
            return self._counted()

    def _counted(self) -> int:
        if self._total is None:
            self._total = sum(entry.stat().st_size for entry in self._files())
        return self._total

    def _evict(self, target: int, keep: Path) -> int:
        """Remove the least recently used files until at most ``target`` bytes stay."""
        files = []
        for entry in self._files():
            try:
                stat = entry.stat()
            except FileNotFoundError:
                continue
            files.append((stat.st_mtime_ns, stat.st_size, entry.path))
        files.sort()
        total = sum(size for _, size, _ in files)
        removed = 0
        for _, size, path in files:
            if total <= target:
                break
            if path == str(keep):
                continue
            Path(path).unlink(missing_ok=True)
            total -= size
            removed += 1
        logger.info("speech cache: %d least recently used files removed", removed)
        return total

    def _files(self) -> list[os.DirEntry[str]]:
        try:
            with os.scandir(self.directory) as entries:
                return [e for e in entries if CACHE_NAME.fullmatch(e.name) and e.is_file()]
        except (FileNotFoundError, NotADirectoryError):
            return []

    def _forget_other_names(self) -> None:
        """Empty a folder whose files were named otherwise (another secret, or unkeyed)."""
        try:
            if (self.directory / MARKER).read_text().strip() == self._fingerprint:
                self._marked = True
                return
        except FileNotFoundError:
            pass
        except OSError:
            return  # unreadable: leave it; writing the cache will fail in words later
        removed = self.clear()
        if removed:
            logger.warning("speech cache: %d files named without this box's key removed", removed)
        self._mark()

    def _mark(self) -> None:
        """Note the key's fingerprint next to the files (a later start keeps them)."""
        try:
            # Owner-only like the WAVs (0o600, as meeting_room.store.files; devices imports none).
            marker = os.open(self.directory / MARKER, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(marker, "w") as out:
                out.write(self._fingerprint + "\n")
            self._marked = True
        except OSError:
            logger.warning("speech cache: cannot write %s", self.directory / MARKER)
