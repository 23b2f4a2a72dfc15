"""The bare baseline: python-socketio on gevent, no Flask app, no database.

It speaks the few events the load scenario uses, with the same shapes as Yishi's server, so
the same phones, projector and moderator clients drive both: ``join`` on /phone, /projector
and /moderator; ``ballot.cast`` (acknowledged with a receipt, one per client id) and a
``poll.count`` relayed to the projectors, coalesced like Yishi's (``--delay``); ``poll.create``
/ ``poll.open`` / ``poll.close`` and ``speaker.add`` / ``speaker.next`` / ``timer`` (each
broadcasts a ``floor`` payload of about a real snapshot's size to every phone). The numbers it
reaches are the limit of this stack on this machine.

Run: ``python -m bench.load.baseline --port 5099`` (127.0.0.1 only).
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import hashlib  # noqa: E402
from typing import Any  # noqa: E402

import socketio  # noqa: E402
from gevent import pywsgi  # noqa: E402

ROOM = "meeting:1"
# A floor snapshot with a short agenda and a speaker is about this long in JSON.
FLOOR_PADDING = "x" * 1200


class Baseline:
    """Counts per poll, one ballot per client id, a coalesced relay of the count."""

    def __init__(self, delay: float) -> None:
        self.sio = socketio.Server(async_mode="gevent", cors_allowed_origins=[])
        self.delay = delay
        self.version = 0
        self.poll_id = 0
        self.ballots: dict[int, dict[str, str]] = {}
        self.pending: set[int] = set()
        self._bind()

    def _bind(self) -> None:
        sio = self.sio
        for namespace in ("/phone", "/projector", "/moderator"):
            sio.on("join", self.joiner(namespace), namespace=namespace)
        sio.on("ballot.cast", self.cast, namespace="/phone")
        sio.on("bench.stats", self.stats, namespace="/moderator")
        for event in ("poll.create", "poll.open", "poll.close"):
            sio.on(event, self.poll_action(event), namespace="/moderator")
        for event in ("agenda.add", "agenda.start", "speaker.add", "speaker.next", "timer"):
            sio.on(event, self.floor_action, namespace="/moderator")

    def joiner(self, namespace: str) -> Any:
        def join(sid: str, data: Any) -> dict[str, Any]:
            self.sio.enter_room(sid, ROOM, namespace=namespace)
            return {"meeting_id": 1, "member_id": 0, "floor": self._floor(), "poll": None}

        return join

    def cast(self, sid: str, data: Any) -> dict[str, Any]:
        poll = self.ballots.get(int(data["poll_id"]))
        if poll is None:
            return {"error": {"code": "poll_closed", "message": "closed"}}
        client_id = str(data["client_id"])
        repeated = client_id in poll
        receipt = hashlib.sha256(client_id.encode()).hexdigest()[:8].upper()
        poll[client_id] = receipt
        self._count_later(int(data["poll_id"]))
        return {"ok": True, "receipt": receipt, "replaced": False, "repeated": repeated}

    def _count_later(self, poll_id: int) -> None:
        if self.delay <= 0:
            self._emit_count(poll_id)
            return
        if poll_id in self.pending:
            return
        self.pending.add(poll_id)
        self.sio.start_background_task(self._later, poll_id)

    def _later(self, poll_id: int) -> None:
        self.sio.sleep(self.delay)
        self.pending.discard(poll_id)
        self._emit_count(poll_id)

    def _emit_count(self, poll_id: int) -> None:
        cast = len(self.ballots.get(poll_id, {}))
        payload = {"poll_id": poll_id, "cast": cast, "eligible": cast, "present": cast}
        for namespace in ("/projector", "/moderator"):
            self.sio.emit("poll.count", payload, to=ROOM, namespace=namespace)

    def poll_action(self, event: str) -> Any:
        def handler(sid: str, data: Any) -> dict[str, Any]:
            if event == "poll.create":
                self.poll_id += 1
                return {"ok": True, "poll": {"id": self.poll_id, "status": "draft"}}
            poll_id = int(data["poll_id"])
            if event == "poll.open":
                self.ballots[poll_id] = {}
            return {"ok": True, "poll": {"id": poll_id, "status": event.split(".")[1]}}

        return handler

    def floor_action(self, sid: str, data: Any) -> dict[str, Any]:
        self.version += 1
        floor = self._floor()
        for namespace in ("/phone", "/projector", "/moderator"):
            self.sio.emit("floor", floor, to=ROOM, namespace=namespace)
        return {"ok": True, "floor": floor}

    def _floor(self) -> dict[str, Any]:
        return {
            "meeting_id": 1,
            "version": self.version,
            "agenda": [{"id": 1, "title": "bench", "status": "active"}],
            "active_item_id": 1,
            "speaker": None,
            "queue": [],
            "padding": FLOOR_PADDING,
        }

    def stats(self, sid: str, data: Any) -> dict[str, Any]:
        """Ballots held per poll (the baseline's "database")."""
        return {
            "polls": {
                str(poll_id): {"ballots": len(held), "receipts": sorted(held.values())}
                for poll_id, held in self.ballots.items()
            }
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--delay", type=float, default=0.25, help="count coalescing window (s)")
    args = parser.parse_args()
    server = Baseline(args.delay)
    app = socketio.WSGIApp(server.sio)
    pywsgi.WSGIServer(("127.0.0.1", args.port), app, log=None).serve_forever()


if __name__ == "__main__":
    main()
