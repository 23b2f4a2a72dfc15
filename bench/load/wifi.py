"""Phones on a crowded hall Wi-Fi (issue 19): a shaped link, latency with jitter, an outage.

The phones (Node.js generators, ``node/phones.js`` with ``reconnect``: they behave like the
phone page, see ``Phone.tap``) run in a network namespace made for the run and reach the box
through a veth pair whose two ends are rate-limited with ``tc tbf`` (``--wifi-mbit``, each way;
a real access point shares one medium between both directions, so this is the kinder case),
then through ``delay_proxy.py``, which adds ``--wifi-delay`` ± ``--wifi-jitter`` ms each way
(``tc netem`` is missing on this kernel) and plays the access point's restart: every
connection cut, nothing accepted for ``--wifi-outage`` seconds. The server listens on
127.0.0.1 only; the projector and the console are wired to the box (loopback, no shaping).

One run: connect every phone; a vote (each ballot acknowledged within 3 s of its tap; the
projector's final count within 1 s of the last acknowledgement); then the outage: a poll opens,
a tenth of the phones tap while the box's answers are held back in the proxy (their ballots
reach the server, their acknowledgements are lost in the cut), the cut, the meeting moves on
(a speaker is added: the floor's version goes up), every other phone taps during the outage,
the link returns: every phone must rejoin and see the new floor within 10 s, and the database
must hold exactly one ballot per phone, every acknowledged receipt among them.

Without root, ``ip`` or network namespaces, the run says so and goes on over loopback with the
delaying proxy alone (no rate limit). The namespace and the veth pair are deleted at the end,
also on failure; one left by a run killed outright is deleted by the next run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.load.delay_proxy import DelayProxy
from bench.load.scenario import (
    Generators,
    Moderator,
    Projector,
    Target,
    check_ballots,
    close_quietly,
    connect_phones,
    generators,
)
from bench.load.servers import Sampler
from bench.load.stats import summary

PREFIX = "yishi-wifi-"
ACK_WITHIN_S = 3.0
PROJECTOR_WITHIN_S = 1.0
REJOIN_WITHIN_S = 10.0
BALLOT_TIMEOUT_S = 90.0


@dataclass(frozen=True)
class Link:
    """Where the phones live and how they reach the box."""

    namespace: str | None  # None: no namespace (loopback, the proxy's delay alone)
    host_address: str  # the proxy listens here
    shaped_mbit: float | None
    note: str = ""

    @property
    def prefix(self) -> list[str]:
        return ["ip", "netns", "exec", self.namespace] if self.namespace else []


def _ip(*args: str, namespace: str | None = None) -> None:
    inside = ["ip", "netns", "exec", namespace] if namespace else []
    subprocess.run([*inside, *args], check=True, capture_output=True, text=True, timeout=30)


def _remove(namespace: str, veth: str) -> None:
    subprocess.run(["ip", "netns", "del", namespace], capture_output=True, timeout=30)
    subprocess.run(["ip", "link", "del", veth], capture_output=True, timeout=30)


def remove_stale() -> list[str]:
    """Delete the namespaces (and their veth pairs) of runs whose process is gone."""
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, timeout=30)
    removed = []
    for line in listed.stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        if name.startswith(PREFIX) and name[len(PREFIX) :].isdigit():
            pid = int(name[len(PREFIX) :])
            if pid != os.getpid() and not Path(f"/proc/{pid}").exists():
                _remove(name, f"ywh{pid}")
                removed.append(name)
    return removed


def free_subnet(pid: int) -> str:
    """A 10.213.X prefix no interface of this machine uses (two runs at once: two subnets)."""
    shown = subprocess.run(["ip", "-o", "addr"], capture_output=True, text=True, timeout=30)
    for step in range(250):
        subnet = f"10.213.{(pid + step) % 250}"
        if f" {subnet}." not in shown.stdout:
            return subnet
    raise RuntimeError("no free 10.213.X.0/30 subnet for the phones' link")


def unavailable() -> str | None:
    """Why namespaces cannot be made here (None: they can)."""
    if os.geteuid() != 0:
        return "not root"
    probe = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, timeout=30)
    if probe.returncode != 0:
        return f"`ip netns` failed: {probe.stderr.strip()}"
    return None


@contextmanager
def shaped_link(mbit: float) -> Iterator[Link]:
    """A namespace for the phones and a veth pair into it, rate-limited both ways with tbf;
    deleted on the way out, whatever happened. Falls back to loopback (saying why)."""
    why = unavailable()
    if why is not None:
        yield Link(None, "127.0.0.1", None, f"no namespace ({why}): loopback, no rate limit")
        return
    remove_stale()
    pid = os.getpid()
    namespace, host_veth, phone_veth = f"{PREFIX}{pid}", f"ywh{pid}", f"ywp{pid}"
    subnet = free_subnet(pid)
    tbf = ["root", "tbf", "rate", f"{mbit}mbit", "burst", "64kb", "latency", "200ms"]
    try:
        _ip("ip", "netns", "add", namespace)
        _ip("ip", "link", "add", host_veth, "type", "veth", "peer", "name", phone_veth)
        _ip("ip", "link", "set", phone_veth, "netns", namespace)
        _ip("ip", "addr", "add", f"{subnet}.1/30", "dev", host_veth)
        _ip("ip", "link", "set", host_veth, "up")
        _ip("ip", "addr", "add", f"{subnet}.2/30", "dev", phone_veth, namespace=namespace)
        _ip("ip", "link", "set", phone_veth, "up", namespace=namespace)
        _ip("ip", "link", "set", "lo", "up", namespace=namespace)
        _ip("tc", "qdisc", "add", "dev", host_veth, *tbf)  # box → phones
        _ip("tc", "qdisc", "add", "dev", phone_veth, *tbf, namespace=namespace)  # phones → box
    except (subprocess.CalledProcessError, OSError) as error:
        _remove(namespace, host_veth)
        detail = getattr(error, "stderr", "") or str(error)
        yield Link(None, "127.0.0.1", None, f"no namespace ({detail.strip()}): loopback")
        return
    try:
        yield Link(namespace, f"{subnet}.1", mbit, f"namespace {namespace}, tbf {mbit} Mbit/s")
    finally:
        _remove(namespace, host_veth)


def tap_round(
    gens: Generators,
    poll_id: int,
    at: float,
    spread: float,
    total: int,
    indices: list[int] | None = None,
) -> int:
    """Every phone (or those of ``indices``) taps its ballot from ``at`` over ``spread`` s."""
    command: dict[str, Any] = {
        "cmd": "tap",
        "poll_id": poll_id,
        "at": at,
        "spread": spread,
        "total": total,
    }
    if indices is not None:
        command["indices"] = indices
    return sum(a["tapping"] for a in gens.ask_all(command))


def collect(gens: Generators) -> list[dict[str, Any]]:
    """Each tap's record once acknowledged (or after the timeout)."""
    answers = gens.ask_all({"cmd": "ballots", "timeout": BALLOT_TIMEOUT_S})
    return [b for a in answers for b in a["ballots"]]


