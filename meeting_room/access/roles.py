"""Who may use what: the roles, the principal of a request, and how routes declare theirs.

Every view declares its roles with ``@allow(...)``; every Socket.IO event is bound with
``access.sockets.on_event``. The guard (``access.guard``) refuses a route that declares nothing
(fail closed), so a new route cannot be open by accident. docs/access.md is generated from the
same declarations (``yishi access-table``) and a test checks that it is current.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from flask import Flask

from meeting_room.domain.problems import Problem, Refusal

F = TypeVar("F", bound=Callable[..., Any])


class Role(StrEnum):
    """A kind of principal. ``attendee``: holds a personal token (checked by the handler);
    ``anyone``: no credential needed."""

    ADMIN = "admin"
    MODERATOR = "moderator"
    CLERK = "clerk"
    KIOSK = "kiosk"
    PROJECTOR = "projector"
    BOOTH = "booth"
    ATTENDEE = "attendee"
    ANYONE = "anyone"


STAFF = frozenset({Role.ADMIN, Role.MODERATOR, Role.CLERK})
DEVICES = frozenset({Role.KIOSK, Role.PROJECTOR, Role.BOOTH})
OPEN = frozenset({Role.ATTENDEE, Role.ANYONE})
ROLE_ATTRIBUTE = "yishi_roles"

# Endpoints not defined in this code base (Flask's static files, spectree's spec).
BUILT_IN = {
    "static": frozenset({Role.ANYONE}),
    "openapi_apidoc": frozenset({Role.ANYONE}),
}


@dataclass(frozen=True)
class Principal:
    """Who is asking: a staff account, a paired device, both or neither."""

    roles: frozenset[Role] = frozenset()
    account_id: int | None = None
    account_role: str | None = None
    username: str = ""
    device_id: int | None = None
    device_kind: str | None = None
    device_name: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def may(self, allowed: Iterable[Role]) -> bool:
        """Whether any of this principal's roles is allowed (the open roles need nothing)."""
        wanted = frozenset(allowed)
        return bool(wanted & OPEN) or bool(wanted & self.roles)


def allow(*roles: Role) -> Callable[[F], F]:
    """Declare the roles that may use a view (the administrator may use every staff and
    device view as well)."""

    def mark(view: F) -> F:
        setattr(view, ROLE_ATTRIBUTE, frozenset(roles))
        return view

    return mark


def roles_of_endpoint(app: Flask, endpoint: str) -> frozenset[Role] | None:
    """The declared roles of an endpoint, None when it declares nothing."""
    if endpoint in BUILT_IN:
        return BUILT_IN[endpoint]
    view = app.view_functions.get(endpoint)
    roles = getattr(view, ROLE_ATTRIBUTE, None)
    return roles if isinstance(roles, frozenset) else None


def roles_of(account_role: str | None, device_kind: str | None) -> frozenset[Role]:
    roles: set[Role] = set()
    if account_role == Role.ADMIN:
        roles |= STAFF | DEVICES
    elif account_role in (Role.MODERATOR, Role.CLERK):
        roles.add(Role(account_role))
    if device_kind in DEVICES:
        roles.add(Role(device_kind))
    return frozenset(roles)


def role_word(role: Role) -> str:
    """A role in the request's language."""
    from flask_babel import gettext

    words = {
        Role.ADMIN: gettext("administrator"),
        Role.MODERATOR: gettext("moderator"),
        Role.CLERK: gettext("clerk"),
        Role.KIOSK: gettext("paired kiosk"),
        Role.PROJECTOR: gettext("paired projector"),
        Role.BOOTH: gettext("paired voting booth"),
        Role.ATTENDEE: gettext("attendee (personal code)"),
        Role.ANYONE: gettext("anyone"),
    }
    return words[role]


def device_kinds() -> dict[str, str]:
    """The kinds of room device in words, for the clerk desk's pairing form."""
    from flask_babel import gettext

    return {
        Role.KIOSK.value: gettext("Sign-in kiosk"),
        Role.PROJECTOR.value: gettext("Projector"),
        Role.BOOTH.value: gettext("Voting booth"),
    }


def role_names(roles: Iterable[Role]) -> str:
    """Roles in words, for a refusal (the administrator may always)."""
    from flask_babel import gettext

    named = [role_word(r) for r in sorted(roles, key=list(Role).index) if r != Role.ADMIN]
    return gettext(", ").join([*named, role_word(Role.ADMIN)])


def refusal_for(roles: frozenset[Role], principal: Principal) -> Refusal:
    """Why this principal may not: not logged in, not paired, or the wrong role."""
    if principal.roles:
        return Refusal(Problem.FORBIDDEN, roles=role_names(roles))
    if roles & DEVICES:
        return Refusal(Problem.DEVICE_NOT_PAIRED)
    return Refusal(Problem.LOGIN_REQUIRED)
