"""The meeting across two workers on real PostgreSQL and Redis (started by .ci/cluster-test).

Sign-in → speech → vote → result, with the moderator on worker A and the projector on worker B:
whatever one worker commits and broadcasts, screens on the other see (Flask-SocketIO's Redis
message queue), and the database stays exact when both take ballots at once.
"""

from __future__ import annotations

import csv
import os
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio

from tests.cluster.access import Staff, staff_login

ROOT = Path(__file__).resolve().parents[2]
DEMO_ROSTER = ROOT / "meeting_room" / "ops" / "demo" / "roster-demo.csv"
WORKERS = os.environ.get("CLUSTER_WORKER_URLS", "").split()
NGINX = os.environ.get("CLUSTER_URL")
INSTANCE = Path(os.environ.get("CLUSTER_INSTANCE", "instance-cluster/instance"))
WAIT_S = 15.0

pytestmark = pytest.mark.cluster


def wait_for(what: str, check: Callable[[], bool], seconds: float = WAIT_S) -> None:
    """Wait until ``check()`` holds; fail with ``what`` when it does not in time."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


class Screen:
    """A real python-socketio client on one namespace, keeping every event it hears."""

    def __init__(self, base: str, namespace: str, cookie: str = "", websocket: bool = True) -> None:
        self.namespace = namespace
        self.heard: list[tuple[str, Any]] = []
        self.lock = threading.Lock()
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", self._hear, namespace=namespace)
        self.client.connect(
            base,
            headers={"Cookie": cookie} if cookie else {},
            namespaces=[namespace],
            transports=["websocket"] if websocket else ["polling", "websocket"],
            wait_timeout=10,
        )

    def _hear(self, event: str, *args: Any) -> None:
        with self.lock:
            self.heard.append((event, args[0] if args else None))

    def call(self, event: str, data: dict[str, Any]) -> dict[str, Any]:
        answer: dict[str, Any] = self.client.call(
            event, data, namespace=self.namespace, timeout=WAIT_S
        )
        return answer

    def events(self, name: str) -> list[Any]:
        with self.lock:
            return [payload for event, payload in self.heard if event == name]

    def close(self) -> None:
        self.client.disconnect()


def counted(projector: Screen, poll_id: int, cast: int) -> Callable[[], bool]:
    """Whether the projector has shown ``cast`` ballots in the poll."""
    return lambda: any(
        c["poll_id"] == poll_id and c["cast"] == cast for c in projector.events("poll.count")
    )


@pytest.fixture
def screens() -> Iterator[list[Screen]]:
    """Every screen a test opens, disconnected at the end (all at once: each takes a while)."""
    opened: list[Screen] = []
    yield opened
    if opened:
        with ThreadPoolExecutor(len(opened)) as pool:
            list(pool.map(Screen.close, opened))


def owners() -> list[tuple[str, str]]:
    """(name, phone tail) of the demo roster's owners with a unique name."""
    with DEMO_ROSTER.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    names = [r["name"] for r in rows]
    return [
        (r["name"], r["phone_tail"])
        for r in rows
        if r["group"] in ("业主", "业委会") and names.count(r["name"]) == 1
    ]


def demo_meeting(staff: Staff) -> int:
    meetings = staff.http.get(staff.url("/api/v1/meetings"), timeout=10)
    assert meetings.status_code == 200, meetings.text[:200]
    body = meetings.json()
    listed = body["meetings"] if isinstance(body, dict) else body
    meeting = listed[0]
    if meeting["status"] == "announced":  # the demo is posted; polls run once it is open
        opened = staff.http.post(
            staff.url(f"/api/v1/meetings/{meeting['id']}/open"),
            json={"confirm_without_quorum": True},
            timeout=10,
        )
        assert opened.status_code == 200, opened.text[:200]
    return int(meeting["id"])


def sign_in(staff: Staff, meeting_id: int, name: str, tail: str) -> tuple[int, str]:
    """Sign a member in through this staff session's worker; (member id, phone token)."""
    found = staff.http.get(staff.url("/api/v1/members"), params={"q": name}, timeout=10)
    member = found.json()["members"][0]
    answer = staff.http.post(
        staff.url(f"/api/v1/meetings/{meeting_id}/sign-in"),
        json={"member_id": member["id"], "phone_tail": tail},
        timeout=10,
    )
    body = answer.json()
    assert answer.status_code == 200, body
    return int(member["id"]), str(body["phone_url"]).rsplit("/", 1)[-1]


