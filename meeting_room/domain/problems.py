"""Domain refusals: what went wrong, as a word and its parameters; translated in one place."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Problem(StrEnum):
    """Why a request was refused."""

    MEETING_NOT_FOUND = "meeting_not_found"
    MEETING_CLOSED = "meeting_closed"
    MEETING_STARTED = "meeting_started"
    MEETING_NOT_OPEN = "meeting_not_open"
    MEETING_STATE = "meeting_state"
    OPEN_WITHOUT_QUORUM = "open_without_quorum"
    CLOSE_WITH_RUNNING = "close_with_running"
    BAD_CALENDAR_DAY = "bad_calendar_day"
    MEMBER_NOT_FOUND = "member_not_found"
    WRONG_PHONE_TAIL = "wrong_phone_tail"
    LOCKED = "locked"
    NOT_SIGNED_IN = "not_signed_in"
    REPRESENTED_BY_PROXY = "represented_by_proxy"
    ALREADY_PRESENT = "already_present"
    PROXY_IS_REPRESENTED = "proxy_is_represented"
    PROXY_IS_SELF = "proxy_is_self"
    PROXY_LIMIT = "proxy_limit"
    PROXY_NAME_REQUIRED = "proxy_name_required"
    NOT_A_PROXY = "not_a_proxy"
    MANDATE_NOT_CHECKED = "mandate_not_checked"
    GUEST_NAME_REQUIRED = "guest_name_required"
    TOKEN_UNKNOWN = "token_unknown"
    BAD_QUORUM_RULE = "bad_quorum_rule"
    INVALID_INPUT = "invalid_input"
    ITEM_NOT_FOUND = "item_not_found"
    ITEM_STARTED = "item_started"
    ROSTER_NOT_CHECKED = "roster_not_checked"
    NO_ACTIVE_ITEM = "no_active_item"
    FLOOR_REFUSED = "floor_refused"
    REQUEST_NOT_FOUND = "request_not_found"
    QUEUE_EMPTY = "queue_empty"
    CONFIRM_NO_QUORUM = "confirm_no_quorum"
    CONFIRM_RESTART = "confirm_restart"
    UNDO_EXPIRED = "undo_expired"
    NO_SPEECH = "no_speech"
    TIMER_REFUSED = "timer_refused"
    POLL_NOT_FOUND = "poll_not_found"
    POLL_NOT_DRAFT = "poll_not_draft"
    POLL_NOT_OPEN = "poll_not_open"
    POLL_CLOSED = "poll_closed"
    POLL_NOT_CLOSED = "poll_not_closed"
    NOT_PRESENT_AT_OPENING = "not_present_at_opening"
    TICKET_EXPIRED = "ticket_expired"
    CARD_TAKEN = "card_taken"
    ANOTHER_POLL_OPEN = "another_poll_open"
    BAD_PHOTO = "bad_photo"
    NOT_ELIGIBLE_TO_VOTE = "not_eligible_to_vote"
    ALREADY_VOTED = "already_voted"
    BAD_CHOICE = "bad_choice"
    DECISION_NOT_FOUND = "decision_not_found"
    ACTION_NOT_FOUND = "action_not_found"
    ACTION_NOT_DONE = "action_not_done"
    NOTHING_CHANGED = "nothing_changed"
    NOT_CORRECTABLE = "not_correctable"
    DEADLINE_PASSED = "deadline_passed"
    NOT_A_CARD = "not_a_card"
    STORAGE_FULL = "storage_full"
    STORAGE_READ_ONLY = "storage_read_only"
    STORAGE_FAILED = "storage_failed"
    LOGIN_REQUIRED = "login_required"
    FORBIDDEN = "forbidden"
    DEVICE_NOT_PAIRED = "device_not_paired"
    LOGIN_FAILED = "login_failed"
    TOO_MANY_TRIES = "too_many_tries"
    PAIRING_FAILED = "pairing_failed"
    CSRF_FAILED = "csrf_failed"
    WEAK_PASSWORD = "weak_password"
    ACCOUNT_EXISTS = "account_exists"
    ACCOUNT_NOT_FOUND = "account_not_found"
    DEVICE_NOT_FOUND = "device_not_found"
    LAST_ADMIN = "last_admin"
    OWN_ACCOUNT = "own_account"
    READ_ALOUD_BUSY = "too_many_requests"
    LATER_BALLOT_COUNTS = "later_ballot_counts"
    ART278_OWNERS_ONLY = "art278_owners_only"
    ART278_OWNERS_LEFT_OUT = "art278_owners_left_out"
    ART278_NO_OWNERS = "art278_no_owners"
    TOPIC_NOT_FOUND = "topic_not_found"
    TOPIC_DECIDED = "topic_decided"
    TOPIC_ALREADY_SIGNED = "topic_already_signed"
    TOPIC_OUTSIDE_SCOPE = "topic_outside_scope"
    TOPIC_MERGE_ITSELF = "topic_merge_itself"
    TOPIC_REASON_REQUIRED = "topic_reason_required"
    TOPIC_SCOPE_UNKNOWN = "topic_scope_unknown"
    TOPIC_BELOW_THRESHOLD = "topic_below_threshold"
    CATEGORY_NOT_FOUND = "category_not_found"
    CATEGORY_EXISTS = "category_exists"
    MINUTES_NOT_PUBLISHED = "minutes_not_published"
    PHOTO_TOO_LARGE = "photo_too_large"
    TOO_MANY_CONNECTIONS = "too_many_connections"
    ALREADY_RATED = "already_rated"
    NOT_OVERDUE = "not_overdue"
    ESCALATION_OUT_OF_ORDER = "escalation_out_of_order"
    SURVEY_NOT_FOUND = "survey_not_found"
    SURVEY_NOT_OPEN = "survey_not_open"
    ALREADY_ANSWERED = "already_answered"
    REPORT_ITEM_STAYS = "report_item_stays"
    PERIOD_NOT_FOUND = "period_not_found"
    PERIOD_STATE = "period_state"
    PERIOD_NO_OWNER_KEY = "period_no_owner_key"
    PERIOD_TWO_AREAS = "period_two_areas"
    PERIOD_NO_MATTERS = "period_no_matters"
    PERIOD_BAD_TIMES = "period_bad_times"
    UNIT_NOT_FOUND = "unit_not_found"
    UNIT_ALREADY_VOTED = "unit_already_voted"
    OBJECTION_NOT_FOUND = "objection_not_found"
    OBJECTION_WINDOW_CLOSED = "objection_window_closed"
    OWNER_NOT_MATCHED = "owner_not_matched"
    PAPER_TOO_MANY_MATTERS = "paper_too_many_matters"
    PAPER_BALLOT_NOT_FOUND = "paper_ballot_not_found"
    PAPER_REVIEW_NOT_FOUND = "paper_review_not_found"
    PAPER_REVIEW_DECIDED = "paper_review_decided"
    PAPER_NOT_AN_IMAGE = "paper_not_an_image"
    PAPER_SCAN_NOT_FOUND = "paper_scan_not_found"
    PAPER_SCAN_NOT_WAITING = "paper_scan_not_waiting"
    PAPER_SERIAL_TYPED = "paper_serial_typed"
    PAPER_SERIAL_CHECK = "paper_serial_check"
    PAPER_SERIAL_REFUSED = "paper_serial_refused"
    PAPER_NO_MARKERS = "paper_no_markers"
    PAPER_DISPUTE_REASON = "paper_dispute_reason"
    PAPER_DISPUTE_NOT_READ = "paper_dispute_not_read"
    PAPER_DISPUTE_SAME = "paper_dispute_same"
    PAPER_DISPUTE_CLOSED = "paper_dispute_closed"


# Refusals of residents' topics (议题征集), worded together by ``web.messages``.
TOPIC_PROBLEMS = frozenset(
    {
        Problem.TOPIC_NOT_FOUND,
        Problem.TOPIC_DECIDED,
        Problem.TOPIC_ALREADY_SIGNED,
        Problem.TOPIC_OUTSIDE_SCOPE,
        Problem.TOPIC_MERGE_ITSELF,
        Problem.TOPIC_REASON_REQUIRED,
        Problem.TOPIC_SCOPE_UNKNOWN,
        Problem.TOPIC_BELOW_THRESHOLD,
        Problem.CATEGORY_NOT_FOUND,
        Problem.CATEGORY_EXISTS,
    }
)


class Refusal(Exception):
    """A request the rules refuse; carries the problem and what the message needs."""

    def __init__(self, problem: Problem, **params: Any) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.params = params
