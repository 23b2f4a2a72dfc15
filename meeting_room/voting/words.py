"""A poll's result in words: the verdict and each clause, e.g.
"通过：参与表决面积占比 71.2% ≥ 2/3，人数占比 68.9% ≥ 2/3；同意面积占比 80.4% ≥ 3/4，……"
(a share one decimal would misstate is written with its counts: "人数占比 200/300（66.67%）≥ 2/3");
for a choice poll, the options chosen and a tie for the last places with what happens next."""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale, get_locale, gettext, ngettext

from meeting_room.domain.counting import Comparison, Stage, Weighting
from meeting_room.domain.words import PollKind
from meeting_room.voice.speech import sentences

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


def _clause(clause: dict[str, Any]) -> str:
    words = {
        "label": _label(clause["stage"], clause["basis"]),
        "percent": clause["percent"],
        "sign": _sign(clause["comparison"], clause["met"]),
        "threshold": clause["threshold"],
    }
    if clause.get("exact"):
        return gettext(
            "%(label)s %(fraction)s (%(percent)s%%) %(sign)s %(threshold)s",
            fraction=clause["fraction"],
            **words,
        )
    return gettext("%(label)s %(percent)s%% %(sign)s %(threshold)s", **words)


def _support(result: dict[str, Any], option: str) -> str:
    tally = result.get("tallies", {}).get(option, {})
    if result.get("weighting") == Weighting.AREA:
        return gettext("%(area)s m²", area=tally.get("area", "0.00"))
    if result.get("weighting") == Weighting.CUSTOM:
        return gettext("weight %(weight)s", weight=tally.get("weight", "0"))
    votes = int(tally.get("headcount", 0))
    # The projector's words for the same count (one msgid each, not a plural entry).
    return gettext("%(num)s vote", num=votes) if votes == 1 else gettext("%(num)s votes", num=votes)


def explain_choice(result: dict[str, Any]) -> str:
    """A choice poll's places in the current language: those chosen, and a tie for the last
    places with what the hall does next (Yishi never breaks a tie: ``domain.choice``)."""
    separator = gettext(", ")
    parts = []
    chosen = result.get("chosen") or []
    if chosen:
        parts.append(gettext("Chosen: %(options)s.", options=separator.join(chosen)))
    tie = result.get("tie")
    if tie:
        places = int(tie["places"])
        parts.append(
            ngettext(
                "Tie for the last %(num)s place: %(options)s, %(support)s each.",
                "Tie for the last %(num)s places: %(options)s, %(support)s each.",
                places,
                options=separator.join(tie["options"]),
                support=_support(result, tie["options"][0]),
            )
        )
        parts.append(
            gettext(
                "Yishi does not break the tie: the hall decides, by a run-off vote among the "
                "tied options or by the rule the moderator announced before the vote."
            )
        )
    elif result.get("unfilled") and chosen:
        left = int(result["unfilled"])
        parts.append(
            ngettext(
                "%(num)s place is not filled: no other option has votes.",
                "%(num)s places are not filled: no other option has votes.",
                left,
            )
        )
    return sentences(parts, str(get_locale()))


def explain(result: dict[str, Any]) -> str:
    """The result of a poll in the current language: a yes/no poll's verdict and clauses, a
    choice poll's places (``explain_choice``)."""
    if result.get("kind") == PollKind.CHOICE:
        return explain_choice(result)
    clauses = result.get("clauses")
    if not clauses:
        return ""
    stages: dict[str, list[str]] = {}
    for clause in clauses:
        stages.setdefault(clause["stage"], []).append(_clause(clause))
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
