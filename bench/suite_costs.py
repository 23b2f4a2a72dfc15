"""What one of the tests' servers costs to start, forked from the warm zygote or in a new
interpreter, and what the headless shell saves against the full Chromium on the same pages.

The browser and security tests start some two hundred ``yishi run`` servers and drive Chromium
through most of the suite's time; on this 2-core machine `make test` is bound by CPU, so both
are measured as CPU seconds (the process's own and its children's, from /proc), not wall time.

- Server: ``tests.browser.conftest.LiveServer`` (demo loaded, the meeting opened, which speaks
  its announcement), N starts each way, alternating, after one start of each to make the
  template and the zygote. CPU of the server process until it answers, median.
- Browser: one context and page per round, the kiosk, the projector and the clerk's desk
  loaded until their scripts say ready, then closed; CPU of all the browser's processes per
  round, median, for each executable.

Run: ``.venv/bin/python -m bench.suite_costs`` (``--rounds 7``, ``--json FILE``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def cpu_of(pid: int) -> float:
    """CPU seconds of ``pid`` (user + system) and of its children it has waited for."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / TICK


def tree_cpu(root: int) -> float:
    """CPU seconds of ``root`` and every process below it now."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parent = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(parent, []).append(int(entry))
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        try:
            total += cpu_of(pid)
        except OSError:
            continue
        todo.extend(children.get(pid, []))
    return total


def server_starts(rounds: int) -> dict[str, list[float]]:
    from tests.browser.conftest import LiveServer

    found: dict[str, list[float]] = {"forked": [], "new interpreter": []}
    ways = {"forked": None, "new interpreter": "0"}
    for warm_up in (True, *([False] * rounds)):
        for way, flag in ways.items():
            if flag is None:
                os.environ.pop("YISHI_TEST_FORK", None)
            else:
                os.environ["YISHI_TEST_FORK"] = flag
            server = LiveServer(Path(tempfile.mkdtemp(prefix="bench-server-")))
            used = cpu_of(server.process.pid)
            server.stop()
            if not warm_up:
                found[way].append(used)
    os.environ.pop("YISHI_TEST_FORK", None)
    return found


def browser_rounds(rounds: int) -> dict[str, list[float]]:
    from playwright.sync_api import expect, sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS, LiveServer, log_in

    server = LiveServer(Path(tempfile.mkdtemp(prefix="bench-browser-")))
    found: dict[str, list[float]] = {}
    try:
        with sync_playwright() as driver:
            for executable in ("/usr/bin/chromium", "/usr/bin/chromium-headless-shell"):
                if not os.access(executable, os.X_OK):
                    continue
                browser = driver.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
                pid = _browser_pid(executable)
                found[executable] = []
                for round_number in range(rounds + 1):
                    before = tree_cpu(pid)
                    context = browser.new_context(viewport={"width": 1280, "height": 800})
                    log_in(context)
                    page = context.new_page()
                    for path, ready in (
                        ("/kiosk", "#kiosk[data-ready='true']"),
                        ("/projector", ".wall"),
                        ("/clerk", "main"),
                    ):
                        page.goto(server.url + path)
                        expect(page.locator(ready).first).to_be_attached()
                    context.close()
                    if round_number:  # the first round warms the browser's caches
                        found[executable].append(tree_cpu(pid) - before)
                browser.close()
    finally:
        server.stop()
    return found


def _browser_pid(executable: str) -> int:
    """The newest browser process (not a renderer or helper) of ``executable``: Debian's
    /usr/bin scripts start the binaries of /usr/lib/chromium."""
    real = "/usr/lib/chromium/" + Path(executable).name
    newest, pid = -1.0, 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.path.realpath(f"/proc/{entry}/exe") != real:
                continue
            arguments = Path(f"/proc/{entry}/cmdline").read_bytes()
            started = float(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[19])
        except (OSError, ValueError):
            continue
        if b"--type=" not in arguments and started > newest:
            newest, pid = started, int(entry)
    assert pid, f"no process of {executable}"
    return pid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--json", type=Path)
    options = parser.parse_args()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    servers = server_starts(options.rounds)
    browsers = browser_rounds(options.rounds)
    result = {
        "started": started,
        "load_at_start": Path("/proc/loadavg").read_text().split()[:3],
        "server_start_cpu_s": {way: statistics.median(v) for way, v in servers.items()},
        "browser_round_cpu_s": {exe: statistics.median(v) for exe, v in browsers.items()},
        "samples": {"servers": servers, "browsers": browsers},
    }
    fork, fresh = (result["server_start_cpu_s"][k] for k in ("forked", "new interpreter"))
    print(
        f"server start, CPU s (median of {options.rounds}): forked {fork:.2f},"
        f" new interpreter {fresh:.2f}, ratio {fork / fresh:.2f}"
    )
    rounds = result["browser_round_cpu_s"]
    for exe, value in rounds.items():
        print(f"three screens in {exe}, CPU s (median of {options.rounds}): {value:.2f}")
    if len(rounds) == 2:
        full, shell = rounds["/usr/bin/chromium"], rounds["/usr/bin/chromium-headless-shell"]
        print(f"headless shell / full browser: {shell / full:.2f}")
    if options.json:
        options.json.parent.mkdir(parents=True, exist_ok=True)
        options.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
