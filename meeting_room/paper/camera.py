"""Counting paper ballots with the box's camera: the clerk starts it for a voting period, lays
the returned ballots under it one after another, and sees on the paper screen what the camera
sees, the last frame small, and the running tally of this session.

One camera, one loop: starting it for a period stops it anywhere else. The loop runs as a
background task of the server; each frame is taken and judged off the event loop
(``devices.camera.CaptureLoop``), and each new page is counted by ``service.scan_page`` exactly
as a photo upload is (the same refusals: counted twice, another period), source "camera", in the
name of the clerk who started it. Every change of what the camera sees, every page, and at most
one preview a second are broadcast as a ``camera`` snapshot to the period's room in ``/paper``.
A camera that is absent or stops giving frames ends the loop with the state "not found".
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app
from pydantic import BaseModel

from meeting_room.domain.paper import ScanResult
from meeting_room.domain.problems import Refusal
from meeting_room.extensions import off_the_loop, socketio
from meeting_room.paper import service
from meeting_room.web.rooms import PAPER, paper_room

NOT_FOUND = "not_found"  # besides devices.camera.Status: no camera, or it stopped
STOPPED = "stopped"  # the clerk stopped it (or never started it)
STARTING = "starting"
PAGE_READ = "page_read"  # a page was just counted, or refused: see ``last``
REFUSED = "refused"  # the period no longer takes paper: the loop ended
PREVIEW_EVERY = 1.0  # seconds between two previews broadcast while nothing else changes
_versions = itertools.count(1)  # one sequence for every snapshot: newer is always larger


class LastPage(BaseModel):
    """The last page the camera handed on, and what became of it."""

    result: ScanResult
    scan_id: int
    serial: str | None
    address: str
    read: int
    review: int
    refused_matters: list[str]


class Tally(BaseModel):
    """This camera session's pages."""

    pages: int = 0  # pages handed on to be counted
    counted: int = 0  # pages counted (some matters perhaps left to the clerk)
    marks_read: int = 0
    sent_to_review: int = 0
    refused: int = 0  # pages refused or unread


class CameraView(BaseModel):
    """The ``camera`` snapshot of a period's paper screen."""

    version: int
    period_id: int
    running: bool
    status: str  # STOPPED, STARTING, NOT_FOUND, REFUSED, PAGE_READ or a devices.camera.Status
    device: str
    last: LastPage | None = None
    tally: Tally = Tally()
    preview: int = 0  # the preview's number (0: none yet)


@dataclass
class _Run:
    """One camera session of one period."""

    period_id: int
    by: str
    folder: Path
    status: str = STARTING
    last: LastPage | None = None
    tally: Tally = field(default_factory=Tally)
    preview: bytes = b""
    preview_number: int = 0
    stopping: bool = False
    running: bool = True


