"""The voting period's one writer: the clerk sets it up and opens it (the base is fixed then),
ballots arrive from every channel (the room, paper, the office), the clerk closes it, publishes
the preliminary result, answers objections and publishes the final result.

Each step is one committed transaction, audited by the store (every table here is in
``store.audit.AUDITED``). One unit, one ballot per matter, whichever channel: a second ballot
is kept and either refused (the default: the first stands) or stands in the first's place, as
the period says (``domain.assembly.second_ballot``); nothing is ever deleted.

``record_in`` writes inside the caller's transaction, for a channel that records something of
its own with the ballot (a paper ballot's scan, the room's poll); ``record_unit_ballot`` is the
same in a transaction of its own. ``correct_paper_reading`` puts the clerk's value in place of
one read from a paper ballot, in the caller's transaction too (the paper service keeps the
dispute with it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.access.throttle import forget_failures, record_failure, refuse_if_locked
from meeting_room.assembly import results
from meeting_room.assembly.base import fix_base
from meeting_room.clock import now as clock_now
from meeting_room.domain.assembly import (
    Channel,
    MatterKind,
    PeriodState,
    PublishMode,
    SecondBallot,
    ballot_refused,
    rule_for,
    second_ballot,
)
from meeting_room.domain.counting import YesNo
from meeting_room.domain.lockout import LockoutPolicy, lock_state
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.store.models.access import LoginFailure
from meeting_room.store.models.assembly import (
    ExclusiveUnit,
    Objection,
    PeriodMatter,
    UnitBallot,
    VotingPeriod,
)
from meeting_room.store.models.roster import Member
from meeting_room.store.storage import transaction

REFUSED = "refused_second"
SUPERSEDED = "superseded"
DISPUTED = "disputed"  # a unit ballot's note: the clerk decided against the value read from paper


@dataclass(frozen=True)
class MatterIn:
    """A matter as the clerk words it, and which item of art. 278 para. 1 it is."""

    title: str
    kind: MatterKind


@dataclass(frozen=True)
class PeriodDraft:
    """What the clerk fills in to set up a voting period."""

    title: str
    opens_at: datetime
    closes_at: datetime
    matters: Sequence[MatterIn]
    meeting_id: int | None = None
    objection_days: int = 7
    non_voters_agree: bool = False
    second_ballot: SecondBallot = SecondBallot.FIRST_STANDS
    publish_mode: PublishMode = PublishMode.NAMED


class Fate(StrEnum):
    """What became of one matter's ballot."""

    STANDS = "stands"  # the unit's first ballot on the matter
    REPLACED = "replaced"  # stands, the earlier one no longer (latest stands)
    REFUSED = "refused"  # kept, does not stand: the unit had voted (first stands)


@dataclass(frozen=True)
class Recorded:
    """A unit's ballot as recorded: each matter's fate, the unit's receipt and address."""

    unit_id: int
    address: str
    receipt: str
    fates: Mapping[int, Fate]
    earlier_channels: Mapping[int, Channel]  # for a refused or replaced one: the earlier's

    @property
    def refused(self) -> list[int]:
        """The matters on which this ballot was refused as a second one."""
        return [m for m, fate in self.fates.items() if fate is Fate.REFUSED]


def get_period(session: Session, period_id: int) -> VotingPeriod:
    """The period, or PERIOD_NOT_FOUND."""
    period = session.get(VotingPeriod, period_id)
    if period is None:
        raise Refusal(Problem.PERIOD_NOT_FOUND)
    return period


def _in_state(period: VotingPeriod, *states: PeriodState) -> None:
    if period.state not in states:
        raise Refusal(Problem.PERIOD_STATE, state=period.state.value)


def create_period(draft: PeriodDraft, by: str) -> int:
    """Set up a period in draft with its matters, each matter's rule following from its kind."""
    if draft.closes_at <= draft.opens_at:
        raise Refusal(Problem.PERIOD_BAD_TIMES)
    matters = [m for m in draft.matters if m.title.strip()]
    if not matters:
        raise Refusal(Problem.PERIOD_NO_MATTERS)
    with transaction() as s:
        period = VotingPeriod(
            meeting_id=draft.meeting_id,
            title=draft.title.strip(),
            opens_at=draft.opens_at,
            closes_at=draft.closes_at,
            state=PeriodState.DRAFT,
            objection_days=draft.objection_days,
            non_voters_agree=draft.non_voters_agree,
            second_ballot=draft.second_ballot,
            publish_mode=draft.publish_mode,
            created_at=clock_now(),
            created_by=by,
        )
        s.add(period)
        s.flush()
        for position, matter in enumerate(matters, start=1):
            s.add(
                PeriodMatter(
                    period_id=period.id,
                    position=position,
                    title=matter.title.strip(),
                    kind=matter.kind,
                    rule=rule_for(matter.kind),
                )
            )
        return period.id