def ballots_summary(
    ballots: list[dict[str, Any]], target: Target, poll_id: int, projector: Projector
) -> dict[str, Any]:
    """Tap → acknowledgement, the projector's final count, and the database's word."""
    acked = [b for b in ballots if b["ack"] is not None and b.get("receipt")]
    last_ack = max((b["ack"] for b in acked), default=time.monotonic())
    shown = projector.wait(poll_id, len(target.tokens), timeout=15)
    after = None if shown is None else round(shown - last_ack, 3)
    return {
        "tapped": len(ballots),
        "acknowledged": len(acked),
        "unacknowledged": len(ballots) - len(acked),
        "refusals": sorted({str(b["error"]) for b in ballots if "error" in b})[:5],
        "tap_to_ack_ms": summary([(b["ack"] - b["tapped"]) * 1000 for b in acked]),
        "sends_per_ballot_max": max((len(b["sent"]) for b in ballots), default=0),
        "ack_timeouts": sum(b.get("timeouts", 0) for b in ballots),
        "repeated": sum(1 for b in acked if b.get("repeated")),
        "projector_final_after_last_ack_s": after,
        "last_ack": last_ack,
        "check": check_ballots(target, poll_id, acked, len(ballots)),
    }


def outage_round(
    gens: Generators,
    target: Target,
    proxy: DelayProxy,
    moderator: Moderator,
    projector: Projector,
    outage: float,
) -> dict[str, Any]:
    """The access point restarts in the middle of a vote; see the module's docstring."""
    total = len(target.tokens)
    poll_id = moderator.open_poll("无线中断测试表决 (bench)")
    time.sleep(2.0)  # the opened poll reaches the phones over the shaped link
    in_flight = list(range(0, total, 10))
    proxy.hold()  # the box's answers wait in the proxy from now on
    tap_round(gens, poll_id, time.monotonic(), 0.3, total, in_flight)
    time.sleep(1.0)  # their ballots reach the box (≈ 80 ms away); no answer comes back
    cut = proxy.cut()
    cut_at = float(cut["at"])
    time.sleep(1.0)
    moderator.call("speaker.add", {"member_id": target.member_ids[1]})
    floor_version = int(moderator.call("speaker.next", {})["floor"]["version"])
    others = [n for n in range(total) if n % 10]
    tapped_during = tap_round(gens, poll_id, time.monotonic() + 0.5, 5.0, total, others)
    remaining = cut_at + outage - time.monotonic()
    if remaining > 0:
        time.sleep(remaining)
    restored_at = float(proxy.restore()["at"])
    ballots = collect(gens)
    phones = [p for a in gens.ask_all({"cmd": "joins", "since": restored_at}) for p in a["phones"]]
    rejoin = [p["joins"][0]["t"] - restored_at for p in phones if p["joins"]]
    reconnect = [p["connects"][0] - restored_at for p in phones if p["connects"]]
    resync = [
        min(j["t"] for j in p["joins"] if (j["floor"] or -1) >= floor_version) - restored_at
        for p in phones
        if any((j["floor"] or -1) >= floor_version for j in p["joins"])
    ]
    result = ballots_summary(ballots, target, poll_id, projector)
    acked_after = [b["ack"] - restored_at for b in ballots if b["ack"] is not None]
    result.update(
        {
            "poll_id": poll_id,
            "outage_s": restored_at - cut_at,
            "connections_cut": cut["cut"],
            "tapped_in_flight": len(in_flight),
            "tapped_during_outage": tapped_during,
            "in_flight_answered_as_repeated": sum(
                1 for b in ballots if b["i"] in set(in_flight) and b.get("repeated")
            ),
            "phones": len(phones),
            "rejoined": len(rejoin),
            "reconnect_after_link_s": summary(reconnect, digits=2),
            "rejoin_after_link_s": summary(rejoin, digits=2),
            "resynced": len(resync),
            "resync_after_link_s": summary(resync, digits=2),
            "acked_after_link_s": summary(acked_after, digits=2),
            "floor_version_during_outage": floor_version,
        }
    )
    return result


