"""The Socket.IO edge: handlers take one typed payload and answer a typed acknowledgement.

A handler is a plain function ``(wanted: SomeModel) -> SomeAck | None``. ``typed`` validates
what the client sent into the model named by the handler's annotation, calls it, and dumps
its answer; anything it raises (a refusal, input a schema refused, a fault of the box) is
answered by ``errors.event_answer`` in the one error envelope. Roles are checked before, by
``access.sockets`` which binds the handlers.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import wraps
from typing import Any, Literal, TypeVar, get_type_hints

from pydantic import BaseModel

from meeting_room.web.errors import event_answer

In = TypeVar("In", bound=BaseModel)
Handler = Callable[[In], BaseModel | None]


class MeetingIn(BaseModel):
    """A screen asks to follow a meeting (or acts on it)."""

    meeting_id: int


class Ok(BaseModel):
    """An acknowledgement that says only that the event was done."""

    ok: Literal[True] = True


def payload_model(handler: Callable[..., Any]) -> type[BaseModel]:
    """The model a handler takes: the annotation of its one parameter."""
    parameters = list(inspect.signature(handler).parameters)
    if len(parameters) != 1:
        raise TypeError(f"{handler.__qualname__} must take exactly one payload")
    model = get_type_hints(handler)[parameters[0]]
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise TypeError(f"{handler.__qualname__}'s payload must be a pydantic model")
    return model


def answer(result: BaseModel | None) -> dict[str, Any]:
    """A handler's answer as the client receives it."""
    return (result or Ok()).model_dump(mode="json")


def typed(handler: Handler[Any]) -> Callable[..., dict[str, Any]]:
    """``handler`` as Flask-SocketIO calls it: raw data in, a JSON-ready dict out."""
    model = payload_model(handler)

    @wraps(handler)
    def call(data: Any = None) -> dict[str, Any]:
        try:
            return answer(handler(model.model_validate(data)))
        except Exception as error:
            return event_answer(error)

    return call
