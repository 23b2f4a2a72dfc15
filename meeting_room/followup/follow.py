"""Follow-up (督办) on the action list: how a deadline was computed (working days by the hall's
calendar), reminders before it, escalation steps once it has passed, and the follow-up report
item (督办事项通报) generated on a meeting's agenda.

Functions of the caller's ``Session``; ``today``/``now`` and the hall's settings come in as
arguments; none reads the clock. The rules are ``domain.follow_up``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.domain import follow_up as rules
from meeting_room.domain.action_items import action_status
from meeting_room.domain.words import ActionStatus, EscalationStep, ItemKind, MeetingStatus
from meeting_room.floor import agenda
from meeting_room.followup.schemas import BasisView, EscalationView
from meeting_room.meetings.notice import working_calendar
from meeting_room.store.models.follow import DeadlineBasis, Escalation, FollowReport
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.records import ActionItem, Decision

REPORT_TITLE = "督办事项通报"  # the generated item's title, as the hall's agenda names it
REPORT_MINUTES = 10


def working_deadline(session: Session, start: date, count: int) -> rules.WorkingDeadline:
    """The deadline ``count`` working days after ``start`` by the hall's calendar (the clerk's
    days first, then China's holidays and 调休 days)."""
    return rules.add_working_days(start, count, working_calendar(session))


def record_basis(
    session: Session,
    action: ActionItem,
    counted: rules.WorkingDeadline | None,
    today: date,
    by: str,
    now: datetime,
) -> DeadlineBasis:
    """Record how the action's deadline was given: counted in working days, or a date."""
    basis = session.get(DeadlineBasis, action.id) or DeadlineBasis(action_id=action.id)
    basis.working_days = counted.count if counted else None
    basis.counted_from = counted.start if counted else today
    basis.deadline = action.deadline
    basis.guessed_years = ",".join(str(y) for y in counted.guessed_years) if counted else ""
    basis.by, basis.at = by[:64], now
    session.add(basis)
    session.flush()
    return basis


def basis_view(session: Session, action: ActionItem) -> BasisView | None:
    """How the deadline was computed, if it still stands (a deadline changed by hand later is
    a date the clerk gave)."""
    basis = session.get(DeadlineBasis, action.id)
    if basis is None or basis.working_days is None or basis.deadline != action.deadline:
        return None
    return BasisView(
        working_days=basis.working_days,
        counted_from=basis.counted_from,
        guessed_years=[int(y) for y in basis.guessed_years.split(",") if y],
    )


def steps_taken(session: Session, action_id: int) -> list[Escalation]:
    """The escalation steps taken on an item, in order."""
    return list(
        session.scalars(
            select(Escalation).where(Escalation.action_id == action_id).order_by(Escalation.id)
        )
    )


def escalation_views(session: Session, action_id: int) -> list[EscalationView]:
    """The escalation steps taken, as the screens show them."""
    return [
        EscalationView(step=e.step, note=e.note, by=e.by, at=e.at)
        for e in steps_taken(session, action_id)
    ]


def escalate(
    session: Session,
    action: ActionItem,
    step: EscalationStep,
    note: str,
    by: str,
    today: date,
    now: datetime,
) -> Escalation:
    """Take the next escalation step on an overdue item (提醒 → 约谈 → 上报街道), recorded with
    who and when; refuses a step out of order, twice, or on an item not overdue."""
    taken = [e.step for e in steps_taken(session, action.id)]
    rules.check_escalation(step, taken, action_status(action.status, action.deadline, today))
    row = Escalation(action_id=action.id, step=step, note=note.strip(), by=by[:64], at=now)
    session.add(row)
    session.flush()
    return row


def _listed(session: Session, meeting: Meeting, today: date, recent_days: int) -> list[int]:
    """The action items a meeting's follow-up report lists now: overdue, or completed lately,
    of the decisions of other meetings; overdue first, then by deadline."""
    rows = session.scalars(
        select(ActionItem)
        .join(Decision)
        .where(Decision.meeting_id != meeting.id)
        .order_by(ActionItem.deadline, ActionItem.id)
    )
    overdue: list[int] = []
    finished: list[int] = []
    for action in rows:
        status = action_status(action.status, action.deadline, today)
        if rules.reported(status, action.completed_on, today, recent_days):
            (overdue if status is ActionStatus.OVERDUE else finished).append(action.id)
    return overdue + finished


def follow_report(session: Session, meeting_id: int) -> FollowReport | None:
    """A meeting's follow-up report item, if it has one."""
    return session.get(FollowReport, meeting_id)


def report_action_ids(
    session: Session, meeting: Meeting, today: date, recent_days: int
) -> list[int]:
    """What the meeting's report lists: frozen at its opening, live before."""
    report = follow_report(session, meeting.id)
    if report is not None and report.action_ids is not None:
        return list(report.action_ids)
    return _listed(session, meeting, today, recent_days)


def ensure_report(
    session: Session, meeting: Meeting, today: date, now: datetime, recent_days: int
) -> FollowReport | None:
    """Generate the meeting's follow-up report item (督办事项通报) first on its agenda, once:
    when there is something to report and the meeting has no such item yet. At the opening the
    list is frozen (what was reported stays in the record). Idempotent."""
    report = follow_report(session, meeting.id)
    if report is None:
        if not _listed(session, meeting, today, recent_days):
            return None
        item = agenda.add_item(
            session,
            meeting,
            REPORT_TITLE,
            ItemKind.REPORT,
            REPORT_MINUTES,
            "逾期未办结及近期办结的决议事项，由系统按责任清单自动生成。",
        )
        others = [i.id for i in agenda.items_in_order(session, meeting) if i.id != item.id]
        agenda.reorder(session, meeting, [item.id, *others])
        report = FollowReport(meeting_id=meeting.id, item_id=item.id, created_at=now)
        session.add(report)
        session.flush()
    if meeting.status == MeetingStatus.OPEN and report.action_ids is None:
        report.action_ids = _listed(session, meeting, today, recent_days)
        report.frozen_at = now
        session.flush()
    return report
