"""Refusals in words (web.messages): every problem the rules can raise has its own sentence in
both languages, filled with the refusal's parameters by name; one it lacks reads as nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from flask_babel import force_locale

from meeting_room.domain.problems import Problem, Refusal
from meeting_room.web.messages import MESSAGES, describe

# Every parameter some refusal's words take.
PARAMS = {
    "title": "楼道灯",
    "name": "王静",
    "until": datetime(2026, 12, 7, 12, 0, tzinfo=UTC),
    "remaining": 2,
    "limit": 3,
    "count": 2,
    "channel": "phone",
    "groups": ["租户"],
    "state": "open",
    "most": 6,
    "by": "clerk",
    "scope": "3栋",
}
GENERIC = {"en": "The request was refused.", "zh_Hans_CN": "请求被拒绝。"}


def test_every_problem_has_its_own_words() -> None:
    assert set(Problem) - set(MESSAGES) == set()


@pytest.mark.parametrize("language", ["en", "zh_Hans_CN"])
def test_every_refusal_reads_as_a_sentence_of_its_own_in_each_language(
    app: Flask, language: str
) -> None:
    with app.test_request_context("/"), force_locale(language):
        said = {problem: describe(Refusal(problem, **PARAMS)) for problem in Problem}
        assert describe(Refusal(Problem.MEETING_NOT_FOUND)) != GENERIC[language]
    unfilled = {
        p: words for p, words in said.items() if "%(" in words or words == GENERIC[language]
    }
    assert unfilled == {}
    assert len(set(said.values())) > len(Problem) * 0.9  # each its own words (a few share them)


def test_the_words_take_the_refusal_s_parameters_by_name_and_a_missing_one_reads_as_nothing(
    app: Flask,
) -> None:
    with app.test_request_context("/"), force_locale("en"):
        signed = Refusal(Problem.TOPIC_ALREADY_SIGNED, name="Wang Jing", title="Lights")
        assert describe(signed) == (
            "Wang Jing, you already support “Lights”: each person signs a topic once."
        )
        assert describe(Refusal(Problem.MEETING_CLOSED)) == "The meeting  has ended."
        assert describe(Refusal(Problem.PAPER_REVIEW_DECIDED, by="Li")) == (
            "This mark was already decided by Li."
        )
        assert describe(Refusal(Problem.FLOOR_REFUSED, name="Wang Jing")) == (
            "Wang Jing is already on the list of speakers for this item."
        )
    with app.test_request_context("/"), force_locale("zh_Hans_CN"):
        assert describe(signed) == "Wang Jing，您已联署“Lights”：每人对一个议题只能联署一次。"