def open_period(period_id: int, by: str, assume_owners: bool = False) -> int:
    """Open the period: the base of exclusive units is fixed from the roster now (Refusal,
    nothing fixed, where the roster cannot say; ``assume_owners``: the clerk confirmed that a
    unit without an owner key counts as its own owner). Returns the number of units."""
    with transaction() as s:
        period = get_period(s, period_id)
        _in_state(period, PeriodState.DRAFT)
        units = fix_base(s, period, assume_owners)
        period.state = PeriodState.OPEN
        period.base_fixed_at = clock_now()
        return len(units)


def _standing(session: Session, unit_id: int) -> dict[int, UnitBallot]:
    return {
        b.matter_id: b
        for b in session.scalars(
            select(UnitBallot).where(UnitBallot.unit_id == unit_id, UnitBallot.standing)
        )
    }


def record_in(
    session: Session,
    period_id: int,
    unit_id: int,
    matter_choices: Mapping[int, YesNo],
    channel: Channel,
    by: str,
    member_id: int | None = None,
    evidence: str = "",
    at: datetime | None = None,
    from_box: bool = False,
) -> Recorded:
    """Record a unit's ballot on some matters in the caller's transaction (see the module).

    Refused unless the period takes this ballot now (``domain.assembly.ballot_refused``: open
    and not ended; a paper ballot from the box, ``from_box`` with channel PAPER, also in the
    counting stage after the close, until the preliminary result is published), the unit is of
    its base and every matter is the period's. A paper ballot counted after the close counts
    the kept preliminary again, so the result and the period's page include it. A matter the
    unit has voted on is kept and refused (first stands) or replaces the earlier (latest
    stands): ``Recorded.fates`` says which.
    """
    at = at or clock_now()
    period = get_period(session, period_id)
    refused = ballot_refused(
        period.state, from_box and channel is Channel.PAPER, at, period.closes_at
    )
    if refused is not None:
        raise Refusal(Problem.PERIOD_STATE, state=refused)
    unit = session.get(ExclusiveUnit, unit_id)
    if unit is None or unit.period_id != period.id:
        raise Refusal(Problem.UNIT_NOT_FOUND)
    matters = set(
        session.scalars(select(PeriodMatter.id).where(PeriodMatter.period_id == period.id))
    )
    if not matter_choices or not set(matter_choices) <= matters:
        raise Refusal(Problem.INVALID_INPUT, detail="matter")
    standing = _standing(session, unit.id)
    fates: dict[int, Fate] = {}
    earlier: dict[int, Channel] = {}
    for matter_id, choice in sorted(matter_choices.items()):
        before = standing.get(matter_id)
        verdict = second_ballot(period.second_ballot, before.choice if before else None)
        if before is not None:
            earlier[matter_id] = before.channel
            if verdict.supersedes:
                before.standing = False
                before.note = SUPERSEDED
                session.flush()  # the unique standing index sees one at a time
        session.add(
            UnitBallot(
                period_id=period.id,
                unit_id=unit.id,
                matter_id=matter_id,
                choice=YesNo(choice),
                channel=channel,
                at=at,
                by=by,
                member_id=member_id,
                evidence=evidence,
                standing=verdict.stands,
                note=REFUSED if verdict.refused else "",
            )
        )
        fates[matter_id] = (
            Fate.REFUSED
            if verdict.refused
            else Fate.REPLACED
            if verdict.supersedes
            else Fate.STANDS
        )
    session.flush()
    if period.state is PeriodState.CLOSED:
        period.preliminary = results.count_period(session, period)
    return Recorded(unit.id, unit.address, unit.receipt, fates, earlier)


