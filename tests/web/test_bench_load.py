"""The phones benchmark (bench/load) in a tiny configuration against a real server.

20 phones in one generator process vote against ``python -m meeting_room.ops.cli run`` on
127.0.0.1; the database must hold exactly one ballot per acknowledged receipt, and the
report must carry every measure the full benchmark records.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bench.load.__main__ import main
from bench.load.scenario import NODE_PHONES
from bench.load.stats import dig

# Loads or measures the machine: run apart, after the parallel tests (Makefile).
pytestmark = pytest.mark.alone

PHONES = 20


def test_tiny_run_loses_and_doubles_nothing(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    report = main(
        [
            "--phones",
            str(PHONES),
            "--runs",
            "1",
            "--processes",
            "1",
            "--targets",
            "yishi",
            "--no-saturate",
            "--spread",
            "0.2",
            "--fanout-samples",
            "1",
            "--out",
            str(out),
        ]
    )
    assert json.loads(out.read_text())["phones"] == PHONES
    (run,) = report["runs"]
    assert run["connect"]["phones"] == PHONES
    assert run["connect"]["failed"] == 0
    check = run["vote"]["check"]
    assert check["verified"] and check["audit_intact"] and check["consistent"]
    assert check["stored"] == check["participations"] == check["tallied"] == PHONES
    assert (check["lost"], check["doubled"]) == (0, 0)
    assert run["vote"]["acknowledged"] == PHONES
    assert run["vote"]["projector_final_after_last_ack_s"] is not None
    assert run["fanout"]["deliveries"] == PHONES
    assert run["fanout"]["missed"] == 0
    for path in (
        "connect.connect_all_s",
        "vote.ack_ms.p50",
        "vote.ack_ms.p99",
        "vote.throughput_per_s",
        "fanout.latency_ms.p99",
        "server.rss_peak_mb",
        "server.cpu_s",
        "generator.cpu_s",
    ):
        assert isinstance(dig(run, path), float | int), path
    assert report["must_be_zero"]["yishi"] == dict.fromkeys(report["must_be_zero"]["yishi"], 0)
    assert "| ballot ack p99 (ms), 1 s burst |" in out.with_suffix(".md").read_text()


@pytest.mark.skipif(
    shutil.which("node") is None or not (NODE_PHONES.parent / "node_modules").is_dir(),
    reason="the Node.js phones are not installed (make bench-node)",
)
def test_tiny_run_with_the_node_phones(tmp_path: Path) -> None:
    """The same scenario with socket.io-client phones on Node.js (``--generator node``)."""
    out = tmp_path / "bench.json"
    argv = "--runs 1 --processes 2 --targets yishi --spread 0.2 --fanout-samples 2 --generator node"
    report = main([*argv.split(), "--phones", str(PHONES), "--wifi-runs", "0", "--out", str(out)])
    (run,) = report["runs"]
    assert report["generator"] == run["generator_kind"] == "node"
    assert run["connect"]["phones"] == PHONES and run["connect"]["failed"] == 0
    for phase in ("vote", "saturated"):
        check = run[phase]["check"]
        assert run[phase]["acknowledged"] == PHONES
        assert check["stored"] == check["participations"] == check["tallied"] == PHONES
        assert (check["lost"], check["doubled"]) == (0, 0)
    assert run["fanout"]["deliveries"] == 2 * PHONES and run["fanout"]["missed"] == 0
    # the phones' times are on the scenario's clock (CLOCK_MONOTONIC): latencies are sane
    assert 0 < run["fanout"]["latency_ms"]["p50"] < 10_000
    assert 0 < run["vote"]["ack_ms"]["p50"] < 10_000
    assert run["generator"]["cpu_s"] > 0 and run["generator"]["disconnects"] == 0


@pytest.mark.skipif(
    shutil.which("node") is None or not (NODE_PHONES.parent / "node_modules").is_dir(),
    reason="the Node.js phones are not installed (make bench-node)",
)
def test_tiny_wifi_run_counts_every_ballot_of_the_outage_once(tmp_path: Path) -> None:
    """The Wi-Fi scenario (bench/load/wifi.py) with 20 phones and a 2-second outage: in a
    network namespace behind tbf where this runs as root, else over loopback (it says so)."""
    out = tmp_path / "wifi.json"
    argv = "wifi --generator node --processes 1 --wifi-phones 20 --wifi-outage 2"
    report = main([*argv.split(), "--out", str(out)])
    (run,) = report["wifi"]["runs"]
    assert "failed" not in run, run.get("failed")
    assert run["link"]["note"]
    assert run["vote"]["acknowledged"] == run["vote"]["tapped"] == PHONES
    outage = run["outage"]
    assert outage["connections_cut"] == PHONES
    assert outage["tapped_in_flight"] + outage["tapped_during_outage"] == PHONES
    assert outage["rejoined"] == outage["resynced"] == PHONES
    assert outage["acknowledged"] == PHONES and outage["check"]["stored"] == PHONES
    for part in (run["vote"], outage):
        assert (part["check"]["lost"], part["check"]["doubled"]) == (0, 0)
    assert "| outage: ballots stored / phones | 20 / 20 |" in out.with_suffix(".md").read_text()