def wifi_run(
    target: Target,
    workdir: Path,
    processes: int,
    concurrency: int,
    mbit: float,
    delay_ms: float,
    jitter_ms: float,
    outage: float,
    spread: float,
) -> dict[str, Any]:
    """One Wi-Fi run against a Yishi server (Node.js phones); every process and the namespace
    are gone at the end."""
    sampler = Sampler(target.pids).start() if target.pids else None
    server = target.url.removeprefix("http://")
    result: dict[str, Any] = {"target": "yishi-wifi", "phones": len(target.tokens)}
    started = time.monotonic()
    projector = moderator = None
    with (
        shaped_link(mbit) as link,
        DelayProxy(server, f"{link.host_address}:0", delay_ms, jitter_ms) as proxy,
    ):
        result["link"] = {
            "shaped_mbit_each_way": link.shaped_mbit,
            "delay_ms_each_way": delay_ms,
            "jitter_ms": jitter_ms,
            "note": link.note,
        }
        print(f"  wifi: {link.note}; proxy {proxy.url}", file=sys.stderr)
        phase = "connect"
        try:
            with generators(processes, workdir / "phones.log", "node", link.prefix) as gens:
                result["connect"] = connect_phones(
                    gens, target, concurrency, url=proxy.url, reconnect=True
                )
                print(
                    f"  wifi: connected in {result['connect']['connect_all_s']:.1f} s",
                    file=sys.stderr,
                )
                projector = Projector(target)
                moderator = Moderator(target)
                moderator.start_item()
                phase = "vote"
                poll_id = moderator.open_poll("无线表决 (bench)")
                time.sleep(2.0)
                tap_round(gens, poll_id, time.monotonic() + 0.5, spread, len(target.tokens))
                result["vote"] = ballots_summary(collect(gens), target, poll_id, projector)
                moderator.call("poll.close", {"poll_id": poll_id})
                print(f"  wifi: vote {brief(result['vote'])}", file=sys.stderr)
                phase = "outage"
                result["outage"] = outage_round(gens, target, proxy, moderator, projector, outage)
                print(f"  wifi: outage {brief(result['outage'])}", file=sys.stderr)
                result["proxy"] = proxy.stats()
        except Exception as error:  # the report says what broke, and where
            result["failed"] = f"{phase}: {type(error).__name__}: {error}"
            print(f"  wifi: FAILED in {result['failed']}", file=sys.stderr)
        finally:
            close_quietly(projector, moderator)
            if sampler is not None:
                sampler.stop()
    result["wall_s"] = time.monotonic() - started
    if sampler is not None and sampler.samples:
        result["server"] = {"rss_peak_mb": sampler.peak_rss()}
    result["targets"] = wifi_targets(result)
    return result


