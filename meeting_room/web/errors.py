"""Errors become clear messages in one place, for HTTP and Socket.IO alike.

Every refusal and every failure reaches a person as ``{"error": {"code", "message"}}`` (an
API call, a kiosk call, a socket acknowledgement) or as the error page (a browser navigating).
``refusal_of`` decides what an exception stands for; ``envelope`` words it; the HTTP handlers
below and ``event_answer`` (sockets) both use them. A fault of the box itself is logged with
its trace but never its message (it can carry a personal token), and answered calmly.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Iterable, Mapping
from typing import Any

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import HTTPException

from meeting_room.domain.problems import Problem, Refusal
from meeting_room.web.messages import describe

log = logging.getLogger(__name__)

STATUS = {
    Problem.MEETING_NOT_FOUND: 404,
    Problem.MEMBER_NOT_FOUND: 404,
    Problem.TOKEN_UNKNOWN: 404,
    Problem.LOCKED: 423,
    Problem.INVALID_INPUT: 422,
    Problem.ROSTER_NOT_CHECKED: 409,
    Problem.DEADLINE_PASSED: 422,
    Problem.NOT_A_CARD: 422,
    Problem.TOPIC_NOT_FOUND: 404,
    Problem.CATEGORY_NOT_FOUND: 404,
    Problem.TOPIC_REASON_REQUIRED: 422,
    Problem.STORAGE_FULL: 507,
    Problem.STORAGE_READ_ONLY: 503,
    Problem.STORAGE_FAILED: 503,
    Problem.LOGIN_REQUIRED: 401,
    Problem.DEVICE_NOT_PAIRED: 401,
    Problem.LOGIN_FAILED: 401,
    Problem.FORBIDDEN: 403,
    Problem.TOO_MANY_TRIES: 429,
    Problem.OBJECTION_LOCKED: 429,
    Problem.PAIRING_FAILED: 400,
    Problem.CSRF_FAILED: 400,
    Problem.WEAK_PASSWORD: 422,
    Problem.ACCOUNT_NOT_FOUND: 404,
    Problem.DEVICE_NOT_FOUND: 404,
    Problem.READ_ALOUD_BUSY: 429,
    Problem.MINUTES_NOT_PUBLISHED: 403,
    Problem.PHOTO_TOO_LARGE: 413,
    Problem.TOO_MANY_CONNECTIONS: 429,
    Problem.SURVEY_NOT_FOUND: 404,
}
# Errors raised when a value reaches the database that it cannot hold: input, not a bug.
UNSTORABLE = (OverflowError, UnicodeEncodeError)
# What Python says when a handler is called with arguments it does not take.
WRONG_ARGUMENTS = re.compile(
    r"missing \d+ required positional argument|takes (from \d+ to )?\d+ positional argument"
    r"|unexpected keyword argument"
)


class ErrorBody(BaseModel):
    """What went wrong, in words for a person."""

    code: str
    message: str


class ErrorResponse(BaseModel):
    """Every error of the API, the kiosk's calls and the socket acknowledgements."""

    error: ErrorBody


def invalid_input(errors: Iterable[Mapping[str, Any]], whole: str = "payload") -> Refusal:
    """The refusal of input a schema rejected, naming its fields (never their values)."""
    fields = ", ".join(".".join(str(p) for p in e.get("loc", ())) or whole for e in errors)
    return Refusal(Problem.INVALID_INPUT, detail=fields or whole)


def refusal_of(error: BaseException, whole: str = "payload") -> Refusal | None:
    """The refusal an error stands for: a refusal itself, or input that a schema or the
    database refused; None for a fault of the box."""
    if isinstance(error, Refusal):
        return error
    if isinstance(error, ValidationError):
        return invalid_input(error.errors(include_input=False), whole)
    if isinstance(error, UNSTORABLE):
        return Refusal(Problem.INVALID_INPUT, detail=whole)
    return None


def internal_message() -> str:
    """What a person reads when the box itself failed."""
    return str(gettext("Something went wrong. Nothing was lost; please try again."))


def envelope(refusal: Refusal | None) -> dict[str, Any]:
    """``{"error": {"code", "message"}}`` for a refusal, or for the box's own failure (None)."""
    if refusal is None:
        body = ErrorBody(code="internal", message=internal_message())
    else:
        body = ErrorBody(code=refusal.problem.value, message=describe(refusal))
    return ErrorResponse(error=body).model_dump()


def status_of(refusal: Refusal) -> int:
    """The HTTP status of a refusal (409, a conflict with the meeting's state, unless listed)."""
    return STATUS.get(refusal.problem, 409)


def safe_trace(error: BaseException) -> str:
    """Where an error happened, without its message (which can carry a token or a payload)."""
    frames = "".join(traceback.format_tb(error.__traceback__))
    return f"{frames}{type(error).__name__} (message withheld)"


def event_answer(error: Exception) -> dict[str, Any]:
    """The acknowledgement of a Socket.IO event whose handler raised (a client sending more
    arguments than an event takes is input too)."""
    refusal = refusal_of(error)
    if isinstance(error, TypeError) and WRONG_ARGUMENTS.search(str(error)):
        refusal = Refusal(Problem.INVALID_INPUT, detail="payload")
    if refusal is None:
        log.error(
            "unexpected error in event %s of %s:\n%s",
            request.event.get("message", "?") if hasattr(request, "event") else "?",
            getattr(request, "namespace", "?"),
            safe_trace(error),
        )
    return envelope(refusal)


def wants_json() -> bool:
    """API and kiosk calls get JSON; browsers navigating get a page."""
    return request.path.startswith(("/api/", "/kiosk/api/", "/clerk/api/", "/booth/api/")) or (
        request.accept_mimetypes.best == "application/json"
    )


def error_response(refusal: Refusal | None, status: int) -> ResponseReturnValue:
    """The envelope as JSON, or the error page with its message."""
    body = envelope(refusal)
    if wants_json():
        return jsonify(body), status
    return render_template("error.html", message=body["error"]["message"], status=status), status


def http_message(status: int) -> str:
    """The words for an HTTP error that no refusal explains."""
    messages = {
        400: gettext("The request could not be understood."),
        403: gettext("This screen is for the hall's staff."),
        404: gettext("This page does not exist."),
        405: gettext("This action is not allowed here."),
        413: gettext("The file is too large."),
    }
    return str(messages.get(status, gettext("The request failed.")))


def init_app(app: Flask) -> None:
    """Register the handlers (and refuse what no schema can: see ``limits``)."""
    from meeting_room.extensions import socketio
    from meeting_room.web import limits

    limits.init_app(app)
    socketio.on_error_default(event_answer)

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError) -> ResponseReturnValue:
        log.warning("refused %s %s: %s", request.method, _rule(), error.description)
        return error_response(Refusal(Problem.CSRF_FAILED), 400)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        status = error.code or 500
        body = ErrorResponse(error=ErrorBody(code=str(status), message=http_message(status)))
        if wants_json():
            return jsonify(body.model_dump()), status
        return render_template("error.html", message=body.error.message, status=status), status

    @app.errorhandler(Exception)
    def failed(error: Exception) -> ResponseReturnValue:
        refusal = refusal_of(error, whole="body")
        if refusal is not None:
            return error_response(refusal, status_of(refusal))
        log.error("unexpected error on %s %s:\n%s", request.method, _rule(), safe_trace(error))
        return error_response(None, 500)


def _rule() -> str:
    # The rule, not the path: a path can carry a personal token, which never goes to a log.
    return request.url_rule.rule if request.url_rule else "(no route)"
