"""One load-generator process: many simulated phones, real python-socketio clients.

Started by the scenario as ``python -m bench.load.phones``; it is driven by JSON lines on
stdin (one command each) and answers one JSON line on stdout per command. Each phone is a
``socketio.Client`` on the WebSocket transport only, on gevent (patched first), so a process
holds hundreds of connections cheaply. Every time is ``time.monotonic()``: the clock is the
same for every process of the machine, so the scenario compares times across processes.

Commands: ``connect`` (url, tokens, first index), ``vote`` (poll id, start time, spread),
``floor`` (hand over and forget the ``floor`` events seen), ``usage`` (CPU seconds,
disconnects), ``stop``. Tokens arrive on stdin, never on the command line.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from typing import Any  # noqa: E402

import gevent  # noqa: E402
import socketio  # noqa: E402
from gevent.fileobject import FileObject  # noqa: E402
from gevent.pool import Pool  # noqa: E402

from bench.load import WEBSOCKET  # noqa: E402

PHONE = "/phone"
CONNECT_CONCURRENCY = 20


def cpu_seconds() -> float:
    """User plus system CPU time of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Phone:
    """One attendee's phone: joined with its personal token, votes once per poll."""

    def __init__(self, index: int, token: str) -> None:
        self.index = index
        self.token = token
        self.client = socketio.Client(reconnection=False, websocket_extra_options=WEBSOCKET)
        self.floors: list[tuple[int, float]] = []
        self.disconnects = 0
        self.joined = False
        self.error: str | None = None
        self.client.on("floor", self._floor, namespace=PHONE)
        self.client.on("disconnect", self._disconnected, namespace=PHONE)

    def _floor(self, data: Any) -> None:
        self.floors.append((int(data.get("version", -1)), time.monotonic()))

    def _disconnected(self, *_args: Any) -> None:
        if self.joined:
            self.disconnects += 1

    def connect(self, url: str, headers: dict[str, str]) -> dict[str, Any]:
        started = time.monotonic()
        try:
            self.client.connect(
                url,
                headers=headers,
                transports=["websocket"],
                namespaces=[PHONE],
                wait_timeout=30,
            )
            answer = self.client.call("join", {"token": self.token}, namespace=PHONE, timeout=30)
            if not isinstance(answer, dict) or "error" in answer:
                self.error = f"join refused: {answer.get('error') if answer else answer}"
            else:
                self.joined = True
        except Exception as error:
            self.error = f"{type(error).__name__}: {error}"
        return {"i": self.index, "start": started, "end": time.monotonic(), "error": self.error}

    def vote(self, poll_id: int, choice: str, at: float, results: list[dict[str, Any]]) -> None:
        delay = at - time.monotonic()
        if delay > 0:
            gevent.sleep(delay)
        record: dict[str, Any] = {"i": self.index, "sent": time.monotonic(), "ack": None}
        results.append(record)

        def acked(answer: Any = None) -> None:
            record["ack"] = time.monotonic()
            if isinstance(answer, dict) and answer.get("ok"):
                record["receipt"] = answer.get("receipt")
                record["repeated"] = bool(answer.get("repeated"))
            else:
                error = answer.get("error", {}) if isinstance(answer, dict) else {}
                record["error"] = error.get("code", str(answer))

        payload = {
            "token": self.token,
            "poll_id": poll_id,
            "choices": [choice],
            "client_id": uuid.uuid4().hex,
        }
        try:
            self.client.emit("ballot.cast", payload, namespace=PHONE, callback=acked)
        except Exception as error:
            record["error"] = f"{type(error).__name__}: {error}"


class Generator:
    """The phones of this process and the commands that drive them."""

    def __init__(self) -> None:
        self.phones: list[Phone] = []
        self.cpu_at_start = cpu_seconds()

    def connect(self, command: dict[str, Any]) -> dict[str, Any]:
        first = int(command["first"])
        headers = dict(command.get("headers") or {})
        fresh = [Phone(first + n, token) for n, token in enumerate(command["tokens"])]
        self.phones += fresh
        pool = Pool(int(command.get("concurrency") or CONNECT_CONCURRENCY))
        cpu = cpu_seconds()
        records = pool.map(lambda phone: phone.connect(command["url"], headers), fresh)
        return {"connects": records, "cpu_s": cpu_seconds() - cpu}

    def vote(self, command: dict[str, Any]) -> dict[str, Any]:
        total = int(command["total"])
        spread = float(command["spread"])
        at = float(command["at"])
        choices = ("for", "against", "abstain")
        results: list[dict[str, Any]] = []
        cpu = cpu_seconds()
        voters = [
            gevent.spawn(
                phone.vote,
                int(command["poll_id"]),
                choices[phone.index % len(choices)],
                at + spread * phone.index / max(total, 1),
                results,
            )
            for phone in self.phones
            if phone.joined
        ]
        gevent.joinall(voters)
        deadline = time.monotonic() + float(command.get("timeout", 30))
        while time.monotonic() < deadline and any(
            r["ack"] is None and "error" not in r for r in results
        ):
            gevent.sleep(0.05)
        return {"ballots": results, "cpu_s": cpu_seconds() - cpu}

    def floor(self, _command: dict[str, Any]) -> dict[str, Any]:
        seen = []
        for phone in self.phones:
            if phone.joined:
                seen.append({"i": phone.index, "floors": phone.floors})
            phone.floors = []
        return {"phones": seen}

    def usage(self, _command: dict[str, Any]) -> dict[str, Any]:
        return {
            "cpu_s": cpu_seconds() - self.cpu_at_start,
            "disconnects": sum(p.disconnects for p in self.phones),
            "connected": sum(1 for p in self.phones if p.client.connected),
        }

    def stop(self, _command: dict[str, Any]) -> dict[str, Any]:
        for phone in self.phones:
            phone.joined = False
        gevent.joinall([gevent.spawn(p.client.disconnect) for p in self.phones], timeout=10)
        return self.usage({})


def main() -> None:
    """Serve commands from stdin until ``stop`` or end of input."""
    generator = Generator()
    commands = FileObject(sys.stdin.fileno(), "rb")
    out = sys.stdout
    while True:
        line = commands.readline()
        if not line:
            generator.stop({})
            return
        command = json.loads(line)
        handler = getattr(generator, command["cmd"])
        answer = handler(command)
        out.write(json.dumps(answer) + "\n")
        out.flush()
        if command["cmd"] == "stop":
            return


if __name__ == "__main__":
    main()
