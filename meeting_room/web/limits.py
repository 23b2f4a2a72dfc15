"""Input refused at the edge: ids SQLite cannot hold (``Id`` for schemas, and in routes), and
JSON text with lone surrogates or nested past the recursion limit."""

from __future__ import annotations

from typing import Annotated, Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from pydantic import Field
from werkzeug.routing import IntegerConverter

LARGEST_ID = 2**63 - 1  # SQLite's INTEGER
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


def init_app(app: Flask) -> None:
    """Bound ids in routes (before any route is added), Unicode-only JSON."""
    app.url_map.converters["int"] = IdConverter
    app.json = UnicodeJSONProvider(app)
