"""The roster in the browser (/clerk/roster): upload a .csv or .xlsx, see the preview, every bad
line and the spreadsheet traps in Chinese and English, then import it all or nothing; find a
member and correct their phone tail, area or group (audited)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import force_locale, gettext
from sqlalchemy import func, select
from werkzeug.wrappers import Response as Redirect

from meeting_room.access.principal import current_principal
from meeting_room.access.roles import Role, allow
from meeting_room.attendance import roster_upload
from meeting_room.attendance.members import find_member
from meeting_room.attendance.roster import find_members
from meeting_room.attendance.roster_import import row_problem_words
from meeting_room.attendance.roster_upload import PREVIEW_ROWS, MemberCorrection, UploadCheck
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.roster_hints import Hint, Trap
from meeting_room.domain.words import MemberGroup
from meeting_room.store.models.roster import Member, RosterImport
from meeting_room.store.storage import transaction

bp = Blueprint("roster_page", __name__)
PROGRESS_EVERY_S = 0.3


def _trap_words(hint: Hint) -> str:
    lines = ", ".join(str(line) for line in hint.lines)
    more = "…" if hint.count > len(hint.lines) else ""
    return {
        Trap.LOST_LEADING_ZERO: gettext(
            "%(count)d phone tails have fewer than 4 digits (lines %(lines)s%(more)s): the "
            "spreadsheet stored them as numbers and dropped the leading zero (0123 became 123). "
            "Format the phone tail column as Text, type the tails again with their zeros, and "
            "save the file again.",
            count=hint.count,
            lines=lines,
            more=more,
        ),
        Trap.FULL_WIDTH_DIGITS: gettext(
            "%(count)d lines hold full-width digits such as ０１２ (lines %(lines)s%(more)s): "
            "they are read as ordinary digits. Switch the input method to half-width when "
            "typing numbers.",
            count=hint.count,
            lines=lines,
            more=more,
        ),
        Trap.STRAY_SPACES: gettext(
            "%(count)d lines have spaces before or after a value (lines %(lines)s%(more)s): "
            "they are left out when reading. Nothing to do, but the office may clean its file.",
            count=hint.count,
            lines=lines,
            more=more,
        ),
        Trap.DUPLICATE_MEMBER_ID: gettext(
            "%(count)d lines repeat a member id already used above (lines %(lines)s%(more)s): "
            "each member id must be unique. Give each member their own id, or delete the "
            "repeated line.",
            count=hint.count,
            lines=lines,
            more=more,
        ),
    }[hint.trap]


def _hint_out(hint: Hint) -> dict[str, Any]:
    with force_locale("zh_CN"):
        chinese = _trap_words(hint)
    with force_locale("en"):
        english = _trap_words(hint)
    return {"trap": hint.trap.value, "count": hint.count, "zh": chinese, "en": english}


def _check_out(check: UploadCheck) -> dict[str, Any]:
    return {
        "upload_id": check.upload_id,
        "filename": check.filename,
        "ok": check.ok,
        "total": check.total,
        "preview": [
            {
                "member_id": row.member_no,
                "name": row.name,
                "address": f"{row.building}{row.unit}{row.room}",
                "floor": row.floor,
                "area_m2": str(row.area_m2),
                "phone_tail": row.phone_tail,
                "group": row.group.value,
            }
            for row in check.rows[:PREVIEW_ROWS]
        ],
        "errors": [asdict(error) for error in check.errors],
        "hints": [_hint_out(hint) for hint in check.hints],
        "file_error": asdict(check.file_error) if check.file_error else None,
    }


@bp.get("/clerk/roster")
@allow(Role.CLERK)
def page() -> str:
    """The roster: upload a new list, find and correct a member."""
    with transaction() as session:
        count = session.scalar(select(func.count(Member.id))) or 0
        last = session.scalars(select(RosterImport).order_by(RosterImport.id.desc())).first()
        query = request.args.get("q", "").strip()
        found = find_members(session, query, None, None, None, 30) if query else []
        return render_template("roster.html", count=count, last=last, query=query, found=found)


@bp.post("/clerk/roster/check")
@allow(Role.CLERK)
def check() -> Response:
    """Keep an uploaded file and check every row; nothing is imported yet. The answer is a
    stream of JSON lines: ``{"progress": …}`` while the check runs (the page's progress bar),
    then ``{"result": …}``."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise Refusal(Problem.INVALID_INPUT, detail="file")
    job = roster_upload.start_check(upload.read(), upload.filename)

    def lines() -> Iterator[str]:
        while not job.done_within(PROGRESS_EVERY_S):
            yield json.dumps({"progress": asdict(job.progress)}) + "\n"
        yield json.dumps({"result": _check_out(job.result())}, ensure_ascii=False) + "\n"

    return Response(
        stream_with_context(lines()),
        mimetype="application/x-ndjson",
        # nginx (scale-out mode) would hold the lines back until the end without this.
        headers={"X-Accel-Buffering": "no", "Cache-Control": "no-store"},
    )


@bp.post("/clerk/roster/commit")
@allow(Role.CLERK)
def commit() -> dict[str, Any]:
    """Import the checked file, all or nothing."""
    wanted = request.get_json(silent=True) or {}
    count = roster_upload.commit_upload(
        str(wanted.get("upload_id", "")), str(wanted.get("filename", "roster"))
    )
    return {"imported": count, "message": gettext("%(count)d members imported.", count=count)}


@bp.route("/clerk/roster/members/<int:member_id>", methods=["GET", "POST"])
@allow(Role.CLERK)
def member(member_id: int) -> str | Redirect:
    """One member as on the roster, with the form to correct their phone tail, area, group."""
    errors: list[str] = []
    if request.method == "POST":
        wanted = MemberCorrection(
            phone_tail=request.form.get("phone_tail", ""),
            area_m2=request.form.get("area_m2", ""),
            group=request.form.get("group", ""),
        )
        clerk = current_principal().username or gettext("clerk")
        faults = roster_upload.correct_member(member_id, wanted, clerk)
        if not faults:
            flash(gettext("The member is corrected; the change is in the audit log."), "done")
            return redirect(url_for("roster_page.member", member_id=member_id), code=303)
        errors = [row_problem_words(fault) for fault in faults]
    with transaction() as session:
        found = find_member(session, member_id)
        values = roster_upload.member_row(found)
        if request.method == "POST":
            values = {key: request.form.get(key, "") for key in values}
        return render_template(
            "roster_member.html",
            member=found,
            form=values,
            errors=errors,
            groups=[g.value for g in MemberGroup],
        )
