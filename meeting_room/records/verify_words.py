"""A verification's report in words (the current language): one title and one verdict per
check, one sentence per flaw. The ``yishi verify`` command and the administrator's page both
say it with these."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import format_datetime, gettext

from meeting_room.clock import local
from meeting_room.records.verify_report import Check, Finding, Flaw, Topic
from meeting_room.records.words import option_name


def _(message: str, **values: object) -> str:
    return str(gettext(message, **values))


def _table_names() -> dict[str, str]:
    return {
        "members": _("Roster"),
        "meetings": _("Meetings"),
        "attendances": _("Sign-ins"),
        "guests": _("Guests"),
        "alerts": _("Clerk desk alerts"),
        "agenda_items": _("Agenda items"),
        "speech_requests": _("Requests for the floor"),
        "speeches": _("Speeches"),
        "rule_overrides": _("Rules set aside"),
        "polls": _("Polls"),
        "poll_participation": _("Who voted"),
        "ballot_changes": _("Changed named votes"),
        "card_assignments": _("Answer cards handed out"),
        "minutes_records": _("Minutes"),
        "item_summaries": _("Item summaries"),
        "minutes_corrections": _("Corrections"),
        "decisions": _("Decisions"),
        "action_items": _("Action list"),
        "action_notes": _("Action notes"),
        "action_ratings": _("Ratings"),
        "staff_accounts": _("Staff accounts"),
        "room_devices": _("Paired devices"),
        "pairing_codes": _("Pairing codes"),
    }


def check_title(check: Check) -> str:
    """What a check is about: "Audit log", "Sign-ins (attendances)", "Vote 3: …"."""
    match check.topic:
        case Topic.LOG:
            return _("Audit log")
        case Topic.ANCHOR:
            return _("Anchor")
        case Topic.TABLE:
            name = _table_names().get(check.subject, check.subject)
            return f"{name} ({check.subject})"
        case _:
            return _(
                "Vote %(id)s: %(question)s",
                id=check.subject,
                question=check.facts.get("question", ""),
            )


def _when(moment: Any) -> str:
    return str(format_datetime(local(moment), "yyyy-MM-dd HH:mm:ss"))


def _recount(check: Check) -> str:
    figures = _(", ").join(
        f"{option_name(option)} {number}"
        for option, number in check.facts.get("recount", {}).items()
    )
    passed = check.facts.get("passed")
    if passed is None:
        return _("recounted from the ballots: %(figures)s", figures=figures)
    verdict = _("passed") if passed else _("not passed")
    return _(
        "recounted from the ballots: %(figures)s, %(verdict)s", figures=figures, verdict=verdict
    )


def check_verdict(check: Check) -> str:
    """The check's outcome in a few words (what was seen when it holds)."""
    if not check.ok:
        return _("BROKEN")
    facts = check.facts
    match check.topic:
        case Topic.LOG:
            return _("intact (%(num)s entries, every hash recomputed)", num=facts["entries"])
        case Topic.ANCHOR if check.skipped:
            return _(
                "not checked: give a hash printed on the minutes or shown on the projector "
                "to prove the log was not rewritten before it"
            )
        case Topic.ANCHOR:
            return _(
                "matches entry %(seq)s of %(time)s: the log up to it is the one that was "
                "printed (%(after)s entries were added after it)",
                seq=facts["seq"],
                time=_when(facts["at"]),
                after=facts["after"],
            )
        case Topic.TABLE:
            return _("agrees with the audit log (%(num)s rows)", num=facts["rows"])
        case _:
            sealed = (
                _("final hash as audited and sealed at closing")
                if facts.get("sealed")
                else _("final hash as audited at closing")
            )
            if facts.get("purged"):
                sealed = _("holders purged: final hash as sealed by the purge")
            return _("intact: %(recount)s; %(sealed)s", recount=_recount(check), sealed=sealed)


def _figure(what: str, option: str) -> str:
    named = option_name(option)
    return {
        "cast": _("ballots cast"),
        "passed": _("whether it passed"),
        "eligible": _("members with a vote"),
        "present": _("present when it opened"),
        "leaders": _("options with most votes"),
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


@dataclass(frozen=True)
class Said:
    """One check in words: its title, its verdict and its flaws, with what the page marks."""

    ok: bool
    skipped: bool
    topic: str
    title: str
    verdict: str
    flaws: list[str]

    @property
    def line(self) -> str:
        """Title and verdict on one line (the command's output)."""
        return _("%(title)s: %(verdict)s", title=self.title, verdict=self.verdict)


def report_words(checks: list[Check]) -> list[Said]:
    """Every check of a report in words, in order."""
    said = []
    for check in checks:
        flaws = [finding_text(f) for f in check.findings]
        if check.more:
            flaws.append(_("… and %(num)s more", num=check.more))
        said.append(
            Said(
                check.ok,
                check.skipped,
                check.topic.value,
                check_title(check),
                check_verdict(check),
                flaws,
            )
        )
    return said
