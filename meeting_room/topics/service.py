"""Topics' one writer: the topic library, proposals, co-signatures and review.

Each function is one committed transaction (audited row by row by ``store.audit``: who
proposed, signed, decided, and when), then one broadcast: ``topic.progress`` to every notice
board (/board) when a topic's signatures or status changed, so the bars move live. Accepting
also sends the meeting's new agenda (``floor``) to its screens. The clerk's screen, the
kiosk, the phone page and the board all call these functions.
"""

from __future__ import annotations

from sqlalchemy import select

from meeting_room.attendance.tokens import attendance_by_token
from meeting_room.clock import now
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.topics import ScopeKind, SignChannel, TopicSource, TopicStatus
from meeting_room.extensions import socketio
from meeting_room.floor.service import emit_floor
from meeting_room.meetings.meetings import get_meeting
from meeting_room.store.models.roster import Member
from meeting_room.store.storage import transaction
from meeting_room.topics import library, proposals, review
from meeting_room.topics.schemas import (
    AcceptIn,
    CategoryIn,
    CategoryView,
    DecisionIn,
    MergeIn,
    Notice,
    ResidentTopicIn,
    SignedOut,
    StaffTopicIn,
    TopicDraft,
    TopicProgress,
    TopicView,
)
from meeting_room.topics.snapshot import list_topics, progress_view, topic_view
from meeting_room.web.rooms import BOARD, BOARD_ROOM

# Where a resident's own proposal came from, by the channel it was made on.
RESIDENT_SOURCE = {
    SignChannel.KIOSK: TopicSource.KIOSK,
    SignChannel.PHONE: TopicSource.PHONE,
    SignChannel.BOARD: TopicSource.BOARD,
}


def emit_progress(*changed: TopicProgress) -> None:
    """Send each changed topic's progress to every notice board."""
    for progress in changed:
        socketio.emit(
            "topic.progress", progress.model_dump(mode="json"), namespace=BOARD, to=BOARD_ROOM
        )


# --- the library ----------------------------------------------------------------------------


def categories(active_only: bool = False) -> list[CategoryView]:
    """The topic library (seeded with the hall's categories when first read)."""
    with transaction() as session:
        return [library.category_view(c) for c in library.categories(session, active_only)]


def add_category(wanted: CategoryIn) -> CategoryView:
    """Add a category; may refuse ``category_exists``."""
    with transaction() as session:
        return library.category_view(library.add_category(session, wanted))


def edit_category(category_id: int, wanted: CategoryIn) -> CategoryView:
    """Rename, mark or retire a category; may refuse ``category_not_found``/``_exists``."""
    with transaction() as session:
        return library.category_view(library.edit_category(session, category_id, wanted))


# --- proposing and co-signing ---------------------------------------------------------------


def _place(member: Member | None, scope: ScopeKind) -> tuple[str, str]:
    if member is None or scope is ScopeKind.COMPOUND:
        return ("", "")
    return (member.building, member.unit)


def propose_by_staff(wanted: StaffTopicIn) -> TopicView:
    """Staff enter a topic gathered for residents (visit, representative, suggestion box) or
    the office's own; for a roster member it is recorded as written for them (代笔)."""
    with transaction() as session:
        proposer = (
            session.get(Member, wanted.proposer_member_id) if wanted.proposer_member_id else None
        )
        topic = proposals.propose(
            session,
            wanted,
            wanted.source,
            proposer,
            wanted.by,
            now(),
            place=(wanted.scope_building, wanted.scope_unit),
            threshold_percent=wanted.threshold_percent,
            source_note=wanted.source_note,
            scribe=wanted.by if proposer is not None else None,
        )
        view = topic_view(session, topic, named=True)
    emit_progress(view)
    return view


def propose_as_member(
    member_id: int,
    draft: TopicDraft,
    channel: SignChannel,
    by: str,
    scribe: str | None = None,
) -> TopicView:
    """A resident the caller recognised proposes a topic for their building, unit or the
    compound; ``scribe`` names the clerk who wrote it for them (代笔)."""
    with transaction() as session:
        member = session.get(Member, member_id)
        topic = proposals.propose(
            session,
            draft,
            RESIDENT_SOURCE[channel],
            member,
            by,
            now(),
            place=_place(member, draft.scope),
            scribe=scribe,
            channel=channel,
        )
        view = topic_view(session, topic)
    emit_progress(view)
    return view


def propose_with_token(wanted: ResidentTopicIn, channel: SignChannel) -> TopicView:
    """A resident proposes with their personal code (phone page, board); may refuse
    ``token_unknown`` or ``category_not_found``."""
    with transaction() as session:
        member_id = attendance_by_token(session, wanted.token).member_id
    return propose_as_member(member_id, wanted, channel, by=f"member:{member_id}")


