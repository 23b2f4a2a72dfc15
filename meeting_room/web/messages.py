"""Refusals in words: the one place a domain problem becomes a user-facing message.

``MESSAGES`` is the table, one line a problem: its words, lazy (read in the request's language)
and filled with the refusal's parameters by name (one it lacks reads as nothing); or, where the
words depend on more (a number that counts, a choice between sentences, a name to look up), a
function of the parameters, defined above the table. ``describe`` looks a refusal up there.
"""

# One line an entry, however long, so that entries added in parallel branches merge line by line.
# ruff: noqa: E501

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeAlias

from flask_babel import LazyString, format_time, gettext, ngettext
from flask_babel import lazy_gettext as _l

from meeting_room.clock import local
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.words import MeetingStatus

Params = Mapping[str, Any]
Words: TypeAlias = LazyString | Callable[[Params], str]


class _Blank(dict[str, Any]):
    """A refusal's parameters as its words take them: one it lacks reads as nothing."""

    def __missing__(self, key: str) -> str:
        return ""


def describe(refusal: Refusal) -> str:
    """The message for a refusal, in the request's language."""
    words = MESSAGES.get(refusal.problem)
    if words is None:
        return gettext("The request was refused.")
    if isinstance(words, LazyString):
        text = str(words)
        return text % _Blank(refusal.params) if "%(" in text else text
    return words(refusal.params)


# ---- the refusals whose words take more than their parameters by name ----------------------


def _not_open(p: Params) -> str:
    if str(p.get("what", "item")) == "poll":
        if p.get("ended"):
            return gettext("The meeting is closed: a poll cannot open.")
        return gettext("The meeting is not open yet: a poll cannot open.")
    if p.get("ended"):
        return gettext("The meeting is closed: an item cannot start.")
    return gettext("The meeting is not open yet: an item cannot start.")


def _state_change(p: Params) -> str:
    return gettext(
        "The meeting is “%(current)s”: it cannot become “%(wanted)s” now.",
        current=state_name(str(p.get("current", ""))),
        wanted=state_name(str(p.get("wanted", ""))),
    )


def _tries_left(p: Params) -> str:
    return ngettext(
        "The digits do not match. %(num)d try left.",
        "The digits do not match. %(num)d tries left.",
        int(p.get("remaining", 0)),
    )


def _locked(p: Params) -> str:
    until: datetime = p["until"]
    return gettext(
        "Too many wrong tries. Please ask the staff at the desk, or try again after %(time)s.",
        time=format_time(local(until), "HH:mm:ss"),
    )


def _proxy_limit(p: Params) -> str:
    return ngettext(
        "%(name)s already represents %(num)d member, the most this meeting allows.",
        "%(name)s already represents %(num)d members, the most this meeting allows.",
        int(p.get("limit", 1)),
        name=p.get("name", ""),
    )


def _floor_refused(p: Params) -> str:
    if p.get("name"):
        # Refused on someone's behalf (the moderator adding a hand): say who, not "you".
        if p.get("rule") == "max_speeches_reached":
            return ngettext(
                "%(name)s has already spoken %(num)d time on this item, the most the rules allow.",
                "%(name)s has already spoken %(num)d times on this item, the most the rules allow.",
                int(p.get("count", 0)),
                name=p["name"],
            )
        return gettext("%(name)s is already on the list of speakers for this item.", name=p["name"])
    if p.get("rule") == "max_speeches_reached":
        return ngettext(
            "You have already spoken %(num)d time on this item, the most the rules allow.",
            "You have already spoken %(num)d times on this item, the most the rules allow.",
            int(p.get("count", 0)),
        )
    return gettext("You are already on the list of speakers for this item.")


def _confirm_restart(p: Params) -> str:
    if p.get("no_quorum_too"):
        return gettext(
            "“%(title)s” is already finished, and the quorum is not reached. Reopen it for "
            "discussion anyway? This is recorded.",
            title=p.get("title", ""),
        )
    return gettext(
        "“%(title)s” is already finished. Reopen it for discussion? This is recorded.",
        title=p.get("title", ""),
    )


def _timer_refused(p: Params) -> str:
    """A refused timer action in words."""
    words = {
        "already_paused": gettext("The timer is already paused."),
        "already_running": gettext("The timer is already running."),
        "stopped": gettext("This speech has ended."),
        "cuts_into_spoken_time": gettext("That would take away time already spoken."),
    }
    return words.get(str(p.get("code", "")), gettext("The timer cannot do that now."))


