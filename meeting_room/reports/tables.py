"""A period's figures in words: the tables the staff screen draws as charts and tables, the PDF
prints and the Excel file holds, so the three can never disagree. Each row names the drill-down
(``drill``) that lists what it was counted from (``reports.drill``).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from meeting_room.attendance.words import channel_name
from meeting_room.domain.participation import AgeBand
from meeting_room.domain.reports import (
    PUBLISH_WORKING_DAYS,
    SATISFIED_STARS,
    Period,
    PeriodKind,
    Share,
)
from meeting_room.domain.shares import shown
from meeting_room.domain.topics import TopicSource, TopicStatus
from meeting_room.domain.words import SignInChannel
from meeting_room.reports.figures import PROXY, Report
from meeting_room.web.words import gettext as _
from meeting_room.web.words import named


@dataclass(frozen=True)
class Row:
    """One figure: its label, its share (or plain count) and the drill-down behind it."""

    label: str
    share: Share
    drill: str | None = None
    count_only: bool = False  # a count (meetings held), not a share

    @property
    def ratio(self) -> Fraction | None:
        """The share to draw (None: nothing to draw)."""
        return None if self.count_only else self.share.value

    @property
    def counts(self) -> str:
        """The counts: "12 / 20", or the count alone."""
        return (
            str(self.share.part) if self.count_only else f"{self.share.part} / {self.share.whole}"
        )

    @property
    def percent(self) -> str:
        """The percentage ("60.0"), exact where rounding would meet the target; "" for none."""
        value = self.ratio
        if value is None:
            return ""
        target = self.share.target
        return shown(value, [target] if target is not None else []).percent

    @property
    def target(self) -> str:
        """The target ("≥ 60%"), or ""."""
        target = self.share.target
        return "" if target is None else f"≥ {shown(target, []).percent.removesuffix('.0')}%"

    @property
    def verdict(self) -> str:
        """Met / not met against the target, or "" without one (or without any count)."""
        meets = self.share.meets
        return "" if meets is None else (_("Met") if meets else _("Not met"))


@dataclass(frozen=True)
class Table:
    """A figure's table: its title, what it counts (in words), and its rows."""

    key: str
    title: str
    note: str
    rows: list[Row]


def period_name(period: Period) -> str:
    """The period in words: 2026, 2026 Q4, 2026-12."""
    if period.kind is PeriodKind.YEAR:
        return _("Year %(year)s", year=period.year)
    if period.kind is PeriodKind.QUARTER:
        return _("%(year)s, quarter %(number)s", year=period.year, number=period.number)
    return _("%(year)s, month %(number)s", year=period.year, number=period.number)


def age_name(band: AgeBand) -> str:
    """An age band in words."""
    return {
        AgeBand.UNDER_40: _("Under 40"),
        AgeBand.FROM_40: _("40 to 59"),
        AgeBand.FROM_60: _("60 to 69"),
        AgeBand.FROM_70: _("70 to 79"),
        AgeBand.FROM_80: _("80 and over"),
        AgeBand.UNKNOWN: _("Birth year not on the roster"),
    }[band]


def channel_word(channel: str) -> str:
    """A sign-in or voting channel in words."""
    if channel in set(SignInChannel):
        return channel_name(SignInChannel(channel))
    return {
        PROXY: _("By proxy"),
        "phone": _("Phone"),
        "booth": _("Voting booth"),
        "card": _("Paper card"),
        "assisted": _("Assisted"),
    }.get(channel, channel)


def source_name(source: str) -> str:
    """Where a topic came from, in words."""
    return named(
        source,
        {
            TopicSource.KIOSK: _("A resident, at the kiosk"),
            TopicSource.PHONE: _("A resident, on their phone"),
            TopicSource.BOARD: _("A resident, at the notice board"),
            TopicSource.GRID_VISIT: _("Grid worker's visit"),
            TopicSource.REPRESENTATIVE: _("Resident representative"),
            TopicSource.SUGGESTION_BOX: _("Suggestion box"),
            TopicSource.OFFICE: _("The community office"),
        },
    )


def outcome_word(status: str) -> str:
    """Where a topic stands, in words."""
    return named(
        status,
        {
            TopicStatus.COLLECTING: _("Gathering signatures"),
            TopicStatus.THRESHOLD_MET: _("Enough signatures, awaiting review"),
            TopicStatus.ACCEPTED: _("Taken up"),
            TopicStatus.DECLINED: _("Declined"),
            TopicStatus.MERGED: _("Merged into another"),
        },
    )


