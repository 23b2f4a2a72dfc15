"""Guessing a pairing code on the real server: ten wrong codes lock pairing for five minutes, and
a burst of 300 wrong codes (the attack measured on an earlier box: 45 guesses a second, all
answered "wrong", then the right code paired a booth) never pairs."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.browser.conftest import LiveServer
from tests.security.conftest import Hall, Visitor

LOCKED = "5 分钟后再试"


def wrong_code(right: str) -> str:
    return "000000" if right != "000000" else "111111"


def guess(server: LiveServer, code: str) -> tuple[int, bool]:
    """One try from a fresh browser (the count is the box's, not a cookie's): the status, and
    whether the browser came away paired."""
    stranger = Visitor(server)
    stranger.page("/pair")
    answer = stranger.post_form("/pair", {"code": code})
    return answer.status, stranger.cookie("yishi_device") is not None


def test_ten_wrong_codes_lock_pairing_even_for_the_right_code(
    server: LiveServer, hall: Hall
) -> None:
    right = hall.pairing_code("booth")
    assert [guess(server, wrong_code(right)) for _ in range(10)] == [(400, False)] * 10
    stranger = Visitor(server)
    stranger.page("/pair")
    locked = stranger.post_form("/pair", {"code": right})
    assert locked.status == 429 and LOCKED in locked.text
    assert stranger.cookie("yishi_device") is None


def test_a_burst_of_300_wrong_codes_never_pairs(server: LiveServer, hall: Hall) -> None:
    right = hall.pairing_code("booth")
    with ThreadPoolExecutor(max_workers=30) as pool:
        answers = list(pool.map(lambda _: guess(server, wrong_code(right)), range(300)))
    statuses = [status for status, _ in answers]
    assert statuses.count(400) == 10  # the tries that were weighed; the rest met the lock
    assert statuses.count(429) == 290
    assert not any(paired for _, paired in answers)
    assert guess(server, right) == (429, False)  # the right code, too late
    devices = hall.staff().get("/clerk/api/devices").json()["devices"]
    assert devices == []  # nothing was paired
