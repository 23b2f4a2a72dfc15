"""A voting period's result on the notice board (/board/assembly/<id>), for the owners and the
projector (``?projector=1``: the same page in large type): the preliminary or final result with
the law in words, the per-unit list as the hall chose to publish it (never a name or a phone
number), the objections with their written answers, and, while the objection window runs, the
form an owner lodges one with: the unit's address and the last 4 digits of an owner's phone
on the roster (the personal check the kiosk uses too), locked for a while after repeated wrong
digits (``assembly.service.lodge_at_board``)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from meeting_room.access.roles import Role, allow
from meeting_room.assembly import service
from meeting_room.assembly.desk import period_desk
from meeting_room.domain.assembly import PeriodState
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.screens.assembly import result_words, words
from meeting_room.web.messages import describe

bp = Blueprint("assembly_board", __name__)
PUBLISHED = (PeriodState.PRELIMINARY, PeriodState.FINAL)


@bp.get("/board/assembly/<int:period_id>")
@allow(Role.ANYONE)
def result(period_id: int, draft: dict[str, str] | None = None) -> ResponseReturnValue:
    """The published result of a period (nothing before the clerk publishes it); ``draft``:
    the objection form's unit and text as an owner sent them (kept when it was refused)."""
    desk = period_desk(period_id)
    if desk.period.state not in PUBLISHED:
        raise Refusal(Problem.PERIOD_STATE, state=desk.period.state.value)
    return render_template(
        "board_assembly.html",
        desk=desk,
        projector=request.args.get("projector") == "1",
        window_open=desk.period.state is PeriodState.PRELIMINARY,
        draft=draft or {},
        **result_words(desk),
        **words(),
    )


@bp.post("/board/assembly/<int:period_id>/objections")
@allow(Role.ANYONE)
def lodge(period_id: int) -> ResponseReturnValue:
    """An owner lodges an objection at the board."""
    form = request.form
    try:
        service.lodge_at_board(
            period_id,
            form.get("unit", ""),
            form.get("tail", ""),
            form.get("text", ""),
            request.remote_addr or "",
        )
        flash(str(gettext("Your objection is recorded. The clerk answers it in writing here.")))
    except Refusal as refusal:
        flash(describe(refusal), "error")
        # The page again with what the owner wrote (never the digits): nothing typed is lost.
        return result(period_id, {"unit": form.get("unit", ""), "text": form.get("text", "")})
    return redirect(url_for("assembly_board.result", period_id=period_id) + "#objections")
