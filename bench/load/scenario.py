"""The load scenario: N phones sign in, vote in a burst, and follow the floor.

One run against one target (Yishi, or the bare baseline): connect every phone, open a poll,
every phone votes within ``spread`` seconds (a second round, all at once, measures the
saturated throughput), the projector must see the count reach N, then the moderator starts
speeches and every phone must receive the new floor. The phones live in ``processes``
generator processes (``bench/load/phones.py``); the projector and moderator are clients of
this process. Times are ``time.monotonic()``, the same clock in every process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import socketio

from bench.load import WEBSOCKET
from bench.load.servers import ROOT, Sampler
from bench.load.stats import summary

ACK_TIMEOUT = 120.0  # a phone waits this long for its ballot's acknowledgement
MODERATOR_TIMEOUT = 300.0  # closing a poll of thousands of ballots behind a burst takes long


@dataclass
class Target:
    """Where the phones go and who the server is."""

    kind: str  # "yishi" or "baseline"
    url: str
    meeting_id: int
    tokens: list[str] = field(repr=False)
    member_ids: list[int]
    staff_headers: dict[str, str] = field(repr=False)
    projector_headers: dict[str, str] = field(repr=False)
    pids: list[int]
    verify: Callable[[int], dict[str, Any]] | None = None
    timings: dict[str, float] = field(default_factory=dict)  # preparation, server start (s)


NODE_PHONES = ROOT / "bench" / "load" / "node" / "phones.js"


def generator_argv(kind: str) -> list[str]:
    """The command of one phone process: ``python`` (phones.py, the default) or ``node``
    (node/phones.js with socket.io-client; ``make bench`` installs it)."""
    if kind == "node":
        if not (NODE_PHONES.parent / "node_modules" / "socket.io-client").is_dir():
            raise RuntimeError("socket.io-client is missing: run `npm ci` in bench/load/node")
        return ["node", str(NODE_PHONES)]
    return [sys.executable, "-m", "bench.load.phones"]


class Generators:
    """The phone processes, driven by JSON lines (see ``phones.py``)."""

    def __init__(
        self, processes: int, log: Path, kind: str = "python", prefix: list[str] | None = None
    ) -> None:
        self.log = log
        self.procs: list[subprocess.Popen[str]] = []
        with log.open("a") as errors:
            for _ in range(processes):
                self.procs.append(
                    subprocess.Popen(
                        [*(prefix or []), *generator_argv(kind)],
                        cwd=ROOT,
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        stderr=errors,
                        text=True,
                    )
                )

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.procs]

    def ask(self, commands: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Send one command to each process at once, then read every answer."""
        for proc, command in zip(self.procs, commands, strict=True):
            assert proc.stdin is not None
            proc.stdin.write(json.dumps(command) + "\n")
            proc.stdin.flush()
        answers = []
        for proc in self.procs:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError(f"a phone process died; see {self.log}")
            answers.append(json.loads(line))
        return answers

    def ask_all(self, command: dict[str, Any]) -> list[dict[str, Any]]:
        return self.ask([command] * len(self.procs))

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None and proc.stdin is not None:
                try:
                    proc.stdin.write(json.dumps({"cmd": "stop"}) + "\n")
                    proc.stdin.close()
                except (BrokenPipeError, OSError):
                    pass
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
            if proc.stdout is not None:
                proc.stdout.close()


@contextmanager
def generators(
    processes: int, log: Path, kind: str = "python", prefix: list[str] | None = None
) -> Iterator[Generators]:
    """Phone processes that are always stopped (``prefix``: e.g. ``ip netns exec NS``)."""
    started = Generators(processes, log, kind, prefix)
    try:
        yield started
    finally:
        started.close()


