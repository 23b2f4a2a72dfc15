"""Percentiles, medians over runs, and the targets of issue 8."""

from __future__ import annotations

import math
import statistics
from typing import Any


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (nearest rank) of ``values``; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(values: list[float], digits: int = 1) -> dict[str, float]:
    """p50, p99 and max (rounded to ``digits``: 0.1 for milliseconds) of a list of times."""
    return {
        "n": len(values),
        "p50": round(percentile(values, 50), digits),
        "p99": round(percentile(values, 99), digits),
        "max": round(max(values, default=0.0), digits),
    }


def dig(result: dict[str, Any], path: str) -> Any:
    """The value at a dotted path, or None."""
    value: Any = result
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


# The numbers compared across runs (their medians are reported) and with the baseline.
MEASURES = (
    "connect.connect_all_s",
    "vote.ack_ms.p50",
    "vote.ack_ms.p99",
    "vote.ack_ms.max",
    "vote.last_ack_after_burst_start_s",
    "vote.last_ack_after_last_send_s",
    "vote.projector_final_after_last_ack_s",
    "vote.throughput_per_s",
    "saturated.ack_ms.p50",
    "saturated.ack_ms.p99",
    "saturated.throughput_per_s",
    "saturated.projector_final_after_last_ack_s",
    "fanout.latency_ms.p50",
    "fanout.latency_ms.p99",
    "server.rss_peak_mb",
    "server.cpu_s",
    "generator.cpu_s",
    "generator.cpu_percent_of_one_core",
)
# Counters that must be zero in every run (summed, never a median).
MUST_BE_ZERO = (
    "connect.failed",
    "vote.refused",
    "vote.unacknowledged",
    "vote.check.lost",
    "vote.check.doubled",
    "saturated.refused",
    "saturated.unacknowledged",
    "saturated.check.lost",
    "saturated.check.doubled",
    "fanout.missed",
    "generator.disconnects",
    "moderator_reconnects",
)


def complete(run: dict[str, Any], phase: str) -> bool:
    """Whether a phase of a run finished whole: every ballot acknowledged, every phone reached
    (a phase cut short by dropped connections has no meaningful latencies)."""
    part = run.get(phase)
    if not isinstance(part, dict):
        return phase in ("connect", "server", "generator") and phase in run
    if phase in ("vote", "saturated"):
        return bool(part.get("sent")) and part.get("acknowledged") == part.get("sent")
    if phase == "fanout":
        return bool(part.get("deliveries")) and not part.get("missed")
    return True


def medians(runs: list[dict[str, Any]]) -> dict[str, float | None]:
    """The median of each measure over the runs in which its phase completed."""
    out: dict[str, float | None] = {}
    for path in MEASURES:
        phase = path.split(".")[0]
        values = [
            v
            for v in (dig(r, path) for r in runs if complete(r, phase))
            if isinstance(v, int | float)
        ]
        out[path] = round(statistics.median(values), 3) if values else None
    return out


def completed(runs: list[dict[str, Any]]) -> dict[str, int]:
    """How many runs completed each phase (the medians are over those)."""
    return {p: sum(complete(r, p) for r in runs) for p in ("vote", "saturated", "fanout")}


def summarise(report: dict[str, Any]) -> None:
    """Medians, must-be-zero totals, completed phases, ratios and targets of a report's runs."""
    kinds = list(dict.fromkeys(r["target"] for r in report["runs"]))
    by_kind = {k: [r for r in report["runs"] if r["target"] == k] for k in kinds}
    report["medians"] = {k: medians(runs) for k, runs in by_kind.items()}
    report["must_be_zero"] = {k: totals(runs) for k, runs in by_kind.items()}
    report["completed"] = {k: completed(runs) for k, runs in by_kind.items()}
    if "yishi" in kinds and "baseline" in kinds:
        ratio = ratios(report["medians"]["yishi"], report["medians"]["baseline"])
        report["ratios_to_baseline"] = ratio
        report["targets"] = targets(
            report["medians"]["yishi"], report["must_be_zero"]["yishi"], ratio, by_kind["yishi"]
        )


def totals(runs: list[dict[str, Any]]) -> dict[str, int]:
    """Each must-be-zero counter summed over the runs."""
    return {
        path: sum(int(v) for v in (dig(r, path) for r in runs) if isinstance(v, int | float))
        for path in MUST_BE_ZERO
    }


def ratios(yishi: dict[str, float | None], base: dict[str, float | None]) -> dict[str, float]:
    """Yishi's median over the baseline's, measure by measure."""
    out = {}
    for path in MEASURES:
        ours, theirs = yishi.get(path), base.get(path)
        if ours is not None and theirs:
            out[path] = round(ours / theirs, 2)
    return out


def targets(
    yishi: dict[str, float | None],
    zero: dict[str, int],
    ratio: dict[str, float],
    runs: list[dict[str, Any]],
) -> dict[str, dict[str, Any]]:
    """Issue 8's targets for N = 1,000 on 2 cores, each with the value compared and a verdict."""
    verified = all(dig(r, "vote.check.verified") for r in runs)
    failed = [r["failed"] for r in runs if "failed" in r]
    audit = all(dig(r, "vote.check.audit_intact") is not False for r in runs)
    checks: dict[str, tuple[Any, bool]] = {
        "every ballot acknowledged within 1.5 s (max ack latency, s)": _le(
            yishi.get("vote.ack_ms.max"), 1500, 1000
        ),
        "projector's final count within 0.5 s of the last ack (s)": _le(
            yishi.get("vote.projector_final_after_last_ack_s"), 0.5
        ),
        "fan-out p99 <= 150 ms": _le(yishi.get("fanout.latency_ms.p99"), 150),
        "server RSS <= 250 MB (peak)": _le(yishi.get("server.rss_peak_mb"), 250),
        "nothing lost, doubled, unanswered or dropped (ballots checked in the DB)": (
            {k: v for k, v in zero.items() if v},
            verified and audit and not any(zero.values()) and not failed,
        ),
        "vote throughput >= 50% of the baseline's (saturated round)": (
            ratio.get("saturated.throughput_per_s"),
            (ratio.get("saturated.throughput_per_s") or 0) >= 0.5,
        ),
    }
    checks["every run completed"] = (failed, not failed)
    return {name: {"value": value, "met": met} for name, (value, met) in checks.items()}


def _le(value: float | None, limit: float, scale: float = 1) -> tuple[Any, bool]:
    if value is None:
        return None, False
    return round(value / scale, 3), value <= limit
