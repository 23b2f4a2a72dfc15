"""Refusals in words: the one place a domain problem becomes a user-facing message."""

from __future__ import annotations

from datetime import datetime

from flask_babel import format_time, gettext, ngettext

from meeting_room.clock import local
from meeting_room.domain.problems import TOPIC_PROBLEMS, Problem, Refusal
from meeting_room.domain.words import MeetingStatus


def describe(refusal: Refusal) -> str:
    """The message for a refusal, in the request's language."""
    p = refusal.params
    match refusal.problem:
        case Problem.MEETING_NOT_FOUND:
            return gettext("This meeting does not exist.")
        case Problem.MEETING_CLOSED:
            return gettext("The meeting %(title)s has ended.", title=p.get("title", ""))
        case Problem.MEETING_STARTED:
            return gettext(
                "The meeting %(title)s has already begun: its preparation can no longer change.",
                title=p.get("title", ""),
            )
        case Problem.MEETING_NOT_OPEN:
            return _not_open(str(p.get("what", "item")), bool(p.get("ended")))
        case Problem.MEETING_STATE:
            return gettext(
                "The meeting is “%(current)s”: it cannot become “%(wanted)s” now.",
                current=state_name(str(p.get("current", ""))),
                wanted=state_name(str(p.get("wanted", ""))),
            )
        case Problem.OPEN_WITHOUT_QUORUM:
            return gettext(
                "The quorum is not met. Confirm to open the meeting without it: your "
                "confirmation is recorded."
            )
        case Problem.CLOSE_WITH_RUNNING:
            return gettext(
                "A poll or an item is still running. Confirm to end it and close the meeting: "
                "the reason is recorded."
            )
        case Problem.BAD_CALENDAR_DAY:
            return gettext("%(day)s is not in the hall's calendar.", day=p.get("day", ""))
        case Problem.MEMBER_NOT_FOUND:
            return gettext("This person is not on the roster.")
        case Problem.WRONG_PHONE_TAIL:
            return ngettext(
                "The digits do not match. %(num)d try left.",
                "The digits do not match. %(num)d tries left.",
                int(p.get("remaining", 0)),
            )
        case Problem.LOCKED:
            until: datetime = p["until"]
            return gettext(
                "Too many wrong tries. Please ask the staff at the desk, "
                "or try again after %(time)s.",
                time=format_time(local(until), "HH:mm:ss"),
            )
        case Problem.NOT_SIGNED_IN:
            return gettext("%(name)s has not signed in.", name=p.get("name", ""))
        case Problem.REPRESENTED_BY_PROXY:
            return gettext("%(name)s is represented by a proxy.", name=p.get("name", ""))
        case Problem.ALREADY_PRESENT:
            return gettext(
                "%(name)s is here in person and cannot be represented by a proxy.",
                name=p.get("name", ""),
            )
        case Problem.PROXY_IS_REPRESENTED:
            return gettext(
                "%(name)s is already part of a proxy arrangement; a proxy cannot be passed on.",
                name=p.get("name", ""),
            )
        case Problem.PROXY_IS_SELF:
            return gettext("A member cannot be their own proxy.")
        case Problem.PROXY_LIMIT:
            return ngettext(
                "%(name)s already represents %(num)d member, the most this meeting allows.",
                "%(name)s already represents %(num)d members, the most this meeting allows.",
                int(p.get("limit", 1)),
                name=p.get("name", ""),
            )
        case Problem.PROXY_NAME_REQUIRED:
            return gettext("Please give the proxy's name.")
        case Problem.NOT_A_PROXY:
            return gettext("This attendance is not a proxy.")
        case Problem.GUEST_NAME_REQUIRED:
            return gettext("Please give your name.")
        case Problem.TOKEN_UNKNOWN:
            return gettext(
                "This personal code is not valid (signed out, or replaced by a newer one). "
                "Please ask the staff."
            )
        case Problem.BAD_QUORUM_RULE:
            return gettext(
                "The quorum %(value)s is not a share such as 2/3.", value=p.get("value", "")
            )
        case Problem.INVALID_INPUT:
            return gettext(
                "Some of the information is missing or not valid: %(detail)s",
                detail=p.get("detail", ""),
            )
        case Problem.ITEM_NOT_FOUND:
            return gettext("This agenda item does not exist.")
        case Problem.ITEM_STARTED:
            return gettext(
                "The item %(title)s has already been under discussion: it stays on the agenda.",
                title=p.get("title", ""),
            )
        case Problem.ROSTER_NOT_CHECKED:
            return gettext(
                "This roster file is no longer waiting to be imported (another file was checked "
                "since, or it was imported already): check the file again."
            )
        case Problem.NO_ACTIVE_ITEM:
            return gettext("No agenda item is under discussion right now.")
        case Problem.FLOOR_REFUSED if p.get("name"):
            # Refused on someone's behalf (the moderator adding a hand): say who, not "you".
            if p.get("rule") == "max_speeches_reached":
                return ngettext(
                    "%(name)s has already spoken %(num)d time on this item, the most the rules "
                    "allow.",
                    "%(name)s has already spoken %(num)d times on this item, the most the rules "
                    "allow.",
                    int(p.get("count", 0)),
                    name=p["name"],
                )
            return gettext(
                "%(name)s is already on the list of speakers for this item.", name=p["name"]
            )
        case Problem.FLOOR_REFUSED:
            if p.get("rule") == "max_speeches_reached":
                return ngettext(
                    "You have already spoken %(num)d time on this item, the most the rules allow.",
                    "You have already spoken %(num)d times on this item, the most the rules allow.",
                    int(p.get("count", 0)),
                )
            return gettext("You are already on the list of speakers for this item.")
        case Problem.MANDATE_NOT_CHECKED:
            return gettext(
                "The written mandate of %(name)s has not been checked yet: a proxy may ask for "
                "the floor and vote once the clerk has accepted it.",
                name=p.get("name", ""),
            )
        case Problem.CONFIRM_NO_QUORUM:
            return gettext(
                "The quorum is not reached. Start “%(title)s” anyway? This is recorded.",
                title=p.get("title", ""),
            )
        case Problem.CONFIRM_RESTART if p.get("no_quorum_too"):
            return gettext(
                "“%(title)s” is already finished, and the quorum is not reached. Reopen it for "
                "discussion anyway? This is recorded.",
                title=p.get("title", ""),
            )
        case Problem.CONFIRM_RESTART:
            return gettext(
                "“%(title)s” is already finished. Reopen it for discussion? This is recorded.",
                title=p.get("title", ""),
            )
        case Problem.UNDO_EXPIRED:
            return gettext(
                "Too late to undo: the speech ended more than 10 seconds ago, or someone has "
                "spoken since."
            )
        case Problem.REQUEST_NOT_FOUND:
            return gettext("This request for the floor is no longer waiting.")
        case Problem.QUEUE_EMPTY:
            return gettext("Nobody is waiting to speak.")
        case Problem.NO_SPEECH:
            return gettext("Nobody is speaking.")
        case Problem.TIMER_REFUSED:
            return _timer_refusal(str(p.get("code", "")))
        case Problem.POLL_NOT_FOUND:
            return gettext("This vote does not exist.")
        case Problem.POLL_NOT_DRAFT:
            return gettext("This vote has already been opened.")
        case Problem.POLL_NOT_OPEN:
            return gettext("This vote is not open.")
        case Problem.POLL_CLOSED:
            return gettext("Voting has closed; ballots are no longer accepted.")
        case Problem.POLL_NOT_CLOSED:
            return gettext("The vote must be closed before its result is published.")
        case Problem.NOT_ELIGIBLE_TO_VOTE:
            return gettext("You are not among those who may vote on this question.")
        case Problem.NOT_PRESENT_AT_OPENING:
            return gettext("Only those present when the vote opened may vote on this question.")
        case Problem.ANOTHER_POLL_OPEN:
            return gettext(
                "Another vote is open (%(question)s). Close it first.",
                question=p.get("question", ""),
            )
        case Problem.ALREADY_VOTED if p.get("name"):
            return gettext(
                "%(name)s has already voted (%(channel)s). Each person votes once.",
                name=p["name"],
                channel=channel_name(str(p.get("channel", ""))),
            )
        case Problem.ALREADY_VOTED:
            return gettext(
                "You have already voted (%(channel)s). Each person votes once.",
                channel=channel_name(str(p.get("channel", ""))),
            )
        case Problem.BAD_CHOICE:
            return gettext("Please choose among the options shown.")
        case Problem.LATER_BALLOT_COUNTS:
            return gettext(
                "A later vote (%(channel)s) counts: in a named vote the latest one counts.",
                channel=channel_name(str(p.get("channel", ""))),
            )
        case Problem.ART278_OWNERS_ONLY:
            return gettext(
                "A vote under Civil Code art. 278 is decided by the owners: choose “Owners "
                "only” as who may vote (tenants, property staff and others do not vote on it)."
            )
        case Problem.ART278_OWNERS_LEFT_OUT:
            return gettext(
                "This meeting is open to %(groups)s only, which leaves owners out: a vote under "
                "Civil Code art. 278 counts every owner. Open the meeting to all owners, or "
                "choose another rule.",
                groups=gettext(", ").join(p.get("groups", [])),
            )
        case Problem.ART278_NO_OWNERS:
            return gettext(
                "The roster has no owners: a vote under Civil Code art. 278 cannot be held."
            )
        case Problem.CARD_TAKEN:
            return gettext(
                "Card %(number)s is already held by someone else.", number=p.get("number", "")
            )
        case Problem.BAD_PHOTO:
            return gettext("This file is not a photo that can be read.")
        case Problem.TICKET_EXPIRED:
            return gettext("This voting session has expired. Please start again.")
        case Problem.DECISION_NOT_FOUND:
            return gettext("This decision does not exist.")
        case Problem.ACTION_NOT_FOUND:
            return gettext("This item of the action list does not exist.")
        case Problem.ACTION_NOT_DONE:
            return gettext(
                "“%(title)s” is not completed yet; it can be rated once it is done.",
                title=p.get("title", ""),
            )
        case Problem.ALREADY_RATED:
            return gettext(
                "You have already rated “%(title)s”: each resident rates an action once.",
                title=p.get("title", ""),
            )
        case Problem.NOT_OVERDUE:
            return gettext("This action is not overdue: escalation is for work past its deadline.")
        case Problem.ESCALATION_OUT_OF_ORDER if p.get("expected"):
            return gettext(
                "The steps go in order (reminder, interview, report to the street office): "
                "the next step for this action is “%(expected)s”.",
                expected=escalation_name(str(p.get("expected", ""))),
            )
        case Problem.ESCALATION_OUT_OF_ORDER:
            return gettext("Every escalation step was already taken for this action.")
        case Problem.REPORT_ITEM_STAYS:
            return gettext(
                "“%(title)s” is made from the action list: overdue and lately completed work is "
                "reported at the next meeting, so this item stays on the agenda.",
                title=p.get("title", ""),
            )
        case Problem.SURVEY_NOT_FOUND:
            return gettext("This satisfaction survey does not exist.")
        case Problem.SURVEY_NOT_OPEN:
            return gettext("This satisfaction survey is not open for answers now.")
        case Problem.ALREADY_ANSWERED:
            return gettext("You have already answered this survey: each resident answers once.")
        case Problem.NOTHING_CHANGED:
            return gettext("The new text is the same as the old one; nothing was changed.")
        case Problem.NOT_CORRECTABLE:
            return gettext(
                "“%(field)s” is not a text of these minutes that can be corrected.",
                field=p.get("field", ""),
            )
        case Problem.DEADLINE_PASSED:
            return gettext(
                "The deadline %(deadline)s has already passed: choose today or a later day.",
                deadline=p.get("deadline", ""),
            )
        case Problem.NOT_A_CARD:
            return gettext(
                "This code is neither a resident card nor a sign-in slip of Yishi. "
                "Please scan the QR code on your card or slip."
            )
        case Problem.STORAGE_FULL | Problem.STORAGE_READ_ONLY | Problem.STORAGE_FAILED:
            return storage_refusal(refusal.problem)
        case (
            Problem.LOGIN_REQUIRED
            | Problem.FORBIDDEN
            | Problem.DEVICE_NOT_PAIRED
            | Problem.LOGIN_FAILED
            | Problem.TOO_MANY_TRIES
            | Problem.PAIRING_FAILED
            | Problem.CSRF_FAILED
            | Problem.WEAK_PASSWORD
            | Problem.ACCOUNT_EXISTS
            | Problem.ACCOUNT_NOT_FOUND
            | Problem.DEVICE_NOT_FOUND
            | Problem.LAST_ADMIN
            | Problem.OWN_ACCOUNT
            | Problem.READ_ALOUD_BUSY
        ):
            return _access_refusal(refusal)
        case Problem.MINUTES_NOT_PUBLISHED | Problem.PHOTO_TOO_LARGE | Problem.TOO_MANY_CONNECTIONS:
            return _door_refusal(refusal)
        case problem if problem in TOPIC_PROBLEMS:
            return _topic_refusal(refusal)
        case (
            Problem.PERIOD_NOT_FOUND
            | Problem.PERIOD_STATE
            | Problem.PERIOD_NO_OWNER_KEY
            | Problem.PERIOD_TWO_AREAS
            | Problem.PERIOD_NO_MATTERS
            | Problem.PERIOD_BAD_TIMES
            | Problem.UNIT_NOT_FOUND
            | Problem.UNIT_ALREADY_VOTED
            | Problem.OBJECTION_NOT_FOUND
            | Problem.OBJECTION_WINDOW_CLOSED
            | Problem.OWNER_NOT_MATCHED
        ):
            return _period_refusal(refusal)
        case (
            Problem.PAPER_TOO_MANY_MATTERS
            | Problem.PAPER_BALLOT_NOT_FOUND
            | Problem.PAPER_REVIEW_NOT_FOUND
            | Problem.PAPER_REVIEW_DECIDED
            | Problem.PAPER_NOT_AN_IMAGE
        ):
            return _paper_refusal(refusal)
        case problem if problem.value.startswith("paper_"):
            return _paper_dispute_refusal(refusal)
    return gettext("The request was refused.")