class Projector:
    """The wall screen: follows ``poll.count`` and notes when each count arrived."""

    def __init__(self, target: Target) -> None:
        self.counts: list[tuple[int, int, float]] = []  # (poll id, cast, time)
        self.client = socketio.Client(reconnection=False, websocket_extra_options=WEBSOCKET)
        self.client.on("poll.count", self._count, namespace="/projector")
        self.client.connect(
            target.url,
            headers=target.projector_headers,
            transports=["websocket"],
            namespaces=["/projector"],
            wait_timeout=30,
        )
        answer = self.client.call(
            "join", {"meeting_id": target.meeting_id}, namespace="/projector", timeout=30
        )
        if not isinstance(answer, dict) or "error" in answer:
            raise RuntimeError(f"projector join refused: {answer}")

    def _count(self, data: dict[str, Any]) -> None:
        self.counts.append((int(data["poll_id"]), int(data["cast"]), time.monotonic()))

    def reached(self, poll_id: int, cast: int) -> float | None:
        """When the projector first showed ``cast`` ballots for this poll."""
        return next((t for p, c, t in self.counts if p == poll_id and c >= cast), None)

    def wait(self, poll_id: int, cast: int, timeout: float) -> float | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            seen = self.reached(poll_id, cast)
            if seen is not None:
                return seen
            time.sleep(0.02)
        return None


