"""The floor's state as the screens get it: agenda, speaker with clock, queue; versioned."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from pydantic import BaseModel
from sqlalchemy.orm import Session

from meeting_room.attendance.proxies import proxies_of
from meeting_room.domain.words import ItemStatus
from meeting_room.floor import agenda, discussion, ending, timing
from meeting_room.store.anchors import Anchor
from meeting_room.store.models.floor import AgendaItem, SpeechRequest
from meeting_room.store.models.meetings import Meeting


class ItemView(BaseModel):
    """An agenda item with the time it has used."""

    id: int
    position: int
    title: str
    description: str
    kind: str
    status: str
    planned_minutes: int
    started_at: datetime | None
    finished_at: datetime | None


class ClockView(BaseModel):
    """A speech clock on the wire: a screen shows ``deadline - (its clock + offset)`` while
    running (offset = ``server_now`` - its clock when the snapshot came), else
    ``paused_remaining_ms``."""

    phase: str
    limit_ms: int
    started_at: str | None
    deadline: str | None
    paused_remaining_ms: int | None


class SpeakerView(BaseModel):
    """The person speaking and their clock (``clock`` as ``SpeechClock.to_wire``)."""

    speech_id: int
    member_id: int
    name: str
    proxy_name: str | None = None  # a proxy speaks for ``name``: "曹小明（代曹凤）"
    group: str
    stance: str
    kind: str
    clock: ClockView


class WaitingView(BaseModel):
    """A request in the queue, in order."""

    request_id: int
    member_id: int
    name: str
    proxy_name: str | None = None  # a proxy asks for ``name``
    stance: str
    kind: str
    speeches_so_far: int


class FloorSnapshot(BaseModel):
    """Everything a projector, moderator or phone shows about the floor."""

    meeting_id: int
    version: int
    server_now: datetime
    warning_s: int
    auto_stop: bool
    speech_limit_s: int
    agenda: list[ItemView]
    active_item_id: int | None
    speaker: SpeakerView | None
    queue: list[WaitingView]
    ended: Anchor | None = None  # once every item is finished: the chain's head at the end


def _item(item: AgendaItem) -> ItemView:
    return ItemView(
        id=item.id,
        position=item.position,
        title=item.title,
        description=item.description,
        kind=item.kind,
        status=item.status,
        planned_minutes=item.planned_minutes,
        started_at=item.started_at,
        finished_at=item.finished_at,
    )


def _waiting(
    request: SpeechRequest, spoken: dict[int, int], proxies: dict[int, str]
) -> WaitingView:
    return WaitingView(
        request_id=request.id,
        member_id=request.member_id,
        name=request.member.name,
        proxy_name=proxies.get(request.member_id),
        stance=request.stance,
        kind=request.kind,
        speeches_so_far=spoken.get(request.member_id, 0),
    )


def floor_snapshot(session: Session, meeting: Meeting, now: datetime) -> FloorSnapshot:
    """The snapshot at ``now`` (the screens compute their countdowns from ``server_now``)."""
    items = agenda.items_in_order(session, meeting)
    item = next((i for i in items if i.status == ItemStatus.ACTIVE), None)
    speaker = None
    waiting: list[WaitingView] = []
    if item is not None:
        given = discussion.speeches(session, item)
        speech = timing.under_way(given)
        proxies = proxies_of(session, meeting)
        if speech is not None:
            speaker = SpeakerView(
                speech_id=speech.id,
                member_id=speech.member_id,
                name=speech.member.name,
                proxy_name=proxies.get(speech.member_id),
                group=speech.member.group,
                stance=speech.stance,
                kind=speech.kind,
                clock=ClockView(**timing.clock_of(speech).to_wire()),
            )
        spoken: dict[int, int] = {}
        for speech_given in given:
            spoken[speech_given.member_id] = spoken.get(speech_given.member_id, 0) + 1
        waiting = [
            _waiting(r, spoken, proxies) for r in discussion.queue(session, meeting, item, given)
        ]
    return FloorSnapshot(
        meeting_id=meeting.id,
        version=meeting.version,
        server_now=now,
        warning_s=meeting.warning_s,
        auto_stop=meeting.auto_stop,
        speech_limit_s=meeting.speech_limit_s,
        agenda=[_item(i) for i in items],
        active_item_id=item.id if item else None,
        speaker=speaker,
        queue=waiting,
        ended=ending.meeting_end(session, meeting) if ending.all_done(items) else None,
    )


CACHE_KEY = "yishi.floor_snapshots"


def _cache() -> dict[int, FloorSnapshot]:
    """This app's latest floor snapshot per meeting (one app, one database)."""
    cache: dict[int, FloorSnapshot] = current_app.extensions.setdefault(CACHE_KEY, {})
    return cache


def committed_floor(session: Session, meeting: Meeting, now: datetime) -> FloorSnapshot:
    """``floor_snapshot`` for a transaction that changes nothing, reused while the meeting's
    version stays the same (only ``server_now`` is new).

    Every change of the floor (agenda, list, clock, rules) bumps the version, so a snapshot
    of a committed version stays right; a thousand phones joining at once then cost one
    snapshot, not a thousand. Never call it in a transaction that has changed something: a
    version that is rolled back would leave a snapshot of a state that never was.
    """
    held = _cache().get(meeting.id)
    if held is not None and held.version == meeting.version:
        return held.model_copy(update={"server_now": now})
    return remember(floor_snapshot(session, meeting, now))


def remember(snapshot: FloorSnapshot) -> FloorSnapshot:
    """Keep ``snapshot`` for ``committed_floor``: only once its transaction has committed."""
    cache = _cache()
    held = cache.get(snapshot.meeting_id)
    if held is None or held.version <= snapshot.version:
        cache[snapshot.meeting_id] = snapshot
    return snapshot


def phone_floor(snapshot: FloorSnapshot) -> FloorSnapshot:
    """What a phone shows of the floor: the same snapshot with only the agenda item under
    discussion (the phone shows its title; a long agenda with descriptions would otherwise
    go to every phone at every change)."""
    active = [item for item in snapshot.agenda if item.id == snapshot.active_item_id]
    return snapshot.model_copy(update={"agenda": active})


def used_time(item: ItemView, now: datetime) -> timedelta:
    """Time an item has been under discussion."""
    if item.started_at is None:
        return timedelta(0)
    return (item.finished_at or now) - item.started_at
