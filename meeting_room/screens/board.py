"""The notice board (/board, 公示栏) and the minutes pages, for residents before and after.

Upcoming meetings with their agenda (and whether they were announced ``NOTICE_DAYS`` ahead),
published results and minutes of past meetings, the receipt checker, and the action list with
residents' ratings. ``?slideshow=1`` turns the page into a lobby screen that advances itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from meeting_room.access.principal import current_principal
from meeting_room.access.roles import STAFF, Role, allow
from meeting_room.assembly.desk import published_periods
from meeting_room.clock import now, today
from meeting_room.config import ROOT
from meeting_room.domain.notice import NoticeCheck
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.topics import OPEN_STATUSES
from meeting_room.domain.words import MeetingStatus, PollStatus
from meeting_room.floor.agenda import items_in_order
from meeting_room.followup.actions import action_list
from meeting_room.followup.decisions import meeting_decisions
from meeting_room.followup.service import remind_days
from meeting_room.meetings.notice import meeting_notice
from meeting_room.records.build import poll_record
from meeting_room.records.corrections import shown_texts
from meeting_room.records.document import minutes_document, minutes_pdf, when
from meeting_room.records.minutes import Minutes, PollRecord
from meeting_room.records.service import minutes_of
from meeting_room.records.words import (
    action_status_name,
    item_kind_name,
    option_name,
    verdict_name,
)
from meeting_room.store.models.floor import AgendaItem
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.records import Decision, MinutesRecord
from meeting_room.store.models.voting import Poll
from meeting_room.store.storage import transaction
from meeting_room.topics import service as topics
from meeting_room.topics.words import scope_name
from meeting_room.web.addresses import qr_svg
from meeting_room.web.messages import escalation_name

bp = Blueprint("board", __name__)

SLIDE_SECONDS = 15  # default of BOARD_SLIDE_SECONDS: how long the lobby shows each slide
PAST_MEETINGS = 10


@dataclass(frozen=True)
class Upcoming:
    """A meeting still to come, with its agenda and its notice."""

    meeting: Meeting
    items: list[AgendaItem]
    notice: NoticeCheck


@dataclass(frozen=True)
class Past:
    """A meeting held: its title as corrected, its published results, its minutes."""

    meeting: Meeting
    title: str
    polls: list[PollRecord]
    decisions: list[Decision]
    minutes_published: bool


# A meeting with published minutes or results was held, even if before its announced time.
_PUBLISHED = (
    select(MinutesRecord.meeting_id)
    .where(MinutesRecord.published_at.is_not(None))
    .union(select(Poll.meeting_id).where(Poll.status == PollStatus.PUBLISHED))
)


def _upcoming(session: Session, moment: datetime) -> list[Upcoming]:
    meetings = session.scalars(
        select(Meeting)
        .where(
            Meeting.starts_at >= moment,
            Meeting.status.in_((MeetingStatus.ANNOUNCED, MeetingStatus.OPEN)),  # posted
            Meeting.id.not_in(_PUBLISHED),
        )
        .order_by(Meeting.starts_at)
    )
    return [Upcoming(m, items_in_order(session, m), meeting_notice(m, session)) for m in meetings]


def _past(session: Session, moment: datetime) -> list[Past]:
    meetings = session.scalars(
        select(Meeting)
        .where(
            Meeting.status != MeetingStatus.DRAFT,
            or_(
                Meeting.starts_at < moment,
                Meeting.status.in_((MeetingStatus.CLOSED, MeetingStatus.MINUTES_PUBLISHED)),
                Meeting.id.in_(_PUBLISHED),
            ),
        )
        .order_by(Meeting.starts_at.desc())
        .limit(PAST_MEETINGS)
    )
    past = []
    for meeting in meetings:
        texts = shown_texts(session, meeting)
        polls = session.scalars(
            select(Poll)
            .where(Poll.meeting_id == meeting.id, Poll.status == PollStatus.PUBLISHED)
            .order_by(Poll.closed_at, Poll.id)
        )
        record = session.get(MinutesRecord, meeting.id)
        past.append(
            Past(
                meeting=meeting,
                title=texts["meeting.title"],
                polls=[poll_record(session, p, texts[f"poll.{p.id}.question"]) for p in polls],
                decisions=meeting_decisions(session, meeting),
                minutes_published=record is not None and record.published_at is not None,
            )
        )
    return past


def _receipt_polls(past: list[Past]) -> dict[int, dict[str, Any]]:
    """What the receipt checker says of each published poll: its options' names, its verdict."""
    return {
        poll.id: {
            "options": {t.option: option_name(t.option) for t in poll.tallies},
            "verdict": verdict_name(poll.passed, poll.leaders, poll.tied),
        }
        for p in past
        for poll in p.polls
    }


def _words() -> dict[str, Any]:
    """The records' words the board's template uses."""
    return {
        "when": when,
        "status_name": action_status_name,
        "item_kind_name": item_kind_name,
        "option_name": option_name,
        "verdict_of": lambda poll: verdict_name(poll.passed, poll.leaders, poll.tied),
    }


@bp.get("/board")
@allow(Role.ANYONE)
def page() -> str:
    """The notice board; ``?slideshow=1`` for the lobby screen."""
    moment = now()
    open_topics = [t for t in topics.topics() if t.status in OPEN_STATUSES]
    with transaction() as session:
        past = _past(session, moment)
        return render_template(
            "board.html",
            upcoming=_upcoming(session, moment),
            past=past,
            actions=action_list(session, today(), remind_days=remind_days()),
            escalation_name=escalation_name,
            titles={m.id: m.title for m in session.scalars(select(Meeting))}
            | {p.meeting.id: p.title for p in past},  # as corrected in the minutes
            receipt_polls=_receipt_polls(past),
            periods=published_periods(session),
            topics=open_topics,
            scope_name=scope_name,
            slideshow=request.args.get("slideshow") == "1",
            slide_seconds=int(current_app.config.get("BOARD_SLIDE_SECONDS", SLIDE_SECONDS)),
            **_words(),
        )


def minutes_html(minutes: Minutes, toolbar: bool = True) -> str:
    """The minutes as one self-contained, print-ready HTML page in the current language."""
    return render_template(
        "minutes.html",
        minutes=minutes,
        document=minutes_document(minutes),
        css=(ROOT / "static" / "css" / "minutes.css").read_text(encoding="utf-8"),
        toolbar=toolbar,
        qr=qr_svg,
    )


def readable_minutes(meeting_id: int) -> Minutes:
    """The minutes for whoever asks: the public reads them once the clerk has published them;
    until then the draft is the staff's (``MINUTES_NOT_PUBLISHED`` to anyone else)."""
    minutes = minutes_of(meeting_id)
    if minutes.published_at is None and not current_principal().roles & STAFF:
        raise Refusal(Problem.MINUTES_NOT_PUBLISHED)
    return minutes


@bp.get("/board/meetings/<int:meeting_id>/minutes")
@allow(Role.ANYONE)
def minutes_page(meeting_id: int) -> str:
    """The minutes of a meeting: public once published; the draft (marked so) for staff."""
    return minutes_html(readable_minutes(meeting_id))


@bp.get("/board/meetings/<int:meeting_id>/minutes.pdf")
@allow(Role.ANYONE)
def minutes_file(meeting_id: int) -> Response:
    """The minutes as PDF: public once published; the draft for staff."""
    pdf = minutes_pdf(readable_minutes(meeting_id))
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f"inline; filename=minutes-{meeting_id}.pdf"},
    )