class Moderator:
    """The console: polls and the floor over ``/moderator``; like the real console, it
    connects again (and joins) when the server dropped it, and counts how often."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.meeting_id = target.meeting_id
        self.reconnects = 0
        self.client = self._connect()

    def _connect(self) -> socketio.Client:
        client = socketio.Client(reconnection=False, websocket_extra_options=WEBSOCKET)
        client.connect(
            self.target.url,
            headers=self.target.staff_headers,
            transports=["websocket"],
            namespaces=["/moderator"],
            wait_timeout=30,
        )
        answer = client.call(
            "join", {"meeting_id": self.meeting_id}, namespace="/moderator", timeout=60
        )
        if not isinstance(answer, dict) or "error" in answer:
            raise RuntimeError(f"moderator join refused: {answer}")
        return client

    def call(self, event: str, data: dict[str, Any]) -> dict[str, Any]:
        if "/moderator" not in self.client.namespaces:
            self.client.disconnect()
            self.client = self._connect()
            self.reconnects += 1
        answer = self.client.call(
            event,
            {"meeting_id": self.meeting_id, **data},
            namespace="/moderator",
            timeout=MODERATOR_TIMEOUT,
        )
        if not isinstance(answer, dict) or "error" in answer:
            raise RuntimeError(f"{event} refused: {answer}")
        return answer

    def open_poll(self, question: str) -> int:
        poll = self.call("poll.create", {"question": question, "kind": "yes_no", "secret": True})
        poll_id = int(poll["poll"]["id"])
        self.call("poll.open", {"poll_id": poll_id})
        return poll_id

    def start_item(self) -> None:
        floor = self.call("agenda.add", {"title": "压力测试议题 (bench)", "planned_minutes": 60})
        item_id = max(int(item["id"]) for item in floor["floor"]["agenda"])
        # The bench's room rarely holds the quorum: the start is confirmed, as a moderator would.
        self.call("agenda.start", {"item_id": item_id, "confirm": True})

    def timed(self, event: str, data: dict[str, Any]) -> tuple[float, int]:
        """Send a floor event; (time sent, version of the snapshot it broadcast)."""
        sent = time.monotonic()
        answer = self.call(event, data)
        return sent, int(answer["floor"]["version"])


def close_quietly(*clients: Projector | Moderator | None) -> None:
    for client in clients:
        if client is not None:
            client.client.disconnect()


def split(items: list[Any], parts: int) -> list[list[Any]]:
    """``items`` in ``parts`` contiguous chunks of nearly equal size."""
    size, extra = divmod(len(items), parts)
    chunks, start = [], 0
    for n in range(parts):
        end = start + size + (1 if n < extra else 0)
        chunks.append(items[start:end])
        start = end
    return chunks


def connect_phones(
    gens: Generators,
    target: Target,
    concurrency: int,
    url: str | None = None,
    reconnect: bool = False,
) -> dict[str, Any]:
    """Connect and join every phone (at ``url``, else the target's; ``reconnect``: the phones
    connect again by themselves, as the phone page does); how long it took and what failed."""
    chunks = split(target.tokens, len(gens.procs))
    firsts = [sum(len(c) for c in chunks[:n]) for n in range(len(chunks))]
    answers = gens.ask(
        [
            {
                "cmd": "connect",
                "url": url or target.url,
                "reconnect": reconnect,
                "tokens": chunk,
                "first": first,
                "concurrency": concurrency,
            }
            for chunk, first in zip(chunks, firsts, strict=True)
        ]
    )
    records = [r for a in answers for r in a["connects"]]
    errors = [r["error"] for r in records if r["error"]]
    return {
        "phones": len(records),
        "failed": len(errors),
        "errors": sorted(set(errors))[:5],
        "connect_all_s": max(r["end"] for r in records) - min(r["start"] for r in records),
        "connect_each_ms": summary([(r["end"] - r["start"]) * 1000 for r in records]),
        "generator_cpu_s": sum(a["cpu_s"] for a in answers),
    }


def vote_round(
    gens: Generators,
    target: Target,
    moderator: Moderator,
    projector: Projector,
    sampler: Sampler | None,
    spread: float,
) -> dict[str, Any]:
    """Open a poll, every phone votes within ``spread`` s; acks, projector, database."""
    poll_id = moderator.open_poll(f"压力测试表决 (spread {spread:g} s)")
    time.sleep(1.0)  # the phones receive the opened poll
    at = time.monotonic() + 0.5
    total = len(target.tokens)
    command = {"cmd": "vote", "poll_id": poll_id, "at": at, "spread": spread, "total": total}
    answers = gens.ask_all({**command, "timeout": ACK_TIMEOUT})
    ballots = [b for a in answers for b in a["ballots"]]
    acked = [b for b in ballots if b["ack"] is not None and b.get("receipt")]
    refused = [b for b in ballots if "error" in b]
    last_ack = max((b["ack"] for b in acked), default=at)
    first_sent = min((b["sent"] for b in ballots), default=at)
    last_sent = max((b["sent"] for b in ballots), default=at)
    shown = projector.wait(poll_id, total, timeout=10)
    closing = time.monotonic()
    try:
        moderator.call("poll.close", {"poll_id": poll_id})
        closed_s: float | str = time.monotonic() - closing
    except Exception as error:  # recorded: the ballots are still checked below
        closed_s = f"{type(error).__name__}: {error}"
    latencies = [(b["ack"] - b["sent"]) * 1000 for b in acked]
    result: dict[str, Any] = {
        "poll_id": poll_id,
        "spread_s": spread,
        "sent": len(ballots),
        "acknowledged": len(acked),
        "refused": len(refused),
        "unacknowledged": len(ballots) - len(acked) - len(refused),
        "refusals": sorted({str(b["error"]) for b in refused})[:5],
        "ack_ms": summary(latencies),
        "burst_s": last_sent - first_sent,
        "last_ack_after_burst_start_s": last_ack - first_sent,
        "last_ack_after_last_send_s": last_ack - last_sent,
        "throughput_per_s": len(acked) / max(last_ack - first_sent, 1e-9),
        "projector_final_after_last_ack_s": None if shown is None else shown - last_ack,
        "generator_cpu_s": sum(a["cpu_s"] for a in answers),
        "poll_close_s": closed_s,
    }
    if sampler is not None:
        result["server_cpu_s"] = sampler.cpu_between(first_sent, last_ack)
    result["check"] = check_ballots(target, poll_id, acked, len(ballots))
    return result


def check_ballots(
    target: Target, poll_id: int, acked: list[dict[str, Any]], sent: int
) -> dict[str, Any]:
    """Lost (acknowledged, not stored) and doubled (stored twice or beyond) ballots."""
    if target.verify is None:
        return {"verified": False}
    held = target.verify(poll_id)
    stored = held["receipts"]
    receipts = {b["receipt"] for b in acked}
    lost = len(receipts - set(stored))
    doubled = (len(stored) - len(set(stored))) + max(0, len(stored) - sent)
    consistent = (
        held.get("participations", len(stored)) == len(stored) == held.get("tallied", len(stored))
    )
    return {
        "verified": True,
        "stored": len(stored),
        "participations": held.get("participations"),
        "tallied": held.get("tallied"),
        "audit_intact": held.get("audit_intact"),
        "lost": lost,
        "doubled": doubled,
        "consistent": consistent,
    }


def fan_out(
    gens: Generators,
    moderator: Moderator,
    events: list[tuple[str, dict[str, Any]]],
    pause: float,
    before: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Send floor events (each ``pause`` s apart); how long each took to reach every phone."""
    sent: list[tuple[float, int]] = []
    for n, (event, data) in enumerate(events):
        if before is not None:
            before(n)
        sent.append(moderator.timed(event, data))
        time.sleep(pause)
    return deliveries(gens, sent)


