"""An item's discussion on the database: opening and closing it, the list of speakers in the
order the rules of order give, requests for the floor, and giving it.

The rules themselves are pure (``domain.speakers``); this loads and stores. Each function is
one unit of work on the caller's ``Session``; all take ``now``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from meeting_room.attendance.members import attendance_of
from meeting_room.attendance.proxies import refuse_unchecked_mandate
from meeting_room.attendance.words import proxy_label
from meeting_room.domain import speakers as rules
from meeting_room.domain.lifecycle import refuse_unless_open
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.timer import SpeechClock
from meeting_room.domain.words import (
    Confirmed,
    ItemStatus,
    MeetingStatus,
    RequestKind,
    RequestSource,
    RequestStatus,
    Stance,
)
from meeting_room.floor.agenda import (
    active_item,
    active_or_refuse,
    item_of,
    items_in_order,
    rules_of,
)
from meeting_room.floor.timing import clock_of, current_speech, ms, store_clock, under_way
from meeting_room.meetings.meetings import bump_version, summarise_attendance
from meeting_room.store.models.floor import (
    AgendaItem,
    FloorConfirmation,
    RuleOverride,
    Speech,
    SpeechRequest,
)
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member


def start_item(
    session: Session,
    meeting: Meeting,
    item_id: int,
    now: datetime,
    confirmed_by: str | None = None,
) -> AgendaItem:
    """Open an item for discussion; the one before it (and its speech) is finished first.
    Only in an open meeting (``MEETING_NOT_OPEN``).

    Reopening a finished item, or opening one while the quorum is not reached, is refused in
    words unless the moderator confirmed it (``confirmed_by``: who); the confirmation is
    recorded. The quorum is the meeting's own rule (for an owners' assembly, Civil Code
    art. 278's two-thirds participation by area and by number).
    """
    refuse_unless_open(MeetingStatus(meeting.status), "item")
    item = item_of(session, meeting, item_id)
    warnings = []
    if item.status == ItemStatus.DONE:
        warnings.append((Confirmed.RESTART_ITEM, Problem.CONFIRM_RESTART))
    if item.status != ItemStatus.ACTIVE and not summarise_attendance(session, meeting).quorum.met:
        warnings.append((Confirmed.START_WITHOUT_QUORUM, Problem.CONFIRM_NO_QUORUM))
    if warnings and confirmed_by is None:
        # One question says every warning the confirmation will record.
        raise Refusal(warnings[0][1], title=item.title, no_quorum_too=len(warnings) > 1)
    for what, _problem in warnings:
        session.add(
            FloorConfirmation(
                meeting_id=meeting.id, item_id=item.id, what=what, by=confirmed_by or "", at=now
            )
        )
    current = active_item(session, meeting)
    if current is not None and current.id != item.id:
        finish_item(session, meeting, current.id, now)
    if item.status != ItemStatus.ACTIVE:
        item.status = ItemStatus.ACTIVE
        item.started_at = item.started_at or now
        item.finished_at = None
    bump_version(meeting)
    return item


def finish_item(session: Session, meeting: Meeting, item_id: int, now: datetime) -> AgendaItem:
    """Close an item: a running speech stops, waiting requests lapse."""
    item = item_of(session, meeting, item_id)
    speech = current_speech(session, item)
    if speech is not None:
        store_clock(speech, clock_of(speech).stop(now))
    for request in waiting_requests(session, item):
        request.status = RequestStatus.LAPSED
    item.status = ItemStatus.DONE
    item.finished_at = now
    bump_version(meeting)
    return item


def waiting_requests(session: Session, item: AgendaItem) -> list[SpeechRequest]:
    """Requests still waiting on an item (with their members: the screens show the names)."""
    return list(
        session.scalars(
            select(SpeechRequest)
            .options(joinedload(SpeechRequest.member))
            .where(SpeechRequest.item_id == item.id, SpeechRequest.status == RequestStatus.WAITING)
        )
    )


def speeches(session: Session, item: AgendaItem) -> list[Speech]:
    """Speeches given on an item, in order (with their speakers)."""
    return list(
        session.scalars(
            select(Speech)
            .options(joinedload(Speech.member))
            .where(Speech.item_id == item.id)
            .order_by(Speech.started_at)
        )
    )


def _history(
    session: Session, item: AgendaItem, given: list[Speech] | None = None
) -> list[rules.Spoken]:
    return [
        rules.Spoken(s.member_id, Stance(s.stance), s.started_at, RequestKind(s.kind))
        for s in (speeches(session, item) if given is None else given)
    ]


def _as_rule(request: SpeechRequest) -> rules.Request:
    return rules.Request(
        request.id,
        request.member_id,
        Stance(request.stance),
        RequestKind(request.kind),
        request.requested_at,
    )


def queue(
    session: Session, meeting: Meeting, item: AgendaItem, given: list[Speech] | None = None
) -> list[SpeechRequest]:
    """The waiting requests in the order the rules of order give the floor (``given``: the
    item's speeches, when the caller has them already)."""
    waiting = {r.id: r for r in waiting_requests(session, item)}
    ordered = rules.order_queue(
        rules_of(meeting),
        [_as_rule(r) for r in waiting.values()],
        _history(session, item, given),
    )
    return [waiting[r.id] for r in ordered]


def request_floor(
    session: Session,
    meeting: Meeting,
    member_id: int,
    stance: Stance,
    kind: RequestKind,
    source: RequestSource,
    now: datetime,
    override: bool = False,
) -> SpeechRequest:
    """Ask for the floor on the active item; the rules refuse in words unless overridden.

    An override (by the moderator) is recorded for the minutes.
    """
    item = active_item(session, meeting)
    if item is None:
        raise Refusal(Problem.NO_ACTIVE_ITEM)
    member = session.get(Member, member_id)
    if member is None:
        raise Refusal(Problem.MEMBER_NOT_FOUND, member_id=member_id)
    here = attendance_of(session, meeting, member)
    if here is None or here.signed_out_at is not None:
        raise Refusal(Problem.NOT_SIGNED_IN, name=member.name)
    label = proxy_label(member.name, here.proxy_name)
    refuse_unchecked_mandate(here, label)
    waiting = waiting_requests(session, item)
    refusal = rules.check_request(
        rules_of(meeting), member_id, kind, _history(session, item), [_as_rule(r) for r in waiting]
    )
    if refusal is not None:
        if not override or refusal.code == rules.RefusalCode.ALREADY_WAITING:
            # The moderator asks on someone's behalf: the words name that person, not "you".
            named = {"name": label} if source == RequestSource.MODERATOR else {}
            raise Refusal(Problem.FLOOR_REFUSED, rule=refusal.code.value, **refusal.params, **named)
        session.add(
            RuleOverride(
                item_id=item.id,
                member_id=member_id,
                rule=refusal.code.value,
                detail=", ".join(f"{k}={v}" for k, v in refusal.params.items()),
                at=now,
            )
        )
    request = SpeechRequest(
        item_id=item.id,
        member_id=member_id,
        stance=stance,
        kind=kind,
        source=source,
        status=RequestStatus.WAITING,
        requested_at=now,
    )
    session.add(request)
    bump_version(meeting)
    session.flush()
    return request


def withdraw(
    session: Session, meeting: Meeting, request_id: int, member_id: int | None = None
) -> None:
    """Withdraw a waiting request (``member_id`` given: only one's own)."""
    request = session.get(SpeechRequest, request_id)
    if (
        request is None
        or request.status != RequestStatus.WAITING
        or (member_id is not None and request.member_id != member_id)
    ):
        raise Refusal(Problem.REQUEST_NOT_FOUND, request_id=request_id)
    request.status = RequestStatus.WITHDRAWN
    bump_version(meeting)


def give_floor(
    session: Session, meeting: Meeting, now: datetime, request_id: int | None = None
) -> Speech:
    """Start the next speech: the head of the queue, or a chosen request (out of turn: recorded).

    A speech still under way is stopped first.
    """
    item = active_or_refuse(session, meeting)
    given = speeches(session, item)
    ordered = queue(session, meeting, item, given)
    if not ordered:
        raise Refusal(Problem.QUEUE_EMPTY)
    chosen = ordered[0]
    if request_id is not None:
        matches = [r for r in ordered if r.id == request_id]
        if not matches:
            raise Refusal(Problem.REQUEST_NOT_FOUND, request_id=request_id)
        chosen = matches[0]
        if chosen is not ordered[0]:
            session.add(
                RuleOverride(
                    item_id=item.id, member_id=chosen.member_id, rule=rules.OUT_OF_TURN, at=now
                )
            )
    running = under_way(given)
    if running is not None:
        store_clock(running, clock_of(running).stop(now))
    chosen.status = RequestStatus.GRANTED
    clock = SpeechClock().start(rules_of(meeting).speech_limit, now)
    speech = Speech(
        item_id=item.id,
        member_id=chosen.member_id,
        request_id=chosen.id,
        stance=chosen.stance,
        kind=chosen.kind,
        limit_ms=ms(clock.limit),
        started_at=now,
        resumed_at=now,
        elapsed_before_ms=0,
    )
    session.add(speech)
    bump_version(meeting)
    session.flush()
    return speech


def speech_records(
    session: Session, meeting: Meeting, now: datetime, item_id: int | None = None
) -> list[rules.SpeechRecord]:
    """Every speech of the meeting (or of one item) with its duration so far."""
    items = [item_of(session, meeting, item_id)] if item_id else items_in_order(session, meeting)
    return [
        rules.SpeechRecord(s.member_id, s.member.group, Stance(s.stance), clock_of(s).elapsed(now))
        for item in items
        for s in speeches(session, item)
        if s.kind == RequestKind.SPEECH
    ]
