"""Floor discussion: the agenda, the list of speakers and the speaking clock, on the database.

Each function is one unit of work on the caller's ``Session``; all take ``now``. The rules
themselves are pure (``domain.speakers``, ``domain.timer``); this module loads and stores.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from meeting_room.attendance.attendance import attendance_of
from meeting_room.domain import speakers as rules
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.timer import SpeechClock, TimerError
from meeting_room.domain.words import ItemKind, ItemStatus, RequestKind, RequestStatus, Stance
from meeting_room.meetings.meetings import bump_version
from meeting_room.store.models import (
    AgendaItem,
    Meeting,
    Member,
    RuleOverride,
    Speech,
    SpeechRequest,
)


def rules_of(meeting: Meeting) -> rules.RulesOfOrder:
    """The meeting's rules of order."""
    return rules.RulesOfOrder(
        speech_limit=timedelta(seconds=meeting.speech_limit_s),
        max_speeches=meeting.max_speeches,
        first_timers_first=meeting.first_timers_first,
        alternate=meeting.alternate,
    )


# --- the agenda ---------------------------------------------------------------------------


def agenda(session: Session, meeting: Meeting) -> list[AgendaItem]:
    """The meeting's items in order."""
    return list(
        session.scalars(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting.id)
            .order_by(AgendaItem.position, AgendaItem.id)
        )
    )


def add_item(
    session: Session,
    meeting: Meeting,
    title: str,
    kind: ItemKind,
    planned_minutes: int,
    description: str = "",
) -> AgendaItem:
    """Append an item to the agenda."""
    last = session.scalar(
        select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)
    )
    item = AgendaItem(
        meeting_id=meeting.id,
        position=(last or 0) + 1,
        title=title.strip(),
        description=description.strip(),
        kind=kind,
        planned_minutes=planned_minutes,
        status=ItemStatus.PENDING,
    )
    session.add(item)
    bump_version(meeting)
    session.flush()
    return item


def _item(session: Session, meeting: Meeting, item_id: int) -> AgendaItem:
    item = session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        raise Refusal(Problem.ITEM_NOT_FOUND, item_id=item_id)
    return item


def reorder(session: Session, meeting: Meeting, item_ids: list[int]) -> None:
    """Put the items in the given order (every item of the meeting, once)."""
    items = {item.id: item for item in agenda(session, meeting)}
    if sorted(item_ids) != sorted(items):
        raise Refusal(Problem.INVALID_INPUT, detail="item_ids")
    for position, item_id in enumerate(item_ids, start=1):
        items[item_id].position = position
    bump_version(meeting)


def active_item(session: Session, meeting: Meeting) -> AgendaItem | None:
    """The item under discussion, if any."""
    return session.scalars(
        select(AgendaItem).where(
            AgendaItem.meeting_id == meeting.id, AgendaItem.status == ItemStatus.ACTIVE
        )
    ).first()


def start_item(session: Session, meeting: Meeting, item_id: int, now: datetime) -> AgendaItem:
    """Open an item for discussion; the one before it (and its speech) is finished first."""
    item = _item(session, meeting, item_id)
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
    item = _item(session, meeting, item_id)
    speech = current_speech(session, item)
    if speech is not None:
        _store(speech, clock_of(speech).stop(now))
    for request in waiting_requests(session, item):
        request.status = RequestStatus.LAPSED
    item.status = ItemStatus.DONE
    item.finished_at = now
    bump_version(meeting)
    return item


# --- the list of speakers -----------------------------------------------------------------


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
    source: str,
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
    waiting = waiting_requests(session, item)
    refusal = rules.check_request(
        rules_of(meeting), member_id, kind, _history(session, item), [_as_rule(r) for r in waiting]
    )
    if refusal is not None:
        if not override or refusal.code == rules.RefusalCode.ALREADY_WAITING:
            raise Refusal(Problem.FLOOR_REFUSED, rule=refusal.code.value, **refusal.params)
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


# --- the speaking clock -------------------------------------------------------------------


def clock_of(speech: Speech) -> SpeechClock:
    """The stored clock of a speech."""
    return SpeechClock(
        limit=timedelta(milliseconds=speech.limit_ms),
        started_at=speech.started_at,
        resumed_at=speech.resumed_at,
        elapsed_before=timedelta(milliseconds=speech.elapsed_before_ms),
        stopped_at=speech.stopped_at,
    )


def _store(speech: Speech, clock: SpeechClock) -> None:
    speech.limit_ms = _ms(clock.limit)
    speech.resumed_at = clock.resumed_at
    speech.elapsed_before_ms = _ms(clock.elapsed_before)
    speech.stopped_at = clock.stopped_at


def _ms(delta: timedelta) -> int:
    return round(delta / timedelta(milliseconds=1))


def current_speech(session: Session, item: AgendaItem) -> Speech | None:
    """The speech under way on an item (running or paused)."""
    return session.scalars(
        select(Speech).where(Speech.item_id == item.id, Speech.stopped_at.is_(None))
    ).first()


