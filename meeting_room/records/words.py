"""The words of the records (minutes, action list, exports) in the current language.

One place for the HTML minutes, the PDF, the board and the spreadsheets. Most words are the
floor's and the polls' own (the same English msgids, so the same Chinese).
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext

from meeting_room.domain.counting import Rule, Weighting, YesNo
from meeting_room.domain.speakers import OUT_OF_TURN, RefusalCode
from meeting_room.domain.words import ActionStatus, ItemKind, RequestKind, Stance


def _words(table: dict[str, str], key: str) -> str:
    return table.get(key, key)


def stance_name(stance: Stance, kind: RequestKind = RequestKind.SPEECH) -> str:
    """A speaker's stance, or "point of order"."""
    if kind == RequestKind.POINT_OF_ORDER:
        return str(gettext("Point of order"))
    return _words(
        {
            Stance.FOR: str(gettext("For")),
            Stance.AGAINST: str(gettext("Against")),
            Stance.NEUTRAL: str(gettext("Question / neutral")),
        },
        stance,
    )


def option_name(option: str) -> str:
    """A yes/no option in words (the options of a choice poll are their own words)."""
    return _words(
        {
            YesNo.FOR: str(gettext("For")),
            YesNo.AGAINST: str(gettext("Against")),
            YesNo.ABSTAIN: str(gettext("Abstain")),
        },
        option,
    )


def rule_name(rule: Rule) -> str:
    """How a poll is decided."""
    return _words(
        {
            Rule.SIMPLE_MAJORITY: str(gettext("Simple majority of ballots cast")),
            Rule.MAJORITY_PRESENT: str(gettext("Majority of those present")),
            Rule.TWO_THIRDS_PRESENT: str(gettext("Two thirds of those present")),
            Rule.ART278_ORDINARY: str(gettext("Civil Code art. 278: ordinary matters")),
            Rule.ART278_MAJOR: str(gettext("Civil Code art. 278: major matters")),
        },
        rule,
    )


def weighting_name(weighting: Weighting) -> str:
    """What a ballot weighs."""
    return _words(
        {
            Weighting.HEADCOUNT: str(gettext("One vote per person")),
            Weighting.AREA: str(gettext("By exclusive floor area")),
            Weighting.CUSTOM: str(gettext("By the weight in the roster")),
        },
        weighting,
    )


def secrecy_name(secret: bool) -> str:
    """Secret ballot or named vote."""
    return str(gettext("Secret ballot")) if secret else str(gettext("Named vote"))


def item_kind_name(kind: ItemKind) -> str:
    """What an agenda item is for."""
    return _words(
        {
            ItemKind.REPORT: str(gettext("Report")),
            ItemKind.DISCUSSION: str(gettext("Discussion")),
            ItemKind.VOTE: str(gettext("Vote")),
        },
        kind,
    )


def action_status_name(status: ActionStatus) -> str:
    """An action item's status: 未开始 / 进行中 / 已完成 / 已逾期."""
    return _words(
        {
            ActionStatus.NOT_STARTED: str(gettext("Not started")),
            ActionStatus.IN_PROGRESS: str(gettext("In progress")),
            ActionStatus.DONE: str(gettext("Completed")),
            ActionStatus.OVERDUE: str(gettext("Overdue")),
        },
        status,
    )


def verdict_name(passed: bool | None, leaders: Sequence[str], tied: Sequence[str] = ()) -> str:
    """The outcome of a poll in a few words (a choice poll's: those chosen, or a tie)."""
    if passed is None:
        if tied:
            options = str(gettext(", ")).join(tied)
            return str(gettext("Tie: %(options)s (the hall decides)", options=options))
        if not leaders:
            return str(gettext("No ballots"))
        return str(gettext("Most votes: %(options)s", options=", ".join(leaders)))
    return str(gettext("Passed")) if passed else str(gettext("Not passed"))


def field_name(field: str, numbers: dict[str, int]) -> str:
    """What a correction changed, e.g. "Item 2: title" (``numbers``: "item.12" → 2)."""
    owner, _, what = field.rpartition(".")
    if owner == "meeting":
        return {"title": str(gettext("Meeting title")), "venue": str(gettext("Venue"))}.get(
            what, field
        )
    kind, _, _ = owner.partition(".")
    number = numbers.get(owner, 0)
    whose = {
        "item": str(gettext("Item %(number)s", number=number)),
        "poll": str(gettext("Vote %(number)s", number=number)),
        "decision": str(gettext("Decision %(number)s", number=number)),
    }.get(kind, owner)
    part = {
        "title": str(gettext("title")),
        "description": str(gettext("description")),
        "summary": str(gettext("summary")),
        "question": str(gettext("question")),
        "text": str(gettext("wording")),
    }.get(what, what)
    return str(gettext("%(whose)s, %(part)s", whose=whose, part=part))


def override_name(rule: str) -> str:
    """A rule of order the moderator set aside."""
    return _words(
        {
            RefusalCode.MAX_SPEECHES_REACHED: str(
                gettext("A speech beyond the number the rules allow")
            ),
            RefusalCode.ALREADY_WAITING: str(gettext("A second request while one was waiting")),
            OUT_OF_TURN: str(gettext("Out of turn")),
        },
        rule,
    )


def duration(seconds: int) -> str:
    """A duration as m:ss."""
    return f"{seconds // 60}:{seconds % 60:02d}"
