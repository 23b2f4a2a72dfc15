"""The crash harness: an instance prepared in-process, the real server (gevent) in a subprocess
that can be killed with SIGKILL, and phones as real python-socketio clients.

Staff actions (meetings, sign-ins, the floor, polls) are done in-process on the instance's
database before the server starts, so the harness needs no staff login: phones need only their
personal token.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import socketio
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from meeting_room.app import create_app
from meeting_room.attendance.members import sign_in
from meeting_room.domain.words import (
    ItemKind,
    MeetingStatus,
    MemberGroup,
    RequestKind,
    RequestSource,
    SignInChannel,
    Stance,
)
from meeting_room.floor.agenda import add_item
from meeting_room.floor.discussion import give_floor, request_floor, start_item
from meeting_room.meetings import lifecycle
from meeting_room.meetings.meetings import MeetingDraft, create_meeting, eligible_members
from meeting_room.ops.demo_commands import load_demo
from meeting_room.store.migrate import upgrade
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.voting import Ballot, Participation, Poll, PollTally
from meeting_room.store.storage import Storage, transaction
from meeting_room.voting.polls import PollDraft, create_poll, open_poll

ROOT = Path(__file__).resolve().parents[2]
SPEECH_LIMIT_S = 1800
POLL_DURATION_S = 3600


def free_port() -> int:
    """A TCP port free on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Phone:
    """One signed-in attendee: their personal token and the ballot id their phone made."""

    member_id: int
    token: str
    client_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    choice: str = "for"


@dataclass
class Stage:
    """One meeting ready for a trial: a running speech and an open poll."""

    meeting_id: int
    poll_id: int
    phones: list[Phone]


def instance_app(instance: Path) -> Flask:
    """The app of an instance folder, its database migrated and holding the demo roster."""
    instance.mkdir(parents=True, exist_ok=True)
    app = create_app({"INSTANCE_PATH": str(instance), "TTS": "fake"})
    upgrade(app.config["DATABASE_URL"])
    with app.app_context():
        load_demo(sign_in=0)
    return app


def new_meeting(session: Session, title: str, moment: datetime) -> Meeting:
    """An owners' meeting starting in a few minutes, posted and open (polls run only then)."""
    draft = MeetingDraft(
        title=title,
        starts_at=moment + timedelta(minutes=5),
        venue="幸福里社区议事厅",
        eligible_groups=(MemberGroup.OWNER, MemberGroup.OWNERS_COMMITTEE),
    )
    meeting = create_meeting(session, draft, moment)
    lifecycle.move(session, meeting, MeetingStatus.ANNOUNCED, "clerk", moment)
    lifecycle.open_meeting(session, meeting, "moderator", moment, confirmed=True)
    return meeting


def open_new_poll(session: Session, meeting: Meeting, moment: datetime) -> Poll:
    """A yes/no poll opened now with a long countdown."""
    draft = PollDraft(question="是否同意加装电梯？", duration_s=POLL_DURATION_S)
    poll = create_poll(session, meeting, draft, moment)
    return open_poll(session, meeting, poll, moment)


def prepare_meeting(instance: Path, members: int) -> tuple[int, int, list[int]]:
    """Make the instance's database: the demo roster and a meeting with an open poll and
    nobody signed in yet; returns the meeting, the poll and ``members`` eligible member ids."""
    app = instance_app(instance)
    moment = datetime.now(UTC)
    with app.app_context(), transaction() as session:
        meeting = new_meeting(session, "并发写入测试", moment)
        chosen = [m.id for m in eligible_members(session, meeting)][:members]
        made = (meeting.id, open_new_poll(session, meeting, moment).id, chosen)
    app.extensions["yishi.storage"].engine.dispose()
    return made


def prepare_instance(instance: Path, stages: int, phones: int) -> list[Stage]:
    """Make the instance's database: the demo roster, then ``stages`` meetings, each with
    ``phones`` members signed in, an item under discussion with a speaker on the clock and an
    open poll with a long countdown (all at the real time, as the server will see it)."""
    app = instance_app(instance)
    made = []
    rng = random.Random(2026)
    with app.app_context():
        moment = datetime.now(UTC)
        for number in range(stages):
            with transaction() as session:
                meeting = new_meeting(session, f"崩溃测试 {number + 1}", moment)
                meeting.speech_limit_s = SPEECH_LIMIT_S
                chosen = rng.sample(eligible_members(session, meeting), phones)
                signed = [
                    Phone(m.id, sign_in(session, meeting, m.id, SignInChannel.CLERK, moment).token)
                    for m in chosen
                ]
                for phone in signed:
                    phone.choice = rng.choice(("for", "against", "abstain"))
                item = add_item(session, meeting, "加装电梯方案", ItemKind.DISCUSSION, 30)
                start_item(session, meeting, item.id, moment, confirmed_by="moderator")
                request_floor(
                    session,
                    meeting,
                    signed[0].member_id,
                    Stance.FOR,
                    RequestKind.SPEECH,
                    RequestSource.MODERATOR,
                    moment,
                )
                give_floor(session, meeting, moment)
                poll = open_new_poll(session, meeting, moment)
                made.append(Stage(meeting.id, poll.id, signed))
    app.extensions["yishi.storage"].engine.dispose()
    return made


