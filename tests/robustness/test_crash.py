"""SIGKILL in the middle of a burst of ballots: nothing acknowledged is lost, nothing counted twice.

One instance holds a meeting per trial (members signed in, a speaker on the clock, an open poll
with a long countdown). Each trial sends every phone's ballot from its own Socket.IO client,
kills the server with SIGKILL after a random number of acks (plus a random few milliseconds),
restarts it on the same instance and checks the database and the phones' view. Then every
ballot is resent with its client id: the lost ones count once, the acknowledged ones answer the
same receipt, ``repeated``. Run by ``make robustness`` (``YISHI_ROBUSTNESS=1``).
"""

from __future__ import annotations

import random
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import socketio

from tests.robustness.harness import (
    SPEECH_LIMIT_S,
    Burst,
    Server,
    Stage,
    ballot,
    burst,
    call,
    drop,
    phone_client,
    prepare_instance,
    remaining_ms,
    stored,
)

TRIALS = 20
PHONES = 16
BURST_SPREAD_S = 0.4
TOLERANCE_MS = 250


def test_sigkill_mid_burst_loses_no_acknowledged_ballot_and_counts_none_twice(
    tmp_path: Path,
) -> None:
    began = time.monotonic()
    stages = prepare_instance(tmp_path, TRIALS, PHONES)
    server = Server(tmp_path)
    server.start()
    phone = phone_client(server.url)  # follows the meeting between kills; a kill drops it
    rng = random.Random()
    seed = rng.randrange(1 << 30)
    rng.seed(seed)
    lost_acks = committed_unacked = 0
    try:
        for number, stage in enumerate(stages):
            name = f"trial {number + 1} (seed {seed})"
            phone, lost, unacked = trial(server, phone, stage, rng, name)
            lost_acks += lost
            committed_unacked += unacked
        for stage in stages:  # later trials left the earlier meetings alone
            held = stored(tmp_path, stage.poll_id)
            assert held["status"] == "open"
            assert sorted(held["members"]) == sorted(p.member_id for p in stage.phones)
            assert held["tallied"] == PHONES == len(held["receipts"])
    finally:
        server.stop()
        drop([phone])
    print(
        f"{TRIALS} trials, {PHONES} phones each, {server.starts} server starts, "
        f"{lost_acks} ballots without an ack when the server died "
        f"({committed_unacked} of them committed all the same), "
        f"{time.monotonic() - began:.1f} s"
    )
    assert lost_acks > 0, "no kill landed in the middle of a burst"


def trial(
    server: Server, phone: socketio.Client, stage: Stage, rng: random.Random, name: str
) -> tuple[socketio.Client, int, int]:
    """One kill and restart; returns the phone connected to the restarted server, how many
    ballots had no ack when the server died, and how many of those were committed anyway."""
    before = call(phone, "join", {"token": stage.phones[0].token})
    assert before["poll"]["status"] == "open", name
    deadline_before = before["floor"]["speaker"]["clock"]["deadline"]

    clients = [phone_client(server.url) for _ in stage.phones]
    result = Burst(kill_after=rng.randint(1, PHONES - 2))
    sender = threading.Thread(target=burst, args=(clients, stage, result, BURST_SPREAD_S))
    sender.start()
    assert result.enough.wait(60), f"{name}: no acks from the server"
    time.sleep(rng.uniform(0, 0.03))
    server.kill()
    sender.join(timeout=15)
    dropped_by = time.monotonic() + 10  # the clients see the connection end by themselves
    while any(c.connected for c in [*clients, phone]) and time.monotonic() < dropped_by:
        time.sleep(0.01)
    drop([*clients, phone])
    acks = dict(result.acks)
    for member_id, answer in acks.items():
        assert answer.get("ok") is True, f"{name}: member {member_id} got {answer}"

    server.start()
    held = stored(server.instance, stage.poll_id)
    assert held["status"] == "open", f"{name}: the poll did not survive the crash"
    assert all(n == 1 for n in held["members"].values()), f"{name}: a member voted twice"
    assert all(n == 1 for n in held["receipts"].values()), f"{name}: a receipt is doubled"
    assert len(held["members"]) == len(held["receipts"]) == held["tallied"], name
    for member_id, answer in acks.items():
        assert member_id in held["members"], f"{name}: acknowledged ballot lost"
        assert answer["receipt"] in held["receipts"], f"{name}: acknowledged receipt lost"

    resender = phone_client(server.url)
    sent_at = datetime.now(UTC)
    after = call(resender, "join", {"token": stage.phones[0].token})
    answered_at = datetime.now(UTC)
    assert after["poll"]["status"] == "open" and after["poll"]["id"] == stage.poll_id, name
    assert after["poll"]["closes_at"] == before["poll"]["closes_at"], f"{name}: countdown moved"
    assert datetime.fromisoformat(after["poll"]["closes_at"]) > answered_at, name
    clock = after["floor"]["speaker"]["clock"]
    assert clock["deadline"] == deadline_before, f"{name}: the speech clock moved"
    deadline = datetime.fromisoformat(deadline_before)
    longest, shortest = (ms(deadline - sent_at), ms(deadline - answered_at))
    remaining = remaining_ms(after["floor"])  # what a phone shows: the wall time still left
    assert shortest - TOLERANCE_MS <= remaining <= longest + TOLERANCE_MS, name
    assert remaining < SPEECH_LIMIT_S * 1000, name

    for attendee in stage.phones:
        answer = call(resender, "ballot.cast", ballot(stage, attendee))
        assert answer.get("ok") is True, f"{name}: resend refused: {answer}"
        if attendee.member_id in acks:
            assert answer["repeated"] is True, name
            assert answer["receipt"] == acks[attendee.member_id]["receipt"], name
        elif attendee.member_id in held["members"]:
            assert answer["repeated"] is True, f"{name}: a committed ballot without ack"
    final = stored(server.instance, stage.poll_id)
    assert sorted(final["members"]) == sorted(p.member_id for p in stage.phones), name
    assert all(n == 1 for n in final["members"].values()), name
    assert len(final["receipts"]) == final["tallied"] == PHONES, name
    unacked_but_kept = len(set(held["members"]) - set(acks))
    return resender, len(stage.phones) - len(acks), unacked_but_kept


def ms(delta: timedelta) -> float:
    """A duration in milliseconds."""
    return delta / timedelta(milliseconds=1)
