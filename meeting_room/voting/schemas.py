"""Voting's typed payloads: what the moderator's and phones' events and the API take, and what
they answer."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from meeting_room.domain.counting import Rule, Weighting
from meeting_room.domain.words import Eligibility, MemberGroup, PollKind
from meeting_room.voting.polls import PollDraft
from meeting_room.voting.snapshot import PollView
from meeting_room.web.sockets import MeetingIn

Token = Annotated[str, StringConstraints(max_length=64)]
Choice = Annotated[str, StringConstraints(max_length=100)]


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


class BallotAck(BaseModel):
    """A ballot's receipt code (the same one when the ballot was resent)."""

    ok: Literal[True] = True
    receipt: str
    replaced: bool
    repeated: bool
