"""The camera over the ballot table: each page handed on once when it lies still and sharp, never
again while it is left there; a new page when the serial changes or the page was taken away.
The decisions on measured looks, then the whole loop on frames made from generated ballots
(``FakeFrames`` stands in for the camera only)."""

from __future__ import annotations

from pathlib import Path

import pytest

from devices.adapters import build_devices
from devices.ballot_reader import read_ballot
from devices.camera import CameraNotFound, CaptureLoop, Look, PageWatcher, Status, measure
from devices.fakes import FakeFrames
from tests.support.camera_frames import jittered, moving, photo, session, table, write_frames

STILL = Look(markers=4, sharpness=500.0, motion=0.5)
MOVED = Look(markers=4, sharpness=500.0, motion=30.0)
BLUR = Look(markers=4, sharpness=5.0, motion=0.5)
EMPTY = Look(markers=0, sharpness=50.0, motion=0.5)


def settle(watcher: PageWatcher) -> list[Status]:
    """A page moved in, then held still for as many frames as the watcher waits."""
    return [watcher.see(MOVED)] + [watcher.see(STILL) for _ in range(watcher.still_frames)]


def test_a_page_is_read_once_it_lies_still_and_sharp_for_three_frames() -> None:
    watcher = PageWatcher()
    assert watcher.see(EMPTY) is Status.NO_PAGE
    assert settle(watcher) == [Status.MOVING, Status.MOVING, Status.MOVING, Status.NEW_PAGE]
    assert watcher.is_new("AAAABBBBCCCC")


def test_a_blurred_or_moving_page_is_never_read() -> None:
    watcher = PageWatcher()
    seen = [watcher.see(look) for look in [MOVED, BLUR, STILL, BLUR, STILL, STILL, MOVED] * 3]
    assert Status.NEW_PAGE not in seen
    assert Status.BLURRED in seen


def test_a_page_left_under_the_camera_is_not_read_again_even_when_bumped() -> None:
    watcher = PageWatcher()
    settle(watcher)
    assert watcher.is_new("AAAABBBBCCCC")
    assert [watcher.see(STILL) for _ in range(5)] == [Status.SAME_PAGE] * 5
    assert settle(watcher)[-1] is Status.NEW_PAGE  # bumped: looked at again...
    assert not watcher.is_new("AAAABBBBCCCC")  # ...and known by its serial
    assert not watcher.is_new(None)  # a frame whose QR code was not read this time


def test_a_second_page_swapped_in_without_leaving_the_frame_is_new_by_its_serial() -> None:
    watcher = PageWatcher()
    settle(watcher)
    assert watcher.is_new("AAAABBBBCCCC")
    settle(watcher)
    assert watcher.is_new("DDDDEEEEFFFF")


def test_a_page_taken_away_and_put_back_is_handed_on_again_for_the_count_to_refuse() -> None:
    watcher = PageWatcher()
    settle(watcher)
    assert watcher.is_new("AAAABBBBCCCC")
    watcher.see(EMPTY)  # one frame without markers is a glitch, not a page taken away
    settle(watcher)
    assert not watcher.is_new("AAAABBBBCCCC")
    watcher.see(EMPTY)
    watcher.see(EMPTY)
    settle(watcher)
    assert watcher.is_new("AAAABBBBCCCC")


def test_a_page_whose_qr_code_is_unread_is_handed_on_once() -> None:
    watcher = PageWatcher()
    settle(watcher)
    assert watcher.is_new(None)
    settle(watcher)
    assert not watcher.is_new(None)


@pytest.fixture(scope="module")
def pages() -> tuple[object, object]:
    """Two clearly marked generated ballots (decoded frames)."""
    return (
        photo(8101, kinds=("tick_pen", "cross"), torn=False),
        photo(8102, kinds=("fill", "tick_pen"), torn=False),
    )


def test_the_measures_tell_a_still_sharp_page_from_a_moving_one_and_an_empty_table(
    pages: tuple[object, object],
) -> None:
    first, _ = pages
    look, thumb = measure(jittered(first, 1)[:, :, 0], None)  # type: ignore[index]
    assert look.markers >= 3
    still, _ = measure(jittered(first, 2)[:, :, 0], thumb)  # type: ignore[index]
    assert still.motion < PageWatcher().motion and still.sharpness > PageWatcher().sharp
    slid, _ = measure(moving(first, -120)[:, :, 0], thumb)  # type: ignore[arg-type]
    assert slid.motion > PageWatcher().motion
    assert slid.markers < 3 or slid.sharpness < PageWatcher().sharp
    empty, _ = measure(table(first)[:, :, 0], thumb)  # type: ignore[arg-type]
    assert empty.markers == 0


def test_the_loop_hands_on_each_page_once_from_a_camera_session(
    tmp_path: Path, pages: tuple[object, object]
) -> None:
    first, second = pages
    frames = session(first, second)  # type: ignore[arg-type]
    camera = FakeFrames(write_frames(tmp_path / "frames", frames))
    loop = CaptureLoop(camera)
    seen = [loop.step() for _ in range(len(frames) + 5)]  # the last frame repeats: table
    handed = [s for s in seen if s.page]
    assert len(handed) == 2
    serials = [read_ballot(s.page).serial for s in handed]
    assert serials == [handed[0].serial, handed[1].serial]
    assert handed[0].serial != handed[1].serial and None not in serials
    statuses = [s.status for s in seen]
    assert Status.SAME_PAGE in statuses  # the first page was left there a while
    assert statuses[-1] is Status.NO_PAGE
    assert all(s.preview.startswith(b"\xff\xd8") for s in seen)  # every frame previewed
    loop.close()
    assert camera.closed


def test_a_camera_that_is_not_there_says_so() -> None:
    opener = build_devices({"PRINTER": "fake", "TTS": "fake", "CAMERA": "none"}).camera
    with pytest.raises(CameraNotFound):
        opener()
    missing = build_devices({"PRINTER": "fake", "TTS": "fake", "CAMERA": "/dev/no-such-video"})
    with pytest.raises(CameraNotFound):
        missing.camera()


def test_a_camera_that_gives_no_frame_is_gone(tmp_path: Path) -> None:
    (tmp_path / "000.jpg").write_bytes(b"not a frame")  # a camera unplugged mid-session
    assert CaptureLoop(FakeFrames(tmp_path)).step().status is Status.GONE