def targets(report: Report) -> Table:
    """The hall's targets, each with its figure."""
    p = report.participation
    rows = [
        Row(_("Meetings held"), Share(len(report.meetings), 0), "meetings", count_only=True),
        Row(_("Topics proposed by residents"), report.from_residents, "residents"),
        Row(
            _("Results published within %(days)s working days", days=PUBLISH_WORKING_DAYS),
            report.publication,
            "publication",
        ),
        Row(_("Decisions carried out on time"), report.carried_out, "actions"),
        Row(_("Satisfaction"), report.satisfaction, "ratings"),
        Row(_("Records complete"), report.completeness, "records"),
        Row(_("Participation"), p.overall, "participation"),
        Row(_("Participation of the elderly (60 and over)"), p.elderly, "elderly"),
    ]
    note = _(
        "Results published in time: minutes published by the 7th working day after the "
        "meeting closed (China's holidays and 调休 working days, and the clerk's calendar "
        "days). Satisfaction: the share of ratings of finished work and answers to satisfaction "
        "surveys given in the period that are %(stars)s or 5 stars. Decisions carried out on "
        "time: action items due in the period, done by their deadline (items not yet due are "
        "left out). Records complete: the points of the minutes (a summary per item, both "
        "signatories, publication) over the points of complete minutes. Participation: eligible "
        "members who signed in (in person, or by a proxy whose mandate was accepted) over the "
        "eligible, meeting by meeting.",
        stars=SATISFIED_STARS,
    )
    return Table("targets", _("The hall's targets"), note, rows)


def by_meeting(report: Report) -> Table:
    """Participation meeting by meeting."""
    rows = [
        Row(f"{m.held_on.isoformat()} {m.title}", m.participation.overall, f"meeting-{m.id}")
        for m in report.meetings
    ]
    note = _("Eligible members who took part, over the eligible members of each meeting.")
    return Table("by-meeting", _("Participation by meeting"), note, rows)


def by_age(report: Report) -> Table:
    """Participation by age band, from the roster's birth year in each meeting's year."""
    rows = [
        Row(age_name(band), share, f"age-{band.value}")
        for band, share in report.participation.by_age.items()
        if share.whole
    ]
    note = _("Ages from the roster's birth year, in the year of each meeting.")
    return Table("by-age", _("Participation by age"), note, rows)


def by_group(report: Report) -> Table:
    """Participation by roster group."""
    rows = [
        Row(group, share, f"group-{group}")
        for group, share in report.participation.by_group.items()
    ]
    return Table("by-group", _("Participation by group"), _("The roster's groups."), rows)


def channels(report: Report) -> list[Table]:
    """How members signed in, and how they voted."""
    sign_ins = [Row(channel_word(c), s, f"signin-{c}") for c, s in report.sign_ins.items()]
    votes = [Row(channel_word(c), s, f"vote-{c}") for c, s in report.votes.items()]
    return [
        Table(
            "sign-ins",
            _("Signed in by"),
            _("Each sign-in counted once, as a share of all sign-ins of the period."),
            sign_ins,
        ),
        Table(
            "votes",
            _("Voted by"),
            _("Each ballot cast counted once, as a share of all ballots of the period."),
            votes,
        ),
    ]


def topics(report: Report) -> list[Table]:
    """Topics proposed in the period: where they came from, and what became of them."""
    sources = [Row(source_name(s), share, f"source-{s}") for s, share in report.by_source.items()]
    outcomes = [
        Row(outcome_word(s), share, f"outcome-{s}") for s, share in report.by_outcome.items()
    ]
    return [
        Table(
            "topics-source",
            _("Topics by source"),
            _(
                "Topics proposed in the period. Every source but the community office's own "
                "counts as from residents."
            ),
            sources,
        ),
        Table(
            "topics-outcome",
            _("Topics taken up, declined, merged"),
            _("Topics proposed in the period, by where they stand now."),
            outcomes,
        ),
    ]


def tables(report: Report) -> list[Table]:
    """Every table of the report, in the order the screen, the PDF and the file show them."""
    return [
        targets(report),
        *topics(report),
        by_meeting(report),
        by_age(report),
        by_group(report),
        *channels(report),
    ]
