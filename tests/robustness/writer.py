"""A writer process for the concurrent-writers test: ``python -m tests.robustness.writer
INSTANCE MEETING_ID POLL_ID THREADS MEMBER_ID...``.

Each thread signs its share of the members in and casts their ballots through the app's
services, one committed transaction each (the audit chain grows with every one). Prints one
line of JSON: how many writes worked and the errors met (none expected).
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path
from typing import Any

from meeting_room.app import create_app
from meeting_room.attendance.members import sign_in
from meeting_room.clock import now
from meeting_room.domain.words import BallotChannel, SignInChannel
from meeting_room.meetings.meetings import get_meeting
from meeting_room.store.storage import transaction
from meeting_room.voting.ballots import Vote, cast_ballot
from meeting_room.voting.polls import get_poll


def write(app: Any, meeting_id: int, poll_id: int, members: list[int], out: dict[str, Any]) -> None:
    """Sign each member in, then cast their ballot (two transactions per member)."""
    with app.app_context():
        for member_id in members:
            try:
                with transaction() as session:
                    meeting = get_meeting(session, meeting_id)
                    sign_in(session, meeting, member_id, SignInChannel.KIOSK, now())
                with transaction() as session:
                    choice = ("for", "against", "abstain")[member_id % 3]
                    vote = Vote(
                        member_id, (choice,), BallotChannel.PHONE, client_id=f"w-{member_id}"
                    )
                    cast_ballot(
                        session,
                        get_poll(session, poll_id),
                        vote,
                        app.config["SECRET_KEY"],
                        now(),
                    )
                out["writes"] += 2
            except Exception as error:  # reported to the test, which fails on any
                out["errors"].append(f"{type(error).__name__}: {error}"[:300])


def main(argv: list[str]) -> None:
    instance, meeting_id, poll_id, threads = Path(argv[0]), int(argv[1]), int(argv[2]), int(argv[3])
    members = [int(m) for m in argv[4:]]
    app = create_app({"INSTANCE_PATH": str(instance), "TTS": "fake"})
    out: dict[str, Any] = {"writes": 0, "errors": []}
    shares = [members[n::threads] for n in range(threads)]
    workers = [
        threading.Thread(target=write, args=(app, meeting_id, poll_id, share, out))
        for share in shares
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    app.extensions["yishi.storage"].engine.dispose()
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
