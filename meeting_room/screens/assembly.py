"""The clerk's owners' assembly screens (/clerk/assembly): set up a voting period (表决期) with
its art. 278 matters, open it (the base is fixed), watch participation live, enter a unit's
ballot handed in at the office, put a matter to the room through a named poll, close, publish
the preliminary result, answer objections and publish the final result.

Server-rendered forms (they work without a script): each posts to one route here, which reads
the form, calls the one writer (``assembly.service``: audited there) and comes back to the page
with what happened in words. A refusal is said on the page; nothing is half-written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from sqlalchemy import select

from meeting_room.access.principal import current_principal
from meeting_room.access.roles import Role, allow
from meeting_room.assembly import service
from meeting_room.assembly.desk import Desk, period_desk, periods, public_lines
from meeting_room.assembly.results import area_text
from meeting_room.assembly.room import link_poll
from meeting_room.assembly.words import (
    base_sentences,
    channel_name,
    law_sentences,
    matter_name,
    matter_sentences,
    state_name,
)
from meeting_room.clock import local, now
from meeting_room.domain.assembly import (
    Channel,
    MatterKind,
    PeriodState,
    PublishMode,
    SecondBallot,
    rule_for,
)
from meeting_room.domain.counting import YesNo
from meeting_room.domain.paper import Delivery
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.records.document import when
from meeting_room.records.words import option_name
from meeting_room.screens.paper_ballots import delivery_name
from meeting_room.store.models.assembly import ExclusiveUnit, PeriodMatter
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.voting import Poll
from meeting_room.store.storage import transaction
from meeting_room.web.messages import describe

bp = Blueprint("assembly", __name__)

MATTER_ROWS = 5  # matters the new-period form offers
DEFAULT_DAYS = 14


def _(message: str, **values: object) -> str:
    return str(gettext(message, **values))


def _by() -> str:
    who = current_principal()
    return who.username or who.device_name


def _done(period_id: int | None, anchor: str, work: Callable[[], str]) -> ResponseReturnValue:
    """Run one change, say how it went, and go back to the page at ``anchor``."""
    try:
        flash(work(), "done")
    except Refusal as refusal:
        flash(describe(refusal), "error")
    except ValueError:
        flash(describe(Refusal(Problem.INVALID_INPUT)), "error")
    if period_id is None:
        return redirect(url_for("assembly.index"))
    return redirect(url_for("assembly.page", period_id=period_id) + f"#{anchor}")


def delivery_lines(result: dict[str, object] | None) -> list[dict[str, object]]:
    """The delivery record kept with the count, one line a delivered unit (its time read back
    from the stored text), for the result's table."""
    record: Any = (result or {}).get("deliveries") or {}
    return [
        {**line, "at": dt.datetime.fromisoformat(line["at"]) if line.get("at") else None}
        for line in record.get("units", [])
    ]


def result_words(desk: Desk, full_record: bool = False) -> dict[str, object]:
    """What the result partial needs: the published lines and every sentence of the law. The
    delivery record unit by unit is printed in full on the clerk's page (``full_record``, the
    record kept with the minutes) and on the board where the hall publishes units by address."""
    result = desk.result
    return {
        "lines": public_lines(desk),
        "delivery_lines": delivery_lines(result),
        "full_record": full_record,
        "law": law_sentences(),
        "base_words": base_sentences(result) if result else [],
        "matter_words": (
            {m["matter_id"]: matter_sentences(m, result) for m in result["matters"]}
            if result
            else {}
        ),
    }


def percent(share: Fraction) -> str:
    """A share as a percentage with one decimal, for the eye (the count itself stays exact)."""
    return f"{float(share) * 100:.1f}"


def words() -> dict[str, object]:
    # Each delivery's words once per page (hundreds of units name one of four).
    deliveries: dict[str | None, str] = {d.value: delivery_name(d) for d in Delivery}
    deliveries[None] = delivery_name(None)
    return {
        "delivery_name": lambda word: deliveries[word or None],
        "percent": percent,
        "area": area_text,
        "state_name": state_name,
        "matter_name": matter_name,
        "channel_name": channel_name,
        "option_name": option_name,
        "when": when,
        "kinds": list(MatterKind),
        "rule_for": rule_for,
        "choices": list(YesNo),
    }


