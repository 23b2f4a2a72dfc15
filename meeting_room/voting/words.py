"""A poll's result in words: the verdict and each clause, e.g.
"通过：参与表决面积占比 71.2% ≥ 2/3，人数占比 68.9% ≥ 2/3；同意面积占比 80.4% ≥ 3/4，……"."""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale, gettext

from meeting_room.domain.counting import Comparison, Stage, Weighting

LANGUAGES = ("zh_CN", "en")


def _label(stage: str, basis: str) -> str:
    labels: dict[tuple[str, str], str] = {
        (Stage.PARTICIPATION, Weighting.AREA): gettext("participating area"),
        (Stage.PARTICIPATION, Weighting.HEADCOUNT): gettext("participating voters"),
        (Stage.PARTICIPATION, Weighting.CUSTOM): gettext("participating weight"),
        (Stage.APPROVAL, Weighting.AREA): gettext("area in favour"),
        (Stage.APPROVAL, Weighting.HEADCOUNT): gettext("voters in favour"),
        (Stage.APPROVAL, Weighting.CUSTOM): gettext("weight in favour"),
    }
    return labels.get((stage, basis), f"{stage} {basis}")


def _sign(comparison: str, met: bool) -> str:
    if comparison == Comparison.MORE_THAN:
        return ">" if met else "≤"
    return "≥" if met else "<"


def explain(result: dict[str, Any]) -> str:
    """The result of a yes/no poll in the current language (empty for choice polls)."""
    clauses = result.get("clauses")
    if not clauses:
        return ""
    stages: dict[str, list[str]] = {}
    for clause in clauses:
        stages.setdefault(clause["stage"], []).append(
            gettext(
                "%(label)s %(percent)s%% %(sign)s %(threshold)s",
                label=_label(clause["stage"], clause["basis"]),
                percent=clause["percent"],
                sign=_sign(clause["comparison"], clause["met"]),
                threshold=clause["threshold"],
            )
        )
    verdict = gettext("Passed") if result.get("passed") else gettext("Not passed")
    separator, stage_separator = gettext(", "), gettext("; ")
    body = stage_separator.join(separator.join(parts) for parts in stages.values())
    return gettext("%(verdict)s: %(clauses)s", verdict=verdict, clauses=body)


def explanations(result: dict[str, Any] | None) -> dict[str, str] | None:
    """The explanation in every language of the box (a broadcast serves screens of both)."""
    if result is None:
        return None
    words = {}
    for language in LANGUAGES:
        with force_locale(language):
            words[language] = explain(result)
    return words
