"""``python -m bench.load``: the phones benchmark of issue 8 (``make bench``).

    python -m bench.load                      # N=1000, 3 runs, Yishi and the bare baseline
    python -m bench.load --phones 20 --runs 1 --processes 1 --fanout-samples 2
    python -m bench.load soak                 # N=2000 connected for 10 min, timer every 10 s
    python -m bench.load wifi --generator node   # the hall's Wi-Fi alone (bench/load/wifi.py)
    python -m bench.load --url http://127.0.0.1:8080 --instance DIR \\
        --database-url postgresql://... --server-pids 123,456 --targets yishi
                                              # against a server already running (cluster)

Each Yishi run gets a fresh instance folder (migrated, N members signed in, tokens kept in
memory) and its own ``python -m meeting_room.ops.cli run`` on 127.0.0.1, stopped at the end even
on failure. With ``--url`` nothing is started: the instance is prepared in the database the
running server uses, and only the given pids are sampled. The JSON results go to ``--out``;
a summary is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import socketio

from bench.load import stats
from bench.load.access import projector_cookie, staff_cookie
from bench.load.prepare import Prepared, prepare, verify
from bench.load.report import markdown
from bench.load.scenario import Target, run_once, soak
from bench.load.servers import ROOT, baseline_server, free_port, raise_open_files, yishi_server
from bench.load.wifi import wifi_run

DEFAULT_OUT = ROOT / "test-artifacts" / "bench-load.json"


def machine() -> dict[str, Any]:
    """What the numbers were measured on (the machine is shared: load averages tell how busy)."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    return {
        "cpus": len(os.sched_getaffinity(0)),
        "cpu_model": model,
        "memory_gib": round(int(memory) / 2**20, 1),
        "python": platform.python_version(),
        "loadavg": os.getloadavg(),
    }


def baseline_verify(url: str) -> Callable[[int], dict[str, Any]]:
    """Ask the baseline what it holds for a poll (its receipts)."""

    def held(poll_id: int) -> dict[str, Any]:
        client = socketio.Client(reconnection=False)
        client.connect(url, transports=["websocket"], namespaces=["/moderator"])
        try:
            answer = client.call("bench.stats", {}, namespace="/moderator", timeout=30)
        finally:
            client.disconnect()
        return {"receipts": answer["polls"][str(poll_id)]["receipts"]}

    return held


@contextmanager
def yishi_target(args: argparse.Namespace, workdir: Path) -> Iterator[Target]:
    """A prepared instance and a Yishi server (started here, or the one at ``--url``)."""
    external = args.url is not None
    instance = Path(args.instance) if external else workdir / "instance"
    begun = time.monotonic()
    prepared = prepare(instance, args.phones, args.database_url)
    prepared.timings["prepare_s"] = time.monotonic() - begun
    if external:
        pids = [int(p) for p in args.server_pids.split(",") if p] if args.server_pids else []
        yield _target("yishi", args.url.rstrip("/"), prepared, pids, instance, args)
        return
    port = free_port()
    begun = time.monotonic()
    with yishi_server(instance, port) as server:
        prepared.timings["server_start_s"] = time.monotonic() - begun
        url = f"http://127.0.0.1:{port}"
        yield _target("yishi", url, prepared, [server.pid], instance, args)


def _target(
    kind: str,
    url: str,
    prepared: Prepared,
    pids: list[int],
    instance: Path,
    args: argparse.Namespace,
) -> Target:
    credentials = prepared.credentials
    return Target(
        kind=kind,
        url=url,
        meeting_id=prepared.meeting_id,
        tokens=prepared.tokens,
        member_ids=prepared.member_ids,
        staff_headers={"Cookie": staff_cookie(url, credentials)},
        projector_headers=projector_cookie(credentials),
        pids=pids,
        verify=lambda poll_id: verify(instance, poll_id, args.database_url),
        timings=prepared.timings,
    )


@contextmanager
def bare_target(args: argparse.Namespace, workdir: Path) -> Iterator[Target]:
    """The bare python-socketio server, started here."""
    port = free_port()
    with baseline_server(workdir, port, args.delay) as server:
        url = f"http://127.0.0.1:{port}"
        yield Target(
            kind="baseline",
            url=url,
            meeting_id=1,
            tokens=[f"phone-{n}" for n in range(args.phones)],
            member_ids=list(range(1, args.phones + 1)),
            staff_headers={},
            projector_headers={},
            pids=[server.pid],
            verify=baseline_verify(url),
        )


