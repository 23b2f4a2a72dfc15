"""A meeting's records as tables for a spreadsheet: attendance, speeches, ballots and the action
list, every text in the reader's language. Ballots respect each poll's secrecy: a secret poll
gives receipts and choices only, a named poll names and choices (``spreadsheets`` writes the
file, formula-safe)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.attendance.guests import meeting_guests
from meeting_room.attendance.members import meeting_rows
from meeting_room.attendance.proxies import proxies_of
from meeting_room.attendance.schemas import attendance_out
from meeting_room.attendance.words import channel_name, presence_name, proxy_label
from meeting_room.clock import local
from meeting_room.domain.words import PollStatus
from meeting_room.floor import agenda, discussion, timing
from meeting_room.followup.actions import action_list
from meeting_room.records.corrections import shown_texts
from meeting_room.records.spreadsheets import Cell, Table
from meeting_room.records.words import (
    action_status_name,
    option_name,
    secrecy_name,
    stance_name,
)
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.models.voting import Ballot, Poll


class Export(StrEnum):
    """What can be exported."""

    ATTENDANCE = "attendance"
    SPEECHES = "speeches"
    BALLOTS = "ballots"
    ACTIONS = "actions"


def _(message: str, **values: object) -> str:
    return str(gettext(message, **values))


def _when(moment: datetime | None) -> str:
    return local(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def _attendance(session: Session, meeting: Meeting) -> Table:
    rows: list[list[Cell]] = []
    for row in meeting_rows(session, meeting):
        out = attendance_out(meeting, row)
        rows.append(
            [
                row.member.member_no,
                out.name,
                out.address,
                out.group,
                str(row.member.area_m2),
                presence_name(out.presence),
                out.proxy_name or "",
                _when(out.signed_in_at),
                _when(out.signed_out_at),
                _("yes") if out.counts else _("no"),
                channel_name(out.channel),
            ]
        )
    for guest in meeting_guests(session, meeting):
        rows.append(
            [
                "",
                guest.name,
                "",
                "",
                "",
                _("Guest"),
                "",
                _when(guest.signed_in_at),
                "",
                _("no"),
                channel_name(guest.channel),
            ]
        )
    header = [
        _("Member no."),
        _("Name"),
        _("Address"),
        _("Group"),
        _("Area (m²)"),
        _("Presence"),
        _("Proxy"),
        _("Signed in"),
        _("Signed out"),
        _("Counts for quorum"),
        _("Channel"),
    ]
    return Table(_("Attendance"), header, rows)


def _speeches(session: Session, meeting: Meeting, moment: datetime) -> Table:
    texts = shown_texts(session, meeting)
    proxies = proxies_of(session, meeting)
    rows: list[list[Cell]] = []
    for item in agenda.items_in_order(session, meeting):
        for order, speech in enumerate(discussion.speeches(session, item), start=1):
            rows.append(
                [
                    item.position,
                    texts[f"item.{item.id}.title"],
                    order,
                    proxy_label(speech.member.name, proxies.get(speech.member_id)),
                    speech.member.address,
                    stance_name(speech.stance, speech.kind),
                    _when(speech.started_at),
                    round(timing.clock_of(speech).elapsed(moment).total_seconds()),
                ]
            )
    header = [
        _("Item"),
        _("Item title"),
        _("No."),
        _("Speaker"),
        _("Address"),
        _("Stance"),
        _("Started"),
        _("Duration (s)"),
    ]
    return Table(_("Speeches"), header, rows)


def _ballots(session: Session, meeting: Meeting) -> Table:
    texts = shown_texts(session, meeting)
    polls = session.scalars(
        select(Poll)
        .where(
            Poll.meeting_id == meeting.id,
            Poll.status.in_((PollStatus.CLOSED, PollStatus.PUBLISHED)),
        )
        .order_by(Poll.closed_at, Poll.id)
    )
    rows: list[list[Cell]] = []
    for number, poll in enumerate(polls, start=1):
        question = texts[f"poll.{poll.id}.question"]
        lines: list[tuple[str, str, str, list[str]]]
        if poll.secret:  # nothing that could name a voter: the receipt and the choice
            ballots = session.scalars(select(Ballot).where(Ballot.poll_id == poll.id))
            lines = sorted(("", "", b.receipt, b.choices) for b in ballots)
        else:
            named = session.execute(
                select(Member.member_no, Member.name, Ballot.receipt, Ballot.choices)
                .join(Member, Ballot.member_id == Member.id)
                .where(Ballot.poll_id == poll.id)
            ).all()
            lines = sorted((no, name, receipt, list(c)) for no, name, receipt, c in named)
        for member_no, name, receipt, choices in lines:
            rows.append(
                [
                    number,
                    question,
                    secrecy_name(poll.secret),
                    member_no,
                    name,
                    receipt,
                    "、".join(option_name(c) for c in choices),
                ]
            )
    header = [
        _("Vote"),
        _("Question"),
        _("Voting"),
        _("Member no."),
        _("Name"),
        _("Receipt code"),
        _("Choice"),
    ]
    return Table(_("Ballots cast"), header, rows)


def _actions(session: Session, meeting: Meeting, today: date) -> Table:
    rows: list[list[Cell]] = [
        [
            a.decision,
            a.title,
            a.responsible,
            "、".join(a.co_responsible),
            a.deadline.isoformat(),
            a.criterion,
            action_status_name(a.status),
            a.completed_on.isoformat() if a.completed_on else "",
            f"{a.notes[-1].day.isoformat()} {a.notes[-1].text}" if a.notes else "",
            a.rating.count,
            a.rating.average or "",
        ]
        for a in action_list(session, today, meeting)
    ]
    header = [
        _("Decision"),
        _("Action"),
        _("Responsible party"),
        _("Co-responsible parties"),
        _("Deadline"),
        _("Acceptance criterion"),
        _("Status"),
        _("Completed on"),
        _("Latest progress"),
        _("Ratings"),
        _("Average rating"),
    ]
    return Table(_("Action list"), header, rows)


def export_table(
    session: Session, meeting: Meeting, what: Export, moment: datetime, today: date
) -> Table:
    """One of the meeting's records as a table."""
    if what is Export.ATTENDANCE:
        return _attendance(session, meeting)
    if what is Export.SPEECHES:
        return _speeches(session, meeting, moment)
    if what is Export.BALLOTS:
        return _ballots(session, meeting)
    return _actions(session, meeting, today)