@bp.get("/clerk/assembly")
@allow(Role.CLERK)
def index() -> ResponseReturnValue:
    """Every voting period, and the form for a new one."""
    start = local(now()).replace(second=0, microsecond=0)
    with transaction() as s:
        meetings = [
            (m.id, m.title, when(m.starts_at))
            for m in s.scalars(select(Meeting).order_by(Meeting.starts_at.desc()))
        ]
    page = render_template(
        "clerk_assembly_index.html",
        periods=periods(),
        meetings=meetings,
        rows=range(1, MATTER_ROWS + 1),
        opens=start.strftime("%Y-%m-%dT%H:%M"),
        closes=(start + dt.timedelta(days=DEFAULT_DAYS)).strftime("%Y-%m-%dT%H:%M"),
        **words(),
    )
    return page, 200, {"Cache-Control": "no-store"}


def _moment(field: str) -> dt.datetime:
    """A datetime-local field read in the hall's time zone."""
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return dt.datetime.fromisoformat(request.form[field]).replace(tzinfo=zone)


@bp.post("/clerk/assembly")
@allow(Role.CLERK)
def create() -> ResponseReturnValue:
    """Set up a period in draft from the form."""
    form = request.form
    try:
        matters = [
            service.MatterIn(form.get(f"matter_{i}", ""), MatterKind(form[f"kind_{i}"]))
            for i in range(1, MATTER_ROWS + 1)
            if form.get(f"matter_{i}", "").strip()
        ]
        draft = service.PeriodDraft(
            title=form["title"].strip()[:200] or _("Owners' assembly"),
            opens_at=_moment("opens_at"),
            closes_at=_moment("closes_at"),
            matters=matters,
            meeting_id=int(form["meeting_id"]) if form.get("meeting_id") else None,
            objection_days=max(1, min(60, int(form.get("objection_days") or 7))),
            non_voters_agree=form.get("non_voters_agree") == "1",
            second_ballot=SecondBallot(form.get("second_ballot", "first_stands")),
            publish_mode=PublishMode(form.get("publish_mode", "named")),
        )
        period_id = service.create_period(draft, _by())
    except (KeyError, ValueError):
        flash(describe(Refusal(Problem.INVALID_INPUT)), "error")
        return redirect(url_for("assembly.index"))
    except Refusal as refusal:
        flash(describe(refusal), "error")
        return redirect(url_for("assembly.index"))
    flash(_("The voting period is set up. Check it, then open it."), "done")
    return redirect(url_for("assembly.page", period_id=period_id))


@bp.get("/clerk/assembly/<int:period_id>")
@allow(Role.CLERK)
def page(period_id: int) -> ResponseReturnValue:
    """One period: its state, the live participation, ballots, objections and results."""
    desk = period_desk(period_id)
    page = render_template(
        "clerk_assembly.html",
        desk=desk,
        **result_words(desk, full_record=True),
        states=PeriodState,
        ended=now() >= desk.period.closes_at,
        positions={m.id: m.position for m in desk.matters},
        **words(),
    )
    return page, 200, {"Cache-Control": "no-store"}


@bp.post("/clerk/assembly/<int:period_id>/open")
@allow(Role.CLERK)
def open_period(period_id: int) -> ResponseReturnValue:
    """Open the period, fixing its base (the clerk confirms assumed owners, if asked)."""
    assume = request.form.get("assume_owners") == "1"

    def work() -> str:
        units = service.open_period(period_id, _by(), assume)
        return _("The voting period is open: %(num)s units in its base.", num=units)

    return _done(period_id, "state", work)


def unit_by_address(period_id: int, text: str) -> int:
    """The unit named by its address or its unit key."""
    wanted = text.strip().replace(" ", "")
    with transaction() as s:
        for found in s.scalars(select(ExclusiveUnit).where(ExclusiveUnit.period_id == period_id)):
            if wanted in (found.address, found.unit_key):
                return found.id
    raise Refusal(Problem.UNIT_NOT_FOUND)


def _ballot_words(recorded: service.Recorded, titles: dict[int, int]) -> str:
    parts = []
    for matter_id, fate in recorded.fates.items():
        number = titles.get(matter_id, 0)
        if fate is service.Fate.REFUSED:
            parts.append(
                _(
                    "matter %(number)s refused: this unit already voted (%(channel)s); the first "
                    "ballot stands and both are kept",
                    number=number,
                    channel=channel_name(recorded.earlier_channels[matter_id]),
                )
            )
        elif fate is service.Fate.REPLACED:
            parts.append(
                _(
                    "matter %(number)s recorded in place of the earlier ballot (%(channel)s), "
                    "which is kept",
                    number=number,
                    channel=channel_name(recorded.earlier_channels[matter_id]),
                )
            )
        else:
            parts.append(_("matter %(number)s recorded", number=number))
    return _(
        "%(address)s: %(what)s. Receipt code %(receipt)s.",
        address=recorded.address,
        what=_("; ").join(parts),
        receipt=recorded.receipt,
    )