class CameraDesk:
    """The box's one camera loop (kept in ``app.extensions``)."""

    def __init__(self, app: Flask) -> None:
        self._app = app
        self._lock = threading.Lock()
        self._runs: dict[int, _Run] = {}  # each period's latest session
        self._loops: list[_Run] = []  # the sessions whose loop may still run
        self._device = str(app.config.get("CAMERA") or "/dev/video0")
        self._pause = float(app.config.get("CAMERA_FRAME_SECONDS", 0.1))

    def start(self, period_id: int, by: str, folder: Path) -> CameraView:
        """Start the camera for ``period_id`` (stopping it for any other period)."""
        with self._lock:
            current = self._runs.get(period_id)
            if current is not None and current.running:
                return self._view(current)
            for other in self._loops:
                other.stopping = True
            run = _Run(period_id, by, folder)
            self._runs[period_id] = run
            self._loops = [r for r in self._loops if r.running] + [run]
        socketio.start_background_task(self._loop, run)
        return self._broadcast(run)

    def stop(self, period_id: int) -> CameraView:
        """Ask the loop of ``period_id`` to stop (it ends after the frame in hand)."""
        run = self._runs.get(period_id)
        if run is None:
            return self.view(period_id)
        run.stopping = True
        if not run.running:
            run.status = STOPPED
        return self._broadcast(run)

    def view(self, period_id: int) -> CameraView:
        """What the paper screen of ``period_id`` shows of the camera now."""
        run = self._runs.get(period_id)
        if run is None:
            return CameraView(
                version=next(_versions),
                period_id=period_id,
                running=False,
                status=STOPPED,
                device=self._device,
            )
        return self._view(run)

    def preview(self, period_id: int) -> bytes:
        """The last frame, small (b"" when there is none)."""
        run = self._runs.get(period_id)
        return run.preview if run else b""

    def _view(self, run: _Run) -> CameraView:
        return CameraView(
            version=next(_versions),
            period_id=run.period_id,
            running=run.running and not run.stopping,
            status=run.status,
            device=self._device,
            last=run.last,
            tally=run.tally.model_copy(),
            preview=run.preview_number,
        )

    def _broadcast(self, run: _Run) -> CameraView:
        view = self._view(run)
        payload = view.model_dump(mode="json")
        socketio.emit("camera", payload, namespace=PAPER, to=paper_room(run.period_id))
        return view

    def _loop(self, run: _Run) -> None:
        """The background task: frames until stopped, the camera gone or paper refused."""
        from devices.camera import CameraNotFound, CaptureLoop, Status

        with self._app.app_context():
            # A V4L2 camera is opened by one reader at a time: let another period's loop end.
            for _ in range(100):
                if not any(r.running for r in self._loops if r is not run):
                    break
                socketio.sleep(0.05)
            opener = self._app.extensions["yishi.devices"].camera
            try:
                loop = CaptureLoop(off_the_loop(opener))
            except (CameraNotFound, OSError, ValueError):
                run.running, run.status = False, NOT_FOUND
                self._broadcast(run)
                return
            shown_at = 0.0
            try:
                while not run.stopping:
                    seen = off_the_loop(loop.step)
                    if seen.status is Status.GONE:
                        run.status = NOT_FOUND
                        break
                    status = seen.status.value
                    changed = False
                    if seen.preview:
                        run.preview, run.preview_number = seen.preview, run.preview_number + 1
                    if seen.page:
                        try:
                            self._count(run, seen.page)
                        except Refusal:  # the period takes no more paper (the screen says so)
                            run.status = REFUSED
                            break
                        status, changed = PAGE_READ, True
                    elif run.status == PAGE_READ and seen.status is Status.SAME_PAGE:
                        status = PAGE_READ  # the page just read still lies there
                    changed = changed or status != run.status
                    run.status = status
                    if changed or time.monotonic() - shown_at >= PREVIEW_EVERY:
                        shown_at = time.monotonic()
                        self._broadcast(run)
                    socketio.sleep(self._pause)
                else:
                    run.status = STOPPED
            finally:
                run.running = False
                off_the_loop(loop.close)
                self._broadcast(run)

    def _count(self, run: _Run, page: bytes) -> None:
        """Count one page as a photo upload is, and keep the tally."""
        outcome = service.scan_page(run.period_id, page, "camera", run.by, run.folder)
        run.last = LastPage(
            result=outcome.result,
            scan_id=outcome.scan_id,
            serial=outcome.serial,
            address=outcome.address,
            read=outcome.read,
            review=outcome.review,
            refused_matters=list(outcome.refused_matters),
        )
        tally = run.tally
        tally.pages += 1
        if outcome.result in (ScanResult.COUNTED, ScanResult.REVIEW):
            tally.counted += 1
            tally.marks_read += outcome.read
            tally.sent_to_review += outcome.review
        else:
            tally.refused += 1


def desk() -> CameraDesk:
    """The app's camera desk (made on first use)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get("yishi.camera")
    if found is None:
        found = app.extensions["yishi.camera"] = CameraDesk(app)
    assert isinstance(found, CameraDesk)
    return found
