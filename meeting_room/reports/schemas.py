"""What the report screens send: the credit settings form."""

from __future__ import annotations

from pydantic import BaseModel, Field

from meeting_room.domain.credits import MAX_POINTS


class CreditSettingsIn(BaseModel):
    """Credit on or off, and the points of each deed."""

    enabled: bool = False
    sign_in: int = Field(ge=0, le=MAX_POINTS)
    speech: int = Field(ge=0, le=MAX_POINTS)
    proposal: int = Field(ge=0, le=MAX_POINTS)
    signature: int = Field(ge=0, le=MAX_POINTS)
    rating: int = Field(ge=0, le=MAX_POINTS)
