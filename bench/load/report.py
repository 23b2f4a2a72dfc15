"""The results as Markdown (for BENCHMARKS.md): medians side by side, ratios, the targets."""

from __future__ import annotations

from typing import Any

from bench.load.stats import MEASURES, dig

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
    """Tables of one ``bench`` report (the loopback runs, then the Wi-Fi's)."""
    loopback = _loopback(report) if "runs" in report else ""
    return loopback + (_wifi(report["wifi"]) if "wifi" in report else "")


WIFI_ROWS = (
    ("link", "link.note"),
    ("connect and join every phone over the link (s)", "connect.connect_all_s"),
    ("vote: tap → ack p50 / p99 / max (ms)", "vote.tap_to_ack_ms"),
    ("vote: projector shows N after the last ack (s)", "vote.projector_final_after_last_ack_s"),
    ("vote: acknowledged / tapped", "vote.acknowledged/vote.tapped"),
    ("outage: connections cut / outage (s)", "outage.connections_cut/outage.outage_s"),
    ("outage: phones connected again, after the link returned p50 / p99 / max (s)",
     "outage.reconnect_after_link_s"),
    ("outage: phones rejoined, after the link returned p50 / p99 / max (s)",
     "outage.rejoin_after_link_s"),
    ("outage: phones resynced (new floor), p50 / p99 / max (s)", "outage.resync_after_link_s"),
    ("outage: ballots acked after the link returned p50 / p99 / max (s)",
     "outage.acked_after_link_s"),
    ("outage: tapped in flight (ack lost) / during the outage",
     "outage.tapped_in_flight/outage.tapped_during_outage"),
    ("outage: in-flight ballots answered as already counted",
     "outage.in_flight_answered_as_repeated"),
    ("outage: ballots stored / phones", "outage.check.stored/phones"),
    ("lost / doubled (vote; outage)",
     "vote.check.lost/vote.check.doubled/outage.check.lost/outage.check.doubled"),
    ("server RSS peak (MB)", "server.rss_peak_mb"),
)  # fmt: skip


def _wifi_cell(run: dict[str, Any], path: str) -> str:
    values = []
    for part in path.split("/"):
        value = dig(run, part)
        if isinstance(value, dict) and "p50" in value:
            value = f"{_cell(value['p50'])} / {_cell(value['p99'])} / {_cell(value['max'])}"
        values.append(value if isinstance(value, str) else _cell(value))
    return " / ".join(values)


def _wifi(wifi: dict[str, Any]) -> str:
    if "skipped" in wifi:
        return f"\nWi-Fi scenario skipped: {wifi['skipped']}.\n"
    runs = wifi["runs"]
    lines = [
        "",
        f"Wi-Fi: {runs[0]['phones']} phones through a shaped link, {len(runs)} run(s).",
        "",
        "| measure | " + " | ".join(f"run {n + 1}" for n in range(len(runs))) + " |",
        "| --- |" + " --- |" * len(runs),
    ]
    for label, path in WIFI_ROWS:
        lines.append(f"| {label} | " + " | ".join(_wifi_cell(r, path) for r in runs) + " |")
    failed = [r["failed"] for r in runs if "failed" in r]
    if failed:
        lines += ["", "Runs that did not complete: " + "; ".join(failed)]
    lines += ["", "| Wi-Fi target | value (last run) | met in every run |", "| --- | --- | --- |"]
    for name, met in wifi["targets_met_in_every_run"].items():
        value = runs[-1]["targets"][name]["value"]
        lines.append(f"| {name} | {_cell(value)} | {'yes' if met else '**no**'} |")
    return "\n".join(lines) + "\n"


def _loopback(report: dict[str, Any]) -> str:
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
