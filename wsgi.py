"""WSGI entry point: gevent monkey-patching first, then the app (new files owner-only)."""

from gevent import monkey

monkey.patch_all()

import os  # noqa: E402

from meeting_room.app import create_app  # noqa: E402
from meeting_room.store.files import PRIVATE_UMASK  # noqa: E402

os.umask(PRIVATE_UMASK)
app = create_app()
