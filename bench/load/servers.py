"""Servers under test: start Yishi or the bare baseline on 127.0.0.1, watch their RSS and CPU.

Every server started here is stopped by ``stop()`` (terminate, then kill), also when a run
fails; the harness uses them as context managers.
"""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import requests

ROOT = Path(__file__).resolve().parent.parent.parent
TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def raise_open_files(wanted: int = 65536) -> int:
    """Raise this process's open-files limit (inherited by the servers and phones it starts)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def proc_cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds of a process (from /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def proc_rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (from /proc/<pid>/statm)."""
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE / 1e6


@dataclass
class Sampler:
    """Samples the RSS (MB) and CPU seconds of some processes every ``period`` seconds."""

    pids: list[int]
    period: float = 0.5
    samples: list[tuple[float, float, float]] = field(default_factory=list)  # (t, rss, cpu)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def read(self) -> tuple[float, float, float]:
        """One sample now: (monotonic time, total RSS MB, total CPU s)."""
        rss = cpu = 0.0
        for pid in self.pids:
            try:
                rss += proc_rss_mb(pid)
                cpu += proc_cpu_seconds(pid)
            except (FileNotFoundError, ProcessLookupError):
                continue
        return time.monotonic(), rss, cpu

    def start(self) -> Sampler:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append(self.read())
            self._stop.wait(self.period)

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)

    def cpu_between(self, start: float, end: float) -> float:
        """CPU seconds used between two monotonic times (nearest samples)."""
        before = [s for s in self.samples if s[0] <= start] or self.samples[:1]
        after = [s for s in self.samples if s[0] >= end] or self.samples[-1:]
        return after[0][2] - before[-1][2] if before and after else 0.0

    def peak_rss(self, start: float = 0.0, end: float = float("inf")) -> float:
        return max((s[1] for s in self.samples if start <= s[0] <= end), default=0.0)


class Server:
    """A server process started by the harness, waited for, and always stopped."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path, ready_url: str) -> None:
        self.argv = argv
        self.env = env
        self.log = log
        self.ready_url = ready_url
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, timeout: float = 60) -> Server:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.argv,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}; see {self.log}")
            try:
                requests.get(self.ready_url, timeout=2)
                return self
            except requests.RequestException:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server not ready after {timeout} s; see {self.log}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def yishi_server(instance: Path, port: int, env: dict[str, str] | None = None) -> Server:
    """``python -m meeting_room.ops.cli run`` on 127.0.0.1 with this instance folder."""
    environment = {
        **os.environ,
        "YISHI_INSTANCE": str(instance),
        "YISHI_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        **(env or {}),
    }
    argv = [sys.executable, "-m", "meeting_room.ops.cli", "run", "--host", "127.0.0.1"]
    argv += ["--port", str(port)]
    return Server(argv, environment, instance / "server.log", f"http://127.0.0.1:{port}/projector")


def baseline_server(folder: Path, port: int, delay: float) -> Server:
    """The bare python-socketio server (``bench/load/baseline.py``)."""
    argv = [sys.executable, "-m", "bench.load.baseline", "--port", str(port)]
    argv += ["--delay", str(delay)]
    ready = f"http://127.0.0.1:{port}/socket.io/?EIO=4&transport=polling"
    return Server(argv, dict(os.environ), folder / "baseline.log", ready)