def record_unit_ballot(
    period_id: int,
    unit_id: int,
    matter_choices: Mapping[int, YesNo],
    channel: Channel = Channel.OFFICE,
    by: str = "",
    member_id: int | None = None,
    evidence: str = "",
) -> Recorded:
    """Record a unit's ballot in a transaction of its own (see ``record_in``)."""
    with transaction() as s:
        return record_in(s, period_id, unit_id, matter_choices, channel, by, member_id, evidence)


def correct_paper_reading(
    session: Session,
    period: VotingPeriod,
    unit_id: int,
    matter_id: int,
    evidence: str,
    choice: YesNo | None,
    by: str,
    at: datetime,
) -> None:
    """The clerk's value in place of the one read from a paper ballot (``evidence``: its serial
    and the scan's hash) on a matter, in the caller's transaction: the unit ballot read from
    that page stands no longer (noted DISPUTED) and the clerk's, of channel PAPER, stands where
    it stood (``choice`` None: no valid choice, so none stands). A reading that did not stand
    (another ballot of the unit stood first) leaves the clerk's standing no more than it; one
    the clerk decided before gives way the same. The kept preliminary follows."""
    row = session.scalars(
        select(UnitBallot)
        .where(
            UnitBallot.unit_id == unit_id,
            UnitBallot.matter_id == matter_id,
            UnitBallot.channel == Channel.PAPER,
            UnitBallot.evidence.startswith(evidence),
        )
        .order_by(UnitBallot.id.desc())
    ).first()
    # A row the clerk disputed before stood until then.
    stood = row is not None and (row.standing or row.note == DISPUTED)
    if row is not None and row.standing:
        row.standing = False
        row.note = DISPUTED
        session.flush()  # the unique standing index sees one at a time
    if choice is not None:
        session.add(
            UnitBallot(
                period_id=period.id,
                unit_id=unit_id,
                matter_id=matter_id,
                choice=choice,
                channel=Channel.PAPER,
                at=at,
                by=by,
                evidence=f"{evidence} dispute",
                standing=stood,
                note="" if stood or row is None else row.note,
            )
        )
    session.flush()
    if period.state is PeriodState.CLOSED:
        period.preliminary = results.count_period(session, period)


def close_period(period_id: int, by: str) -> None:
    """Close an open period (at or after its end, or early by the clerk) and count it; the
    count is kept as the preliminary result, not yet published."""
    with transaction() as s:
        period = get_period(s, period_id)
        _in_state(period, PeriodState.OPEN)
        period.state = PeriodState.CLOSED
        period.closed_at = clock_now()
        period.preliminary = results.count_period(s, period)


def publish_preliminary(period_id: int, by: str) -> None:
    """Publish the preliminary result (初步统计结果); the objection window (询异期) of the
    period's days starts now."""
    with transaction() as s:
        period = get_period(s, period_id)
        _in_state(period, PeriodState.CLOSED)
        moment = clock_now()
        # Counted again from the stored ballots: the paper counted after the close is in it.
        period.preliminary = results.count_period(s, period)
        period.state = PeriodState.PRELIMINARY
        period.preliminary_at = moment
        period.objection_ends_at = moment + timedelta(days=period.objection_days)


def lodge_objection(
    period_id: int,
    text: str,
    by: str,
    unit_id: int | None = None,
    member_id: int | None = None,
) -> int:
    """An owner's objection, lodged at the board (``by`` = "board") or by the clerk on their
    behalf; only while the objection window runs."""
    if not text.strip():
        raise Refusal(Problem.INVALID_INPUT, detail="text")
    with transaction() as s:
        period = get_period(s, period_id)
        _in_state(period, PeriodState.PRELIMINARY)
        moment = clock_now()
        assert period.objection_ends_at is not None
        if moment >= period.objection_ends_at:
            raise Refusal(Problem.OBJECTION_WINDOW_CLOSED)
        objection = Objection(
            period_id=period.id,
            unit_id=unit_id,
            member_id=member_id,
            text=text.strip(),
            lodged_at=moment,
            lodged_by=by,
        )
        s.add(objection)
        s.flush()
        return objection.id


