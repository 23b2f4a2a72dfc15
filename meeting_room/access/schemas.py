"""The typed payloads of access's pages and routes: the login, pairing and account forms, and
the clerk desk's device list (``access.routes``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    PlainSerializer,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

from meeting_room.access.accounts import STAFF_ROLES, generate_password
from meeting_room.access.devices import DEVICE_KINDS

NAME_LIMIT = 64
PASSWORD_LIMIT = 256

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
# As the desk sent it so far: ``datetime.isoformat`` (``+00:00``, not pydantic's ``Z``).
IsoTime = Annotated[datetime, PlainSerializer(datetime.isoformat, return_type=str)]


def _one_of(allowed: tuple[str, ...]) -> AfterValidator:
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"not one of {', '.join(allowed)}")
        return value

    return AfterValidator(check)


class LoginForm(BaseModel):
    """The login form."""

    username: Name
    password: Annotated[str, StringConstraints(min_length=1, max_length=PASSWORD_LIMIT)]


class PairForm(BaseModel):
    """The pairing form: the six digits shown on the clerk desk."""

    code: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{6}$")]


class PasswordForm(BaseModel):
    """A password chosen on the accounts page: typed twice, or generated (``generate``).

    Refused with the error types ``password_missing``, ``password_mismatch`` and
    ``password_too_long``, which the page words (the length rule is the service's).
    """

    generate: str = ""
    password: str = ""
    confirm: str = ""

    @model_validator(mode="after")
    def typed_twice(self) -> PasswordForm:
        """Unless generated: typed, the same twice, not longer than ``PASSWORD_LIMIT``."""
        if self.generate:
            return self
        if not self.password:
            raise PydanticCustomError("password_missing", "no password typed")
        if self.password != self.confirm:
            raise PydanticCustomError("password_mismatch", "the two passwords differ")
        if len(self.password) > PASSWORD_LIMIT:
            raise PydanticCustomError("password_too_long", "the password is too long")
        return self

    def chosen(self) -> tuple[str, bool]:
        """The password, and whether it was generated (then it is shown once)."""
        if self.generate:
            return generate_password(), True
        return self.password, False


class NewAccountForm(PasswordForm):
    """The accounts page's form for a new account."""

    username: Annotated[
        str, StringConstraints(strip_whitespace=True, pattern=rf"^\S{{1,{NAME_LIMIT}}}$")
    ]
    display_name: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=NAME_LIMIT)
    ] = ""
    role: Annotated[str, _one_of(STAFF_ROLES)]


class PairingIn(BaseModel):
    """The clerk asks for a pairing code for one device."""

    kind: Annotated[str, _one_of(DEVICE_KINDS)]
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=NAME_LIMIT)] = ""


class DeviceOut(BaseModel):
    """A paired device as the clerk desk lists it (read from its row)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    name: str
    paired_at: IsoTime
    last_seen_at: IsoTime | None
    revoked_at: IsoTime | None


class DeviceList(BaseModel):
    """Every paired device, newest first."""

    devices: list[DeviceOut]


class PairingCodeOut(BaseModel):
    """A pairing code, shown once on the desk (valid ten minutes)."""

    code: str
    kind: str
    name: str
    expires_at: IsoTime
    pair_url: Literal["/pair"] = "/pair"


class RevokedOut(BaseModel):
    """A revoked device and the desk's confirmation in words."""

    device: DeviceOut
    message: str
