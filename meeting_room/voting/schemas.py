"""Voting's typed payloads: what the moderator's and phones' events and the API's poll and card
routes take, and what they answer (the screens' ``PollView`` is ``snapshot``'s)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints, model_validator
from spectree.model_adapter.pydantic_adapter import BaseFile

from devices.card_numbers import MAX_CARD_NUMBER
from meeting_room.domain.assembly import MatterKind
from meeting_room.domain.counting import Rule, Weighting
from meeting_room.domain.words import Eligibility, MemberGroup, PollKind
from meeting_room.voting.polls import PollDraft
from meeting_room.voting.snapshot import PollView
from meeting_room.web.limits import Id
from meeting_room.web.sockets import MeetingIn

Token = Annotated[str, StringConstraints(max_length=64)]
Choice = Annotated[str, StringConstraints(max_length=100)]
Helper = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class PollFields(BaseModel):
    """A poll to draft: the question, its options and how it is counted."""

    question: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    kind: PollKind = PollKind.YES_NO
    options: list[Choice] = Field(default_factory=list, max_length=20)
    max_choices: int = Field(default=1, ge=1, le=20)
    eligibility: Eligibility = Eligibility.ALL
    groups: list[MemberGroup] = Field(default_factory=list)
    secret: bool = True
    weighting: Weighting = Weighting.HEADCOUNT
    rule: Rule = Rule.SIMPLE_MAJORITY
    duration_s: int | None = Field(default=None, ge=10, le=3600)
    item_id: int | None = None
    matter_kind: MatterKind | None = Field(
        default=None,
        description="Under an art. 278 rule, the matter of art. 278 para. 1 put to the vote "
        "(its rule must follow from it). The forms send it with the rule as "
        '"art278_major:fund_raising".',
    )

    @model_validator(mode="before")
    @classmethod
    def _rule_with_matter(cls, data: Any) -> Any:
        """The forms' one select names the matter with its rule ("rule:matter")."""
        if isinstance(data, dict) and isinstance(data.get("rule"), str) and ":" in data["rule"]:
            rule, _, kind = data["rule"].partition(":")
            data = {**data, "rule": rule, "matter_kind": kind or None}
        return data

    def draft(self) -> PollDraft:
        """The service's draft."""
        return PollDraft(
            question=self.question,
            kind=self.kind,
            options=tuple(self.options),
            max_choices=self.max_choices,
            eligibility=self.eligibility,
            groups=tuple(self.groups),
            secret=self.secret,
            weighting=self.weighting,
            rule=self.rule,
            duration_s=self.duration_s,
            item_id=self.item_id,
            matter_kind=self.matter_kind,
        )


class PollIn(MeetingIn, PollFields):
    """A poll to draft in a meeting (the moderator's ``poll.create``)."""


class PollIdIn(BaseModel):
    """A poll named by id."""

    poll_id: int


class BallotIn(BaseModel):
    """A ballot from a phone: the token, the poll, the choices, and a ballot id made once."""

    token: Token
    poll_id: int
    choices: list[Choice] = Field(max_length=20)
    client_id: Annotated[str, StringConstraints(min_length=8, max_length=64)]


class PollAck(BaseModel):
    """The poll as the change left it."""

    ok: Literal[True] = True
    poll: PollView


class PollState(BaseModel):
    """The poll in view (none yet: null)."""

    poll: PollView | None


class UnitNote(BaseModel):
    """The voter's unit of an owners' assembly already has a ballot on the poll's matter."""

    address: str = Field(description="The unit, e.g. 3栋2单元501.")
    channel: str = Field(
        description="How the unit's earlier ballot came: paper, office, phone, booth, card, "
        "assisted, proxy."
    )
    stands: bool = Field(
        description="Whether this ballot counts for the unit instead (the period's rule); "
        "both are kept either way."
    )


class BallotAck(BaseModel):
    """A ballot's receipt code (the same one when the ballot was resent)."""

    ok: Literal[True] = True
    receipt: str
    replaced: bool
    repeated: bool
    unit_note: UnitNote | None = None


# --- the API's polls -------------------------------------------------------------------------


class PollList(BaseModel):
    """A meeting's polls, newest first."""

    polls: list[PollView]


class AssistedIn(BaseModel):
    """A vote entered by a clerk for a member who asked for help (代填); the helper is recorded."""

    member_id: Id
    choices: list[Choice] = Field(max_length=20)
    helper: Helper


class ReceiptOut(BaseModel):
    """A receipt code and what was recorded for it."""

    receipt: str
    replaced: bool = False
    unit_note: UnitNote | None = None


class EntryOut(BaseModel):
    """One line of a published ballot list."""

    position: int
    text: str
    hash: str


class BallotListOut(BaseModel):
    """A closed poll's published ballot list with its hash chain."""

    poll_id: int
    final_hash: str | None
    entries: list[EntryOut]


class ReceiptCheckOut(BaseModel):
    """Whether a receipt is in the published list, and where."""

    found: bool
    entry: EntryOut | None = None
    choices: list[str] = Field(
        default_factory=list, description="The options counted under the code (their keys)."
    )


# --- the API's paper cards -------------------------------------------------------------------


class CardIn(BaseModel):
    """Hand card ``number`` to a member (a member holds one card per meeting)."""

    number: int = Field(ge=1, le=MAX_CARD_NUMBER)
    member_id: Id


class CardRange(BaseModel):
    """The cards to print: ``first`` to ``last`` (at most 500 at once)."""

    first: int = Field(default=1, ge=1, le=MAX_CARD_NUMBER)
    last: int = Field(default=50, ge=1, le=MAX_CARD_NUMBER)


class CardOut(BaseModel):
    """A handed card."""

    number: int
    member_id: int
    name: str
    address: str


class CardList(BaseModel):
    """The meeting's handed cards."""

    cards: list[CardOut]


class PhotoForm(BaseModel):
    """One photo of the room, as a file."""

    photo: BaseFile


class CardSeen(BaseModel):
    """A card as the latest photo shows it; in a secret poll only its number (no answer,
    no holder: nobody is shown who chose what)."""

    number: int
    answer: str | None
    choice: str | None
    member_id: int | None
    name: str | None


class CardsSummary(BaseModel):
    """Which handed cards the photos show, which were seen but not read clearly, which are
    missing, and what cannot count; ``secret``: the seen cards come without their answers."""

    photos: int
    secret: bool
    seen: list[CardSeen]
    unclear: list[CardOut]
    missing: list[CardOut]
    problems: list[dict[str, Any]]
