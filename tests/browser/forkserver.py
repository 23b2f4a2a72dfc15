"""``yishi run`` started from a warm interpreter, for the tests' many servers.

The browser and security tests start some two hundred real servers, one or more per test. Of
the 3 s of CPU each start cost, 2.5 s was Python importing the same modules again (Flask,
SQLAlchemy, Socket.IO, pydantic, every feature's routes). Here one process per test process
(the zygote) imports once what ``create_app`` imports, and each server is a fork of it that
runs the real command: ``meeting_room.ops.cli.main()`` with the same arguments, environment,
working directory and output file as ``python -m meeting_room.ops.cli run ...``. What the app
builds (its config, database, extensions, background tasks) is the child's own, made after
the fork; only the modules were loaded before it. The heavy libraries that a start leaves
unloaded (``tests/web/test_lazy_imports.py``) stay unloaded: the list of modules to load is
what a real ``create_app`` loaded, read in a throwaway child.

Protocol: one JSON line per server on the zygote's stdin (``argv``, ``env``, ``cwd``,
``log``), answered by one line with the server's ``pid``. A server is the zygote's child, so
the test process follows it through a pidfd (``ForkedServer``); the zygote ignores SIGCHLD,
so the kernel reaps its ended servers at once. The zygote ends when its stdin closes.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


class ForkedServer:
    """The parts of ``subprocess.Popen`` that the tests use, for a server forked by the zygote
    (not this process's child: its exit status is not ours to read, only that it ended)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        try:
            self._fd: int | None = os.pidfd_open(pid)
        except ProcessLookupError:  # it has ended already
            self._fd = None
            self.returncode = -1

    def _ended(self, timeout: float) -> bool:
        if self._fd is None:
            return True
        readable, _, _ = select.select([self._fd], [], [], timeout)
        if readable:
            os.close(self._fd)
            self._fd = None
            self.returncode = -1  # unknown here: the zygote's to read, and it lets the kernel
        return self._fd is None

    def poll(self) -> int | None:
        return self.returncode if self._ended(0) else None

    def wait(self, timeout: float | None = None) -> int:
        if not self._ended(timeout if timeout is not None else 1e9):
            raise subprocess.TimeoutExpired(f"server {self.pid}", timeout or 0)
        assert self.returncode is not None
        return self.returncode

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):  # it ended just now
                os.kill(self.pid, sig)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class Zygote:
    """This test process's zygote, started at its first server."""

    _lock = threading.Lock()
    _process: subprocess.Popen[str] | None = None

    @classmethod
    def start_server(
        cls, argv: list[str], env: dict[str, str], cwd: Path, log: Path
    ) -> ForkedServer:
        with cls._lock:
            if cls._process is None or cls._process.poll() is not None:
                cls._process = subprocess.Popen(
                    [sys.executable, "-m", "tests.browser.forkserver"],
                    cwd=ROOT,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                )
            process = cls._process
            assert process.stdin is not None and process.stdout is not None
            request = {"argv": argv, "env": env, "cwd": str(cwd), "log": str(log)}
            process.stdin.write(json.dumps(request) + "\n")
            process.stdin.flush()
            answer = process.stdout.readline()
        if not answer:
            raise RuntimeError("the tests' zygote ended: see the test's output")
        return ForkedServer(json.loads(answer)["pid"])


def _modules_of_create_app() -> list[str]:
    """The modules a real ``create_app`` loads, in the order it loads them: read in a child,
    which builds an app on a throwaway folder and ends (nothing of it stays here)."""
    import tempfile

    from gevent import monkey

    # gevent's os.close only asks its hub to close, and no hub runs here: the originals.
    fork, close, waitpid = monkey.get_original("os", ["fork", "close", "waitpid"])
    read, write = os.pipe()
    pid = fork()
    if pid == 0:
        close(read)
        code = 1
        try:
            from meeting_room.app import create_app

            with tempfile.TemporaryDirectory() as folder:
                create_app(
                    {"INSTANCE_PATH": folder, "DATABASE_URL": f"sqlite:///{folder}/probe.db"}
                )
            with os.fdopen(write, "w") as out:
                json.dump(list(sys.modules), out)
            code = 0
        finally:
            os._exit(code)
    close(write)
    with os.fdopen(read) as answer:
        text = answer.read()
    waitpid(pid, 0)
    return json.loads(text) if text else []


def _preload() -> None:
    import importlib

    import meeting_room.ops.cli  # noqa: F401  (the command's own module, gevent patched before)

    for name in _modules_of_create_app():
        if name not in sys.modules:
            # An alias, or a module made at run time: the child loads it if it uses it.
            with contextlib.suppress(Exception):
                importlib.import_module(name)
    # The demo meeting each test opens is announced aloud, and speech reads Chinese through
    # pypinyin, which a server loads at its first announcement (0.7 s of CPU): loaded here
    # once. That a server at rest leaves it unloaded is tests/web/test_lazy_imports.py's to say.
    from meeting_room.domain.pinyin import load_pypinyin

    load_pypinyin()


def _serve(request: dict[str, Any]) -> int:
    """Fork one server; in the child, become ``python -m meeting_room.ops.cli <argv>``."""
    import gevent
    from gevent import monkey

    fork, close = monkey.get_original("os", ["fork", "close"])
    pid: int = fork()
    if pid:
        return pid
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the server waits for its own children
        gevent.reinit()
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        log = os.open(request["log"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.dup2(log, 1)
        os.dup2(log, 2)
        close(null)
        close(log)
        # As a new interpreter would open them (PYTHONUNBUFFERED: written through at once).
        sys.stdin = open(0, closefd=False)  # noqa: SIM115
        sys.stdout = open(1, "w", buffering=1, closefd=False, encoding="utf-8")  # noqa: SIM115
        sys.stderr = open(  # noqa: SIM115
            2, "w", buffering=1, closefd=False, encoding="utf-8", errors="backslashreplace"
        )
        sys.argv = ["yishi", *request["argv"]]
        from meeting_room.ops import cli

        try:
            cli.main()
            code = 0
        except SystemExit as leaving:
            code = leaving.code if isinstance(leaving.code, int) else (leaving.code is not None)
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def main() -> None:
    sys.argv = [sys.argv[0], "run"]  # what meeting_room.ops.cli checks to patch with gevent
    from gevent import monkey

    monkey.patch_all()
    _preload()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # ended servers are reaped by the kernel
    for line in sys.stdin:
        pid = _serve(json.loads(line))
        sys.stdout.write(json.dumps({"pid": pid}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
