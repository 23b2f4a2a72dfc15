"""The guard in front of every route: refuse what the principal's roles do not allow."""

from __future__ import annotations

import logging
from urllib.parse import quote

from flask import current_app, redirect, request
from flask.typing import ResponseReturnValue

from meeting_room.access.principal import current_principal
from meeting_room.access.roles import DEVICES, OPEN, Principal, refusal_for, roles_of_endpoint
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.web.errors import wants_json
from meeting_room.web.quiet_gc import COLLECTOR

log = logging.getLogger(__name__)


def guard() -> ResponseReturnValue | None:
    """Before every request: refuse what the principal's roles do not allow."""
    COLLECTOR.touch()
    endpoint = request.endpoint
    if endpoint is None:
        return None  # 404 or 405: nothing to protect
    roles = roles_of_endpoint(current_app, endpoint)
    if roles is None:
        log.error("route %s declares no roles; refused", request.url_rule)
        raise Refusal(Problem.FORBIDDEN, roles="-")
    principal = current_principal() if not roles & OPEN else Principal()
    if principal.may(roles):
        return None
    refusal = refusal_for(roles, principal)
    if request.method == "GET" and not wants_json() and not principal.roles:
        target = quote(request.full_path.rstrip("?"), safe="/?=&")
        if roles & DEVICES:
            return redirect(f"/pair?next={target}")
        return redirect(f"/login?next={target}")
    raise refusal
