"""Files only the box's own account may read: the instance folder and what it holds (the
database and SQLite's -wal and -shm beside it, backups, the secret key, the TLS key and
certificate, the demo accounts' passwords).

Folders are made 0700 and files 0600 from the moment they exist (never written first and
narrowed after, which would leave a moment where others can open them); a box set up before
this gets its existing files narrowed at the next start. SQLite makes the -wal and -shm with
the database file's own permissions, so a private database keeps its journal private too.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
PRIVATE_UMASK = 0o077  # the server's processes (``yishi``, wsgi.py): new files owner-only
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def private_folder(path: Path) -> Path:
    """``path`` as a folder only its owner can enter (made, with its parents, if missing)."""
    path.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    _narrow(path, PRIVATE_FOLDER)
    return path


def private_file(path: Path) -> Path:
    """``path`` as a file only its owner can read: made empty if missing, narrowed if not."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        _narrow(path, PRIVATE_FILE)
    return path


def write_private(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` whole (a temporary file renamed into place), owner-only."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
    temporary.unlink(missing_ok=True)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path


def private_database(path: Path) -> None:
    """A SQLite database file and its companions owner-only; the file is made (empty, which
    SQLite takes as a new database) when its folder exists and it does not."""
    if not path.parent.is_dir():
        return  # the server refuses to start on it, in words (``unwritable_reason``)
    try:
        private_file(path)
    except OSError:
        return  # a read-only folder or disk: refused in words too, at the first write
    for suffix in SQLITE_COMPANIONS:
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            _narrow(companion, PRIVATE_FILE)


def _narrow(path: Path, mode: int) -> None:
    """Take away what ``mode`` does not allow."""
    try:
        current = path.stat().st_mode & 0o777
        if current & ~mode:
            path.chmod(current & mode)
    except OSError:  # not ours, or a read-only disk: left as it is
        pass