def yishi(*args: str) -> subprocess.CompletedProcess[str]:
    """A ``yishi`` command against the cluster's database."""
    return subprocess.run(
        [str(ROOT / "scripts" / "cluster.sh"), "yishi", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def cluster_python(code: str) -> str:
    """Run ``code`` with the workers' environment (their database URL); its output."""
    done = subprocess.run(
        [str(ROOT / "scripts" / "cluster.sh"), "python", "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_a_meeting_across_two_workers(screens: list[Screen]) -> None:
    assert len(WORKERS) >= 2, WORKERS
    a, b = WORKERS[0], WORKERS[1]
    staff_a = staff_login(a, INSTANCE)
    staff_b = staff_login(b, INSTANCE)
    meeting_id = demo_meeting(staff_a)

    # The projector on worker B; the moderator console on worker A.
    projector = Screen(b, "/projector", staff_b.cookie)
    screens.append(projector)
    joined = projector.call("join", {"meeting_id": meeting_id})
    assert "error" not in joined, joined
    moderator = Screen(a, "/moderator", staff_a.cookie)
    screens.append(moderator)
    assert "error" not in moderator.call("join", {"meeting_id": meeting_id})

    # Sign-in on worker A moves the attendance shown on worker B.
    people = owners()[:3]
    signed = [sign_in(staff_a, meeting_id, name, tail) for name, tail in people]
    wait_for(
        "the attendance on worker B's projector",
        lambda: any(p["in_person"] >= len(signed) for p in projector.events("attendance")),
    )

    # A speech: an item is opened, a hand raised, the floor given, all on worker A.
    item = moderator.call(
        "agenda.add", {"meeting_id": meeting_id, "title": "集群测试议题", "kind": "discussion"}
    )
    assert item.get("ok"), item
    item_id = next(i["id"] for i in item["floor"]["agenda"] if i["title"] == "集群测试议题")
    assert moderator.call(
        "agenda.start", {"meeting_id": meeting_id, "item_id": item_id, "confirm": True}
    ).get("ok")
    speaker_id = signed[0][0]
    added = moderator.call(
        "speaker.add", {"meeting_id": meeting_id, "member_id": speaker_id, "stance": "for"}
    )
    assert added.get("ok"), added
    given = moderator.call("speaker.next", {"meeting_id": meeting_id})
    assert given.get("ok") and given["floor"]["speaker"]["member_id"] == speaker_id, given
    wait_for(
        "the speaker on worker B's projector",
        lambda: any(
            f["speaker"] and f["speaker"]["member_id"] == speaker_id
            for f in projector.events("floor")
        ),
    )
    assert moderator.call("timer", {"meeting_id": meeting_id, "action": "stop"}).get("ok")

    # A vote: opened on A; one phone on A, one on B (through nginx when it is there).
    created = moderator.call(
        "poll.create", {"meeting_id": meeting_id, "question": "是否同意集群方案？"}
    )
    poll_id = created["poll"]["id"]
    assert moderator.call("poll.open", {"poll_id": poll_id})["poll"]["status"] == "open"
    wait_for(
        "the open poll on worker B's projector",
        lambda: any(p["id"] == poll_id and p["status"] == "open" for p in projector.events("poll")),
    )
    phone_a = Screen(a, "/phone")
    phone_b = Screen(NGINX or b, "/phone", websocket=False)
    screens.extend([phone_a, phone_b])
    for phone, (_, token) in ((phone_a, signed[0]), (phone_b, signed[1])):
        assert "error" not in phone.call("join", {"token": token})
    ballot = {"poll_id": poll_id, "choices": ["for"], "client_id": uuid.uuid4().hex}
    first = phone_a.call("ballot.cast", {**ballot, "token": signed[0][1]})
    assert len(first["receipt"]) == 8, first
    # The ballot sent through worker A reaches the projector connected to worker B.
    wait_for("worker A's ballot on worker B's projector", counted(projector, poll_id, 1))
    second = phone_b.call(
        "ballot.cast",
        {**ballot, "choices": ["against"], "client_id": uuid.uuid4().hex, "token": signed[1][1]},
    )
    assert len(second["receipt"]) == 8, second
    wait_for("both ballots on worker B's projector", counted(projector, poll_id, 2))

    # The result: closed on A, shown on B with its counts.
    closed = moderator.call("poll.close", {"poll_id": poll_id})
    tallies = closed["poll"]["result"]["tallies"]
    assert tallies["for"]["headcount"] == 1 and tallies["against"]["headcount"] == 1, tallies
    wait_for(
        "the result on worker B's projector",
        lambda: any(
            p["id"] == poll_id and p["status"] == "closed" and p.get("result")
            for p in projector.events("poll")
        ),
    )
    receipt = requests.get(f"{b}/api/v1/polls/{poll_id}/receipts/{first['receipt']}", timeout=10)
    if receipt.status_code == 200:
        assert receipt.json()["found"] is True


def test_a_burst_of_ballots_on_both_workers_loses_and_doubles_nothing(
    screens: list[Screen],
) -> None:
    a, b = WORKERS[0], WORKERS[1]
    staff_a = staff_login(a, INSTANCE)
    staff_b = staff_login(b, INSTANCE)
    meeting_id = demo_meeting(staff_a)
    voters = owners()[3:43]
    with ThreadPoolExecutor(8) as pool:
        signed = list(
            pool.map(
                lambda i: sign_in((staff_a, staff_b)[i % 2], meeting_id, *voters[i]),
                range(len(voters)),
            )
        )
    moderator = Screen(a, "/moderator", staff_a.cookie)
    projector = Screen(b, "/projector", staff_b.cookie)
    screens.extend([moderator, projector])
    projector.call("join", {"meeting_id": meeting_id})
    poll_id = moderator.call(
        "poll.create", {"meeting_id": meeting_id, "question": "并发表决", "secret": True}
    )["poll"]["id"]
    assert moderator.call("poll.open", {"poll_id": poll_id})["poll"]["status"] == "open"

    phones = [Screen((a, b)[i % 2], "/phone") for i in range(len(signed))]
    screens.extend(phones)
    start = threading.Barrier(len(phones))
    choices = ("for", "against", "abstain")

    def vote(i: int) -> dict[str, Any]:
        token = signed[i][1]
        phones[i].call("join", {"token": token})
        start.wait(timeout=WAIT_S)
        ballot = {"token": token, "poll_id": poll_id, "choices": [choices[i % 3]]}
        return phones[i].call("ballot.cast", {**ballot, "client_id": uuid.uuid4().hex})

    with ThreadPoolExecutor(len(phones)) as pool:
        answers = list(pool.map(vote, range(len(phones))))
    assert all(len(answer.get("receipt", "")) == 8 for answer in answers), answers
    assert len({answer["receipt"] for answer in answers}) == len(phones)
    wait_for("the full count on worker B's projector", counted(projector, poll_id, len(phones)))
    closed = moderator.call("poll.close", {"poll_id": poll_id})
    tallies = closed["poll"]["result"]["tallies"]
    expected = {c: sum(1 for i in range(len(phones)) if i % 3 == n) for n, c in enumerate(choices)}
    assert {c: tallies[c]["headcount"] for c in choices} == expected, tallies
    # Closed, the secret ballots no longer share a transaction id with their participations.
    found = cluster_python(f"""
from os import environ
from sqlalchemy import create_engine, text
with create_engine(environ["YISHI_DATABASE_URL"]).connect() as c:
    rows = c.execute(text(
        "SELECT xmin::text FROM ballots WHERE poll_id = {poll_id} UNION ALL "
        "SELECT xmin::text FROM poll_participation WHERE poll_id = {poll_id}"
    )).scalars().all()
print(len(rows), len(set(rows)))
""")
    assert found.split() == [str(2 * len(phones)), "1"], found


def test_the_audit_chain_and_ballot_lists_verify_on_postgresql() -> None:
    checked = yishi("verify")
    assert checked.returncode == 0, checked.stderr[-2000:]
    assert "Audit log: intact" in checked.stdout