def brief(part: dict[str, Any]) -> str:
    line = (
        f"{part['acknowledged']}/{part['tapped']} acked, tap→ack p99/max "
        f"{part['tap_to_ack_ms']['p99']}/{part['tap_to_ack_ms']['max']} ms, projector "
        f"+{part['projector_final_after_last_ack_s']} s, lost {part['check'].get('lost')}, "
        f"doubled {part['check'].get('doubled')}"
    )
    if "rejoin_after_link_s" in part:
        line += (
            f"; rejoined {part['rejoined']}/{part['phones']} (max "
            f"{part['rejoin_after_link_s']['max']} s), resynced {part['resynced']} (max "
            f"{part['resync_after_link_s']['max']} s)"
        )
    return line


def wifi_targets(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Issue 19's Wi-Fi targets, each with its value and a verdict."""
    vote, out = result.get("vote") or {}, result.get("outage") or {}

    def at_most(value: float | None, limit: float) -> dict[str, Any]:
        return {"value": value, "met": value is not None and value <= limit}

    phones = result.get("phones", 0)
    checks = {
        "every ballot acknowledged within 3 s of its tap (max, s)": at_most(
            None if not vote or vote["unacknowledged"] else vote["tap_to_ack_ms"]["max"] / 1000,
            ACK_WITHIN_S,
        ),
        "projector's final count within 1 s of the last ack (s)": at_most(
            vote.get("projector_final_after_last_ack_s"), PROJECTOR_WITHIN_S
        ),
        "after the outage every phone rejoined and resynced within 10 s (max, s)": {
            "value": out.get("resync_after_link_s", {}).get("max"),
            "met": bool(out)
            and out["rejoined"] == out["resynced"] == phones
            and (out["resync_after_link_s"]["max"] or 99) <= REJOIN_WITHIN_S,
        },
    }
    zero = {
        f"{phase}.{key}": part["check"].get(key)
        for phase, part in (("vote", vote), ("outage", out))
        if part
        for key in ("lost", "doubled")
    }
    exactly_once = bool(out) and out["check"].get("stored") == phones == out["acknowledged"]
    checks["0 lost, 0 doubled; each phone's outage ballot stored exactly once"] = {
        "value": {**zero, "outage.stored": out.get("check", {}).get("stored")},
        "met": bool(vote) and exactly_once and not any(zero.values()) and "failed" not in result,
    }
    return checks
