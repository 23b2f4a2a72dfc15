"""Records over HTTP: the minutes in the JSON API (names, summaries, corrections, publication),
the notice period, and the clerk's exports as files. Writes go through ``records.service``."""

from __future__ import annotations

from flask import Blueprint, Response, abort
from spectree import Response as Responses

from meeting_room.access.roles import Role, allow
from meeting_room.meetings.meetings import get_meeting
from meeting_room.meetings.notice import meeting_notice
from meeting_room.records import service
from meeting_room.records.exports import Export
from meeting_room.records.minutes import CorrectionRecord, Minutes
from meeting_room.records.schemas import ByIn, CorrectionIn, NoticeOut, SignatoriesIn, SummaryIn
from meeting_room.records.spreadsheets import MIMETYPES, FileFormat
from meeting_room.store.storage import transaction
from meeting_room.web.api import ERRORS, bp, spec

exports = Blueprint("exports", __name__)


@bp.get("/meetings/<int:meeting_id>/minutes")
@allow(Role.CLERK, Role.MODERATOR)
@spec.validate(resp=Responses(HTTP_200=Minutes, **ERRORS), tags=["records"])
def show_minutes(meeting_id: int) -> Minutes:
    """The minutes as data (shape ``yishi.minutes/1``); HTML and PDF are under /board."""
    return service.minutes_of(meeting_id)


@bp.put("/meetings/<int:meeting_id>/minutes/signatories")
@allow(Role.CLERK)
@spec.validate(json=SignatoriesIn, resp=Responses(HTTP_200=Minutes, **ERRORS), tags=["records"])
def name_signatories(meeting_id: int, json: SignatoriesIn) -> Minutes:
    """Name the moderator and the clerk who sign the minutes."""
    return service.name_signatories(meeting_id, json)


@bp.post("/meetings/<int:meeting_id>/minutes/publish")
@allow(Role.CLERK)
@spec.validate(json=ByIn, resp=Responses(HTTP_200=Minutes, **ERRORS), tags=["records"])
def publish_minutes(meeting_id: int, json: ByIn) -> Minutes:
    """Put the minutes on the notice board."""
    return service.publish_minutes(meeting_id, json.by)


@bp.put("/meetings/<int:meeting_id>/agenda/<int:item_id>/summary")
@allow(Role.CLERK)
@spec.validate(json=SummaryIn, resp=Responses(HTTP_200=Minutes, **ERRORS), tags=["records"])
def write_summary(meeting_id: int, item_id: int, json: SummaryIn) -> Minutes:
    """Write the summary of an item's discussion."""
    return service.write_summary(meeting_id, item_id, json)


@bp.post("/meetings/<int:meeting_id>/minutes/corrections")
@allow(Role.CLERK)
@spec.validate(
    json=CorrectionIn, resp=Responses(HTTP_201=CorrectionRecord, **ERRORS), tags=["records"]
)
def correct(meeting_id: int, json: CorrectionIn) -> tuple[CorrectionRecord, int]:
    """Correct a text of the minutes; the correction is listed in them."""
    return service.correct(meeting_id, json), 201


@bp.get("/meetings/<int:meeting_id>/notice")
@allow(Role.CLERK, Role.MODERATOR)
@spec.validate(resp=Responses(HTTP_200=NoticeOut, **ERRORS), tags=["records"])
def notice(meeting_id: int) -> NoticeOut:
    """Whether the meeting is posted at least NOTICE_DAYS ahead (else: warn the clerk); a
    draft as if posted now. An owners' assembly needs 15 days (物业管理条例 art. 14)."""
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        check = meeting_notice(meeting, session)
        return NoticeOut(
            meeting_id=meeting.id,
            published_at=meeting.announced_at,
            starts_at=meeting.starts_at,
            required_days=check.required_days,
            days_of_notice=check.days,
            short_notice=check.short,
            working_days=check.counted_working is not None,
        )


@exports.get("/clerk/meetings/<int:meeting_id>/export/<what>.<file_format>")
@allow(Role.CLERK)
def download(meeting_id: int, what: str, file_format: str) -> Response:
    """Download an export (staff only: it holds names and addresses)."""
    try:
        chosen, kind = Export(what), FileFormat(file_format)
    except ValueError:
        abort(404)
    return Response(
        service.export_file(meeting_id, chosen, kind),
        mimetype=MIMETYPES[kind],
        headers={"Content-Disposition": f"attachment; filename={what}-meeting-{meeting_id}.{kind}"},
    )
