"""A meeting's life: one step at a time, never back; what each state allows."""

from __future__ import annotations

import pytest

from meeting_room.domain.lifecycle import check_move, may_sign_in, refuse_unless_open
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import MeetingStatus as S

ORDER = [S.DRAFT, S.ANNOUNCED, S.OPEN, S.CLOSED, S.MINUTES_PUBLISHED]


def test_each_state_moves_only_to_the_next_one() -> None:
    for current in ORDER:
        for wanted in ORDER:
            if ORDER.index(wanted) == ORDER.index(current) + 1:
                check_move(current, wanted)
            else:
                with pytest.raises(Refusal) as refused:
                    check_move(current, wanted)
                assert refused.value.problem == Problem.MEETING_STATE


def test_sign_in_runs_until_the_close() -> None:
    assert [may_sign_in(s) for s in ORDER] == [True, True, True, False, False]


def test_items_and_polls_run_only_in_an_open_meeting_and_the_refusal_says_why() -> None:
    refuse_unless_open(S.OPEN, "item")
    for status, ended in ((S.DRAFT, False), (S.ANNOUNCED, False), (S.CLOSED, True)):
        with pytest.raises(Refusal) as refused:
            refuse_unless_open(status, "poll")
        assert refused.value.problem == Problem.MEETING_NOT_OPEN
        assert refused.value.params == {"what": "poll", "ended": ended}
