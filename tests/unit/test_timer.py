"""The speaking timer: deadlines, not ticks; checked against a brute-force sum of intervals."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meeting_room.domain.timer import (
    SpeechClock,
    TimerError,
    TimerErrorCode,
    TimerState,
    format_clock,
    undo_open,
)

T0 = datetime(2026, 11, 21, 11, 0, tzinfo=UTC)
TWO_MINUTES = timedelta(minutes=2)
WARNING = timedelta(seconds=30)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def secs(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)


def started(limit: timedelta = TWO_MINUTES) -> SpeechClock:
    return SpeechClock().start(limit, at(0))


def test_a_running_clock_counts_down_from_its_start_and_has_a_fixed_deadline() -> None:
    clock = started()
    assert clock.remaining(at(45)) == secs(75)
    assert clock.elapsed(at(45)) == secs(45)
    assert clock.deadline == at(120)


def test_a_pause_freezes_the_time_and_resuming_moves_the_deadline_by_the_pause() -> None:
    paused = started().pause(at(30))
    assert paused.remaining(at(500)) == secs(90)
    assert paused.deadline is None
    resumed = paused.resume(at(100))
    assert resumed.deadline == at(190)
    assert resumed.remaining(at(110)) == secs(80)


def test_added_time_moves_the_deadline_of_a_running_clock() -> None:
    clock = started().add_time(secs(60), at(10))
    assert clock.limit == secs(180)
    assert clock.deadline == at(180)


def test_added_time_while_paused_shows_when_the_clock_resumes() -> None:
    clock = started().pause(at(100)).add_time(secs(30), at(105)).resume(at(200))
    assert clock.remaining(at(200)) == secs(50)
    assert clock.deadline == at(250)


def test_added_time_turns_an_overrun_back_into_time_left() -> None:
    over = started()
    assert over.state(at(130), WARNING) is TimerState.OVERRUN
    extended = over.add_time(secs(60), at(130))
    assert extended.remaining(at(130)) == secs(50)
    assert extended.state(at(130), WARNING) is TimerState.RUNNING


def test_time_can_be_taken_back_down_to_zero_left_but_not_into_an_overrun() -> None:
    clock = started()
    assert clock.add_time(secs(-20), at(100)).remaining(at(100)) == secs(0)
    with pytest.raises(TimerError) as refused:
        clock.add_time(secs(-21), at(100))
    assert refused.value.code is TimerErrorCode.CUTS_INTO_SPOKEN_TIME


def test_a_stopped_clock_keeps_the_time_spoken_whether_it_was_running_or_paused() -> None:
    stopped = started().stop(at(95))
    assert stopped.elapsed(at(1000)) == secs(95)
    assert stopped.stopped_at == at(95)
    assert stopped.deadline is None
    assert started().pause(at(40)).stop(at(90)).elapsed(at(1000)) == secs(40)


def test_warning_begins_at_exactly_thirty_seconds_left() -> None:
    clock = started()
    assert clock.state(at(89.999), WARNING) is TimerState.RUNNING
    assert clock.state(at(90), WARNING) is TimerState.WARNING
    assert clock.state(at(119.999), WARNING) is TimerState.WARNING


def test_overrun_begins_at_exactly_zero_left_running_or_paused() -> None:
    clock = started()
    assert clock.state(at(120), WARNING) is TimerState.OVERRUN
    assert clock.pause(at(125)).state(at(125), WARNING) is TimerState.OVERRUN


def test_each_phase_reads_as_its_own_state() -> None:
    assert SpeechClock().state(at(0), WARNING) is TimerState.IDLE
    assert started().pause(at(10)).state(at(10), WARNING) is TimerState.PAUSED
    assert started().stop(at(130)).state(at(130), WARNING) is TimerState.STOPPED


def test_only_a_running_clock_at_its_limit_auto_stops_and_only_if_the_rules_say_so() -> None:
    clock = started()
    assert not clock.should_auto_stop(at(119.9), auto_stop=True)
    assert clock.should_auto_stop(at(120), auto_stop=True)
    assert not clock.should_auto_stop(at(120), auto_stop=False)
    assert not clock.pause(at(125)).should_auto_stop(at(130), auto_stop=True)


def test_a_clock_rebuilt_from_its_stored_fields_shows_the_same_time_after_a_restart() -> None:
    clock = started().pause(at(20)).add_time(secs(15), at(25)).resume(at(40))
    stored = dataclasses.asdict(clock)
    reloaded = SpeechClock(**stored)
    assert reloaded == clock
    assert reloaded.remaining(at(77)) == clock.remaining(at(77)) == secs(78)
    assert reloaded.deadline == clock.deadline


def test_a_server_clock_stepping_back_never_unspeaks_time() -> None:
    clock = started().pause(at(30)).resume(at(60))
    assert clock.elapsed(at(50)) == secs(30)


def test_the_wire_view_of_a_running_clock_gives_its_deadline_and_no_frozen_time() -> None:
    wire = started().add_time(secs(30), at(5)).to_wire()
    assert wire == {
        "phase": "running",
        "limit_ms": 150_000,
        "started_at": "2026-11-21T11:00:00+00:00",
        "deadline": "2026-11-21T11:02:30+00:00",
        "paused_remaining_ms": None,
    }


def test_the_wire_view_of_a_paused_or_stopped_clock_gives_the_frozen_time_left() -> None:
    paused = started().pause(at(30.5)).to_wire()
    assert (paused["phase"], paused["deadline"], paused["paused_remaining_ms"]) == (
        "paused",
        None,
        89_500,
    )
    stopped = started().stop(at(130)).to_wire()
    assert (stopped["phase"], stopped["paused_remaining_ms"]) == ("stopped", -10_000)


def test_the_client_formula_on_the_wire_view_agrees_with_the_server() -> None:
    clock = started().pause(at(10)).resume(at(20))
    wire = clock.to_wire()
    assert wire["deadline"] is not None
    server_offset = secs(-3)  # this screen's clock runs 3 s ahead of the server's
    client_now = at(50) - server_offset
    remaining = datetime.fromisoformat(wire["deadline"]) - (client_now + server_offset)
    assert remaining == clock.remaining(at(50))


@pytest.mark.parametrize(
    ("remaining", "shown"),
    [
        (secs(105), "1:45"),
        (secs(120), "2:00"),
        (secs(0.3), "0:01"),
        (secs(59.001), "1:00"),
        (secs(0), "0:00"),
        (secs(-0.3), "+0:00"),
        (secs(-12.7), "+0:12"),
        (secs(-61), "+1:01"),
        (timedelta(minutes=75), "75:00"),
    ],
)
def test_the_clock_shows_time_left_by_ceiling_and_time_over_by_floor(
    remaining: timedelta, shown: str
) -> None:
    assert format_clock(remaining) == shown


@pytest.mark.parametrize(
    ("clock", "transition", "code"),
    [
        (SpeechClock(), lambda c: c.pause(at(1)), TimerErrorCode.NOT_STARTED),
        (SpeechClock(), lambda c: c.resume(at(1)), TimerErrorCode.NOT_STARTED),
        (SpeechClock(), lambda c: c.stop(at(1)), TimerErrorCode.NOT_STARTED),
        (SpeechClock(), lambda c: c.add_time(secs(10), at(1)), TimerErrorCode.NOT_STARTED),
        (started(), lambda c: c.start(TWO_MINUTES, at(5)), TimerErrorCode.ALREADY_STARTED),
        (started(), lambda c: c.resume(at(5)), TimerErrorCode.ALREADY_RUNNING),
        (started().pause(at(5)), lambda c: c.pause(at(6)), TimerErrorCode.ALREADY_PAUSED),
        (
            started().stop(at(5)),
            lambda c: c.start(TWO_MINUTES, at(6)),
            TimerErrorCode.ALREADY_STARTED,
        ),
        (started().stop(at(5)), lambda c: c.resume(at(6)), TimerErrorCode.STOPPED),
        (started().stop(at(5)), lambda c: c.stop(at(6)), TimerErrorCode.STOPPED),
        (started().stop(at(5)), lambda c: c.add_time(secs(9), at(6)), TimerErrorCode.STOPPED),
        (SpeechClock(), lambda c: c.start(secs(0), at(0)), TimerErrorCode.LIMIT_NOT_POSITIVE),
    ],
)
def test_a_transition_its_phase_does_not_allow_is_refused_with_its_reason(
    clock: SpeechClock, transition: Callable[[SpeechClock], SpeechClock], code: TimerErrorCode
) -> None:
    with pytest.raises(TimerError) as refused:
        transition(clock)
    assert refused.value.code is code


def test_stored_fields_that_cannot_happen_are_rejected_on_reload() -> None:
    with pytest.raises(ValueError):
        SpeechClock(limit=TWO_MINUTES, started_at=at(0), resumed_at=at(5), stopped_at=at(9))
    with pytest.raises(ValueError):
        SpeechClock(limit=TWO_MINUTES, resumed_at=at(5))
    with pytest.raises(ValueError):
        SpeechClock(limit=TWO_MINUTES, started_at=datetime(2026, 11, 21, 11, 0))


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["pause", "resume", "add", "stop"]),
        st.integers(min_value=0, max_value=90_000),  # ms since the previous operation
        st.integers(min_value=-60, max_value=60),  # seconds, for "add"
    ),
    max_size=12,
)


@given(limit_s=st.integers(min_value=1, max_value=300), operations=OPERATIONS)
def test_elapsed_and_remaining_equal_a_brute_force_sum_of_running_intervals(
    limit_s: int, operations: list[tuple[str, int, int]]
) -> None:
    clock = SpeechClock().start(secs(limit_s), at(0))
    # The reference: a list of closed running intervals plus the open one, and the limit.
    intervals: list[tuple[datetime, datetime]] = []
    running_since: datetime | None = at(0)
    stopped = False
    limit = secs(limit_s)
    now = at(0)

    def spoken(until: datetime) -> timedelta:
        closed = sum((end - begin for begin, end in intervals), timedelta(0))
        return closed + (until - running_since if running_since is not None else timedelta(0))

    for name, step_ms, add_s in operations:
        now += timedelta(milliseconds=step_ms)
        allowed = (
            not stopped
            and {
                "pause": running_since is not None,
                "resume": running_since is None,
                "add": add_s >= 0 or limit - spoken(now) + secs(add_s) >= timedelta(0),
                "stop": True,
            }[name]
        )
        if not allowed:
            with pytest.raises(TimerError):
                apply(clock, name, now, add_s)
            continue
        clock = apply(clock, name, now, add_s)
        if name == "add":
            limit += secs(add_s)
        elif name == "resume":
            running_since = now
        elif running_since is not None:  # pause or stop while running
            intervals.append((running_since, now))
            running_since = None
        stopped = stopped or name == "stop"
        later = now + secs(7)
        assert clock.elapsed(later) == spoken(later)
        assert clock.remaining(later) == limit - spoken(later)
        assert SpeechClock(**dataclasses.asdict(clock)).remaining(later) == limit - spoken(later)


def apply(clock: SpeechClock, name: str, now: datetime, add_s: int) -> SpeechClock:
    if name == "pause":
        return clock.pause(now)
    if name == "resume":
        return clock.resume(now)
    if name == "add":
        return clock.add_time(secs(add_s), now)
    return clock.stop(now)


def test_an_ended_speech_given_back_runs_on_from_the_time_it_had_used() -> None:
    ended = started().stop(at(45))
    back = ended.reopen(at(51))
    assert back.phase is TimerState.RUNNING
    assert back.elapsed(at(51)) == secs(45)  # the six seconds in between are not counted
    assert back.remaining(at(61)) == TWO_MINUTES - secs(55)
    with pytest.raises(TimerError) as refused:
        back.reopen(at(62))
    assert refused.value.code is TimerErrorCode.ALREADY_RUNNING


def test_the_undo_window_is_ten_seconds_and_a_grace_and_never_before_the_end() -> None:
    stopped = at(100)
    assert undo_open(stopped, at(100))
    assert undo_open(stopped, at(115))
    assert not undo_open(stopped, at(115.001))
    assert not undo_open(stopped, at(99.999))
