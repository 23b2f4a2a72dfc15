"""The clerk's preparation workspace (/clerk/prepare): create and correct a meeting, its rules
of order, its agenda and its draft polls, in plain forms (each post answers with the page and
what happened; the writers are the features' services, so every change is audited).

Eligibility is the meeting's roster groups (``Meeting.eligible_groups``): everyone, the owners
(业主 and 业委会, as art. 278 counts them) or chosen groups; and, when chosen, only the members
of some buildings (``Meeting.eligible_buildings``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext
from pydantic import BaseModel, Field, StringConstraints, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from meeting_room.access.roles import Role, allow
from meeting_room.attendance.roster import natural_key
from meeting_room.clock import local, now
from meeting_room.domain.lifecycle import PREPARABLE
from meeting_room.domain.problems import Refusal
from meeting_room.domain.speakers import NANTANG, THREE_MINUTES_ONCE, RulesOfOrder
from meeting_room.domain.words import Eligibility, MemberGroup
from meeting_room.floor import service as floor
from meeting_room.floor.agenda import items_in_order, rules_of
from meeting_room.floor.schemas import RulesIn
from meeting_room.meetings import service as meetings
from meeting_room.meetings.meetings import MeetingDraft, get_meeting
from meeting_room.meetings.notice import meeting_notice
from meeting_room.screens.forms import attempt, field_errors, refusal_words
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.models.voting import Poll
from meeting_room.store.storage import transaction
from meeting_room.voting.polls import GROUPS_OF

bp = Blueprint("prepare", __name__)

Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Share = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^(\d+/\d+)?$")]
QUORUM_PRESETS = {"half": ("1/2", None), "art278": ("2/3", "2/3")}


class MeetingForm(BaseModel):
    """The meeting form as posted."""

    title: Text200
    date: dt.date
    time: dt.time
    venue: Text200
    eligibility: Literal["all", "owners", "groups"] = "all"
    groups: list[MemberGroup] = Field(default_factory=list)
    buildings: list[Annotated[str, StringConstraints(max_length=32)]] = Field(
        default_factory=list, max_length=200
    )
    quorum: Literal["half", "art278", "custom"] = "half"
    quorum_headcount: Share = ""
    quorum_area: Share = ""
    max_proxies_per_person: int = Field(default=1, ge=1, le=10)

    def draft(self) -> MeetingDraft:
        """The meeting this asks for, its start read in the hall's time zone."""
        zone = ZoneInfo(current_app.config["TIMEZONE"])
        starts = dt.datetime.combine(self.date, self.time, tzinfo=zone)
        groups: tuple[MemberGroup, ...] = ()
        if self.eligibility == "owners":
            groups = GROUPS_OF_OWNERS
        elif self.eligibility == "groups":
            groups = tuple(self.groups)
        headcount, area = QUORUM_PRESETS.get(
            self.quorum, (self.quorum_headcount or None, self.quorum_area or None)
        )
        return MeetingDraft(
            title=self.title,
            starts_at=starts,
            venue=self.venue,
            eligible_groups=groups,
            eligible_buildings=tuple(self.buildings),
            quorum_headcount=headcount,
            quorum_area=area,
            max_proxies_per_person=self.max_proxies_per_person,
        )


GROUPS_OF_OWNERS = GROUPS_OF[Eligibility.OWNERS]


def meeting_labels() -> dict[str, str]:
    """The meeting form's fields as the page names them."""
    return {
        "title": gettext("Meeting title"),
        "date": gettext("Date"),
        "time": gettext("Time"),
        "venue": gettext("Venue"),
        "groups": gettext("Groups"),
        "quorum_headcount": gettext("Share of members"),
        "quorum_area": gettext("Share of floor area"),
        "max_proxies_per_person": gettext("Members one proxy may represent"),
        "speech_limit_s": gettext("Speaking limit (seconds)"),
        "max_speeches": gettext("Speeches per person per item"),
        "warning_s": gettext("Warning before the end (seconds)"),
    }


def _form_of(meeting: Meeting | None) -> dict[str, object]:
    """The form's values for a meeting (or a new one: tomorrow evening, half the members)."""
    if meeting is None:
        return {"eligibility": "all", "quorum": "half", "max_proxies_per_person": 1}
    starts = local(meeting.starts_at)
    groups = list(meeting.eligible_groups)
    owners = sorted(str(g) for g in GROUPS_OF_OWNERS)
    quorum = next(
        (
            name
            for name, (h, a) in QUORUM_PRESETS.items()
            if (h, a) == (meeting.quorum_headcount, meeting.quorum_area)
        ),
        "custom",
    )
    return {
        "title": meeting.title,
        "date": starts.strftime("%Y-%m-%d"),
        "time": starts.strftime("%H:%M"),
        "venue": meeting.venue,
        "eligibility": "all" if not groups else "owners" if sorted(groups) == owners else "groups",
        "groups": groups,
        "buildings": list(meeting.eligible_buildings),
        "quorum": quorum,
        "quorum_headcount": meeting.quorum_headcount or "",
        "quorum_area": meeting.quorum_area or "",
        "max_proxies_per_person": meeting.max_proxies_per_person,
    }