def deliveries(
    gens: Generators, sent: list[tuple[float, int]], wait_s: float = 30.0
) -> dict[str, Any]:
    """Match the phones' ``floor`` events to the versions sent; latencies and misses.

    Asks the phones until each has seen the last version sent, up to ``wait_s`` (a failure
    guard): on a busy box the last broadcast may still be on its way when the events end. A
    phone's reception times are its own, so waiting longer changes no latency; a miss is a
    version never delivered in that time."""
    last = max((version for _, version in sent), default=0)
    floors: dict[int, list[tuple[int, float]]] = {}
    deadline = time.monotonic() + wait_s
    while True:
        for answer in gens.ask_all({"cmd": "floor"}):  # each ask hands over what came since
            for phone in answer["phones"]:
                floors.setdefault(phone["i"], []).extend(phone["floors"])
        done = all(any(v >= last for v, _ in seen) for seen in floors.values())
        if done or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    phones = [{"i": i, "floors": seen} for i, seen in sorted(floors.items())]
    latencies: list[float] = []
    missed = 0
    worst_per_event = []
    for at, version in sent:
        these = []
        for phone in phones:
            seen = [t for v, t in phone["floors"] if v >= version]
            if seen:
                these.append((min(seen) - at) * 1000)
            else:
                missed += 1
        latencies += these
        worst_per_event.append(max(these, default=0.0))
    return {
        "events": len(sent),
        "deliveries": len(latencies),
        "missed": missed,
        "latency_ms": summary(latencies),
        "worst_per_event_ms": [round(w, 1) for w in worst_per_event],
    }


def note(result: dict[str, Any], phase: str) -> None:
    """One line of progress on stderr."""
    part = result.get(phase, {})
    if phase == "connect":
        line = f"connected {part['phones'] - part['failed']} in {part['connect_all_s']:.1f} s"
    elif phase == "fanout":
        line = f"fan-out p50/p99 {part['latency_ms']['p50']}/{part['latency_ms']['p99']} ms"
    else:
        line = (
            f"{phase}: {part['acknowledged']}/{part['sent']} acked, p50/p99 "
            f"{part['ack_ms']['p50']}/{part['ack_ms']['p99']} ms, "
            f"{part['throughput_per_s']:.0f}/s, lost {part['check'].get('lost')}"
        )
    print(f"  {result['target']}: {line}", file=sys.stderr)


def floor_round(
    gens: Generators, target: Target, moderator: Moderator, samples: int
) -> dict[str, Any]:
    """An agenda item starts; ``samples`` speeches start, each after a raised hand."""
    moderator.start_item()
    ids = target.member_ids

    def raise_hand(n: int) -> None:
        moderator.call("speaker.add", {"member_id": ids[n % len(ids)]})
        time.sleep(2.0)  # that broadcast reaches every phone before the measured one

    gens.ask_all({"cmd": "floor"})  # forget the floor events so far
    events: list[tuple[str, dict[str, Any]]] = [("speaker.next", {})] * samples
    return fan_out(gens, moderator, events, 1.0, before=raise_hand)


