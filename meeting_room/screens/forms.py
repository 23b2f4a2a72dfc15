"""The staff's HTML forms: what was posted and by whom, and a refusal or an invalid field
becomes a sentence the clerk reads on the page they were on (never a stack trace, never a JSON
error on a navigated page)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import flash, redirect, request
from flask_babel import gettext
from pydantic import ValidationError
from werkzeug.wrappers import Response

from meeting_room.access.principal import current_principal
from meeting_room.domain.problems import Refusal
from meeting_room.web.messages import describe


def words(message: str, **values: object) -> str:
    """A screen's sentence in the request's language (the screens import it as ``_``)."""
    return str(gettext(message, **values))


def staff_name() -> str:
    """Who makes the change: the logged-in staff account (as its audit entries show), else the
    paired device."""
    who = current_principal()
    return who.username or who.device_name


def posted(**extra: Any) -> dict[str, Any]:
    """The posted fields, blanks left out (an empty optional field means "no change"), with who
    posts them (``by``) and ``extra``."""
    fields = {k: v for k, v in request.form.items() if k != "csrf_token" and v.strip() != ""}
    return fields | {"by": staff_name()} | extra


def field_errors(error: ValidationError, labels: Mapping[str, str]) -> list[str]:
    """Each invalid field in words, named by its label on the form."""
    said = []
    for problem in error.errors():
        field = str(problem["loc"][0]) if problem["loc"] else ""
        label = labels.get(field, field)
        context: dict[str, Any] = problem.get("ctx") or {}
        kind = problem["type"]
        if kind in ("missing", "string_too_short"):
            said.append(gettext("%(field)s: please fill this in.", field=label))
        elif kind == "string_too_long":
            said.append(
                gettext(
                    "%(field)s: at most %(max)s characters.",
                    field=label,
                    max=context.get("max_length", ""),
                )
            )
        elif kind in ("greater_than_equal", "less_than_equal", "int_parsing", "int_from_float"):
            said.append(gettext("%(field)s: please give a whole number in range.", field=label))
        elif kind.startswith("datetime") or kind.startswith("date") or kind.startswith("time"):
            said.append(gettext("%(field)s: please give a date and a time.", field=label))
        elif kind == "string_pattern_mismatch":
            said.append(gettext("%(field)s: please write a share such as 2/3.", field=label))
        else:
            said.append(gettext("%(field)s: this value is not valid.", field=label))
    return said


def refusal_words(refusal: Refusal) -> str:
    """A refusal as the clerk reads it."""
    return describe(refusal)


def attempt(action: Callable[[], str | None], back: str, labels: Mapping[str, str]) -> Response:
    """Do a form's action, then go back to ``back`` with what happened (or what was wrong)
    flashed: the action answers its confirmation, or None for none."""
    try:
        done = action()
    except ValidationError as error:
        for line in field_errors(error, labels):
            flash(line, "error")
    except Refusal as refusal:
        flash(refusal_words(refusal), "error")
    else:
        if done:
            flash(done, "done")
    return redirect(back, code=303)
