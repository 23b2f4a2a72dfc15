"""Flask extensions, created unbound at import time and bound in ``create_app``."""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from typing import Any, Generic, TypeVar

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


class Pending(Generic[T]):
    """CPU-heavy work running in a real thread (``in_a_thread``): wait on it in short steps
    (a page streams its progress meanwhile), then take its result or its exception."""

    def __init__(self, wait: Callable[[float], bool], result: Callable[[], T]) -> None:
        self._wait = wait
        self._result = result

    def done_within(self, seconds: float) -> bool:
        """Whether the work has ended, waiting at most ``seconds`` (cooperatively under gevent)."""
        return self._wait(seconds)

    def result(self) -> T:
        """The work's answer (its exception raised here); waits for it."""
        return self._result()


def in_a_thread(work: Callable[..., T], *args: Any) -> Pending[T]:
    """Start CPU-heavy work in a real thread (gevent's pool under gevent, where a monkey-patched
    thread would be a greenlet and stall the loop) and answer at once."""
    if socketio.async_mode == "gevent":
        from gevent import get_hub

        job = get_hub().threadpool.spawn(work, *args)

        def wait(seconds: float) -> bool:
            job.wait(timeout=seconds)
            return bool(job.ready())

        return Pending(wait, job.get)
    executor = ThreadPoolExecutor(max_workers=1)
    future = executor.submit(work, *args)
    executor.shutdown(wait=False)  # the work goes on; the thread ends with it

    def wait_future(seconds: float) -> bool:
        done, _ = futures_wait([future], timeout=seconds)
        return bool(done)

    return Pending(wait_future, future.result)
