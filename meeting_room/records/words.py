"""The words of the records (minutes, action list, exports) in the current language.

One place for the HTML minutes, the PDF, the board and the spreadsheets. Most words are the
floor's and the polls' own (the same English msgids, so the same Chinese).
"""

from __future__ import annotations

from flask_babel import gettext


def _words(table: dict[str, str], key: str) -> str:
    return table.get(key, key)


def stance_name(stance: str, kind: str = "speech") -> str:
    """A speaker's stance, or "point of order"."""
    if kind == "point_of_order":
        return str(gettext("Point of order"))
    return _words(
        {
            "for": str(gettext("For")),
            "against": str(gettext("Against")),
            "neutral": str(gettext("Question / neutral")),
        },
        stance,
    )


def option_name(option: str) -> str:
    """A yes/no option in words (the options of a choice poll are their own words)."""
    return _words(
        {
            "for": str(gettext("For")),
            "against": str(gettext("Against")),
            "abstain": str(gettext("Abstain")),
        },
        option,
    )


def rule_name(rule: str) -> str:
    """How a poll is decided."""
    return _words(
        {
            "simple_majority": str(gettext("Simple majority of ballots cast")),
            "majority_present": str(gettext("Majority of those present")),
            "two_thirds_present": str(gettext("Two thirds of those present")),
            "art278_ordinary": str(gettext("Civil Code art. 278: ordinary matters")),
            "art278_major": str(gettext("Civil Code art. 278: major matters")),
        },
        rule,
    )


def weighting_name(weighting: str) -> str:
    """What a ballot weighs."""
    return _words(
        {
            "headcount": str(gettext("One vote per person")),
            "area": str(gettext("By exclusive floor area")),
            "custom": str(gettext("By the weight in the roster")),
        },
        weighting,
    )


def secrecy_name(secret: bool) -> str:
    """Secret ballot or named vote."""
    return str(gettext("Secret ballot")) if secret else str(gettext("Named vote"))


def item_kind_name(kind: str) -> str:
    """What an agenda item is for."""
    return _words(
        {
            "report": str(gettext("Report")),
            "discussion": str(gettext("Discussion")),
            "vote": str(gettext("Vote")),
        },
        kind,
    )


def action_status_name(status: str) -> str:
    """An action item's status: 未开始 / 进行中 / 已完成 / 已逾期."""
    return _words(
        {
            "not_started": str(gettext("Not started")),
            "in_progress": str(gettext("In progress")),
            "done": str(gettext("Completed")),
            "overdue": str(gettext("Overdue")),
        },
        status,
    )


def verdict_name(passed: bool | None, leaders: list[str]) -> str:
    """The outcome of a poll in a few words."""
    if passed is None:
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
            "max_speeches_reached": str(gettext("A speech beyond the number the rules allow")),
            "already_waiting": str(gettext("A second request while one was waiting")),
            "out_of_turn": str(gettext("Out of turn")),
        },
        rule,
    )


def duration(seconds: int) -> str:
    """A duration as m:ss."""
    return f"{seconds // 60}:{seconds % 60:02d}"