def under_way(given: list[Speech]) -> Speech | None:
    """The speech under way among an item's speeches (``speeches``), if any."""
    return next((s for s in reversed(given) if s.stopped_at is None), None)


def _active(session: Session, meeting: Meeting) -> AgendaItem:
    item = active_item(session, meeting)
    if item is None:
        raise Refusal(Problem.NO_ACTIVE_ITEM)
    return item


def give_floor(
    session: Session, meeting: Meeting, now: datetime, request_id: int | None = None
) -> Speech:
    """Start the next speech: the head of the queue, or a chosen request (out of turn: recorded).

    A speech still under way is stopped first.
    """
    item = _active(session, meeting)
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
                    item_id=item.id, member_id=chosen.member_id, rule="out_of_turn", at=now
                )
            )
    running = under_way(given)
    if running is not None:
        _store(running, clock_of(running).stop(now))
    chosen.status = RequestStatus.GRANTED
    clock = SpeechClock().start(rules_of(meeting).speech_limit, now)
    speech = Speech(
        item_id=item.id,
        member_id=chosen.member_id,
        request_id=chosen.id,
        stance=chosen.stance,
        kind=chosen.kind,
        limit_ms=_ms(clock.limit),
        started_at=now,
        resumed_at=now,
        elapsed_before_ms=0,
    )
    session.add(speech)
    bump_version(meeting)
    session.flush()
    return speech


def change_clock(
    session: Session, meeting: Meeting, action: str, now: datetime, seconds: int = 30
) -> Speech:
    """Pause, resume, add time to or stop the speech under way."""
    item = _active(session, meeting)
    speech = current_speech(session, item)
    if speech is None:
        raise Refusal(Problem.NO_SPEECH)
    clock = clock_of(speech)
    try:
        if action == "pause":
            clock = clock.pause(now)
        elif action == "resume":
            clock = clock.resume(now)
        elif action == "toggle":
            clock = clock.pause(now) if clock.running else clock.resume(now)
        elif action == "add":
            clock = clock.add_time(timedelta(seconds=seconds), now)
        elif action == "stop":
            clock = clock.stop(now)
        else:
            raise Refusal(Problem.INVALID_INPUT, detail="action")
    except TimerError as error:
        raise Refusal(Problem.TIMER_REFUSED, code=error.code.value) from error
    _store(speech, clock)
    bump_version(meeting)
    return speech


def edit_item(
    session: Session,
    meeting: Meeting,
    item_id: int,
    title: str | None = None,
    description: str | None = None,
    kind: ItemKind | None = None,
    planned_minutes: int | None = None,
) -> AgendaItem:
    """The clerk corrects an item's title, description, kind or planned time."""
    item = _item(session, meeting, item_id)
    if title is not None:
        item.title = title.strip()
    if description is not None:
        item.description = description.strip()
    if kind is not None:
        item.kind = kind
    if planned_minutes is not None:
        item.planned_minutes = planned_minutes
    bump_version(meeting)
    return item


def speech_records(
    session: Session, meeting: Meeting, now: datetime, item_id: int | None = None
) -> list[rules.SpeechRecord]:
    """Every speech of the meeting (or of one item) with its duration so far."""
    items = [_item(session, meeting, item_id)] if item_id else agenda(session, meeting)
    return [
        rules.SpeechRecord(s.member_id, s.member.group, Stance(s.stance), clock_of(s).elapsed(now))
        for item in items
        for s in speeches(session, item)
        if s.kind == RequestKind.SPEECH
    ]


def stop_overrun_speeches(session: Session, now: datetime) -> list[int]:
    """Stop every running speech past its time in meetings that chose automatic stop.

    Returns the ids of the meetings whose floor changed.
    """
    changed = []
    running = session.execute(
        select(Speech, Meeting)
        .join(AgendaItem, Speech.item_id == AgendaItem.id)
        .join(Meeting, AgendaItem.meeting_id == Meeting.id)
        .where(Speech.stopped_at.is_(None), Speech.resumed_at.is_not(None), Meeting.auto_stop)
    ).all()
    for speech, meeting in running:
        clock = clock_of(speech)
        if clock.should_auto_stop(now, auto_stop=True):
            _store(speech, clock.stop(now))
            bump_version(meeting)
            changed.append(meeting.id)
    return changed


def set_rules(
    session: Session,
    meeting: Meeting,
    chosen: rules.RulesOfOrder,
    warning_s: int,
    auto_stop: bool,
) -> Meeting:
    """Give the meeting its rules of order (a preset or its own), its warning and auto-stop."""
    meeting.speech_limit_s = int(chosen.speech_limit.total_seconds())
    meeting.max_speeches = chosen.max_speeches
    meeting.first_timers_first = chosen.first_timers_first
    meeting.alternate = chosen.alternate
    meeting.warning_s = warning_s
    meeting.auto_stop = auto_stop
    bump_version(meeting)
    return meeting