def _paper_dispute_refusal(refusal: Refusal) -> str:
    """Refusals of a typed serial and of the clerk's dispute of a value read."""
    p = refusal.params
    match refusal.problem:
        case Problem.PAPER_SCAN_NOT_FOUND:
            return gettext("There is no such page read in this voting period.")
        case Problem.PAPER_SCAN_NOT_WAITING:
            return gettext("This page does not wait for a serial: it was counted or refused.")
        case Problem.PAPER_SERIAL_TYPED:
            return gettext(
                "“%(typed)s” is not a ballot serial: type the 12 letters and digits printed "
                "under the QR code, and the check character after them.",
                typed=p.get("typed", ""),
            )
        case Problem.PAPER_SERIAL_CHECK:
            return gettext(
                "“%(typed)s”: the check character does not match, so one character is "
                "mistyped. Compare it with the page again.",
                typed=p.get("typed", ""),
            )
        case Problem.PAPER_SERIAL_REFUSED:
            return {
                "unknown": gettext("No ballot of this box has this serial."),
                "wrong_period": gettext("This ballot belongs to another voting period."),
                "twice": gettext("This ballot was counted already."),
                "layout": gettext("The page's matters are not this period's."),
            }.get(str(p.get("result", "")), gettext("The request was refused."))
        case Problem.PAPER_NO_MARKERS:
            return gettext(
                "The page's corner squares are not found on this photo: it cannot be read. "
                "Take the photo again, flat and whole."
            )
        case Problem.PAPER_DISPUTE_REASON:
            return gettext("Please write why the value read is wrong: it is kept with your name.")
        case Problem.PAPER_DISPUTE_NOT_READ:
            return gettext(
                "The reader did not read this matter by itself: decide it in the review queue."
            )
        case Problem.PAPER_DISPUTE_SAME:
            return gettext("This is already the value on record: nothing was changed.")
        case Problem.PAPER_DISPUTE_CLOSED:
            return gettext(
                "The preliminary result is published: a value read can no longer be changed "
                "here. An owner who disputes it lodges an objection in the objection window, "
                "and the clerk answers it in writing."
            )
    return gettext("The request was refused.")