@bp.post("/clerk/assembly/<int:period_id>/ballots")
@allow(Role.CLERK)
def office_ballot(period_id: int) -> ResponseReturnValue:
    """A unit's ballot handed to the clerk at the office (or read from a paper ballot)."""
    form = request.form

    def work() -> str:
        desk = period_desk(period_id)
        chosen = {
            m.id: YesNo(form[f"choice_{m.id}"])
            for m in desk.matters
            if form.get(f"choice_{m.id}") in set(YesNo)
        }
        if not chosen:
            raise Refusal(Problem.INVALID_INPUT, detail="choice")
        recorded = service.record_unit_ballot(
            period_id,
            unit_by_address(period_id, form.get("unit", "")),
            chosen,
            Channel(form.get("channel", Channel.OFFICE)),
            _by(),
            evidence=form.get("evidence", "").strip()[:200],
        )
        return _ballot_words(recorded, {m.id: m.position for m in desk.matters})

    return _done(period_id, "office", work)


@bp.post("/clerk/assembly/<int:period_id>/matters/<int:matter_id>/poll")
@allow(Role.CLERK)
def put_to_room(period_id: int, matter_id: int) -> ResponseReturnValue:
    """Put a matter to the room through a named poll of the period's meeting."""

    def work() -> str:
        with transaction() as s:
            matter = s.get(PeriodMatter, matter_id)
            poll = s.get(Poll, int(request.form.get("poll_id") or 0))
            if matter is None or matter.period_id != period_id or poll is None:
                raise Refusal(Problem.INVALID_INPUT, detail="poll")
            link_poll(s, matter, poll)
            return _(
                "Matter %(number)s is put to the room: its named vote «%(question)s» records "
                "each voter's unit when it closes.",
                number=matter.position,
                question=poll.question,
            )

    return _done(period_id, "matters", work)


@bp.post("/clerk/assembly/<int:period_id>/close")
@allow(Role.CLERK)
def close(period_id: int) -> ResponseReturnValue:
    """Close the period and count it (the count is not published yet)."""

    def work() -> str:
        service.close_period(period_id, _by())
        return _("The voting period is closed and counted.")

    return _done(period_id, "results", work)


@bp.post("/clerk/assembly/<int:period_id>/preliminary")
@allow(Role.CLERK)
def preliminary(period_id: int) -> ResponseReturnValue:
    """Publish the preliminary result; the objection window starts."""

    def work() -> str:
        service.publish_preliminary(period_id, _by())
        return _(
            "The preliminary result is published on the board; the objection window has started."
        )

    return _done(period_id, "results", work)


@bp.post("/clerk/assembly/<int:period_id>/final")
@allow(Role.CLERK)
def final(period_id: int) -> ResponseReturnValue:
    """Publish the final result and its notice."""

    def work() -> str:
        service.publish_final(period_id, _by())
        return _("The final result is published on the board.")

    return _done(period_id, "results", work)


@bp.post("/clerk/assembly/<int:period_id>/objections")
@allow(Role.CLERK)
def lodge(period_id: int) -> ResponseReturnValue:
    """An owner's objection, written down by the clerk on their behalf."""
    form = request.form

    def work() -> str:
        address = form.get("unit", "").strip()
        unit_id = unit_by_address(period_id, address) if address else None
        service.lodge_objection(period_id, form.get("text", ""), _by(), unit_id=unit_id)
        return _("The objection is recorded; answer it in writing below.")

    return _done(period_id, "objections", work)


@bp.post("/clerk/assembly/<int:period_id>/objections/<int:objection_id>/answer")
@allow(Role.CLERK)
def answer(period_id: int, objection_id: int) -> ResponseReturnValue:
    """The clerk's written answer to an objection."""

    def work() -> str:
        service.answer_objection(
            objection_id, request.form.get("answer", ""), _by(), period_id=period_id
        )
        return _("The answer is recorded and shown on the board.")

    return _done(period_id, f"objection-{objection_id}", work)
