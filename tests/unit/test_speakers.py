"""The list of speakers: refusals, points of order, first-timers, alternation, statistics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meeting_room.domain.speakers import (
    NANTANG,
    THREE_MINUTES_ONCE,
    Refusal,
    RefusalCode,
    Request,
    RulesOfOrder,
    SpeechRecord,
    Spoken,
    check_request,
    order_queue,
    position_of,
    statistics,
)
from meeting_room.domain.words import RequestKind, Stance

T0 = datetime(2026, 11, 21, 11, 0, tzinfo=UTC)
FOR, AGAINST, NEUTRAL = Stance.FOR, Stance.AGAINST, Stance.NEUTRAL
SPEECH, POINT = RequestKind.SPEECH, RequestKind.POINT_OF_ORDER
ALTERNATE_ONLY = RulesOfOrder(timedelta(minutes=2), alternate=True)
FIRST_TIMERS_ONLY = RulesOfOrder(timedelta(minutes=2), first_timers_first=True)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def ask(
    id: int, stance: Stance = FOR, *, person: int | None = None, kind: RequestKind = SPEECH
) -> Request:
    """Request ``id`` made at second ``id`` (by person ``id`` unless told)."""
    return Request(id, id if person is None else person, stance, kind, at(id))


def spoke(person: int, stance: Stance, second: float = -100) -> Spoken:
    return Spoken(person, stance, at(second))


def ids(requests: list[Request]) -> list[int]:
    return [r.id for r in requests]


def test_the_nantang_preset_gives_two_minutes_twice_first_timers_first_alternating() -> None:
    rules = NANTANG
    assert (rules.speech_limit, rules.max_speeches) == (timedelta(minutes=2), 2)
    assert rules.first_timers_first and rules.alternate


def test_three_minutes_once_neither_alternates_nor_allows_a_second_speech() -> None:
    assert (THREE_MINUTES_ONCE.speech_limit, THREE_MINUTES_ONCE.alternate) == (
        timedelta(minutes=3),
        False,
    )
    assert check_request(THREE_MINUTES_ONCE, 7, SPEECH, [], []) is None
    assert check_request(THREE_MINUTES_ONCE, 7, SPEECH, [spoke(7, FOR)], []) == Refusal(
        RefusalCode.MAX_SPEECHES_REACHED, {"count": 1, "max": 1}
    )


@pytest.mark.parametrize(("limit", "most"), [(timedelta(0), None), (timedelta(minutes=2), 0)])
def test_rules_that_leave_nobody_the_floor_are_rejected(limit: timedelta, most: int | None) -> None:
    with pytest.raises(ValueError):
        RulesOfOrder(limit, max_speeches=most)


def test_under_nantang_a_second_speech_is_allowed_and_a_third_refused_with_the_count() -> None:
    once = [spoke(7, FOR), spoke(8, AGAINST)]
    assert check_request(NANTANG, 7, SPEECH, once, []) is None
    twice = [*once, spoke(7, NEUTRAL, -50)]
    refusal = check_request(NANTANG, 7, SPEECH, twice, [])
    assert refusal == Refusal(RefusalCode.MAX_SPEECHES_REACHED, {"count": 2, "max": 2})


def test_points_of_order_are_never_refused_for_the_count_and_do_not_count_as_speeches() -> None:
    history = [spoke(7, FOR), spoke(7, AGAINST, -50), Spoken(9, NEUTRAL, at(-40), POINT)]
    assert check_request(NANTANG, 7, POINT, history, []) is None
    assert check_request(NANTANG, 9, SPEECH, history, []) is None


def test_unlimited_rules_never_refuse_for_the_count() -> None:
    history = [spoke(7, FOR, -s) for s in range(1, 20)]
    assert check_request(ALTERNATE_ONLY, 7, SPEECH, history, []) is None


def test_a_person_already_waiting_is_refused_a_second_request_of_the_same_kind() -> None:
    waiting = [ask(1, person=7)]
    assert check_request(NANTANG, 7, SPEECH, [], waiting) == Refusal(RefusalCode.ALREADY_WAITING)
    assert check_request(NANTANG, 7, POINT, [], waiting) is None
    with_point = [*waiting, ask(2, person=7, kind=POINT)]
    refusal = check_request(NANTANG, 7, POINT, [], with_point)
    assert refusal is not None and refusal.code is RefusalCode.ALREADY_WAITING


def test_points_of_order_come_first_in_time_order() -> None:
    waiting = [
        ask(1, FOR),
        ask(4, NEUTRAL, kind=POINT),
        ask(2, AGAINST),
        ask(3, NEUTRAL, kind=POINT),
    ]
    assert ids(order_queue(NANTANG, waiting, [])) == [3, 4, 1, 2]


def test_without_priority_or_alternation_the_queue_is_time_order_with_ties_broken_by_id() -> None:
    rules = RulesOfOrder(timedelta(minutes=3))
    waiting = [Request(9, 1, FOR, SPEECH, at(5)), Request(4, 2, FOR, SPEECH, at(5)), ask(3, FOR)]
    assert ids(order_queue(rules, waiting, [spoke(1, FOR)])) == [3, 4, 9]


def test_alternation_answers_the_last_speech_with_the_opposite_stance() -> None:
    waiting = [ask(1, FOR), ask(2, FOR), ask(3, FOR), ask(4, AGAINST), ask(5, AGAINST)]
    after_for = order_queue(ALTERNATE_ONLY, waiting, [spoke(90, AGAINST, -60), spoke(91, FOR, -10)])
    assert ids(after_for) == [4, 1, 5, 2, 3]
    after_against = order_queue(ALTERNATE_ONLY, waiting, [spoke(91, AGAINST)])
    assert ids(after_against) == [1, 4, 2, 5, 3]


def test_with_no_speech_yet_alternation_starts_with_the_earliest_request() -> None:
    waiting = [ask(1, AGAINST), ask(2, AGAINST), ask(3, FOR), ask(4, FOR)]
    assert ids(order_queue(ALTERNATE_ONLY, waiting, [])) == [1, 3, 2, 4]


def test_a_neutral_last_speech_is_skipped_when_choosing_whom_alternation_answers() -> None:
    history = [spoke(90, FOR, -60), spoke(91, NEUTRAL, -10)]
    assert ids(order_queue(ALTERNATE_ONLY, [ask(1, FOR), ask(2, AGAINST)], history)) == [2, 1]


def test_a_neutral_goes_before_the_next_alternating_speaker_only_if_it_asked_earlier() -> None:
    # After a "for" speech the chain is 3 (against), 1 (for), 6 (against), 4 (for).
    waiting = [ask(1, FOR), ask(2, NEUTRAL), ask(3, AGAINST), ask(4, FOR), ask(5, NEUTRAL)]
    waiting.append(ask(6, AGAINST))
    # 2 passes 1, whom alternation holds back; 5 waits behind 1, who asked earlier.
    assert ids(order_queue(ALTERNATE_ONLY, waiting, [spoke(90, FOR)])) == [2, 3, 1, 5, 6, 4]


def test_a_neutral_in_between_does_not_restart_the_alternation() -> None:
    waiting = [ask(1, AGAINST), ask(2, NEUTRAL), ask(3, AGAINST), ask(4, FOR)]
    ordered = order_queue(ALTERNATE_ONLY, waiting, [spoke(90, FOR)])
    assert ids(ordered) == [1, 2, 4, 3]


def test_first_timers_go_before_repeat_speakers_each_in_time_order() -> None:
    history = [spoke(2, FOR), spoke(4, AGAINST)]
    waiting = [ask(1), ask(2), ask(3), ask(4), ask(5)]
    assert ids(order_queue(FIRST_TIMERS_ONLY, waiting, history)) == [1, 3, 5, 2, 4]


def test_a_point_of_order_does_not_make_its_maker_a_repeat_speaker() -> None:
    history = [Spoken(1, NEUTRAL, at(-10), POINT), spoke(2, FOR)]
    assert ids(order_queue(FIRST_TIMERS_ONLY, [ask(2), ask(3, person=1)], history)) == [3, 2]


def test_under_nantang_first_timers_outrank_alternation_which_runs_on_into_repeat_speakers() -> (
    None
):
    # Last speech "against" (by person 10, who asks again first of all).
    history = [spoke(10, FOR, -200), spoke(10, AGAINST, -100)]
    waiting = [
        ask(1, AGAINST, person=10),  # repeat speaker
        ask(2, FOR),
        ask(3, AGAINST),
        ask(4, FOR),
        ask(5, NEUTRAL),
    ]
    ordered = order_queue(NANTANG, waiting, history)
    # First-timers: chain 2 (for), 3 (against), 4 (for); 5 asked last. Then the repeat speaker.
    assert ids(ordered) == [2, 3, 4, 5, 1]


def test_alternation_carries_over_from_the_first_timers_into_the_repeat_speakers() -> None:
    history = [spoke(20, FOR, -300), spoke(21, AGAINST, -200), spoke(22, FOR, -100)]
    waiting = [
        ask(1, FOR, person=20),
        ask(2, AGAINST, person=21),
        ask(3, FOR, person=22),
        ask(4, AGAINST),  # the only first-timer
    ]
    # 4 answers the last "for"; the repeat speakers then continue with "for" first.
    assert ids(order_queue(NANTANG, waiting, history)) == [4, 1, 2, 3]


def test_a_neutral_first_timer_keeps_its_place_in_time_among_the_first_timers() -> None:
    history = [spoke(10, AGAINST)]
    waiting = [ask(1, AGAINST), ask(2, NEUTRAL), ask(3, FOR), ask(4, FOR, person=10)]
    # Chain of first-timers: 3 (answers against), 1. Neutral 2 asked before 3.
    assert ids(order_queue(NANTANG, waiting, history)) == [2, 3, 1, 4]


def test_the_position_in_the_queue_counts_from_one_and_is_none_for_an_unknown_request() -> None:
    ordered = order_queue(NANTANG, [ask(5), ask(6, AGAINST), ask(7, kind=POINT)], [])
    assert [position_of(i, ordered) for i in (7, 5, 6, 99)] == [1, 2, 3, None]


def test_statistics_count_and_total_each_person_and_share_time_exactly() -> None:
    records = [
        SpeechRecord(1, "业主", FOR, timedelta(seconds=100)),
        SpeechRecord(1, "业主", AGAINST, timedelta(seconds=20)),
        SpeechRecord(2, "物业", NEUTRAL, timedelta(seconds=60)),
        SpeechRecord(3, "租户", FOR, timedelta(seconds=120)),
    ]
    stats = statistics(records)
    assert stats.total == timedelta(minutes=5)
    assert stats.by_person[1].count == 2
    assert stats.by_person[1].total == timedelta(seconds=120)
    assert stats.group_share == {
        "业主": Fraction(2, 5),
        "物业": Fraction(1, 5),
        "租户": Fraction(2, 5),
    }
    assert stats.stance_share == {
        FOR: Fraction(11, 15),
        AGAINST: Fraction(1, 15),
        NEUTRAL: Fraction(1, 5),
    }
    assert sum(stats.group_share.values()) == 1


def test_statistics_of_no_speeches_are_zeros_for_every_stance() -> None:
    stats = statistics([])
    assert stats.total == timedelta(0)
    assert stats.by_person == {} and stats.group_share == {}
    assert stats.stance_share == {FOR: 0, AGAINST: 0, NEUTRAL: 0}


def test_shares_stay_exact_where_floats_would_not() -> None:
    records = [SpeechRecord(i, f"g{i}", FOR, timedelta(seconds=1)) for i in range(3)]
    assert statistics(records).group_share["g0"] == Fraction(1, 3)


# --- The ordering rule against a step-by-step simulation of the moderator -------------------


def reference_order(
    rules: RulesOfOrder, waiting: list[Request], history: list[Spoken]
) -> list[Request]:
    """Give the floor one request at a time, choosing each by the rule as the moderator would."""
    speeches = [s for s in history if s.kind == SPEECH]
    spoken = {s.person for s in speeches}
    sided = [s.stance for s in sorted(speeches, key=lambda s: s.at) if s.stance != NEUTRAL]
    last = sided[-1] if sided else None
    pending = sorted(waiting, key=lambda r: (r.requested_at, r.id))
    out: list[Request] = []
    while pending:
        pool = [r for r in pending if r.kind == POINT] or pending
        first_timers = [r for r in pool if r.person not in spoken]
        if rules.first_timers_first and pool[0].kind == SPEECH and first_timers:
            pool = first_timers
        pick = pool[0]
        if rules.alternate and pick.kind == SPEECH:
            sides = [r for r in pool if r.stance != NEUTRAL]
            answer = [r for r in sides if last is not None and r.stance != last]
            candidate = next(iter(answer or sides), None)
            neutral = next((r for r in pool if r.stance == NEUTRAL), None)
            if candidate is not None and (
                neutral is None
                or (candidate.requested_at, candidate.id) < (neutral.requested_at, neutral.id)
            ):
                pick, last = candidate, candidate.stance
            else:
                assert neutral is not None
                pick = neutral
        pending.remove(pick)
        out.append(pick)
    return out


REQUESTS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=6),  # person
        st.sampled_from(Stance),
        st.sampled_from([SPEECH, SPEECH, SPEECH, POINT]),
        st.integers(min_value=0, max_value=8),  # second asked: ties are common
    ),
    max_size=12,
).map(
    lambda rows: [
        Request(i, person, NEUTRAL if kind == POINT else stance, kind, at(s))
        for i, (person, stance, kind, s) in enumerate(rows)
    ]
)
HISTORY = st.lists(
    st.builds(
        Spoken,
        person=st.integers(min_value=0, max_value=6),
        stance=st.sampled_from(Stance),
        at=st.integers(min_value=-50, max_value=-1).map(at),
        kind=st.sampled_from([SPEECH, SPEECH, POINT]),
    ),
    max_size=6,
)
RULES = st.builds(
    RulesOfOrder,
    speech_limit=st.just(timedelta(minutes=2)),
    first_timers_first=st.booleans(),
    alternate=st.booleans(),
)


@given(rules=RULES, waiting=REQUESTS, history=HISTORY)
def test_the_queue_matches_a_step_by_step_simulation_of_the_rule(
    rules: RulesOfOrder, waiting: list[Request], history: list[Spoken]
) -> None:
    assert order_queue(rules, waiting, history) == reference_order(rules, waiting, history)


@given(rules=RULES, waiting=REQUESTS, history=HISTORY)
def test_the_queue_keeps_its_invariants(
    rules: RulesOfOrder, waiting: list[Request], history: list[Spoken]
) -> None:
    ordered = order_queue(rules, waiting, history)
    assert sorted(ids(ordered)) == sorted(ids(waiting))
    kinds = [r.kind for r in ordered]
    assert kinds == sorted(kinds, key=lambda k: k != POINT)
    spoken = {s.person for s in history if s.kind == SPEECH}
    group = [
        0 if r.kind == POINT else 1 + (rules.first_timers_first and r.person in spoken)
        for r in ordered
    ]
    assert group == sorted(group)
    if not rules.alternate:
        return
    sided = [
        (g, r.stance) for g, r in zip(group, ordered, strict=True) if g and r.stance != NEUTRAL
    ]
    for i in range(len(sided) - 1):
        (g, stance), (g_next, stance_next) = sided[i], sided[i + 1]
        other_later = any(h == g and s != stance for h, s in sided[i + 1 :])
        assert not (g == g_next and stance == stance_next and other_later)
