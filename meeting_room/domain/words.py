"""The meeting domain's words as types (stored and sent as their string values)."""

from enum import StrEnum


class MemberGroup(StrEnum):
    """Roster group of a member (the roster's ``group`` column, in the community office's words)."""

    OWNER = "业主"
    TENANT = "租户"
    REPRESENTATIVE = "居民代表"
    OWNERS_COMMITTEE = "业委会"
    PROPERTY_MANAGEMENT = "物业"
    SOCIAL_ORGANISATION = "社会组织"
    PROFESSIONAL = "专业人士"


class SignInChannel(StrEnum):
    """How an attendance was recorded."""

    KIOSK = "kiosk"
    CLERK = "clerk"
    QR = "qr"


class Presence(StrEnum):
    """Whether a member is in the room themselves or represented by a proxy (代理人)."""

    IN_PERSON = "in_person"
    PROXY = "proxy"


class MandateStatus(StrEnum):
    """A proxy's written mandate (委托书): waiting for a clerk, accepted or refused."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"


class MeetingStatus(StrEnum):
    """Where a meeting is in its life: draft → announced → open → closed → minutes published
    (``domain.lifecycle`` says which step may follow which)."""

    DRAFT = "draft"  # being prepared by the clerk, not on the board
    ANNOUNCED = "announced"  # posted on the board: the notice period runs from here
    OPEN = "open"  # opened by the moderator: items and polls may run
    CLOSED = "closed"  # ended: sign-in stops, nothing more runs
    MINUTES_PUBLISHED = "published"  # the minutes are out (the column holds 16 characters)


class Stance(StrEnum):
    """Where a speaker stands on the agenda item (赞成 / 反对 / 提问或中立)."""

    FOR = "for"
    AGAINST = "against"
    NEUTRAL = "neutral"


class RequestKind(StrEnum):
    """What a request for the floor asks for: a speech, or a point of order (程序问题)."""

    SPEECH = "speech"
    POINT_OF_ORDER = "point_of_order"


class RequestSource(StrEnum):
    """Where a request for the floor came from."""

    PHONE = "phone"
    MODERATOR = "moderator"  # a hand raised in the room


class ItemKind(StrEnum):
    """What an agenda item is for."""

    REPORT = "report"
    DISCUSSION = "discussion"
    VOTE = "vote"


class ItemStatus(StrEnum):
    """Where an agenda item stands."""

    PENDING = "pending"
    ACTIVE = "active"
    DONE = "done"


class RequestStatus(StrEnum):
    """What became of a request for the floor."""

    WAITING = "waiting"
    GRANTED = "granted"
    WITHDRAWN = "withdrawn"
    LAPSED = "lapsed"


class ClockAction(StrEnum):
    """What the moderator does to the speech under way."""

    PAUSE = "pause"
    RESUME = "resume"
    TOGGLE = "toggle"
    ADD = "add"
    STOP = "stop"


class PollStatus(StrEnum):
    """A poll's life: draft → open → closed → published."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    PUBLISHED = "published"


class PollKind(StrEnum):
    """For/against/abstain, one of N, or up to K of N."""

    YES_NO = "yes_no"
    CHOICE = "choice"


class Eligibility(StrEnum):
    """Who may vote in a poll (among members signed in when it opens)."""

    ALL = "all"
    OWNERS = "owners"
    REPRESENTATIVES = "representatives"
    GROUPS = "groups"


class BallotChannel(StrEnum):
    """How a ballot reached the box."""

    PHONE = "phone"
    BOOTH = "booth"
    CARD = "card"
    ASSISTED = "assisted"


class ActionStatus(StrEnum):
    """An action item's status; ``OVERDUE`` is never stored, it follows from the date."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    OVERDUE = "overdue"


class AlertKind(StrEnum):
    """What an alert on the clerk desk is about."""

    KIOSK_LOCKOUT = "kiosk_lockout"
    TOKEN_REISSUED = "token_reissued"  # a member signed in again: the earlier QR code is void


class Confirmed(StrEnum):
    """What the moderator confirmed (or undid) on the floor, kept in the audit log."""

    START_WITHOUT_QUORUM = "start_without_quorum"
    RESTART_ITEM = "restart_item"
    SPEECH_END_UNDONE = "speech_end_undone"


class EscalationStep(StrEnum):
    """The follow-up's steps on an overdue action item (督办), in this order."""

    REMIND = "remind"  # 提醒: the responsible party is reminded
    INTERVIEW = "interview"  # 约谈: they are called in to explain
    REPORT_STREET = "report_street"  # 上报街道: the street office is told


class RatingChannel(StrEnum):
    """Where a resident rated an action item or answered a survey."""

    KIOSK = "kiosk"
    BOOTH = "booth"
    PHONE = "phone"
    BOARD = "board"
    API = "api"
