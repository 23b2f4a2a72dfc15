"""The results as Markdown (for BENCHMARKS.md): medians side by side, ratios, the targets."""

from __future__ import annotations

from typing import Any

from bench.load.stats import MEASURES

LABELS = {
    "connect.connect_all_s": "connect all phones (s)",
    "vote.ack_ms.p50": "ballot ack p50 (ms), 1 s burst",
    "vote.ack_ms.p99": "ballot ack p99 (ms), 1 s burst",
    "vote.ack_ms.max": "ballot ack max (ms), 1 s burst",
    "vote.last_ack_after_burst_start_s": "last ack after the burst began (s)",
    "vote.last_ack_after_last_send_s": "last ack after the last ballot sent (s)",
    "vote.projector_final_after_last_ack_s": "projector shows N after the last ack (s)",
    "vote.throughput_per_s": "ballots/s, 1 s burst",
    "saturated.ack_ms.p50": "ballot ack p50 (ms), all at once",
    "saturated.ack_ms.p99": "ballot ack p99 (ms), all at once",
    "saturated.throughput_per_s": "ballots/s, all at once",
    "saturated.projector_final_after_last_ack_s": "projector after last ack (s), all at once",
    "fanout.latency_ms.p50": "speech started → phone, p50 (ms)",
    "fanout.latency_ms.p99": "speech started → phone, p99 (ms)",
    "server.rss_peak_mb": "server RSS peak (MB)",
    "server.cpu_s": "server CPU over the run (s)",
    "generator.cpu_s": "generator CPU, all processes (s)",
    "generator.cpu_percent_of_one_core": "generator CPU (% of one core)",
}


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 10 else f"{value:.0f}"
    return str(value)


def markdown(report: dict[str, Any]) -> str:
    """Tables of one ``bench`` report."""
    kinds = list(report.get("medians", {}))
    lines = [
        f"N = {report['phones']} phones in {report['processes']} generator processes, "
        f"{len(report['runs']) // max(len(kinds), 1)} runs per target (medians).",
        "",
        "| measure | " + " | ".join(kinds) + (" | ratio |" if len(kinds) > 1 else " |"),
        "| --- |" + " --- |" * (len(kinds) + (1 if len(kinds) > 1 else 0)),
    ]
    ratios = report.get("ratios_to_baseline", {})
    for path in MEASURES:
        cells = [_cell(report["medians"][k].get(path)) for k in kinds]
        if len(kinds) > 1:
            cells.append(_cell(ratios.get(path)))
        lines.append(f"| {LABELS.get(path, path)} | " + " | ".join(cells) + " |")
    lines += ["", "| must be zero (summed over runs) | " + " | ".join(kinds) + " |"]
    lines.append("| --- |" + " --- |" * len(kinds))
    for path in next(iter(report["must_be_zero"].values()), {}):
        cells = [str(report["must_be_zero"][k][path]) for k in kinds]
        lines.append(f"| {path} | " + " | ".join(cells) + " |")
    done = report.get("completed", {})
    if done:
        lines += [
            "",
            "| runs that completed the phase (medians are over these) | "
            + " | ".join(kinds)
            + " |",
            "| --- |" + " --- |" * len(kinds),
        ]
        for phase in next(iter(done.values())):
            lines.append(f"| {phase} | " + " | ".join(str(done[k][phase]) for k in kinds) + " |")
    failed = [f"{r['target']}: {r['failed']}" for r in report["runs"] if "failed" in r]
    if failed:
        lines += ["", "Runs that did not complete: " + "; ".join(failed)]
    if "targets" in report:
        lines += ["", "| target (N = 1,000, 2 cores) | value | met |", "| --- | --- | --- |"]
        for name, verdict in report["targets"].items():
            met = "yes" if verdict["met"] else "**no**"
            lines.append(f"| {name} | {_cell(verdict['value'])} | {met} |")
    return "\n".join(lines) + "\n"
