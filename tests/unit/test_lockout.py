"""The kiosk lock: three wrong tries lock for a minute, then the member has their tries back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from meeting_room.domain.lockout import LockoutPolicy, lock_state

T0 = datetime(2026, 11, 21, 11, 0, tzinfo=UTC)
POLICY = LockoutPolicy()


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_two_wrong_tries_do_not_lock_and_leave_one_try() -> None:
    state = lock_state(POLICY, [at(0), at(5)], at(6))
    assert not state.is_locked(at(6))
    assert state.failures == 2


def test_the_third_wrong_try_locks_for_exactly_one_minute() -> None:
    failures = [at(0), at(5), at(10)]
    assert lock_state(POLICY, failures, at(69.9)).is_locked(at(69.9))
    assert not lock_state(POLICY, failures, at(70)).is_locked(at(70))


def test_after_the_lock_the_member_has_all_their_tries_again() -> None:
    state = lock_state(POLICY, [at(0), at(5), at(10), at(80)], at(81))
    assert not state.is_locked(at(81))
    assert state.failures == 1


def test_tries_during_a_lock_do_not_extend_it() -> None:
    state = lock_state(POLICY, [at(0), at(1), at(2), at(30), at(40), at(50)], at(62))
    assert not state.is_locked(at(62))


def test_a_policy_of_five_tries_locks_on_the_fifth() -> None:
    policy = LockoutPolicy(attempts=5, duration=timedelta(minutes=2))
    assert not lock_state(policy, [at(i) for i in range(4)], at(5)).is_locked(at(5))
    state = lock_state(policy, [at(i) for i in range(5)], at(5))
    assert state.locked_until == at(4) + timedelta(minutes=2)


ESCALATING = LockoutPolicy(
    attempts=3,
    duration=timedelta(minutes=1),
    escalation=(timedelta(minutes=5), timedelta(minutes=30)),
)


def three_wrong_from(start: float) -> list[datetime]:
    return [at(start), at(start + 1), at(start + 2)]


def test_each_lock_is_longer_than_the_last_one_minute_then_five_then_thirty() -> None:
    first = three_wrong_from(0)
    assert lock_state(ESCALATING, first, at(3)).locked_until == at(2) + timedelta(minutes=1)
    second = first + three_wrong_from(70)
    state = lock_state(ESCALATING, second, at(73))
    assert (state.locks, state.locked_until) == (2, at(72) + timedelta(minutes=5))
    third = second + three_wrong_from(400)
    assert lock_state(ESCALATING, third, at(403)).locked_until == at(402) + timedelta(minutes=30)
    fourth = third + three_wrong_from(2300)
    state = lock_state(ESCALATING, fourth, at(2303))
    assert (state.locks, state.locked_until) == (4, at(2302) + timedelta(minutes=30))


def test_a_lock_ends_on_time_and_tries_during_it_are_not_counted() -> None:
    tries = three_wrong_from(0) + three_wrong_from(70) + [at(100), at(200)]  # during the 2nd
    state = lock_state(ESCALATING, tries, at(72 + 300))
    assert not state.is_locked(at(72 + 300)) and state.failures == 0
    assert lock_state(ESCALATING, tries, at(72 + 299)).is_locked(at(72 + 299))


def test_without_escalation_every_lock_lasts_the_same() -> None:
    tries = three_wrong_from(0) + three_wrong_from(70) + three_wrong_from(140)
    assert lock_state(POLICY, tries, at(143)).locked_until == at(142) + timedelta(minutes=1)
