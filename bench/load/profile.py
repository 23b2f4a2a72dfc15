"""Where a fan-out's and the joins' time goes: ``python -m bench.load.profile``.

Starts one target (Yishi or the baseline) as the benchmark does, connects N phones, then
starts ``--events`` speeches one after the other (each after a raised hand, like the
scenario's fan-out round) and prints the fan-out latencies. With ``--py-spy DIR``, py-spy
(``pip install py-spy``) samples the server during the joins and during the speeches and
writes ``DIR/<target>-join.txt`` and ``DIR/<target>-fanout.txt`` (collapsed stacks: one
line per stack with its sample count; ``--native`` adds C frames). The joins are timed
either way.

    python -m bench.load.profile --phones 1000 --target yishi --py-spy /tmp/prof
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.load.scenario import (
    Generators,
    Moderator,
    Target,
    connect_phones,
    deliveries,
    generators,
)
from bench.load.servers import proc_cpu_seconds, raise_open_files


@contextmanager
def sampling(pid: int, out: Path | None, native: bool) -> Iterator[None]:
    """py-spy records ``pid`` while the block runs (nothing when ``out`` is None)."""
    if out is None:
        yield
        return
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    argv = [spy, "record", "--pid", str(pid), "--format", "raw", "--rate", "250", "-o", str(out)]
    if native:
        argv.append("--native")
    recorder = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(1.0)  # attached
    try:
        yield
    finally:
        recorder.send_signal(signal.SIGINT)
        try:
            recorder.wait(timeout=60)
        except subprocess.TimeoutExpired:
            recorder.kill()
            recorder.wait()


def top_frames(collapsed: Path, count: int = 25) -> list[tuple[str, float]]:
    """The functions most often on the stack (inclusive share of the samples)."""
    total = 0
    inclusive: dict[str, int] = {}
    for line in collapsed.read_text().splitlines():
        stack, _, samples = line.rpartition(" ")
        if not samples.isdigit():
            continue
        n = int(samples)
        total += n
        for frame in set(stack.split(";")):
            inclusive[frame] = inclusive.get(frame, 0) + n
    ranked = sorted(inclusive.items(), key=lambda kv: -kv[1])[:count]
    return [(frame, round(100 * n / max(total, 1), 1)) for frame, n in ranked]


def speeches(gens: Generators, moderator: Moderator, target: Target, events: int) -> dict[str, Any]:
    """``events`` speeches started one after the other; latencies to every phone."""
    sent: list[tuple[float, int]] = []
    ids = target.member_ids
    for n in range(events):
        moderator.call("speaker.add", {"member_id": ids[n % len(ids)]})
        time.sleep(1.0)
        sent.append(moderator.timed("speaker.next", {}))
        time.sleep(1.0)
    return deliveries(gens, sent)


def main() -> None:
    parse = argparse.ArgumentParser(description=__doc__)
    parse.add_argument("--phones", type=int, default=1000)
    parse.add_argument("--target", choices=["yishi", "baseline"], default="yishi")
    parse.add_argument("--events", type=int, default=10)
    parse.add_argument("--processes", type=int, default=4)
    parse.add_argument("--concurrency", type=int, default=20)
    parse.add_argument("--generator", choices=["python", "node"], default="python")
    parse.add_argument("--py-spy", type=Path, dest="spy", help="folder for py-spy's stacks")
    parse.add_argument("--native", action="store_true", help="py-spy --native")
    args = parse.parse_args()
    raise_open_files()
    from bench.load.__main__ import bare_target, yishi_target

    bench_args = argparse.Namespace(
        phones=args.phones,
        url=None,
        instance=None,
        database_url=None,
        server_pids=None,
        delay=0.25,
    )
    if args.spy:
        args.spy.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=f"yishi-profile-{args.target}-"))
    make = yishi_target if args.target == "yishi" else bare_target
    result: dict[str, Any] = {
        "target": args.target,
        "phones": args.phones,
        "generator": args.generator,
    }
    try:
        with (
            make(bench_args, workdir) as target,
            generators(args.processes, workdir / "phones.log", args.generator) as gens,
        ):
            pid = target.pids[0]
            join_out = args.spy / f"{args.target}-join.txt" if args.spy else None
            cpu = proc_cpu_seconds(pid)
            with sampling(pid, join_out, args.native):
                result["connect"] = connect_phones(gens, target, args.concurrency)
            result["connect"]["server_cpu_s"] = proc_cpu_seconds(pid) - cpu
            moderator = Moderator(target)
            moderator.start_item()
            time.sleep(1.0)
            gens.ask_all({"cmd": "floor"})
            fan_out = args.spy / f"{args.target}-fanout.txt" if args.spy else None
            cpu = proc_cpu_seconds(pid)
            phones_cpu = sum(u["cpu_s"] for u in gens.ask_all({"cmd": "usage"}))
            with sampling(pid, fan_out, args.native):
                result["fanout"] = speeches(gens, moderator, target, args.events)
            # two broadcasts per speech: the raised hand's and the speech's
            broadcasts = 2 * args.events
            phones_cpu = sum(u["cpu_s"] for u in gens.ask_all({"cmd": "usage"})) - phones_cpu
            result["fanout"]["server_cpu_ms_per_broadcast"] = (
                1000 * (proc_cpu_seconds(pid) - cpu) / broadcasts
            )
            # what receiving one floor costs a generator (all its phones are served in turn)
            result["fanout"]["generator_cpu_us_per_delivery"] = (
                1e6 * phones_cpu / (broadcasts * args.phones)
            )
            moderator.client.disconnect()
            for label, path in (("join", join_out), ("fanout", fan_out)):
                if path is not None and path.exists():
                    result[f"top_{label}"] = top_frames(path)
    finally:
        if os.environ.get("BENCH_KEEP"):
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    json.dump(result, sys.stdout, indent=1, ensure_ascii=False)
    print()


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