def run_once(
    target: Target,
    workdir: Path,
    processes: int,
    spread: float,
    saturate: bool,
    fanout_samples: int,
    concurrency: int,
    generator: str = "python",
) -> dict[str, Any]:
    """One whole run against one target; every client and process is stopped at the end."""
    sampler = Sampler(target.pids).start() if target.pids else None
    projector = moderator = None
    result: dict[str, Any] = {"target": target.kind, "url": target.url}
    started = time.monotonic()
    try:
        with generators(processes, workdir / "phones.log", generator) as gens:
            result["processes"] = processes
            result["generator_kind"] = generator
            try:
                phase = "connect"
                result["connect"] = connect_phones(gens, target, concurrency)
                note(result, phase)
                projector = Projector(target)
                moderator = Moderator(target)
                phase = "vote"
                result["vote"] = vote_round(gens, target, moderator, projector, sampler, spread)
                note(result, phase)
                if saturate:
                    phase = "saturated"
                    result[phase] = vote_round(gens, target, moderator, projector, sampler, 0)
                    note(result, phase)
                phase = "fanout"
                result["fanout"] = floor_round(gens, target, moderator, fanout_samples)
                note(result, phase)
            except Exception as error:  # the report says what broke, and where
                result["failed"] = f"{phase}: {type(error).__name__}: {error}"
                print(f"  {target.kind}: FAILED in {result['failed']}", file=sys.stderr)
            usage = gens.ask_all({"cmd": "usage"})
            wall = time.monotonic() - started
            cpu = sum(u["cpu_s"] for u in usage)
            result["generator"] = {
                "cpu_s": cpu,
                "cpu_percent_of_one_core": 100 * cpu / wall,
                "disconnects": sum(u["disconnects"] for u in usage),
                "connected_at_end": sum(u["connected"] for u in usage),
            }
            result["moderator_reconnects"] = moderator.reconnects if moderator else 0
    finally:
        close_quietly(projector, moderator)
        if sampler is not None:
            sampler.stop()
    result["wall_s"] = time.monotonic() - started
    result["setup"] = dict(target.timings)
    if sampler is not None and sampler.samples:
        cpu = sampler.samples[-1][2] - sampler.samples[0][2]
        span = sampler.samples[-1][0] - sampler.samples[0][0]
        result["server"] = {
            "rss_peak_mb": sampler.peak_rss(),
            "rss_end_mb": sampler.samples[-1][1],
            "cpu_s": cpu,
            "cpu_percent_of_one_core": 100 * cpu / max(span, 1e-9),
        }
    return result


def soak(
    target: Target,
    workdir: Path,
    processes: int,
    minutes: float,
    every: float,
    concurrency: int,
    generator: str = "python",
) -> dict[str, Any]:
    """N phones connected for ``minutes``; a timer event every ``every`` s; RSS every ``every``."""
    sampler = Sampler(target.pids, period=every).start() if target.pids else None
    moderator = None
    result: dict[str, Any] = {"target": target.kind, "url": target.url, "minutes": minutes}
    try:
        with generators(processes, workdir / "phones.log", generator) as gens:
            result["connect"] = connect_phones(gens, target, concurrency)
            moderator = Moderator(target)
            moderator.start_item()
            moderator.call("speaker.add", {"member_id": target.member_ids[0]})
            moderator.call("speaker.next", {})
            time.sleep(2.0)
            gens.ask_all({"cmd": "floor"})
            sent: list[tuple[float, int]] = []
            end = time.monotonic() + minutes * 60
            fanouts: list[dict[str, Any]] = []
            while time.monotonic() < end:
                sent.append(moderator.timed("timer", {"action": "add", "seconds": 30}))
                time.sleep(every)
                if len(sent) >= 6:  # hand the records over in batches: memory stays small
                    fanouts.append(deliveries(gens, sent))
                    sent = []
            if sent:
                fanouts.append(deliveries(gens, sent))
            usage = gens.ask_all({"cmd": "usage"})
            result["disconnects"] = sum(u["disconnects"] for u in usage)
            result["still_connected"] = sum(u["connected"] for u in usage)
            result["generator_cpu_s"] = sum(u["cpu_s"] for u in usage)
            result["fanout"] = {
                "events": sum(f["events"] for f in fanouts),
                "missed": sum(f["missed"] for f in fanouts),
                "p99_ms_per_batch": [f["latency_ms"]["p99"] for f in fanouts],
                "p50_ms_per_batch": [f["latency_ms"]["p50"] for f in fanouts],
            }
    finally:
        close_quietly(moderator)
        if sampler is not None:
            sampler.stop()
    if sampler is not None and sampler.samples:
        rss = [s[1] for s in sampler.samples]
        settled = rss[len(rss) // 5 :] or rss  # after the first fifth (connects, warm-up)
        result["server"] = {
            "rss_mb_every_sample": [round(r, 1) for r in rss],
            "rss_growth_after_warmup_mb": settled[-1] - settled[0],
            "rss_peak_mb": max(rss),
            "cpu_s": sampler.samples[-1][2] - sampler.samples[0][2],
        }
    return result