@bp.get("/clerk/prepare")
@allow(Role.CLERK)
def index() -> str:
    """Every meeting, newest first, with a way to prepare a new one."""
    with transaction() as session:
        found = session.scalars(select(Meeting).order_by(Meeting.starts_at.desc())).all()
        return render_template("prepare_index.html", meetings=found, now=now())


def _entered() -> dict[str, object]:
    data: dict[str, object] = dict(request.form.to_dict())
    data["groups"] = request.form.getlist("groups")
    data["buildings"] = request.form.getlist("buildings")
    return data


def _posted() -> MeetingForm:
    return MeetingForm.model_validate(_entered())


def roster_buildings(session: Session) -> list[str]:
    """The buildings on the roster, in the order people expect (2栋 before 10栋)."""
    return sorted(set(session.scalars(select(Member.building))), key=natural_key)


def _meeting_form(meeting: Meeting | None, values: dict[str, object], errors: list[str]) -> str:
    with transaction() as session:
        buildings = roster_buildings(session)
    return render_template(
        "prepare_meeting_form.html",
        meeting=meeting,
        form=values,
        errors=errors,
        groups=[g.value for g in MemberGroup],
        buildings=buildings,
    )


@bp.route("/clerk/prepare/new", methods=["GET", "POST"])
@allow(Role.CLERK)
def new_meeting() -> str | Response:
    """The form of a new meeting; a valid post creates it and opens its preparation."""
    if request.method == "GET":
        return _meeting_form(None, _form_of(None), [])
    try:
        created = meetings.create_meeting(_posted().draft())
    except ValidationError as error:
        return _meeting_form(None, _entered(), field_errors(error, meeting_labels()))
    except Refusal as refusal:
        return _meeting_form(None, _entered(), [refusal_words(refusal)])
    return redirect(url_for("prepare.meeting", meeting_id=created.id), code=303)


@bp.get("/clerk/prepare/<int:meeting_id>")
@allow(Role.CLERK)
def meeting(meeting_id: int) -> str:
    """One meeting's preparation: details, rules of order, agenda, draft polls, printing."""
    with transaction() as session:
        found = get_meeting(session, meeting_id)
        items = items_in_order(session, found)
        polls = session.scalars(
            select(Poll).where(Poll.meeting_id == found.id).order_by(Poll.id)
        ).all()
        return render_template(
            "prepare_meeting.html",
            meeting=found,
            form=_form_of(found),
            groups=[g.value for g in MemberGroup],
            buildings=roster_buildings(session),
            items=items,
            polls=polls,
            editable=found.status in PREPARABLE,
            rules_preset=_preset(rules_of(found)),
            notice=meeting_notice(found, session),
        )


def _preset(rules: RulesOfOrder) -> str:
    return {NANTANG: "nantang", THREE_MINUTES_ONCE: "three_minutes_once"}.get(rules, "custom")


@bp.post("/clerk/prepare/<int:meeting_id>/details")
@allow(Role.CLERK)
def save_details(meeting_id: int) -> Response:
    """Correct the meeting's title, time, venue, eligibility, quorum and proxies."""

    def save() -> str:
        meetings.edit_meeting(meeting_id, _posted().draft())
        return gettext("The meeting is saved.")

    back = url_for("prepare.meeting", meeting_id=meeting_id, _anchor="details")
    return attempt(save, back, meeting_labels())


@bp.post("/clerk/prepare/<int:meeting_id>/rules")
@allow(Role.CLERK)
def save_rules(meeting_id: int) -> Response:
    """Choose the rules of order: 南塘议事规则, three minutes once, or the hall's own."""

    def save() -> str:
        data: dict[str, object] = dict(request.form.to_dict())
        for flag in ("first_timers_first", "alternate", "auto_stop"):
            data[flag] = flag in request.form
        if data.get("max_speeches") == "":
            data["max_speeches"] = None
        floor.set_rules(meeting_id, RulesIn.model_validate(data))
        return gettext("The rules of order are saved.")

    back = url_for("prepare.meeting", meeting_id=meeting_id, _anchor="rules")
    return attempt(save, back, meeting_labels())
