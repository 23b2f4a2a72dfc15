"""The staff's HTML forms: a refusal or an invalid field becomes a sentence the clerk reads on
the page they were on (never a stack trace, never a JSON error on a navigated page)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import flash, redirect
from flask_babel import gettext
from pydantic import ValidationError
from werkzeug.wrappers import Response

from meeting_room.domain.problems import Refusal
from meeting_room.web.messages import describe


def field_errors(error: ValidationError, labels: Mapping[str, str]) -> list[str]:
    """Each invalid field in words, named by its label on the form."""
    words = []
    for problem in error.errors():
        field = str(problem["loc"][0]) if problem["loc"] else ""
        label = labels.get(field, field)
        context: dict[str, Any] = problem.get("ctx") or {}
        kind = problem["type"]
        if kind in ("missing", "string_too_short"):
            words.append(gettext("%(field)s: please fill this in.", field=label))
        elif kind == "string_too_long":
            words.append(
                gettext(
                    "%(field)s: at most %(max)s characters.",
                    field=label,
                    max=context.get("max_length", ""),
                )
            )
        elif kind in ("greater_than_equal", "less_than_equal", "int_parsing", "int_from_float"):
            words.append(gettext("%(field)s: please give a whole number in range.", field=label))
        elif kind.startswith("datetime") or kind.startswith("date") or kind.startswith("time"):
            words.append(gettext("%(field)s: please give a date and a time.", field=label))
        elif kind == "string_pattern_mismatch":
            words.append(gettext("%(field)s: please write a share such as 2/3.", field=label))
        else:
            words.append(gettext("%(field)s: this value is not valid.", field=label))
    return words


def refusal_words(refusal: Refusal) -> str:
    """A refusal as the clerk reads it."""
    return describe(refusal)


def attempt(action: Callable[[], str | None], back: str, labels: Mapping[str, str]) -> Response:
    """Do a form's action, then go back to ``back`` with what happened (or what was wrong)
    flashed: the action answers its confirmation, or None for none."""
    try:
        done = action()
    except ValidationError as error:
        for words in field_errors(error, labels):
            flash(words, "error")
    except Refusal as refusal:
        flash(refusal_words(refusal), "error")
    else:
        if done:
            flash(done, "done")
    return redirect(back, code=303)
