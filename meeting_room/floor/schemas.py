"""The floor's typed payloads: what the moderator's events and the clerk's HTTP routes take, and
what they answer. Socket payloads name their meeting; HTTP ones take it from the path."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from meeting_room.domain.speakers import NANTANG, THREE_MINUTES_ONCE, RulesOfOrder
from meeting_room.domain.words import ClockAction, ItemKind, RequestKind, Stance
from meeting_room.floor.snapshot import FloorSnapshot, ItemView
from meeting_room.web.limits import Id
from meeting_room.web.sockets import MeetingIn

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Token = Annotated[str, StringConstraints(max_length=64)]


class ItemDraft(BaseModel):
    """A new agenda item."""

    title: Title
    kind: ItemKind = ItemKind.DISCUSSION
    planned_minutes: int = Field(default=10, ge=1, le=600)
    description: str = Field(default="", max_length=2000)


class ItemPatch(BaseModel):
    """Corrections to an agenda item (what is left out stays)."""

    title: Title | None = None
    kind: ItemKind | None = None
    planned_minutes: int | None = Field(default=None, ge=1, le=600)
    description: str | None = Field(default=None, max_length=2000)


class RulesIn(BaseModel):
    """The meeting's rules of order: a preset, or ``custom`` with its own values."""

    preset: Literal["nantang", "three_minutes_once", "custom"] = "nantang"
    speech_limit_s: int = Field(default=120, ge=10, le=3600)
    max_speeches: int | None = Field(default=2, ge=1, le=20)
    first_timers_first: bool = True
    alternate: bool = True
    warning_s: int = Field(default=30, ge=0, le=600)
    auto_stop: bool = False

    def rules(self) -> RulesOfOrder:
        """The rules this asks for."""
        if self.preset == "nantang":
            return NANTANG
        if self.preset == "three_minutes_once":
            return THREE_MINUTES_ONCE
        return RulesOfOrder(
            timedelta(seconds=self.speech_limit_s),
            max_speeches=self.max_speeches,
            first_timers_first=self.first_timers_first,
            alternate=self.alternate,
        )


class RulesOut(BaseModel):
    """The rules of order in force."""

    speech_limit_s: int
    max_speeches: int | None
    first_timers_first: bool
    alternate: bool
    warning_s: int
    auto_stop: bool


class AgendaOut(BaseModel):
    """The agenda in order."""

    items: list[ItemView]


# --- the moderator's events (/moderator) ------------------------------------------------------


class ItemIn(MeetingIn):
    """An agenda item named by id."""

    item_id: int


class StartItemIn(ItemIn):
    """Open an item; ``confirm`` once the moderator has read the warning (no quorum, or the
    item already finished) and goes on: recorded with who confirmed."""

    confirm: bool = False


class UndoIn(MeetingIn):
    """Give back the speech that ended moments ago (a stray N or E)."""

    speech_id: int


class ReorderIn(MeetingIn):
    """The agenda's new order."""

    item_ids: list[int] = Field(max_length=200)


class AddItemIn(MeetingIn, ItemDraft):
    """A new agenda item of a meeting."""


class AddSpeakerIn(MeetingIn):
    """A hand raised in the room, added by the moderator (``override`` sets a rule aside)."""

    member_id: int
    stance: Stance = Stance.NEUTRAL
    kind: RequestKind = RequestKind.SPEECH
    override: bool = False


class NextIn(MeetingIn):
    """Give the floor to the head of the queue, or to a chosen request."""

    request_id: int | None = None


class WithdrawIn(MeetingIn):
    """Take a request off the list."""

    request_id: int


class TimerIn(MeetingIn):
    """A clock action on the speech under way."""

    action: ClockAction
    seconds: int = Field(default=30, ge=-600, le=600)


class FloorAck(BaseModel):
    """The floor as the change left it."""

    ok: Literal[True] = True
    floor: FloorSnapshot


class FloorState(BaseModel):
    """The floor a console starts from when it (re)joins."""

    floor: FloorSnapshot


# --- an attendee's phone (/phone) ----------------------------------------------------------


class PhoneFloorIn(BaseModel):
    """An attendee asks for the floor from their phone."""

    token: Token
    stance: Stance = Stance.NEUTRAL
    kind: RequestKind = RequestKind.SPEECH


class PhoneWithdrawIn(BaseModel):
    """An attendee withdraws their waiting request."""

    token: Token


class RequestAck(FloorAck):
    """The attendee's request, and the floor with it."""

    request_id: int


class StatsQuery(BaseModel):
    """Statistics of the whole meeting, or of one item."""

    item_id: Id | None = None


class PersonStats(BaseModel):
    """How often and how long one person spoke."""

    member_id: int
    name: str
    proxy_name: str | None = None  # the proxy who spoke for ``name``
    group: str
    speeches: int
    seconds: int
    points_of_order: int = 0


class Share(BaseModel):
    """A part of the speaking time."""

    key: str
    seconds: int
    percent: str


class StatsOut(BaseModel):
    """Speaking statistics: per person, share of time by group and by stance."""

    total_seconds: int
    people: list[PersonStats]
    by_group: list[Share]
    by_stance: list[Share]
    points_of_order: int = 0  # raised on the item(s); their time is not in the shares
    points_of_order_seconds: int = 0


class StatsIn(MeetingIn):
    """The console asks for the statistics of the item under discussion (or the meeting)."""

    item_id: int | None = None
