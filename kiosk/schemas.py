"""Payloads of the kiosk's calls, validated on the way in."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from meeting_room.web.limits import Id

Text64 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
# Made by the kiosk once per submission and sent again with each of its automatic retries.
RequestId = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z_-]{16,64}$")]


class SearchIn(BaseModel):
    """A search typed on the kiosk (name, pinyin) or an address from the keypad."""

    meeting_id: Id
    q: str | None = Field(default=None, max_length=64)
    building: str | None = Field(default=None, max_length=32)
    unit: str | None = Field(default=None, max_length=32)
    room: str | None = Field(default=None, max_length=32)


class CardIn(BaseModel):
    """What a resident QR card gave the scanner (a USB scanner types it, then Enter)."""

    meeting_id: Id
    code: Text64


class ConfirmIn(BaseModel):
    """The member chosen and the last four digits of their phone."""

    meeting_id: Id
    member_id: Id
    phone_tail: Annotated[str, StringConstraints(strip_whitespace=True, max_length=8)]
    request_id: RequestId | None = None


class GuestIn(BaseModel):
    """A walk-in's name; ``request_id`` makes a retried registration answer the first one."""

    meeting_id: Id
    name: Text64
    request_id: RequestId | None = None


class ProxyIn(BaseModel):
    """A proxy at the kiosk: the absent member (confirmed by their phone tail) and the proxy."""

    meeting_id: Id
    represented_id: Id
    phone_tail: Annotated[str, StringConstraints(strip_whitespace=True, max_length=8)]
    proxy_name: Text64
    request_id: RequestId | None = None


class SlipIn(BaseModel):
    """Ask for the printed slip of a sign-in just made (the personal page's address)."""

    phone_url: Annotated[str, StringConstraints(max_length=300)]


class Found(BaseModel):
    """A member as the kiosk lists them: enough to tell two people of one name apart."""

    id: int
    name: str
    address: str
    phone_hint: str
    eligible: bool
    signed_in_at: str | None