def _topic_refusal(refusal: Refusal) -> str:
    """Refusals of residents' topics and their co-signing in words."""
    p = refusal.params
    match refusal.problem:
        case Problem.TOPIC_NOT_FOUND:
            return gettext("This topic does not exist.")
        case Problem.TOPIC_DECIDED:
            return gettext(
                "The topic “%(title)s” has already been reviewed: it takes no more signatures "
                "or changes.",
                title=p.get("title", ""),
            )
        case Problem.TOPIC_ALREADY_SIGNED:
            return gettext(
                "%(name)s, you already support “%(title)s”: each person signs a topic once.",
                name=p.get("name", ""),
                title=p.get("title", ""),
            )
        case Problem.TOPIC_OUTSIDE_SCOPE:
            return gettext(
                "“%(title)s” concerns the households of %(scope)s only: your household is not "
                "among them.",
                title=p.get("title", ""),
                scope=p.get("scope", ""),
            )
        case Problem.TOPIC_MERGE_ITSELF:
            return gettext("A topic cannot be merged into itself or into a merged topic.")
        case Problem.TOPIC_REASON_REQUIRED:
            return gettext("Please write the reason: it is published on the notice board.")
        case Problem.TOPIC_SCOPE_UNKNOWN:
            return gettext(
                "No household of the roster lives in %(scope)s: please choose the building "
                "or unit again.",
                scope=p.get("scope", ""),
            )
        case Problem.TOPIC_BELOW_THRESHOLD:
            return gettext(
                "“%(title)s” has not reached its co-signing threshold yet. Confirm to accept it "
                "all the same (a matter that must be consulted on, the office's own): write why "
                "in the reason.",
                title=p.get("title", ""),
            )
        case Problem.CATEGORY_NOT_FOUND:
            return gettext("This category of the topic library does not exist.")
        case Problem.CATEGORY_EXISTS:
            return gettext(
                "The topic library already has a category “%(name)s”.", name=p.get("name", "")
            )
    return gettext("The request was refused.")


