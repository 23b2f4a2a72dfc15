"""Errors become clear messages in one place: JSON for API calls, a page otherwise. No traces."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from meeting_room.domain.problems import Problem, Refusal
from meeting_room.web.limits import safe_trace
from meeting_room.web.messages import describe

log = logging.getLogger(__name__)

STATUS = {
    Problem.MEETING_NOT_FOUND: 404,
    Problem.MEMBER_NOT_FOUND: 404,
    Problem.TOKEN_UNKNOWN: 404,
    Problem.LOCKED: 423,
    Problem.INVALID_INPUT: 422,
    Problem.STORAGE_FULL: 507,
    Problem.STORAGE_READ_ONLY: 503,
    Problem.STORAGE_FAILED: 503,
    Problem.LOGIN_REQUIRED: 401,
    Problem.DEVICE_NOT_PAIRED: 401,
    Problem.LOGIN_FAILED: 401,
    Problem.FORBIDDEN: 403,
    Problem.TOO_MANY_TRIES: 429,
    Problem.PAIRING_FAILED: 400,
    Problem.CSRF_FAILED: 400,
    Problem.WEAK_PASSWORD: 422,
    Problem.ACCOUNT_NOT_FOUND: 404,
    Problem.DEVICE_NOT_FOUND: 404,
}


def wants_json() -> bool:
    """API and kiosk calls get JSON; browsers navigating get a page."""
    return request.path.startswith(("/api/", "/kiosk/api/", "/clerk/api/", "/booth/api/")) or (
        request.accept_mimetypes.best == "application/json"
    )


def error_response(code: str, message: str, status: int) -> ResponseReturnValue:
    """``{"error": {"code", "message"}}`` or the error page."""
    if wants_json():
        return jsonify(error={"code": code, "message": message}), status
    return render_template("error.html", message=message, status=status), status


def internal_message() -> str:
    """What a person reads when the box itself failed."""
    return str(gettext("Something went wrong. Nothing was lost; please try again."))


def init_app(app: Flask) -> None:
    """Register the handlers (and refuse what no schema can: see ``bad_input``)."""
    from meeting_room.web import limits as bad_input

    bad_input.init_app(app)

    @app.errorhandler(Refusal)
    def refused(error: Refusal) -> ResponseReturnValue:
        return error_response(error.problem.value, describe(error), STATUS.get(error.problem, 409))

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError) -> ResponseReturnValue:
        rule = request.url_rule.rule if request.url_rule else "(no route)"
        log.warning("refused %s %s: %s", request.method, rule, error.description)
        refusal = Refusal(Problem.CSRF_FAILED)
        return error_response(refusal.problem.value, describe(refusal), 400)

    @app.errorhandler(ValidationError)
    def invalid(error: ValidationError) -> ResponseReturnValue:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) or "body" for e in error.errors())
        refusal = Refusal(Problem.INVALID_INPUT, detail=fields)
        return error_response(refusal.problem.value, describe(refusal), 422)

    @app.errorhandler(OverflowError)
    @app.errorhandler(UnicodeEncodeError)
    def unstorable(_error: Exception) -> ResponseReturnValue:
        # A number or a text the database cannot hold, which a schema let through.
        refusal = Refusal(Problem.INVALID_INPUT, detail="body")
        return error_response(refusal.problem.value, describe(refusal), 422)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        messages = {
            400: gettext("The request could not be understood."),
            403: gettext("This screen is for the hall's staff."),
            404: gettext("This page does not exist."),
            405: gettext("This action is not allowed here."),
            413: gettext("The file is too large."),
        }
        status = error.code or 500
        return error_response(
            str(status), messages.get(status, gettext("The request failed.")), status
        )

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> ResponseReturnValue:
        # The rule, not the path: a path can carry a personal token, which never goes to a log.
        rule = request.url_rule.rule if request.url_rule else "(no route)"
        log.error("unexpected error on %s %s:\n%s", request.method, rule, safe_trace(error))
        return error_response("internal", internal_message(), 500)
