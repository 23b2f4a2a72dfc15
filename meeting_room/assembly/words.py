"""A voting period's words in the current language: its states, the matters of art. 278, the
channels, and each matter's result with the full explanation of the law, in sentences (the
board, the projector, the clerk's screens and the notices say the same)."""

from __future__ import annotations

from typing import Any

from meeting_room.domain.assembly import Channel, MatterKind, PeriodState, item_number, rule_for
from meeting_room.domain.counting import Rule
from meeting_room.voting.words import explain
from meeting_room.web.words import gettext, named, ngettext


def state_name(state: str) -> str:
    """The period's state as the hall says it."""
    return named(
        state,
        {
            PeriodState.DRAFT: gettext("Being prepared"),
            PeriodState.OPEN: gettext("Voting period open"),
            PeriodState.CLOSED: gettext("Closed, being counted"),
            PeriodState.PRELIMINARY: gettext("Preliminary result published: objection window"),
            PeriodState.FINAL: gettext("Final result published"),
        },
    )


def matter_name(kind: str) -> str:
    """The art. 278 para. 1 item, with its number."""
    names: dict[str, str] = {
        MatterKind.RULES_OF_PROCEDURE: gettext(
            "making or amending the rules of procedure of the owners' assembly"
        ),
        MatterKind.MANAGEMENT_STATUTE: gettext("making or amending the management statute"),
        MatterKind.COMMITTEE: gettext("electing the owners' committee or replacing its members"),
        MatterKind.PROPERTY_MANAGER: gettext(
            "engaging or dismissing the property service company or another manager"
        ),
        MatterKind.FUND_USE: gettext("using the maintenance fund of the building"),
        MatterKind.FUND_RAISING: gettext("raising the maintenance fund of the building"),
        MatterKind.REBUILDING: gettext("rebuilding or reconstructing the building"),
        MatterKind.COMMON_PARTS_USE: gettext(
            "changing the use of common parts or running a business on them"
        ),
        MatterKind.OTHER: gettext("other major matters of joint ownership and management"),
    }
    if kind not in names:
        return kind
    return gettext(
        "item %(number)s: %(matter)s", number=item_number(MatterKind(kind)), matter=names[kind]
    )


def art278_matters() -> list[tuple[str, str, str]]:
    """The matters of art. 278 para. 1 in order, each as (its rule, its kind, its name with its
    number): what a poll form offers and what the staff screens and the wall call a poll's
    matter."""
    return [(rule_for(kind).value, kind.value, matter_name(kind)) for kind in MatterKind]


def channel_name(channel: str) -> str:
    """How a unit's ballot came."""
    return named(
        channel,
        {
            Channel.PHONE: gettext("phone"),
            Channel.BOOTH: gettext("voting booth"),
            Channel.CARD: gettext("paper card"),
            Channel.ASSISTED: gettext("assisted"),
            Channel.PROXY: gettext("proxy"),
            Channel.PAPER: gettext("paper ballot"),
            Channel.OFFICE: gettext("at the office"),
        },
    )


def delivery_name(delivery: str | None) -> str:
    """How a paper ballot reached its unit (入户送达), or that it has not yet."""
    return named(
        delivery,
        {
            "handed": gettext("Handed to the owner"),
            "left": gettext("Left at the door"),
            "refused": gettext("Refused"),
            None: gettext("Not delivered yet"),
        },
    )


def rule_words(rule: str) -> str:
    """What a matter needs, in words (Civil Code art. 278 para. 2)."""
    if rule == Rule.ART278_MAJOR:
        return gettext(
            "a major matter (items 6 to 8): at least 3/4 of the participating area and at "
            "least 3/4 of the participating owners in favour"
        )
    return gettext(
        "an ordinary matter: more than half of the participating area and more than half of "
        "the participating owners in favour"
    )


def law_sentences() -> list[str]:
    """How the count is made, as the notice explains it."""
    return [
        gettext(
            "Under Civil Code art. 278, a decision needs owners holding at least 2/3 of the "
            "exclusive area and at least 2/3 of the owners by number to take part."
        ),
        gettext(
            "Raising the maintenance fund, rebuilding or reconstructing, and changing the use "
            "of common parts or running a business on them need at least 3/4 of the "
            "participating area and owners in favour; every other matter, using the fund "
            "included, needs more than half of each."
        ),
        gettext(
            "The area is each unit's exclusive area in the property register; owners are "
            "counted by exclusive unit, one unit one person; several units of one buyer count "
            "as one person, and so do the developer's unsold or undelivered units (法释〔2009〕7号 "
            "arts. 8 and 9). Co-owners of a unit cast one ballot."
        ),
        gettext("An abstention takes part and does not approve."),
    ]


def matter_sentences(matter: dict[str, Any], count: dict[str, Any]) -> list[str]:
    """One matter's verdict with its clauses, and whatever the hall's settings changed."""
    said = [
        gettext(
            "Matter %(number)s, %(title)s (%(kind)s), is %(rule)s.",
            number=matter["position"],
            title=matter["title"],
            kind=matter_name(matter["kind"]),
            rule=rule_words(matter["rule"]),
        ),
        explain(matter) + gettext("."),
    ]
    if count.get("non_voters_agree"):
        said.append(
            gettext(
                "The rules of procedure of this owners' assembly say that owners who did not "
                "vote count as agreeing (a local rule, not national law): %(units)s units, "
                "%(persons)s owners by number, are counted as agreeing on this matter.",
                units=matter.get("deemed_units", 0),
                persons=matter.get("deemed_persons", 0),
            )
        )
    if matter.get("split_persons"):
        said.append(
            ngettext(
                "%(num)s owner's units voted differently: they count once by number, as "
                "taking part and not in favour; each unit's area follows its own ballot.",
                "%(num)s owners' units voted differently: each counts once by number, as "
                "taking part and not in favour; each unit's area follows its own ballot.",
                int(matter["split_persons"]),
            )
        )
    return said


def base_sentences(count: dict[str, Any]) -> list[str]:
    """The base and the participation, and a base the clerk had to complete."""
    said = [
        gettext(
            "The base fixed at opening: %(units)s exclusive units, %(persons)s owners by "
            "number, %(area)s m² of exclusive area; %(voted)s units (%(heads)s owners) took "
            "part.",
            units=count["units"],
            persons=count["persons"],
            area=count["total_area_text"],
            voted=count["turnout_units"],
            heads=count["turnout_heads"],
        )
    ]
    if count.get("owners_assumed"):
        said.append(
            gettext(
                "The roster did not say who owns %(num)s units: the clerk confirmed counting "
                "each of them as its own owner.",
                num=count["owners_assumed"],
            )
        )
    return said