def _already_voted(p: Params) -> str:
    channel = channel_name(str(p.get("channel", "")))
    if p.get("name"):
        return gettext(
            "%(name)s has already voted (%(channel)s). Each person votes once.",
            name=p["name"],
            channel=channel,
        )
    return gettext("You have already voted (%(channel)s). Each person votes once.", channel=channel)


def _later_ballot_counts(p: Params) -> str:
    return gettext(
        "A later vote (%(channel)s) counts: in a named vote the latest one counts.",
        channel=channel_name(str(p.get("channel", ""))),
    )


def _owners_left_out(p: Params) -> str:
    return gettext(
        "This meeting is open to %(groups)s only, which leaves owners out: a vote under "
        "Civil Code art. 278 counts every owner. Open the meeting to all owners, or "
        "choose another rule.",
        groups=gettext(", ").join(p.get("groups", [])),
    )


def _escalation_order(p: Params) -> str:
    if p.get("expected"):
        return gettext(
            "The steps go in order (reminder, interview, report to the street office): "
            "the next step for this action is “%(expected)s”.",
            expected=escalation_name(str(p.get("expected", ""))),
        )
    return gettext("Every escalation step was already taken for this action.")


def _too_many_tries(p: Params) -> str:
    return gettext(
        "Too many wrong tries. Please wait %(minutes)d minutes and try again.",
        minutes=int(p.get("minutes", 5)),
    )


def _weak_password(p: Params) -> str:
    return gettext("The password must have at least %(num)d characters.", num=int(p.get("min", 10)))


def _photo_too_large(p: Params) -> str:
    return gettext(
        "This photo has %(pixels)s million pixels; at most %(limit)s million can be read. "
        "Please take it again at a lower resolution.",
        pixels=p.get("pixels", "?"),
        limit=p.get("limit", "?"),
    )


def _too_many_connections(p: Params) -> str:
    if p.get("per") == "token":
        return gettext(
            "This personal page is already open on %(num)d screens. "
            "Please close it elsewhere, then reload this page.",
            num=int(p.get("limit", 0)),
        )
    return gettext(
        "The hall's box has too many connections from this network right now. "
        "Please wait a moment; the page will connect again by itself."
    )


def _period_state_refused(p: Params) -> str:
    return gettext(
        "The voting period cannot do this now: %(state)s.",
        state=_period_state(str(p.get("state", ""))),
    )


def _no_owner_key(p: Params) -> str:
    return gettext(
        "The roster does not say who owns %(count)s units (%(units)s): several units "
        "of one buyer count as one owner, so the count needs the owner_key column. "
        "Import the roster with it, or confirm counting each such unit as its own "
        "owner.",
        count=p.get("count", 0),
        units=p.get("units", ""),
    )


def _too_many_matters(p: Params) -> str:
    return gettext(
        "A paper ballot holds at most %(num)d matters: this period has more.",
        num=int(p.get("most", 0)),
    )


def _review_decided(p: Params) -> str:
    return gettext("This mark was already decided by %(name)s.", name=p.get("by", ""))


def _period_state(state: str) -> str:
    words = {
        "draft": gettext("it has not opened yet"),
        "open": gettext("voting is still open"),
        "closed": gettext("it is closed"),
        "closed_paper_only": gettext(
            "collection has closed; only paper ballots from the sealed box are still counted, "
            "until the preliminary result is published"
        ),
        "counting_over": gettext(
            "the preliminary result is published, so the count is over and no ballot, paper or "
            "other, is counted any more"
        ),
        "preliminary": gettext("the preliminary result is published"),
        "final": gettext("the final result is published"),
        "objections_open": gettext("some objections have no answer yet"),
        "window_open": gettext("the objection window has not ended"),
    }
    return words.get(state, state)


# ---- the table ---------------------------------------------------------------------------------

