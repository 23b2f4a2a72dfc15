"""The preparation workspace's agenda and draft polls (/clerk/prepare/<meeting>/...): add,
correct, move and remove items; add, correct and remove the draft polls of an item. Each post
calls one service (``floor.service``, ``voting.service``: audited, broadcast) and answers the
page with what happened."""

from __future__ import annotations

from flask import Blueprint, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from meeting_room.access.roles import Role, allow
from meeting_room.floor import service as floor
from meeting_room.floor.schemas import ItemDraft, ItemPatch
from meeting_room.screens.forms import attempt
from meeting_room.voting import service as voting
from meeting_room.voting.schemas import PollFields

bp = Blueprint("prepare_agenda", __name__)


def _labels() -> dict[str, str]:
    return {
        "title": gettext("Title"),
        "planned_minutes": gettext("Planned minutes"),
        "description": gettext("Description"),
        "question": gettext("Question"),
        "options": gettext("Options"),
        "max_choices": gettext("Most choices per ballot"),
        "duration_s": gettext("Countdown (seconds)"),
        "groups": gettext("Groups"),
    }


def _back(meeting_id: int, anchor: str = "agenda") -> str:
    return url_for("prepare.meeting", meeting_id=meeting_id, _anchor=anchor)


@bp.post("/clerk/prepare/<int:meeting_id>/agenda")
@allow(Role.CLERK)
def add_item(meeting_id: int) -> Response:
    """Add an item at the end of the agenda."""

    def add() -> str:
        floor.add_item(meeting_id, ItemDraft.model_validate(request.form.to_dict()))
        return gettext("Item added.")

    return attempt(add, _back(meeting_id), _labels())


@bp.post("/clerk/prepare/<int:meeting_id>/agenda/<int:item_id>")
@allow(Role.CLERK)
def edit_item(meeting_id: int, item_id: int) -> Response:
    """Correct an item's title, kind, planned time or description."""

    def save() -> str:
        floor.edit_item(meeting_id, item_id, ItemPatch.model_validate(request.form.to_dict()))
        return gettext("Saved.")

    return attempt(save, _back(meeting_id, f"item-{item_id}"), _labels())


@bp.post("/clerk/prepare/<int:meeting_id>/agenda/<int:item_id>/move")
@allow(Role.CLERK)
def move_item(meeting_id: int, item_id: int) -> Response:
    """Move an item one place up or down (``order`` holds the page's order of the items)."""

    def move() -> None:
        order = [int(i) for i in request.form.getlist("order") if i.isdigit()]
        if item_id in order:
            at = order.index(item_id)
            to = at - 1 if request.form.get("direction") == "up" else at + 1
            if 0 <= to < len(order):
                order[at], order[to] = order[to], order[at]
        floor.reorder(meeting_id, order)

    return attempt(move, _back(meeting_id, f"item-{item_id}"), _labels())


@bp.post("/clerk/prepare/<int:meeting_id>/agenda/<int:item_id>/remove")
@allow(Role.CLERK)
def remove_item(meeting_id: int, item_id: int) -> Response:
    """Take an item (and its draft polls) off the agenda before it is discussed."""

    def remove() -> str:
        floor.remove_item(meeting_id, item_id)
        return gettext("The item is removed from the agenda.")

    return attempt(remove, _back(meeting_id), _labels())


def _poll_fields() -> PollFields:
    data: dict[str, object] = dict(request.form.to_dict())
    data["options"] = [o for o in request.form.get("options", "").splitlines() if o.strip()]
    data["groups"] = request.form.getlist("groups")
    data["secret"] = "secret" in request.form
    data["item_id"] = request.form.get("item_id", type=int)
    if data.get("duration_s") == "":
        data["duration_s"] = None
    return PollFields.model_validate(data)


@bp.post("/clerk/prepare/<int:meeting_id>/polls")
@allow(Role.CLERK)
def add_poll(meeting_id: int) -> Response:
    """Draft a poll on an item."""

    def add() -> str:
        voting.create(meeting_id, _poll_fields().draft())
        return gettext("The draft vote is saved.")

    return attempt(add, _back(meeting_id, "polls"), _labels())


@bp.post("/clerk/prepare/<int:meeting_id>/polls/<int:poll_id>")
@allow(Role.CLERK)
def edit_poll(meeting_id: int, poll_id: int) -> Response:
    """Correct a draft poll."""

    def save() -> str:
        voting.edit_draft(meeting_id, poll_id, _poll_fields().draft())
        return gettext("The draft vote is saved.")

    return attempt(save, _back(meeting_id, f"poll-{poll_id}"), _labels())


@bp.post("/clerk/prepare/<int:meeting_id>/polls/<int:poll_id>/remove")
@allow(Role.CLERK)
def remove_poll(meeting_id: int, poll_id: int) -> Response:
    """Delete a draft poll."""

    def remove() -> str:
        voting.remove_draft(meeting_id, poll_id)
        return gettext("The draft vote is removed.")

    return attempt(remove, _back(meeting_id, "polls"), _labels())