def _paper_refusal(refusal: Refusal) -> str:
    """Refusals of the paper ballots' printing, delivery, scans and reviews."""
    p = refusal.params
    match refusal.problem:
        case Problem.PAPER_TOO_MANY_MATTERS:
            return gettext(
                "A paper ballot holds at most %(num)d matters: this period has more.",
                num=int(p.get("most", 0)),
            )
        case Problem.PAPER_BALLOT_NOT_FOUND:
            return gettext("There is no such paper ballot in this voting period.")
        case Problem.PAPER_REVIEW_NOT_FOUND:
            return gettext("There is no such mark to review in this voting period.")
        case Problem.PAPER_REVIEW_DECIDED:
            return gettext("This mark was already decided by %(name)s.", name=p.get("by", ""))
        case Problem.PAPER_NOT_AN_IMAGE:
            return gettext(
                "“%(name)s” is not a photo or a scan (JPEG, PNG, WebP).", name=p.get("name", "")
            )
    return gettext("The request was refused.")


def _access_refusal(refusal: Refusal) -> str:
    """Refusals of logins, pairing and roles in words."""
    p = refusal.params
    match refusal.problem:
        case Problem.LOGIN_REQUIRED:
            return gettext("Please log in with a staff account first.")
        case Problem.FORBIDDEN:
            return gettext(
                "Your account or device may not do this. It needs: %(roles)s.",
                roles=p.get("roles", ""),
            )
        case Problem.DEVICE_NOT_PAIRED:
            return gettext(
                "This screen is not paired with the hall's box. "
                "Ask the clerk for a pairing code, or log in as staff."
            )
        case Problem.LOGIN_FAILED:
            return gettext("The user name or the password is wrong.")
        case Problem.TOO_MANY_TRIES:
            return gettext(
                "Too many wrong tries. Please wait %(minutes)d minutes and try again.",
                minutes=int(p.get("minutes", 5)),
            )
        case Problem.PAIRING_FAILED:
            return gettext(
                "This pairing code is wrong or has expired. Ask the clerk for a new one."
            )
        case Problem.CSRF_FAILED:
            return gettext("This page has expired. Please reload it and try again.")
        case Problem.WEAK_PASSWORD:
            return gettext(
                "The password must have at least %(num)d characters.", num=int(p.get("min", 10))
            )
        case Problem.ACCOUNT_EXISTS:
            return gettext("There is already an account named %(name)s.", name=p.get("name", ""))
        case Problem.ACCOUNT_NOT_FOUND:
            return gettext("There is no account named %(name)s.", name=p.get("name", ""))
        case Problem.DEVICE_NOT_FOUND:
            return gettext("This device is not on the list of paired devices.")
        case Problem.LAST_ADMIN:
            return gettext(
                "%(name)s is the last active administrator: "
                "create or enable another administrator first.",
                name=p.get("name", ""),
            )
        case Problem.OWN_ACCOUNT:
            return gettext("You cannot disable your own account.")
        case Problem.READ_ALOUD_BUSY:
            return gettext("Too much to read aloud at once. Please wait a moment.")
    return gettext("The request was refused.")


