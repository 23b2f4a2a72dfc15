"""A small TCP proxy that delays every chunk by a latency with jitter, and can cut everyone off.

The hall's access point in a test (issue 19): on this kernel ``tc netem`` is missing (``tbf``
works: the Wi-Fi bench shapes the rate with it), so latency and jitter are added here, in user
space. Each chunk read from one side is written to the other after ``delay ± jitter`` ms
(uniform), never before the chunk read ahead of it: the jitter delays, it never reorders a
connection's bytes (TCP would not either).

``cut`` is the access point restarting: every connection through the proxy is aborted (both
sides see a reset at once) and new ones are refused until ``restore``. ``hold`` stops what
goes from the server to the clients (the server's answers wait in the proxy), so that a test
can make a ballot reach the server while its acknowledgement is lost in the cut that follows.

Run as ``python -m bench.load.delay_proxy --listen 127.0.0.1:0 --target 127.0.0.1:5000``; it
prints one JSON line ``{"port": …}`` when listening, then answers one JSON line per command
read on stdin (``cut``, ``restore``, ``hold``, ``stats``, ``stop``). ``DelayProxy`` drives one.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
CHUNK = 65536


@dataclass(eq=False)  # kept in a set: each pipe is itself
class Pipe:
    """One client's connection and its connection to the server."""

    client: asyncio.StreamWriter
    server: asyncio.StreamWriter
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def abort(self) -> None:
        for writer in (self.client, self.server):
            writer.transport.abort()
        for task in self.tasks:
            task.cancel()


class Proxy:
    """The proxy's state: its connections, its settings, what it has carried."""

    def __init__(self, target: tuple[str, int], delay_ms: float, jitter_ms: float) -> None:
        self.target = target
        self.delay = delay_ms / 1000
        self.jitter = jitter_ms / 1000
        self.pipes: set[Pipe] = set()
        self.refusing = False
        self.holding = asyncio.Event()
        self.holding.set()  # set: the server's answers flow
        self.stats: dict[str, float] = {
            "accepted": 0,
            "refused": 0,
            "cut": 0,
            "up_bytes": 0,
            "down_bytes": 0,
            "loop_lag_max_s": 0.0,  # the proxy's own delay beyond the one it adds
        }

    def latency(self) -> float:
        return max(0.0, self.delay + random.uniform(-self.jitter, self.jitter))

    async def accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.refusing:
            self.stats["refused"] += 1
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self.stats["accepted"] += 1
        pipe = Pipe(writer, up_writer)
        self.pipes.add(pipe)
        pipe.tasks = [
            asyncio.create_task(self.carry(reader, up_writer, "up_bytes", None)),
            asyncio.create_task(self.carry(up_reader, writer, "down_bytes", self.holding)),
        ]
        try:
            await asyncio.gather(*pipe.tasks, return_exceptions=True)
        except asyncio.CancelledError:
            pass  # the proxy is stopping
        finally:
            self.pipes.discard(pipe)
            pipe.abort()

    async def carry(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        counter: str,
        gate: asyncio.Event | None,
    ) -> None:
        """Read chunks from one side; write each to the other after its latency, in order."""
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def deliver() -> None:
            while True:
                due, data = await queue.get()
                if not data:
                    break
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                if gate is not None:
                    await gate.wait()
                writer.write(data)
                self.stats[counter] += len(data)
                await writer.drain()
            with contextlib.suppress(OSError):
                writer.write_eof()

        sender = asyncio.create_task(deliver())
        last_due = 0.0
        try:
            while data := await reader.read(CHUNK):
                last_due = max(last_due, time.monotonic() + self.latency())
                queue.put_nowait((last_due, data))
            queue.put_nowait((last_due, b""))
            await sender
        finally:
            sender.cancel()

    async def watch_lag(self) -> None:
        """How late the proxy's loop wakes up (CPU-starved, it would delay beyond its setting)."""
        while True:
            asked = time.monotonic() + 0.05
            await asyncio.sleep(0.05)
            lag = time.monotonic() - asked
            self.stats["loop_lag_max_s"] = max(self.stats["loop_lag_max_s"], round(lag, 3))

    def cut(self) -> int:
        """Every connection aborted; new ones refused until ``restore``."""
        self.refusing = True
        cut = len(self.pipes)
        for pipe in list(self.pipes):
            pipe.abort()
        self.pipes.clear()
        self.stats["cut"] += cut
        self.holding.set()
        return cut


async def serve(args: argparse.Namespace) -> None:
    host, port = args.target.rsplit(":", 1)
    proxy = Proxy((host, int(port)), args.delay, args.jitter)
    listen_host, listen_port = args.listen.rsplit(":", 1)
    server = await asyncio.start_server(proxy.accept, listen_host, int(listen_port), backlog=4096)
    bound = server.sockets[0].getsockname()[1]
    print(json.dumps({"port": bound}), flush=True)
    watch = asyncio.create_task(proxy.watch_lag())
    loop = asyncio.get_running_loop()
    commands = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(commands), sys.stdin)
    while line := await commands.readline():
        command = json.loads(line)["cmd"]
        answer: dict[str, Any] = {"at": time.monotonic()}
        if command == "cut":
            answer["cut"] = proxy.cut()
        elif command == "restore":
            proxy.refusing = False
            proxy.holding.set()
        elif command == "hold":
            proxy.holding.clear()
        elif command == "stats":
            answer.update(proxy.stats, open=len(proxy.pipes), cpu_s=time.process_time())
        print(json.dumps(answer), flush=True)
        if command == "stop":
            break
    server.close()
    watch.cancel()
    proxy.cut()


class DelayProxy:
    """The proxy as a child process: ``cut()``, ``restore()``, ``hold()``, ``stats()``; always
    stopped by ``close()`` (a context manager)."""

    def __init__(
        self, target: str, listen: str = "127.0.0.1:0", delay_ms: float = 80, jitter_ms: float = 40
    ) -> None:
        argv = [sys.executable, "-m", "bench.load.delay_proxy", "--listen", listen]
        argv += ["--target", target, "--delay", str(delay_ms), "--jitter", str(jitter_ms)]
        self.process = subprocess.Popen(
            argv,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        ready = self._answer()
        self.host = listen.rsplit(":", 1)[0]
        self.port = int(ready["port"])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _answer(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the delaying proxy stopped")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def command(self, cmd: str) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"cmd": cmd}) + "\n")
        self.process.stdin.flush()
        return self._answer()

    def cut(self) -> dict[str, Any]:
        return self.command("cut")

    def restore(self) -> dict[str, Any]:
        return self.command("restore")

    def hold(self) -> dict[str, Any]:
        return self.command("hold")

    def stats(self) -> dict[str, Any]:
        return self.command("stats")

    def close(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(OSError, ValueError):
                self.command("stop")
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()

    def __enter__(self) -> DelayProxy:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def main() -> None:
    parse = argparse.ArgumentParser(prog="python -m bench.load.delay_proxy", description=__doc__)
    parse.add_argument("--listen", default="127.0.0.1:0", help="HOST:PORT (0: any free port)")
    parse.add_argument("--target", required=True, help="the server, HOST:PORT")
    parse.add_argument("--delay", type=float, default=80.0, help="latency each way (ms)")
    parse.add_argument("--jitter", type=float, default=40.0, help="± this, uniform (ms)")
    asyncio.run(serve(parse.parse_args()))


if __name__ == "__main__":
    main()