def one_run(args: argparse.Namespace, kind: str) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix=f"yishi-bench-{kind}-"))
    try:
        make = yishi_target if kind == "yishi" else bare_target
        with make(args, workdir) as target:
            result = run_once(
                target,
                workdir,
                processes=args.processes,
                spread=args.spread,
                saturate=not args.no_saturate,
                fanout_samples=args.fanout_samples,
                concurrency=args.concurrency,
                generator=args.generator,
            )
    except Exception:
        for log in workdir.rglob("*.log"):
            tail = log.read_text(errors="replace")[-3000:]
            if tail.strip():
                print(f"--- {log.name} (tail) ---\n{tail}", file=sys.stderr)
        raise
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return result


def bench(args: argparse.Namespace) -> dict[str, Any]:
    """Several runs of each target, alternating, then medians, ratios and the targets."""
    kinds = [k for k in args.targets.split(",") if k]
    report: dict[str, Any] = {
        "command": shown_command(),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "phones": args.phones,
        "processes": args.processes,
        "generator": args.generator,
        "spread_s": args.spread,
        "runs": [],
    }
    for run in range(args.runs):
        for kind in kinds:
            print(f"run {run + 1}/{args.runs}: {kind}, {args.phones} phones…", file=sys.stderr)
            result = one_run(args, kind)
            report["runs"].append(result)
            print(brief(result), file=sys.stderr)
    report["machine"]["loadavg_after"] = os.getloadavg()
    stats.summarise(report)
    report["wifi"] = wifi(args)
    return report


def wifi(args: argparse.Namespace) -> dict[str, Any]:
    """The Wi-Fi scenario's runs (bench/load/wifi.py), with the Node.js phones only."""
    if args.wifi_runs <= 0 or args.wifi_phones <= 0:
        return {"skipped": "--wifi-runs 0"}
    if args.generator != "node":
        why = "the Wi-Fi phones are the Node.js ones (`make bench-node`; --generator node)"
        print(f"wifi: skipped: {why}", file=sys.stderr)
        return {"skipped": why}
    wifi_args = argparse.Namespace(**{**vars(args), "phones": args.wifi_phones})
    runs = []
    for run in range(args.wifi_runs):
        print(
            f"wifi run {run + 1}/{args.wifi_runs}: {args.wifi_phones} phones, "
            f"{args.wifi_mbit} Mbit/s, {args.wifi_delay:g} ± {args.wifi_jitter:g} ms, "
            f"outage {args.wifi_outage:g} s…",
            file=sys.stderr,
        )
        workdir = Path(tempfile.mkdtemp(prefix="yishi-bench-wifi-"))
        try:
            with yishi_target(wifi_args, workdir) as target:
                runs.append(
                    wifi_run(
                        target,
                        workdir,
                        processes=args.processes,
                        concurrency=args.concurrency,
                        mbit=args.wifi_mbit,
                        delay_ms=args.wifi_delay,
                        jitter_ms=args.wifi_jitter,
                        outage=args.wifi_outage,
                        spread=args.spread,
                    )
                )
        finally:
            if not args.keep:
                shutil.rmtree(workdir, ignore_errors=True)
    met = {name: all(r["targets"][name]["met"] for r in runs) for name in runs[0]["targets"]}
    return {"runs": runs, "targets_met_in_every_run": met, "loadavg_after": os.getloadavg()}


def brief(result: dict[str, Any]) -> str:
    """One line per run for the console."""
    shown = {
        "connect s": "connect.connect_all_s",
        "ack p99 ms": "vote.ack_ms.p99",
        "projector +s": "vote.projector_final_after_last_ack_s",
        "saturated /s": "saturated.throughput_per_s",
        "fan-out p99 ms": "fanout.latency_ms.p99",
        "RSS MB": "server.rss_peak_mb",
        "lost": "vote.check.lost",
        "doubled": "vote.check.doubled",
        "disconnects": "generator.disconnects",
    }
    parts = []
    for label, path in shown.items():
        value = stats.dig(result, path)
        parts.append(f"{label} {value:.2f}" if isinstance(value, float) else f"{label} {value}")
    failed = f" FAILED: {result['failed']}" if "failed" in result else ""
    return f"  {result['target']}: " + ", ".join(parts) + failed


def shown_command() -> str:
    """The command line as reports show it: a database URL's password is hidden."""
    from sqlalchemy.engine import make_url

    shown = []
    for word in sys.argv[1:]:
        if "://" in word and "@" in word:
            word = make_url(word).render_as_string(hide_password=True)
        shown.append(word)
    return " ".join(["python -m bench.load", *shown])