def _door_refusal(refusal: Refusal) -> str:
    """Refusals that keep the box's doors shut (drafts, oversized files, too many sockets)."""
    p = refusal.params
    match refusal.problem:
        case Problem.MINUTES_NOT_PUBLISHED:
            return gettext(
                "The minutes of this meeting are not published yet. "
                "Staff can read the draft after logging in."
            )
        case Problem.PHOTO_TOO_LARGE:
            return gettext(
                "This photo has %(pixels)s million pixels; at most %(limit)s million can be read. "
                "Please take it again at a lower resolution.",
                pixels=p.get("pixels", "?"),
                limit=p.get("limit", "?"),
            )
        case Problem.TOO_MANY_CONNECTIONS if p.get("per") == "token":
            return gettext(
                "This personal page is already open on %(num)d screens. "
                "Please close it elsewhere, then reload this page.",
                num=int(p.get("limit", 0)),
            )
        case Problem.TOO_MANY_CONNECTIONS:
            return gettext(
                "The hall's box has too many connections from this network right now. "
                "Please wait a moment; the page will connect again by itself."
            )
    return gettext("The request was refused.")


def _timer_refusal(code: str) -> str:
    """A refused timer action in words."""
    words = {
        "already_paused": gettext("The timer is already paused."),
        "already_running": gettext("The timer is already running."),
        "stopped": gettext("This speech has ended."),
        "cuts_into_spoken_time": gettext("That would take away time already spoken."),
    }
    return words.get(code, gettext("The timer cannot do that now."))


