"""Input refused at the edge: ids SQLite cannot hold (``Id`` for schemas, and in routes), JSON
text with lone surrogates, and Socket.IO events whose handler failed (answered, never a trace)."""

from __future__ import annotations

import logging
import re
import traceback
from typing import Annotated, Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from pydantic import Field
from werkzeug.routing import IntegerConverter

from meeting_room.domain.problems import Problem, Refusal
from meeting_room.extensions import socketio
from meeting_room.web.messages import describe

log = logging.getLogger(__name__)

LARGEST_ID = 2**63 - 1  # SQLite's INTEGER
# Errors raised when a value reaches the database that it cannot hold: input, not a bug.
UNSTORABLE = (OverflowError, UnicodeEncodeError)
# What Python says when a handler is called with arguments it does not take.
WRONG_ARGUMENTS = re.compile(
    r"missing \d+ required positional argument|takes (from \d+ to )?\d+ positional argument"
    r"|unexpected keyword argument"
)

Id = Annotated[int, Field(ge=1, le=LARGEST_ID)]


class IdConverter(IntegerConverter):
    """``<int:...>`` in a route: at most 18 digits, which SQLite holds; a longer number matches
    no route (404). A ``max`` would answer 405 where another method's route shares the path."""

    regex = r"\d{1,18}"


class UnicodeJSONProvider(DefaultJSONProvider):
    """JSON bodies of Unicode text and sane depth: ``"\\ud800"`` alone, or ``[[[[...`` nested
    past Python's recursion limit, is refused as unreadable (400) instead of failing (500)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            data = super().loads(s, **kwargs)
            self.dumps(data, ensure_ascii=False).encode("utf-8")
        except RecursionError as error:
            raise ValueError("the JSON text is nested too deeply") from error
        except UnicodeEncodeError as error:
            raise ValueError("the JSON text holds a lone surrogate") from error
        return data


def safe_trace(error: BaseException) -> str:
    """Where an error happened, without its message (which can carry a token or a payload)."""
    frames = "".join(traceback.format_tb(error.__traceback__))
    return f"{frames}{type(error).__name__} (message withheld)"


def event_error(error: Exception) -> dict[str, Any]:
    """The ack of a Socket.IO event whose handler raised: a clear error, the trace to the log."""
    from meeting_room.web.errors import internal_message

    wrong_arguments = isinstance(error, TypeError) and WRONG_ARGUMENTS.search(str(error))
    if wrong_arguments or isinstance(error, UNSTORABLE):
        refusal = Refusal(Problem.INVALID_INPUT, detail="payload")
        return {"error": {"code": refusal.problem.value, "message": describe(refusal)}}
    log.error(
        "unexpected error in event %s of %s:\n%s",
        request.event.get("message", "?") if hasattr(request, "event") else "?",
        getattr(request, "namespace", "?"),
        safe_trace(error),
    )
    return {"error": {"code": "internal", "message": internal_message()}}


def init_app(app: Flask) -> None:
    """Bound ids in routes (before any route is added), Unicode-only JSON, event errors."""
    app.url_map.converters["int"] = IdConverter
    app.json = UnicodeJSONProvider(app)
    socketio.on_error_default(event_error)