# fmt: off
MESSAGES: dict[Problem, Words] = {
    # Meetings, their preparation and their states
    Problem.MEETING_NOT_FOUND: _l("This meeting does not exist."),
    Problem.MEETING_CLOSED: _l("The meeting %(title)s has ended."),
    Problem.MEETING_STARTED: _l("The meeting %(title)s has already begun: its preparation can no longer change."),
    Problem.MEETING_NOT_OPEN: _not_open,
    Problem.MEETING_STATE: _state_change,
    Problem.OPEN_WITHOUT_QUORUM: _l("The quorum is not met. Confirm to open the meeting without it: your confirmation is recorded."),
    Problem.CLOSE_WITH_RUNNING: _l("A poll or an item is still running. Confirm to end it and close the meeting: the reason is recorded."),
    Problem.BAD_CALENDAR_DAY: _l("%(day)s is not in the hall's calendar."),
    # Signing in, proxies, guests, personal codes
    Problem.MEMBER_NOT_FOUND: _l("This person is not on the roster."),
    Problem.WRONG_PHONE_TAIL: _tries_left,
    Problem.LOCKED: _locked,
    Problem.NOT_SIGNED_IN: _l("%(name)s has not signed in."),
    Problem.REPRESENTED_BY_PROXY: _l("%(name)s is represented by a proxy."),
    Problem.ALREADY_PRESENT: _l("%(name)s is here in person and cannot be represented by a proxy."),
    Problem.PROXY_IS_REPRESENTED: _l("%(name)s is already part of a proxy arrangement; a proxy cannot be passed on."),
    Problem.PROXY_IS_SELF: _l("A member cannot be their own proxy."),
    Problem.PROXY_LIMIT: _proxy_limit,
    Problem.PROXY_NAME_REQUIRED: _l("Please give the proxy's name."),
    Problem.NOT_A_PROXY: _l("This attendance is not a proxy."),
    Problem.GUEST_NAME_REQUIRED: _l("Please give your name."),
    Problem.TOKEN_UNKNOWN: _l("This personal code is not valid (signed out, or replaced by a newer one). Please ask the staff."),
    Problem.BAD_QUORUM_RULE: _l("The quorum %(value)s is not a share such as 2/3."),
    Problem.INVALID_INPUT: _l("Some of the information is missing or not valid: %(detail)s"),
    # The agenda and the floor
    Problem.ITEM_NOT_FOUND: _l("This agenda item does not exist."),
    Problem.ITEM_STARTED: _l("The item %(title)s has already been under discussion: it stays on the agenda."),
    Problem.ROSTER_NOT_CHECKED: _l("This roster file is no longer waiting to be imported (another file was checked since, or it was imported already): check the file again."),
    Problem.NO_ACTIVE_ITEM: _l("No agenda item is under discussion right now."),
    Problem.FLOOR_REFUSED: _floor_refused,
    Problem.MANDATE_NOT_CHECKED: _l("The written mandate of %(name)s has not been checked yet: a proxy may ask for the floor and vote once the clerk has accepted it."),
    Problem.CONFIRM_NO_QUORUM: _l("The quorum is not reached. Start “%(title)s” anyway? This is recorded."),
    Problem.CONFIRM_RESTART: _confirm_restart,
    Problem.UNDO_EXPIRED: _l("Too late to undo: the speech ended more than 10 seconds ago, or someone has spoken since."),
    Problem.REQUEST_NOT_FOUND: _l("This request for the floor is no longer waiting."),
    Problem.QUEUE_EMPTY: _l("Nobody is waiting to speak."),
    Problem.NO_SPEECH: _l("Nobody is speaking."),
    Problem.TIMER_REFUSED: _timer_refused,
    # Votes (Civil Code art. 278: the owners decide)
    Problem.POLL_NOT_FOUND: _l("This vote does not exist."),
    Problem.POLL_NOT_DRAFT: _l("This vote has already been opened."),
    Problem.POLL_NOT_OPEN: _l("This vote is not open."),
    Problem.POLL_CLOSED: _l("Voting has closed; ballots are no longer accepted."),
    Problem.POLL_NOT_CLOSED: _l("The vote must be closed before its result is published."),
    Problem.NOT_ELIGIBLE_TO_VOTE: _l("You are not among those who may vote on this question."),
    Problem.NOT_PRESENT_AT_OPENING: _l("Only those present when the vote opened may vote on this question."),
    Problem.ANOTHER_POLL_OPEN: _l("Another vote is open (%(question)s). Close it first."),
    Problem.ALREADY_VOTED: _already_voted,
    Problem.BAD_CHOICE: _l("Please choose among the options shown."),
    Problem.LATER_BALLOT_COUNTS: _later_ballot_counts,
    Problem.ART278_OWNERS_ONLY: _l("A vote under Civil Code art. 278 is decided by the owners: choose “Owners only” as who may vote (tenants, property staff and others do not vote on it)."),
    Problem.ART278_OWNERS_LEFT_OUT: _owners_left_out,
    Problem.ART278_NO_OWNERS: _l("The roster has no owners: a vote under Civil Code art. 278 cannot be held."),
    Problem.CARD_TAKEN: _l("Card %(number)s is already held by someone else."),
    Problem.BAD_PHOTO: _l("This file is not a photo that can be read."),
    Problem.TICKET_EXPIRED: _l("This voting session has expired. Please start again."),
    # Follow-up: decisions, the action list, ratings, surveys; the minutes
    Problem.DECISION_NOT_FOUND: _l("This decision does not exist."),
    Problem.ACTION_NOT_FOUND: _l("This item of the action list does not exist."),
    Problem.ACTION_NOT_DONE: _l("“%(title)s” is not completed yet; it can be rated once it is done."),
    Problem.ALREADY_RATED: _l("You have already rated “%(title)s”: each resident rates an action once."),
    Problem.NOT_OVERDUE: _l("This action is not overdue: escalation is for work past its deadline."),
    Problem.ESCALATION_OUT_OF_ORDER: _escalation_order,
    Problem.REPORT_ITEM_STAYS: _l("“%(title)s” is made from the action list: overdue and lately completed work is reported at the next meeting, so this item stays on the agenda."),
    Problem.SURVEY_NOT_FOUND: _l("This satisfaction survey does not exist."),
    Problem.SURVEY_NOT_OPEN: _l("This satisfaction survey is not open for answers now."),
    Problem.ALREADY_ANSWERED: _l("You have already answered this survey: each resident answers once."),
    Problem.NOTHING_CHANGED: _l("The new text is the same as the old one; nothing was changed."),
    Problem.NOT_CORRECTABLE: _l("“%(field)s” is not a text of these minutes that can be corrected."),
    Problem.DEADLINE_PASSED: _l("The deadline %(deadline)s has already passed: choose today or a later day."),
    Problem.NOT_A_CARD: _l("This code is neither a resident card nor a sign-in slip of Yishi. Please scan the QR code on your card or slip."),
    # A write the database could not take: nothing was saved, staff must act
    Problem.STORAGE_FULL: _l("The storage is full: what you just did was not saved. Please ask the staff to free space on the hall's box, then try again."),
    Problem.STORAGE_READ_ONLY: _l("The database is read-only: what you just did was not saved. Please ask the staff to check the hall's box, then try again."),
    Problem.STORAGE_FAILED: _l("The database could not be written (a disk error): what you just did was not saved. Please ask the staff, then try again."),
    # Logins, pairing and roles
    Problem.LOGIN_REQUIRED: _l("Please log in with a staff account first."),
    Problem.FORBIDDEN: _l("Your account or device may not do this. It needs: %(roles)s."),
    Problem.DEVICE_NOT_PAIRED: _l("This screen is not paired with the hall's box. Ask the clerk for a pairing code, or log in as staff."),
    Problem.LOGIN_FAILED: _l("The user name or the password is wrong."),
    Problem.TOO_MANY_TRIES: _too_many_tries,
    Problem.PAIRING_FAILED: _l("This pairing code is wrong or has expired. Ask the clerk for a new one."),
    Problem.CSRF_FAILED: _l("This page has expired. Please reload it and try again."),
    Problem.WEAK_PASSWORD: _weak_password,
    Problem.ACCOUNT_EXISTS: _l("There is already an account named %(name)s."),
    Problem.ACCOUNT_NOT_FOUND: _l("There is no account named %(name)s."),
    Problem.DEVICE_NOT_FOUND: _l("This device is not on the list of paired devices."),
    Problem.LAST_ADMIN: _l("%(name)s is the last active administrator: create or enable another administrator first."),
    Problem.OWN_ACCOUNT: _l("You cannot disable your own account."),
    Problem.READ_ALOUD_BUSY: _l("Too much to read aloud at once. Please wait a moment."),
    # The box's doors: drafts, oversized files, too many sockets
    Problem.MINUTES_NOT_PUBLISHED: _l("The minutes of this meeting are not published yet. Staff can read the draft after logging in."),
    Problem.PHOTO_TOO_LARGE: _photo_too_large,
    Problem.TOO_MANY_CONNECTIONS: _too_many_connections,
    # Residents' topics and their co-signing (议题征集)
    Problem.TOPIC_NOT_FOUND: _l("This topic does not exist."),
    Problem.TOPIC_DECIDED: _l("The topic “%(title)s” has already been reviewed: it takes no more signatures or changes."),
    Problem.TOPIC_ALREADY_SIGNED: _l("%(name)s, you already support “%(title)s”: each person signs a topic once."),
    Problem.TOPIC_OUTSIDE_SCOPE: _l("“%(title)s” concerns the households of %(scope)s only: your household is not among them."),
    Problem.TOPIC_MERGE_ITSELF: _l("A topic cannot be merged into itself or into a merged topic."),
    Problem.TOPIC_REASON_REQUIRED: _l("Please write the reason: it is published on the notice board."),
    Problem.TOPIC_SCOPE_UNKNOWN: _l("No household of the roster lives in %(scope)s: please choose the building or unit again."),
    Problem.TOPIC_BELOW_THRESHOLD: _l("“%(title)s” has not reached its co-signing threshold yet. Confirm to accept it all the same (a matter that must be consulted on, the office's own): write why in the reason."),
    Problem.CATEGORY_NOT_FOUND: _l("This category of the topic library does not exist."),
    Problem.CATEGORY_EXISTS: _l("The topic library already has a category “%(name)s”."),
    # An owners' assembly's voting period (assembly.service)
    Problem.PERIOD_NOT_FOUND: _l("This voting period does not exist."),
    Problem.PERIOD_STATE: _period_state_refused,
    Problem.PERIOD_NO_OWNER_KEY: _no_owner_key,
    Problem.PERIOD_TWO_AREAS: _l("The roster gives one unit two different areas (%(units)s): correct the roster; a unit's area is the one in the property register."),
    Problem.PERIOD_NO_MATTERS: _l("Add at least one matter to put to the owners."),
    Problem.PERIOD_BAD_TIMES: _l("The voting period must close after it opens."),
    Problem.UNIT_NOT_FOUND: _l("This unit is not in the voting period's base."),
    Problem.UNIT_ALREADY_VOTED: _l("This unit has already voted on this matter."),
    Problem.OBJECTION_NOT_FOUND: _l("This objection does not exist."),
    Problem.OBJECTION_WINDOW_CLOSED: _l("The objection window has ended: objections are no longer taken."),
    Problem.OWNER_NOT_MATCHED: _l("The digits do not match an owner of this unit on the roster. Check them, or ask the clerk to write down your objection."),
    # Paper ballots: printing, delivery, scans and reviews
    Problem.PAPER_TOO_MANY_MATTERS: _too_many_matters,
    Problem.PAPER_BALLOT_NOT_FOUND: _l("There is no such paper ballot in this voting period."),
    Problem.PAPER_REVIEW_NOT_FOUND: _l("There is no such mark to review in this voting period."),
    Problem.PAPER_REVIEW_DECIDED: _review_decided,
    Problem.PAPER_NOT_AN_IMAGE: _l("“%(name)s” is not a photo or a scan (JPEG, PNG, WebP)."),
}
# fmt: on


# ---- names the screens share ---------------------------------------------------------------------


def channel_name(channel: str) -> str:
    """A ballot channel in words."""
    names: dict[str, str] = {
        "phone": gettext("by phone"),
        "booth": gettext("at the voting booth"),
        "card": gettext("with a paper card"),
        "assisted": gettext("with the help of staff"),
    }
    return names.get(channel, channel)


def state_name(status: str) -> str:
    """A meeting's state in words (the badge every screen shows)."""
    names: dict[str, str] = {
        MeetingStatus.DRAFT: gettext("Draft (not posted)"),
        MeetingStatus.ANNOUNCED: gettext("Posted, not yet open"),
        MeetingStatus.OPEN: gettext("Meeting open"),
        MeetingStatus.CLOSED: gettext("Meeting closed"),
        MeetingStatus.MINUTES_PUBLISHED: gettext("Minutes published"),
    }
    return str(names.get(status, status))


def escalation_name(step: str) -> str:
    """An escalation step's name as the hall says it (提醒, 约谈, 上报街道)."""
    names = {
        "remind": gettext("Reminder"),
        "interview": gettext("Interview"),
        "report_street": gettext("Reported to the street office"),
    }
    return str(names.get(step, step))
