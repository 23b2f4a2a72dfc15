"""A verification's flaws in words (the current language): one sentence each, naming the row,
the figure or the hash and both values. ``records.verify_words`` says the checks around them."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext

from meeting_room.records.verify_report import Finding, Flaw
from meeting_room.records.words import option_name


def _(message: str, **values: object) -> str:
    return str(gettext(message, **values))


def _figure(what: str, option: str) -> str:
    named = option_name(option)
    return {
        "cast": _("ballots cast"),
        "passed": _("whether it passed"),
        "eligible": _("members with a vote"),
        "present": _("present when it opened"),
        "chosen": _("options chosen"),
        "headcount": _("votes for %(option)s", option=named),
        "area": _("area for %(option)s", option=named),
        "weight": _("weight for %(option)s", option=named),
    }.get(what, what)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(option_name(str(v)) for v in value) or "—"
    return "—" if value is None else str(value)


def _reason(reason: str) -> str:
    return {
        "missing entry": _("an entry is missing"),
        "hash mismatch": _("its hash does not match"),
        "entries removed after the last one shown": _("entries were removed at the end"),
        "redacted by no later purge": _("redacted by no later purge"),
        "redacted by no purge": _("redacted by no purge"),
        "redacted entries do not match their purge": _("redacted entries do not match their purge"),
    }.get(reason, reason)


def finding_text(finding: Finding) -> str:
    """One flaw in a sentence."""
    p = finding.params
    match finding.flaw:
        case Flaw.CHAIN_BROKEN:
            return _(
                "BROKEN at entry %(seq)s (%(reason)s)", seq=p["seq"], reason=_reason(p["reason"])
            )
        case Flaw.ANCHOR_UNREADABLE:
            return _(
                "“%(text)s” is not an anchor: type the hash printed on the minutes or shown on "
                "the projector (at least its first 16 characters)",
                text=p["text"],
            )
        case Flaw.ANCHOR_NOT_FOUND:
            return _(
                "NOT FOUND: no entry of this box's log has the hash %(hash)s…: the log was "
                "rewritten or cut after this anchor was printed",
                hash=p["prefix"],
            )
        case Flaw.ROW_NOT_IN_LOG:
            return _("%(row)s is not in the audit log: it was added behind the app", row=p["row"])
        case Flaw.ROW_DELETED_IN_LOG:
            return _(
                "%(row)s is still here, but the audit log deleted it (entry %(seq)s)",
                row=p["row"],
                seq=p["seq"],
            )
        case Flaw.ROW_MISSING:
            return _(
                "%(row)s is missing: the audit log (entry %(seq)s) says it exists",
                row=p["row"],
                seq=p["seq"],
            )
        case Flaw.VALUE_DIFFERS:
            return _(
                "%(row)s: %(field)s is %(now)s, the audit log (entry %(seq)s) says %(logged)s",
                row=p["row"],
                field=p["field"],
                now=_value(p["now"]),
                logged=_value(p["logged"]),
                seq=p["seq"],
            )
        case Flaw.LIST_BROKEN:
            return _("ballot list: BROKEN at line %(line)s", line=p["line"])
        case Flaw.FINAL_HASH_NOT_AUDITED:
            return _(
                "final hash %(now)s is not the one the audit log holds from its closing: "
                "%(logged)s (entry %(seq)s)",
                now=_value(p["now"]),
                logged=_value(p["logged"]),
                seq=p["seq"],
            )
        case Flaw.FINAL_HASH_NOT_SEALED:
            return _(
                "final hash %(now)s is not the one sealed at closing: %(logged)s (entry %(seq)s)",
                now=_value(p["now"]),
                logged=_value(p["logged"]),
                seq=p["seq"],
            )
        case Flaw.FINAL_HASH_NOT_PURGED:
            return _(
                "final hash %(now)s is not the one its purge sealed: %(logged)s",
                now=_value(p["now"]),
                logged=_value(p["logged"]),
            )
        case Flaw.BASE_NOT_SEALED:
            return _(
                "the members with a vote (%(now)s) are not those logged when it opened "
                "(%(logged)s, entry %(seq)s): an area, a weight or a presence was changed",
                now=p["now"],
                logged=_value(p["logged"]),
                seq=p["seq"],
            )
        case Flaw.BALLOTS_INVALID if "reason" in p:
            return _(
                "the ballots do not fit the members with a vote: %(reason)s", reason=p["reason"]
            )
        case Flaw.BALLOTS_INVALID:
            return _(
                "ballot %(receipt)s holds %(choices)s: not a valid choice",
                receipt=p["receipt"],
                choices=_value(p["choices"]),
            )
        case Flaw.BALLOTS_NOT_PARTICIPANTS:
            return _(
                "%(ballots)s ballots, but %(voters)s members recorded as having voted",
                ballots=p["ballots"],
                voters=p["voters"],
            )
        case Flaw.AREA_SUM_DIFFERS:
            return _(
                "the options' %(what)s adds up to %(tallies)s, the voters' to %(voters)s",
                what=_("area") if p["what"] == "area" else _("weight"),
                tallies=p["tallies"],
                voters=p["voters"],
            )
        case _:
            return _comparison(finding)


def _comparison(finding: Finding) -> str:
    p = finding.params
    copy = {
        Flaw.RECOUNT_DIFFERS: _("stored result (as the minutes show it)"),
        Flaw.STORED_TALLY_DIFFERS: _("running tally"),
        Flaw.SEALED_COUNT_DIFFERS: _("count sealed at closing"),
        Flaw.PUBLISHED_DIFFERS: _("minutes sealed by the purge"),
    }[finding.flaw]
    return _(
        "%(copy)s: %(figure)s is %(found)s, the recount from the ballots gives %(recount)s",
        copy=copy,
        figure=_figure(p["what"], p["option"]),
        found=_value(p["found"]),
        recount=_value(p["recount"]),
    )