def objection_policy() -> LockoutPolicy:
    """How many wrong phone digits lock a unit's objections at the board, and for how long
    (the app's settings; the kiosk's and the pairing codes' locks are of the same kind)."""
    config = current_app.config
    return LockoutPolicy(
        int(config["OBJECTION_LOCKOUT_ATTEMPTS"]),
        timedelta(seconds=int(config["OBJECTION_LOCKOUT_SECONDS"])),
    )


def _lock_subject(period_id: int, unit_id: int | None) -> str:
    return f"objection:{period_id}:{unit_id if unit_id is not None else '?'}"


def _unit_at(session: Session, period_id: int, address: str) -> ExclusiveUnit | None:
    wanted = address.strip().replace(" ", "")
    for unit in session.scalars(select(ExclusiveUnit).where(ExclusiveUnit.period_id == period_id)):
        if wanted and wanted in (unit.address, unit.unit_key):
            return unit
    return None


def lodge_at_board(period_id: int, address: str, tail: str, text: str, client: str) -> int:
    """An owner's objection at the board, identified by their unit's address and the last 4
    digits of an owner's phone on the roster. Wrong digits are counted per unit (committed
    before the refusal): ``OBJECTION_LOCKOUT_ATTEMPTS`` of them pause the unit's objections
    for ``OBJECTION_LOCKOUT_SECONDS`` on the app's clock (OBJECTION_LOCKED, with its end), so
    the 10,000 tails cannot be tried one after another; too many wrong tries from one
    address lock it out (``access.throttle``). A right try forgets the unit's wrong ones."""
    policy = objection_policy()
    moment = clock_now()
    with transaction() as s:
        get_period(s, period_id)
        unit = _unit_at(s, period_id, address)
        subject = _lock_subject(period_id, unit.id if unit else None)
        failures = list(
            s.scalars(
                select(LoginFailure.at).where(
                    LoginFailure.subject == subject,
                    LoginFailure.at >= moment - policy.duration * 2,
                )
            )
        )
        state = lock_state(policy, failures, moment)
        if state.is_locked(moment):
            raise Refusal(Problem.OBJECTION_LOCKED, until=state.locked_until)
        refuse_if_locked(s, subject, policy, client, moment)
        owner = None
        if unit is not None:
            members = [s.get(Member, m) for m in unit.member_ids]
            owner = next((m for m in members if m and m.phone_tail == tail.strip()), None)
        if owner is None:
            record_failure(s, subject, client, moment)
            state = lock_state(policy, [*failures, moment], moment)
        else:
            forget_failures(s, subject)
    # The wrong try is committed: now it is refused.
    if unit is None:
        raise Refusal(Problem.UNIT_NOT_FOUND)
    if owner is None:
        if state.is_locked(moment):
            raise Refusal(Problem.OBJECTION_LOCKED, until=state.locked_until)
        raise Refusal(Problem.OWNER_NOT_MATCHED, remaining=policy.attempts - state.failures)
    return lodge_objection(period_id, text, "board", unit_id=unit.id, member_id=owner.id)


def answer_objection(objection_id: int, answer: str, by: str, period_id: int | None = None) -> None:
    """The clerk's written answer to an objection (it can be amended until the final result)."""
    if not answer.strip():
        raise Refusal(Problem.INVALID_INPUT, detail="answer")
    with transaction() as s:
        objection = s.get(Objection, objection_id)
        if objection is None or period_id not in (None, objection.period_id):
            raise Refusal(Problem.OBJECTION_NOT_FOUND)
        _in_state(get_period(s, objection.period_id), PeriodState.PRELIMINARY)
        objection.answer = answer.strip()
        objection.answered_by = by
        objection.answered_at = clock_now()


def publish_final(period_id: int, by: str) -> None:
    """Publish the final result once the objection window has ended and every objection is
    answered (counted again from the stored ballots)."""
    with transaction() as s:
        period = get_period(s, period_id)
        _in_state(period, PeriodState.PRELIMINARY)
        moment = clock_now()
        assert period.objection_ends_at is not None
        open_objections = s.scalar(
            select(Objection.id).where(Objection.period_id == period.id, Objection.answer.is_(None))
        )
        if open_objections is not None:
            raise Refusal(Problem.PERIOD_STATE, state="objections_open")
        if moment < period.objection_ends_at:
            raise Refusal(Problem.PERIOD_STATE, state="window_open")
        period.state = PeriodState.FINAL
        period.final_at = moment
        period.final = results.count_period(s, period)