class Server:
    """``yishi run`` (gevent) on 127.0.0.1 for an instance folder; started and killed at will."""

    def __init__(self, instance: Path) -> None:
        self.instance = instance
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self, timeout: float = 120) -> float:
        """Start the server and wait until it answers; returns the seconds it took."""
        began = time.monotonic()
        env = {
            **os.environ,
            "YISHI_INSTANCE": str(self.instance),
            "YISHI_PUBLIC_BASE_URL": self.url,
            "YISHI_TTS": "fake",
            "PYTHONUNBUFFERED": "1",
        }
        self.starts += 1
        self.where = ["--host", "127.0.0.1", "--port", str(self.port)]
        log = (self.instance / f"server-{self.starts}.log").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "meeting_room.ops.cli", "run", *self.where],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = began + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if self.answers():
                return time.monotonic() - began
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("server did not start:\n" + self.log_text())

    def answers(self) -> bool:
        """Whether the server answers HTTP (any status: a refusal is an answer too)."""
        try:
            handshake = f"{self.url}/socket.io/?EIO=4&transport=polling"
            with urllib.request.urlopen(handshake, timeout=1):
                return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a power cut of the process."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """Stop the server if it runs (SIGTERM, then SIGKILL)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def log_text(self) -> str:
        """The last server log (for a failure message)."""
        return (self.instance / f"server-{self.starts}.log").read_text(errors="replace")


def phone_client(url: str) -> socketio.Client:
    """A phone's connection to /phone over a WebSocket (it does not reconnect by itself: the
    harness makes new ones after a restart)."""
    client = socketio.Client(reconnection=False)
    client.connect(url, namespaces=["/phone"], transports=["websocket"], wait_timeout=60)
    return client


def drop(clients: list[socketio.Client]) -> None:
    """Close the sockets of clients whose server is gone (no goodbye: nobody answers it)."""
    for client in clients:
        ws = getattr(client.eio, "ws", None)
        if ws is not None:
            ws.shutdown()


@dataclass
class Burst:
    """What came back from a burst of ballots: acks by member, and the moment of the kill."""

    acks: dict[int, dict[str, Any]] = field(default_factory=dict)
    sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    enough: threading.Event = field(default_factory=threading.Event)
    kill_after: int = 0

    def record(self, member_id: int, answer: dict[str, Any]) -> None:
        with self.lock:
            self.acks[member_id] = answer
            if len(self.acks) >= self.kill_after:
                self.enough.set()


def ballot(stage: Stage, phone: Phone) -> dict[str, Any]:
    """The ``ballot.cast`` payload of a phone."""
    return {
        "token": phone.token,
        "poll_id": stage.poll_id,
        "choices": [phone.choice],
        "client_id": phone.client_id,
    }


def burst(clients: list[socketio.Client], stage: Stage, result: Burst, spread_s: float) -> None:
    """Send every phone's ballot (one client per phone), spread over ``spread_s`` seconds; the
    acks land in ``result`` (its ``enough`` is set once ``kill_after`` acks have arrived)."""
    if result.kill_after == 0:
        result.enough.set()
    pause = spread_s / max(len(clients), 1)
    for client, phone in zip(clients, stage.phones, strict=True):

        def acked(answer: dict[str, Any], member_id: int = phone.member_id) -> None:
            result.record(member_id, answer)

        try:
            client.emit("ballot.cast", ballot(stage, phone), namespace="/phone", callback=acked)
        except socketio.exceptions.SocketIOError:
            return  # the server is gone: the rest of the burst is never sent
        result.sent += 1
        time.sleep(pause)


def call(client: socketio.Client, event: str, data: dict[str, Any]) -> dict[str, Any]:
    """An event with its ack (raises on a timeout)."""
    answer: dict[str, Any] = client.call(event, data, namespace="/phone", timeout=60)
    return answer


def stored(instance: Path, poll_id: int) -> dict[str, Any]:
    """What the database holds for a poll: its status, its participations (member -> count),
    its receipts (receipt -> count) and its tally."""
    storage = Storage(f"sqlite:///{instance / 'yishi.db'}")
    try:
        with storage.transaction() as s:
            poll = s.get(Poll, poll_id)
            assert poll is not None
            members = dict(
                s.execute(
                    select(Participation.member_id, func.count())
                    .where(Participation.poll_id == poll_id)
                    .group_by(Participation.member_id)
                ).all()
            )
            receipts = dict(
                s.execute(
                    select(Ballot.receipt, func.count())
                    .where(Ballot.poll_id == poll_id)
                    .group_by(Ballot.receipt)
                ).all()
            )
            tallied = s.scalar(
                select(func.sum(PollTally.headcount)).where(PollTally.poll_id == poll_id)
            )
            return {
                "status": poll.status,
                "members": members,
                "receipts": receipts,
                "tallied": tallied,
            }
    finally:
        storage.engine.dispose()


def remaining_ms(floor: dict[str, Any]) -> float:
    """The speaker's remaining time in a floor snapshot, at the snapshot's ``server_now``."""
    clock = floor["speaker"]["clock"]
    assert clock["phase"] == "running", clock
    deadline = datetime.fromisoformat(clock["deadline"])
    server_now = datetime.fromisoformat(floor["server_now"])
    return (deadline - server_now) / timedelta(milliseconds=1)