def sign_as_member(
    topic_id: int, member_id: int, channel: SignChannel, scribe: str | None = None
) -> SignedOut:
    """A recognised member co-signs; may refuse ``topic_not_found``, ``topic_decided``,
    ``topic_outside_scope`` or ``topic_already_signed``."""
    with transaction() as session:
        topic = proposals.get_topic(session, topic_id)
        member = session.get(Member, member_id)
        assert member is not None
        proposals.sign(session, topic, member, channel, now(), scribe=scribe)
        out = SignedOut(name=member.name, topic=topic_view(session, topic))
    emit_progress(out.topic)
    return out


def sign_with_token(topic_id: int, token: str, channel: SignChannel) -> SignedOut:
    """A member co-signs with their personal code; may refuse ``token_unknown`` too."""
    with transaction() as session:
        member_id = attendance_by_token(session, token).member_id
    return sign_as_member(topic_id, member_id, channel)


def sign_on_paper(
    topic_id: int, member_nos: list[str], by: str
) -> tuple[int, list[tuple[str, Refusal]]]:
    """Staff enter a paper co-signing sheet (联署表) gathered on a visit: each roster number
    signs as its member, recorded as entered by ``by``. One transaction for the sheet (a
    refused line writes nothing: ``proposals.sign`` refuses before it adds); how many signed,
    and each refused roster number with its refusal."""
    refused: list[tuple[str, Refusal]] = []
    signed = 0
    with transaction() as session:
        topic = proposals.get_topic(session, topic_id)
        for number in member_nos:
            member = session.scalar(select(Member).where(Member.member_no == number))
            if member is None:
                refused.append((number, Refusal(Problem.MEMBER_NOT_FOUND, member_id=None)))
                continue
            try:
                proposals.sign(session, topic, member, SignChannel.CLERK, now(), scribe=by)
            except Refusal as refusal:
                refused.append((number, refusal))
                continue
            signed += 1
        view = topic_view(session, topic, named=True)
    emit_progress(view)
    return signed, refused


# --- review ---------------------------------------------------------------------------------


def decline(topic_id: int, wanted: DecisionIn) -> TopicView:
    """Decline with a published reason; may refuse ``topic_reason_required``."""
    with transaction() as session:
        topic = proposals.get_topic(session, topic_id)
        review.decline(session, topic, wanted.reason, wanted.by, now())
        view = topic_view(session, topic, named=True)
    emit_progress(view)
    return view


def merge(topic_id: int, wanted: MergeIn) -> TopicView:
    """Merge a duplicate into another topic, keeping every signature once; the target."""
    with transaction() as session:
        duplicate = proposals.get_topic(session, topic_id)
        target = proposals.get_topic(session, wanted.into_id)
        review.merge(session, duplicate, target, wanted.reason, wanted.by, now())
        gone = progress_view(session, duplicate)
        view = topic_view(session, target, named=True)
    emit_progress(gone, view)
    return view


def accept(topic_id: int, wanted: AcceptIn) -> TopicView:
    """Accept onto a meeting's agenda; may refuse ``meeting_not_found``, ``meeting_closed``
    or ``topic_below_threshold`` (unless confirmed)."""
    with transaction() as session:
        topic = proposals.get_topic(session, topic_id)
        meeting = get_meeting(session, wanted.meeting_id)
        review.accept(session, topic, meeting, wanted, now())
        view = topic_view(session, topic, named=True)
    emit_floor(wanted.meeting_id)
    emit_progress(view)
    return view


def take_notices(member_id: int) -> list[Notice]:
    """The member's topics decided since last shown, marked shown (the kiosk's greeting)."""
    moment = now()
    with transaction() as session:
        found = review.notices(session, member_id)
        out = []
        for topic in found:
            view = topic_view(session, topic)
            topic.proposer_notified_at = moment
            out.append(
                Notice(
                    id=topic.id,
                    title=topic.title,
                    status=topic.status,
                    reason=topic.decision_reason,
                    meeting_title=view.meeting_title,
                )
            )
        return out


def signed_by(member_id: int) -> set[int]:
    """The topics a member has signed (their own proposals included)."""
    with transaction() as session:
        return proposals.signed_topics(session, member_id)


def get(topic_id: int, named: bool = False) -> TopicView:
    """One topic with its progress."""
    with transaction() as session:
        return topic_view(session, proposals.get_topic(session, topic_id), named)


def topics(
    statuses: tuple[TopicStatus, ...] = (),
    source: TopicSource | None = None,
    category_id: int | None = None,
    named: bool = False,
) -> list[TopicView]:
    """Topics newest first, filtered; ``named`` for staff screens."""
    with transaction() as session:
        return list_topics(
            session, statuses=statuses, source=source, category_id=category_id, named=named
        )
