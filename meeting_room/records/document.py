"""The minutes in words: one printable document for the HTML page and the PDF alike.

``minutes_document`` words the ``Minutes`` in the current language, block by block; the page
(templates/minutes.html) and ``devices.document_pdf`` lay the same blocks out.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import get_locale, gettext

from devices.document_pdf import Code, Document, Grid, Heading, Signatures, Text, document_pdf
from meeting_room.assembly.words import delivery_name, matter_name
from meeting_room.attendance.words import proxy_label
from meeting_room.clock import local
from meeting_room.domain.quorum import Measure
from meeting_room.domain.words import Presence
from meeting_room.followup.schemas import ActionView
from meeting_room.meetings.snapshot import ClauseView
from meeting_room.records.minutes import (
    DeliveryRecord,
    ItemRecord,
    Minutes,
    PollRecord,
    TopicOrigin,
)
from meeting_room.records.words import (
    action_status_name,
    duration,
    field_name,
    item_kind_name,
    option_name,
    override_name,
    rule_name,
    secrecy_name,
    stance_name,
    verdict_name,
    weighting_name,
)
from meeting_room.store.anchors import Anchor
from meeting_room.topics.words import source_name

Blocks = list[Heading | Text | Grid | Signatures | Code]


def when(moment: datetime | None) -> str:
    """A time in the hall's zone, e.g. 2026-11-21 19:00."""
    return local(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _(message: str, **values: object) -> str:
    return str(gettext(message, **values))


def _quorum_clause(clause: ClauseView) -> str:
    measure = _("headcount") if clause.measure == Measure.HEADCOUNT else _("area")
    sign = "≥" if clause.met else "<"
    return f"{measure} {clause.percent}% {sign} {clause.required}"


def _attendance(minutes: Minutes) -> Blocks:
    a = minutes.attendance
    verdict = _("Quorum reached") if a.quorum_met else _("Quorum not reached")
    clauses = _("; ").join(_quorum_clause(c) for c in a.quorum)
    return [
        Heading(_("Attendance")),
        Text(
            _(
                "%(present)s of %(eligible)s eligible members present (%(in_person)s in person, "
                "%(by_proxy)s by proxy); exclusive floor area %(present_area)s of "
                "%(eligible_area)s m².",
                present=a.present,
                eligible=a.eligible,
                in_person=a.in_person,
                by_proxy=a.by_proxy,
                present_area=a.present_area,
                eligible_area=a.eligible_area,
            )
        ),
        Text(
            _(
                "Observers: %(observers)s; guests: %(guests)s.",
                observers=a.observers,
                guests=a.guests,
            )
        ),
        Text(
            _("%(verdict)s: %(clauses)s", verdict=verdict, clauses=clauses) if clauses else verdict,
            tone=_tone(a.quorum_met),
        ),
    ]


def _attendees(minutes: Minutes, numbers: dict[str, int]) -> Blocks:
    """Who attended: members in person or by proxy (for whom), votes cast with help (by whom),
    guests."""
    blocks: Blocks = [Heading(_("Who attended"), 2)]
    if minutes.attendees:
        blocks.append(
            Grid(
                [_("No."), _("Name"), _("Address"), _("How"), _("Counted")],
                [
                    [
                        a.member_no,
                        a.name,
                        a.address,
                        _("By proxy: %(proxy)s for %(name)s", proxy=a.proxy or "", name=a.name)
                        if a.presence == Presence.PROXY
                        else _("In person"),
                        _("yes") if a.counts else _("no"),
                    ]
                    for a in minutes.attendees
                ],
                (0.14, 0.2, 0.22, 0.32, 0.12),
            )
        )
    else:
        blocks.append(Text(_("Nobody signed in.")))
    for assist in minutes.assisted:
        blocks.append(
            Text(
                _(
                    "Vote %(number)s: %(name)s voted with the help of %(helper)s.",
                    number=numbers.get(f"poll.{assist.poll_id}", ""),
                    name=assist.name,
                    helper=assist.helper,
                ),
                small=True,
            )
        )
    if minutes.guests:
        blocks.append(
            Text(
                _(
                    "Guests: %(names)s.",
                    names="、".join(
                        f"{g.name}（{g.note}）" if g.note else g.name for g in minutes.guests
                    ),
                )
            )
        )
    return blocks


def held(minutes: Minutes) -> str:
    """When the meeting was held, in words: from its first item's start to its last's end."""
    h = minutes.header
    if h.opened_at is None:
        return _("Not begun")
    if h.ended_at is None:
        return _("From %(start)s (not ended)", start=when(h.opened_at))
    return f"{when(h.opened_at)} – {when(h.ended_at)}"


def _tone(good: bool | None) -> str:
    return "" if good is None else ("good" if good else "bad")


def _poll(poll: PollRecord, number: int) -> Blocks:
    how = [rule_name(poll.rule), weighting_name(poll.weighting), secrecy_name(poll.secret)]
    if poll.matter_kind is not None:  # Civil Code art. 278: the matter sets the threshold
        how.insert(1, matter_name(poll.matter_kind))
    blocks: Blocks = [
        Heading(_("Vote %(number)s: %(question)s", number=number, question=poll.question), 2),
        Text(_("; ").join(how)),
        Text(
            _(
                "Eligible %(eligible)s, present when it opened %(present)s, voted %(cast)s.",
                eligible=poll.eligible,
                present=poll.present,
                cast=poll.cast,
            )
        ),
        Grid(
            [_("Option"), _("Votes"), _("Area (m²)")],
            [[option_name(t.option), str(t.headcount), t.area] for t in poll.tallies],
            (0.5, 0.2, 0.3),
        ),
        Text(
            verdict_name(poll.passed, poll.leaders, poll.tied),
            tone=_tone(poll.passed),
        ),
    ]
    explanation = poll.explanation.get("en" if str(get_locale()) == "en" else "zh_CN", "")
    if explanation:
        blocks.append(Text(explanation))
    blocks.append(
        Text(_("Final hash of the ballot list: %(hash)s", hash=poll.final_hash or ""), small=True)
    )
    if poll.anchor is not None:
        blocks.append(_anchor(poll.anchor, _("Audit log when this vote closed")))
    if poll.ballots is not None:
        blocks.append(
            Grid(
                [_("No."), _("Name"), _("Choice")],
                [
                    [b.member_no, b.name, "、".join(option_name(c) for c in b.choices)]
                    for b in poll.ballots
                ],
                (0.25, 0.35, 0.4),
            )
        )
    return blocks


def _anchor(anchor: Anchor, moment: str) -> Code:
    """An anchor printed with its QR code: what an administrator checks the box against."""
    return Code(
        data=anchor.text,
        text=_(
            "%(moment)s: entry %(seq)s (%(time)s), hash %(hash)s. To prove later that the box "
            "still holds this record, check it against this hash: the administrator's "
            "“Verify records” page, or yishi verify --anchor.",
            moment=moment,
            seq=anchor.seq,
            time=when(anchor.at),
            hash=anchor.hash,
        ),
        label=_("QR code of the audit log's anchor, entry %(seq)s", seq=anchor.seq),
    )


def _origin_words(origin: TopicOrigin) -> str:
    """Where an item came from: a residents' topic, its source and its co-signatures."""
    place = f" ({origin.proposer_place})" if origin.proposer_place else ""
    return _(
        "From topic no. %(number)s: %(source)s%(place)s. Co-signed by %(signatures)s members "
        "of %(signed)s of the %(households)s households concerned (threshold %(threshold)s "
        "per cent: %(needed)s households).",
        number=origin.topic_id,
        source=source_name(origin.source),
        place=place,
        signatures=origin.signatures,
        signed=origin.signed_households,
        households=origin.households,
        threshold=origin.threshold_percent,
        needed=origin.needed,
    )


def _item(item: ItemRecord, numbers: dict[str, int]) -> Blocks:
    blocks: Blocks = [
        Heading(
            _(
                "Item %(number)s: %(title)s (%(kind)s)",
                number=item.number,
                title=item.title,
                kind=item_kind_name(item.kind),
            )
        )
    ]
    if item.description:
        blocks.append(Text(item.description))
    if item.origin is not None:
        blocks.append(Text(_origin_words(item.origin)))
    if item.speeches:
        blocks.append(
            Grid(
                [_("No."), _("Speaker"), _("Stance"), _("Time"), _("Duration")],
                [
                    [
                        str(s.order),
                        proxy_label(s.name, s.proxy_name),
                        stance_name(s.stance, s.kind),
                        local(s.started_at).strftime("%H:%M"),
                        duration(s.seconds),
                    ]
                    for s in item.speeches
                ],
                (0.1, 0.3, 0.25, 0.15, 0.2),
            )
        )
    else:
        blocks.append(Text(_("Nobody spoke on this item.")))
    for override in item.overrides:
        blocks.append(
            Text(
                _(
                    "Rule set aside by the moderator at %(time)s: %(rule)s (%(name)s).",
                    time=local(override.at).strftime("%H:%M"),
                    rule=override_name(override.rule),
                    name=override.name,
                ),
                small=True,
            )
        )
    if item.summary:
        blocks.append(Text(_("Summary: %(text)s", text=item.summary.text)))
    for poll in item.polls:
        blocks += _poll(poll, numbers[f"poll.{poll.id}"])
    return blocks


def _action_rows(actions: list[ActionView]) -> list[list[str]]:
    return [
        [
            a.title,
            _("%(party)s, with %(others)s", party=a.responsible, others="、".join(a.co_responsible))
            if a.co_responsible
            else a.responsible,
            a.deadline.isoformat(),
            a.criterion,
            action_status_name(a.status),
        ]
        for a in actions
    ]


def _deliveries(record: DeliveryRecord) -> Blocks:
    """A voting period's delivery record (入户送达): a summary, building by building, and each
    delivery with who took it and when."""
    blocks: Blocks = [
        Heading(_("Delivery of the paper ballots: %(title)s", title=record.period_title)),
        Text(
            _(
                "%(units)s units; %(printed)s ballots printed; %(handed)s handed to the owner, "
                "%(left)s left at the door, %(refused)s refused; %(none)s units with no "
                "delivery on record.",
                units=record.units,
                printed=record.printed,
                handed=record.handed,
                left=record.left,
                refused=record.refused,
                none=record.none,
            )
        ),
    ]
    if record.buildings:
        blocks.append(
            Grid(
                [
                    _("Building"),
                    _("Handed to the owner"),
                    _("Left at the door"),
                    _("Refused"),
                    _("Not delivered yet"),
                ],
                [
                    [
                        b.building,
                        str(b.handed),
                        str(b.left),
                        str(b.refused),
                        "、".join(b.not_delivered) or str(b.none),
                    ]
                    for b in record.buildings
                ],
                (0.14, 0.12, 0.14, 0.12, 0.48),
            )
        )
    if not record.by_address:
        blocks.append(
            Text(
                _(
                    "The hall publishes receipts only: the unit-by-unit delivery record is kept "
                    "by the clerk."
                ),
                small=True,
            )
        )
    if record.delivered:
        blocks.append(
            Grid(
                [
                    _("Address"),
                    _("Delivery"),
                    _("Delivered by"),
                    _("Delivered at"),
                    _("Recorded by"),
                ],
                [
                    [
                        d.address,
                        delivery_name(d.delivery),
                        d.by or "",
                        when(d.at),
                        d.recorded_by or "",
                    ]
                    for d in record.delivered
                ],
                (0.2, 0.2, 0.2, 0.22, 0.18),
            )
        )
    return blocks


def numbering(minutes: Minutes) -> dict[str, int]:
    """The number of each item, poll and decision as the minutes show them ("poll.7" → 2)."""
    numbers = {f"item.{i.id}": i.number for i in minutes.items}
    polls = [p for i in minutes.items for p in i.polls] + minutes.other_polls
    numbers |= {f"poll.{p.id}": n for n, p in enumerate(polls, start=1)}
    return numbers | {f"decision.{d.id}": d.number for d in minutes.decisions}


def minutes_document(minutes: Minutes) -> Document:
    """The minutes in the current language."""
    h = minutes.header
    numbers = numbering(minutes)
    blocks: Blocks = [Heading(_("Minutes of %(title)s", title=h.title), 0)]
    if minutes.published_at is None:
        blocks.append(Text(_("Draft: not yet published"), centered=True, tone="bad"))
    blocks.append(
        Grid(
            [],
            [
                # Held from its opening (else its scheduled start) to its end: a meeting
                # opened on another day than announced never reads as ending before it began.
                [
                    _("Time"),
                    f"{when(h.opened_at or h.starts_at)}"
                    + (f" – {when(h.ended_at)}" if h.ended_at else ""),
                ],
                [_("Scheduled"), when(h.starts_at)],
                [_("Opened"), when(h.opened_at) if h.opened_at else _("Not opened")],
                [_("Closed"), when(h.closed_at) if h.closed_at else _("Not closed")],
                [_("Venue"), h.venue],
                [_("Moderator"), h.moderator],
                [_("Clerk"), h.clerk],
            ],
            (0.25, 0.75),
        )
    )
    blocks += _attendance(minutes)
    blocks += _attendees(minutes, numbers)
    for item in minutes.items:
        blocks += _item(item, numbers)
    if minutes.other_polls:
        blocks.append(Heading(_("Votes on no agenda item")))
        for poll in minutes.other_polls:
            blocks += _poll(poll, numbers[f"poll.{poll.id}"])
    blocks.append(Heading(_("Decisions and action list")))
    if not minutes.decisions:
        blocks.append(Text(_("No decision was recorded.")))
    for decision in minutes.decisions:
        blocks.append(Text(f"{decision.number}. {decision.text}"))
        if decision.actions:
            blocks.append(
                Grid(
                    [
                        _("Action"),
                        _("Responsible party"),
                        _("Deadline"),
                        _("Acceptance criterion"),
                        _("Status"),
                    ],
                    _action_rows(decision.actions),
                    (0.25, 0.18, 0.15, 0.27, 0.15),
                )
            )
    for record in minutes.deliveries:
        blocks += _deliveries(record)
    if minutes.corrections:
        blocks.append(Heading(_("Corrections")))
        blocks.append(
            Grid(
                [_("What"), _("Before"), _("After"), _("By"), _("When")],
                [
                    [field_name(c.field, numbers), c.before, c.after, c.by, when(c.at)]
                    for c in minutes.corrections
                ],
                (0.18, 0.27, 0.27, 0.12, 0.16),
            )
        )
    if minutes.ended is not None:
        blocks.append(_anchor(minutes.ended, _("Audit log at the meeting's end")))
    blocks.append(Signatures([_("Moderator (signature)"), _("Clerk (signature)")], _("Date")))
    return Document(
        title=_("Minutes of %(title)s", title=h.title),
        blocks=blocks,
        footer=_("%(title)s · generated %(time)s", title=h.title, time=when(minutes.generated_at)),
        page=_("page %(page)s", page="{page}"),
    )


def minutes_pdf(minutes: Minutes) -> bytes:
    """The minutes as a PDF in the current language, with the CJK font embedded."""
    return document_pdf(
        minutes_document(minutes), font_path=current_app.config.get("CJK_FONT_PATH")
    )
