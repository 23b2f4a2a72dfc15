"""Flask extensions, created unbound at import time and bound in ``create_app``."""

from collections.abc import Callable
from typing import Any, TypeVar

from flask_babel import Babel
from flask_socketio import SocketIO
from flask_wtf.csrf import CSRFProtect

T = TypeVar("T")

socketio = SocketIO()
babel = Babel()
csrf = CSRFProtect()


def off_the_loop(work: Callable[..., T], *args: Any) -> T:
    """Run CPU-heavy work (photo decoding, ...) in a real thread under gevent, so the event
    loop keeps serving; a plain call in any other mode."""
    if socketio.async_mode == "gevent":
        from gevent import get_hub

        result: T = get_hub().threadpool.apply(work, args)
        return result
    return work(*args)