def storage_refusal(problem: Problem) -> str:
    """A write the database could not take, in words: nothing was saved, staff must act."""
    if problem == Problem.STORAGE_FULL:
        return gettext(
            "The storage is full: what you just did was not saved. "
            "Please ask the staff to free space on the hall's box, then try again."
        )
    if problem == Problem.STORAGE_READ_ONLY:
        return gettext(
            "The database is read-only: what you just did was not saved. "
            "Please ask the staff to check the hall's box, then try again."
        )
    return gettext(
        "The database could not be written (a disk error): what you just did was not saved. "
        "Please ask the staff, then try again."
    )


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


def _not_open(what: str, ended: bool) -> str:
    if what == "poll":
        if ended:
            return gettext("The meeting is closed: a poll cannot open.")
        return gettext("The meeting is not open yet: a poll cannot open.")
    if ended:
        return gettext("The meeting is closed: an item cannot start.")
    return gettext("The meeting is not open yet: an item cannot start.")


def escalation_name(step: str) -> str:
    """An escalation step's name as the hall says it (提醒, 约谈, 上报街道)."""
    names = {
        "remind": gettext("Reminder"),
        "interview": gettext("Interview"),
        "report_street": gettext("Reported to the street office"),
    }
    return str(names.get(step, step))


def _period_refusal(refusal: Refusal) -> str:
    """An owners' assembly's voting period refused a step (``assembly.service``)."""
    p = refusal.params
    match refusal.problem:
        case Problem.PERIOD_NOT_FOUND:
            return gettext("This voting period does not exist.")
        case Problem.PERIOD_STATE:
            return gettext(
                "The voting period cannot do this now: %(state)s.",
                state=_period_state(str(p.get("state", ""))),
            )
        case Problem.PERIOD_NO_OWNER_KEY:
            return gettext(
                "The roster does not say who owns %(count)s units (%(units)s): several units "
                "of one buyer count as one owner, so the count needs the owner_key column. "
                "Import the roster with it, or confirm counting each such unit as its own "
                "owner.",
                count=p.get("count", 0),
                units=p.get("units", ""),
            )
        case Problem.PERIOD_TWO_AREAS:
            return gettext(
                "The roster gives one unit two different areas (%(units)s): correct the "
                "roster; a unit's area is the one in the property register.",
                units=p.get("units", ""),
            )
        case Problem.PERIOD_NO_MATTERS:
            return gettext("Add at least one matter to put to the owners.")
        case Problem.PERIOD_BAD_TIMES:
            return gettext("The voting period must close after it opens.")
        case Problem.UNIT_NOT_FOUND:
            return gettext("This unit is not in the voting period's base.")
        case Problem.UNIT_ALREADY_VOTED:
            return gettext("This unit has already voted on this matter.")
        case Problem.OBJECTION_NOT_FOUND:
            return gettext("This objection does not exist.")
        case Problem.OWNER_NOT_MATCHED:
            return gettext(
                "The digits do not match an owner of this unit on the roster. Check them, or "
                "ask the clerk to write down your objection."
            )
    return gettext("The objection window has ended: objections are no longer taken.")


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
