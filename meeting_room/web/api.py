"""The JSON API under /api/v1: its blueprint, its spec (spectree, strict), the errors every
operation may answer, and spectree's validation errors in the one error envelope. Each feature
adds its own routes (``<feature>/routes.py``); ``app.py`` imports them and serves openapi.json."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Flask, Response
from pydantic import ValidationError
from spectree import SpecTree
from spectree.model_adapter.protocol import SchemaMode
from spectree.model_adapter.pydantic_adapter import PydanticModelAdapter

from meeting_room.web.errors import ErrorResponse, envelope, invalid_input


def _problem_body(request: Any, response: Any, error: Any, _instance: Any, _adapter: Any) -> None:
    """Spectree's validation errors in the one error envelope."""
    if error is None or response is None:
        return
    response.set_data(json.dumps(envelope(invalid_input(error.errors())), ensure_ascii=False))
    response.mimetype = "application/json"


class _ErrorsWithoutInput(PydanticModelAdapter):
    """Spectree's validation errors without the input they echo (a file, a personal token,
    form fields without a name), which ``_problem_body`` replaces anyway; each model's JSON
    schema made once."""

    def __init__(self) -> None:
        super().__init__()
        self._schemas: dict[tuple[type[Any], str, str], dict[str, Any]] = {}

    def json_schema(
        self, model: type[Any], *, ref_template: str, mode: SchemaMode = "validation"
    ) -> dict[str, Any]:
        """The model's schema, made at its first route: spectree asks again for every route
        that names it (``ErrorResponse`` under each of ``ERRORS``: over 500 times at start),
        and copies what it gets before changing it."""
        key = (model, ref_template, mode)
        if key not in self._schemas:
            self._schemas[key] = super().json_schema(model, ref_template=ref_template, mode=mode)
        return self._schemas[key]

    def validation_errors(self, err: Exception) -> Any:
        assert isinstance(err, ValidationError)
        return err.errors(include_url=False, include_context=False, include_input=False)


spec = SpecTree(
    "flask",
    # spectree's own pydantic adapter does not match its protocol's attribute types either
    model_adapter=_ErrorsWithoutInput(),  # type: ignore[arg-type]
    path="apidoc",  # spectree leaves out routes under its own path; /api/v1/openapi.json is ours
    mode="strict",
    title="Yishi API",
    version="1",
    page_templates={},
    before=_problem_body,
    validation_error_model=ErrorResponse,
)
bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Every operation can also be refused for its roles (401 not logged in or not paired, 403 the
# wrong role; see docs/access.md) and by a full (507) or unwritable (503) database.
ERRORS = {
    "HTTP_401": ErrorResponse,
    "HTTP_403": ErrorResponse,
    "HTTP_404": ErrorResponse,
    "HTTP_409": ErrorResponse,
    "HTTP_423": ErrorResponse,
    "HTTP_503": ErrorResponse,
    "HTTP_507": ErrorResponse,
}


def init_app(app: Flask) -> None:
    """Register the API's blueprint and its spec, once every feature's routes are on it (the
    composition root imports them first); JSON answers are never cached."""
    app.register_blueprint(bp)
    spec.register(app)

    @app.after_request
    def no_cache_for_api(response: Response) -> Response:
        if response.mimetype == "application/json":
            response.headers.setdefault("Cache-Control", "no-store")
        return response
