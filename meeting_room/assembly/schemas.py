"""The voting period's live payloads (Socket.IO, see docs/events.md)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class PeriodIn(BaseModel):
    """The organisers' view asks to follow a period."""

    period_id: int


class PeriodLive(BaseModel):
    """A period's participation now, as the organisers' view follows it (event ``period``).

    Sent after every committed change to the period (a ballot of any channel, a delivery, a
    clerk's review decision, an objection or its answer, a change of state); ``version`` is the
    audit log's head at that moment, so a screen applies only what is newer than it shows.
    """

    period_id: int
    version: int
    state: str
    units: int = Field(description="Exclusive units of the base.")
    units_voted: int
    heads: int = Field(description="Owners by number who took part.")
    total_heads: int
    area_m2: str = Field(description="Exclusive area that took part, m² to the cent.")
    total_area_m2: str
    reached: bool = Field(description="Both at least 2/3 (Civil Code art. 278 para. 2).")
    by_channel: dict[str, int] = Field(description="Units by the channel of their ballot.")
    not_voted_delivered: int = Field(
        description="Units not voted yet whose paper ballot has a delivery on record."
    )
    kept_ballots: int = Field(description="Ballots kept beside a standing one.")
    objections_open: int


class PeriodJoined(BaseModel):
    """The answer to ``period.join``: the period's live snapshot."""

    period: PeriodLive
