"""A verification's report in words (the current language): one title and one verdict per
check, with its flaws (``records.verify_flaws``). The ``yishi verify`` command and the
administrator's page both say it with ``report_words``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import format_datetime, gettext

from meeting_room.clock import local
from meeting_room.records.verify_flaws import finding_text
from meeting_room.records.verify_report import Check, Topic
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