def soak_command(args: argparse.Namespace) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="yishi-soak-"))
    try:
        with yishi_target(args, workdir) as target:
            result = soak(
                target,
                workdir,
                processes=args.processes,
                minutes=args.minutes,
                every=args.every,
                concurrency=args.concurrency,
                generator=args.generator,
            )
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    result["machine"] = machine()
    result["command"] = shown_command()
    return result


def parser() -> argparse.ArgumentParser:
    parse = argparse.ArgumentParser(
        prog="python -m bench.load",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parse.add_argument(
        "mode",
        nargs="?",
        choices=("bench", "soak", "report", "wifi"),
        default="bench",
        help="report: summarise the runs of --out again (no measuring); wifi: the Wi-Fi "
        "scenario alone",
    )
    parse.add_argument("--phones", type=int, default=None, help="N (1000; soak 2000)")
    parse.add_argument("--runs", type=int, default=3)
    parse.add_argument("--processes", type=int, default=4, help="phone generator processes")
    parse.add_argument("--concurrency", type=int, default=20, help="connects at once per process")
    parse.add_argument(
        "--generator",
        choices=["python", "node"],
        default="python",
        help="phone processes: python-socketio (phones.py) or socket.io-client on Node.js "
        "(node/phones.js; `npm ci` in bench/load/node)",
    )
    parse.add_argument("--spread", type=float, default=1.0, help="the burst's length (s)")
    parse.add_argument("--no-saturate", action="store_true", help="skip the all-at-once round")
    parse.add_argument("--fanout-samples", type=int, default=5)
    parse.add_argument("--targets", default="yishi,baseline", help="yishi,baseline")
    parse.add_argument("--delay", type=float, default=0.25, help="baseline's coalescing (s)")
    parse.add_argument("--minutes", type=float, default=10.0, help="soak: how long")
    parse.add_argument("--every", type=float, default=10.0, help="soak: timer/RSS period (s)")
    parse.add_argument("--url", help="a Yishi server already running (nothing is started)")
    parse.add_argument("--instance", help="with --url: that server's instance folder")
    parse.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="with --url: that server's database (or $BENCH_DATABASE_URL: keeps the password "
        "out of the process list)",
    )
    parse.add_argument("--server-pids", help="with --url: pids to sample (comma-separated)")
    wifi_group = parse.add_argument_group("the hall's Wi-Fi (bench/load/wifi.py)")
    wifi_group.add_argument("--wifi-phones", type=int, default=500)
    wifi_group.add_argument("--wifi-runs", type=int, default=1, help="0: no Wi-Fi scenario")
    wifi_group.add_argument("--wifi-mbit", type=float, default=20.0, help="tbf rate, each way")
    wifi_group.add_argument("--wifi-delay", type=float, default=80.0, help="ms, each way")
    wifi_group.add_argument("--wifi-jitter", type=float, default=40.0, help="± ms, uniform")
    wifi_group.add_argument("--wifi-outage", type=float, default=10.0, help="s, every link cut")
    parse.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the JSON results file")
    parse.add_argument("--keep", action="store_true", help="keep the temporary folders")
    return parse


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parser().parse_args(argv)
    if args.phones is None:
        args.phones = 2000 if args.mode == "soak" else 1000
    if args.url and not args.instance:
        parser().error("--url needs --instance (the running server's instance folder)")
    if args.mode == "report":
        report: dict[str, Any] = json.loads(args.out.read_text())
        stats.summarise(report)
        args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        args.out.with_suffix(".md").write_text(markdown(report))
        print(markdown(report))
        return report
    # Stopped from outside (timeout, kill): unwind, so the servers and phones are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    raise_open_files()
    begun = time.monotonic()
    if args.mode == "wifi":
        report = {"command": shown_command(), "machine": machine(), "wifi": wifi(args)}
    else:
        report = soak_command(args) if args.mode == "soak" else bench(args)
    report["elapsed_s"] = round(time.monotonic() - begun, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    if args.mode in ("bench", "wifi"):
        args.out.with_suffix(".md").write_text(markdown(report))
    shown = {k: v for k, v in report.items() if k not in ("runs",)}
    print(json.dumps(shown, indent=2, ensure_ascii=False))
    print(f"results: {args.out}" + (" (and .md)" if args.mode == "bench" else ""), file=sys.stderr)
    return report


if __name__ == "__main__":
    main()
