"""What lies behind a figure of the report (a row's ``drill``): the meetings, action items or
ratings it was counted from, each linked to its record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext

from meeting_room.domain.participation import AgeBand, Participation
from meeting_room.domain.reports import Share, Timeliness
from meeting_room.domain.topics import from_residents
from meeting_room.reports.figures import MeetingRow, Report, TopicRow
from meeting_room.reports.tables import age_name, channel_word, outcome_word, source_name


def _(message: str, **values: object) -> str:
    return str(gettext(message, **values))


@dataclass(frozen=True)
class Cell:
    """A cell's text, and the record it opens (a meeting's records, an action item there, a
    topic)."""

    text: str
    meeting_id: int | None = None
    action_id: int | None = None
    topic_id: int | None = None
    survey_id: int | None = None


@dataclass(frozen=True)
class Drill:
    """The rows behind one figure."""

    title: str
    header: list[str]
    rows: list[list[Cell]]


def _day(day: date | None) -> str:
    return day.isoformat() if day else "—"


def _share(share: Share) -> str:
    value = share.value
    return f"{share.part} / {share.whole}" + (f" ({float(value) * 100:.1f}%)" if value else "")


def outcome_name(outcome: Timeliness | None) -> str:
    """Whether something due was done in time, in words."""
    if outcome is None:
        return _("Not closed yet")
    return {
        Timeliness.ON_TIME: _("On time"),
        Timeliness.LATE: _("Late"),
        Timeliness.OVERDUE: _("Overdue"),
        Timeliness.NOT_DUE: _("Not due yet"),
    }[outcome]


def _meeting(m: MeetingRow) -> Cell:
    return Cell(f"{m.held_on.isoformat()} {m.title}", meeting_id=m.id)


def _by_meeting(report: Report, title: str, pick: Callable[[Participation], Share | None]) -> Drill:
    rows = [
        [_meeting(m), Cell(_share(share))]
        for m in report.meetings
        if (share := pick(m.participation)) is not None and share.whole
    ]
    return Drill(title, [_("Meeting"), _("Took part / eligible")], rows)


def _channel(report: Report, title: str, channel: str, votes: bool) -> Drill:
    rows = [
        [_meeting(m), Cell(str((m.votes if votes else m.sign_ins)[channel]))]
        for m in report.meetings
        if (m.votes if votes else m.sign_ins)[channel]
    ]
    return Drill(title, [_("Meeting"), _("Count")], rows)


def _one_meeting(m: MeetingRow) -> Drill:
    """One meeting's participation, broken down as the report breaks down the period's."""
    p = m.participation
    rows = [[_meeting(m), Cell(_share(p.overall))]]
    rows += [[Cell(age_name(band)), Cell(_share(s))] for band, s in p.by_age.items() if s.whole]
    rows += [[Cell(group), Cell(_share(s))] for group, s in p.by_group.items()]
    rows += [
        [Cell(_("Signed in by: %(channel)s", channel=channel_word(c))), Cell(str(n))]
        for c, n in sorted(m.sign_ins.items())
    ]
    rows += [
        [Cell(_("Voted by: %(channel)s", channel=channel_word(c))), Cell(str(n))]
        for c, n in sorted(m.votes.items())
    ]
    return Drill(m.title, [_("Figure"), _("Count")], rows)


def _meetings(report: Report) -> Drill:
    rows = [[_meeting(m), Cell(_day(m.closed_on))] for m in report.meetings]
    return Drill(_("Meetings held"), [_("Meeting"), _("Closed on")], rows)


def _publication(report: Report) -> Drill:
    rows = [
        [
            _meeting(m),
            Cell(_day(m.closed_on)),
            Cell(_day(m.publish_by)),
            Cell(_day(m.published_on)),
            Cell(outcome_name(m.publication)),
        ]
        for m in report.meetings
    ]
    header = [_("Meeting"), _("Closed on"), _("Due by"), _("Minutes published on"), _("Outcome")]
    return Drill(_("Results published in time"), header, rows)


def _records(report: Report) -> Drill:
    rows = [
        [_meeting(m), Cell(f"{c.points} / {c.total} ({c.percent}%)" if c else _("Not closed yet"))]
        for m in report.meetings
        for c in [m.completeness]
    ]
    return Drill(_("Records complete"), [_("Meeting"), _("Points")], rows)


def _actions(report: Report) -> Drill:
    rows = [
        [
            Cell(a.title, meeting_id=a.meeting_id, action_id=a.id),
            Cell(a.responsible),
            Cell(_day(a.deadline)),
            Cell(_day(a.completed_on)),
            Cell(outcome_name(a.outcome)),
        ]
        for a in report.actions
    ]
    header = [_("Action"), _("Responsible party"), _("Deadline"), _("Completed on"), _("Outcome")]
    return Drill(_("Decisions carried out on time"), header, rows)


def _ratings(report: Report) -> Drill:
    rows = [
        [
            Cell(r.title, survey_id=r.id)
            if r.survey
            else Cell(r.title, meeting_id=r.meeting_id, action_id=r.id),
            Cell(str(r.ratings)),
            Cell(str(r.satisfied)),
        ]
        for r in report.rated
    ]
    header = [_("Action or survey"), _("Ratings"), _("4 or 5 stars")]
    return Drill(_("Satisfaction"), header, rows)


def _topics(report: Report, title: str, rows: list[TopicRow]) -> Drill:
    lines = [
        [
            Cell(t.title, topic_id=t.id),
            Cell(t.proposed_on.isoformat()),
            Cell(source_name(t.source)),
            Cell(outcome_word(t.status)),
            Cell(
                _("Meeting no. %(id)s", id=t.meeting_id) if t.meeting_id else "—",
                meeting_id=t.meeting_id,
            ),
        ]
        for t in rows
    ]
    header = [_("Topic"), _("Proposed on"), _("Source"), _("Where the topic stands"), _("Meeting")]
    return Drill(title, header, lines)


def drill(report: Report, key: str) -> Drill | None:
    """The rows behind the figure ``key`` (a ``tables.Row.drill``); None for an unknown key."""
    fixed: dict[str, Callable[[Report], Drill]] = {
        "meetings": _meetings,
        "publication": _publication,
        "records": _records,
        "actions": _actions,
        "ratings": _ratings,
    }
    if key in fixed:
        return fixed[key](report)
    kind, _sep, value = key.partition("-")
    if key == "participation":
        return _by_meeting(report, _("Participation"), lambda p: p.overall)
    if key == "elderly":
        return _by_meeting(
            report, _("Participation of the elderly (60 and over)"), lambda p: p.elderly
        )
    if key == "residents":
        mine = [t for t in report.topics if from_residents(t.source)]
        return _topics(report, _("Topics proposed by residents"), mine)
    if kind == "source" and value:
        return _topics(report, source_name(value), [t for t in report.topics if t.source == value])
    if kind == "outcome" and value:
        return _topics(report, outcome_word(value), [t for t in report.topics if t.status == value])
    if kind == "meeting" and value.isdigit():
        found = [m for m in report.meetings if m.id == int(value)]
        return _one_meeting(found[0]) if found else None
    if kind == "age" and value in set(AgeBand):
        band = AgeBand(value)
        return _by_meeting(report, age_name(band), lambda p: p.by_age.get(band))
    if kind == "group" and value:
        return _by_meeting(report, value, lambda p: p.by_group.get(value))
    if kind in {"signin", "vote"} and value:
        return _channel(report, channel_word(value), value, votes=kind == "vote")
    return None
