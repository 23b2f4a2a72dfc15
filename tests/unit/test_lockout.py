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
