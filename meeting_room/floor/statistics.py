"""Speaking statistics as the screens get them: per person (a proxy by their own name, for
whom), shares of time by group and by stance, and the points of order apart (they are not
speeches: the rules of order never count them, but the moderator sees who raised them).

Read-only; the console asks for them over its socket at every floor change, the projector
and the clerk over HTTP. Takes ``now``: a speech under way counts with its time so far.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.attendance.proxies import proxies_of
from meeting_room.domain.shares import percent
from meeting_room.domain.speakers import statistics
from meeting_room.domain.words import RequestKind
from meeting_room.floor.agenda import item_of, items_in_order
from meeting_room.floor.discussion import speech_records, speeches
from meeting_room.floor.schemas import PersonStats, Share, StatsOut
from meeting_room.floor.timing import clock_of
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member


def speaking_statistics(
    session: Session, meeting: Meeting, now: datetime, item_id: int | None = None
) -> StatsOut:
    """The meeting's (or one item's) statistics at ``now``."""
    stats = statistics(speech_records(session, meeting, now, item_id))
    items = [item_of(session, meeting, item_id)] if item_id else items_in_order(session, meeting)
    points: dict[int, tuple[int, int]] = {}
    for item in items:
        for speech in speeches(session, item):
            if speech.kind == RequestKind.POINT_OF_ORDER:
                count, seconds = points.get(speech.member_id, (0, 0))
                spoken = round(clock_of(speech).elapsed(now).total_seconds())
                points[speech.member_id] = (count + 1, seconds + spoken)
    people_ids = set(stats.by_person) | set(points)
    members = {m.id: m for m in session.scalars(select(Member).where(Member.id.in_(people_ids)))}
    proxies = proxies_of(session, meeting)
    total = stats.total.total_seconds()
    people = [
        PersonStats(
            member_id=pid,
            name=members[pid].name,
            proxy_name=proxies.get(pid),
            group=members[pid].group,
            speeches=stats.by_person[pid].count if pid in stats.by_person else 0,
            seconds=round(stats.by_person[pid].total.total_seconds())
            if pid in stats.by_person
            else 0,
            points_of_order=points.get(pid, (0, 0))[0],
        )
        for pid in people_ids
    ]
    return StatsOut(
        total_seconds=round(total),
        people=sorted(people, key=lambda p: (-p.seconds, -p.points_of_order, p.name)),
        by_group=[
            Share(key=g, seconds=round(float(share) * total), percent=percent(share))
            for g, share in sorted(stats.group_share.items(), key=lambda kv: -kv[1])
        ],
        by_stance=[
            Share(key=str(s), seconds=round(float(share) * total), percent=percent(share))
            for s, share in stats.stance_share.items()
        ],
        points_of_order=sum(count for count, _ in points.values()),
        points_of_order_seconds=sum(seconds for _, seconds in points.values()),
    )
