"""Every closed poll, checked: its ballot list against its ballots and its final hash, that
final hash against the log (as audited at closing, as sealed, as a purge kept it), its base
against the digest logged at opening, and its result recounted from the ballots and held
against every copy (the stored result the minutes show, the running tallies, the count sealed
at closing, the anonymous minutes a purge sealed)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.domain.words import PollStatus
from meeting_room.records.minutes import Minutes, PollRecord
from meeting_room.records.purge_record import purged_final_hashes, sealed_minutes
from meeting_room.records.verify_recount import (
    Count,
    compare,
    from_result,
    recount,
    stored_tallies,
)
from meeting_room.records.verify_report import Check, Flaw, Topic
from meeting_room.store import anchors
from meeting_room.store.models.audit import AuditEntry
from meeting_room.store.models.voting import Poll, PollVoter
from meeting_room.voting.results import verify_published
from meeting_room.voting.seals import BASE_KIND, base_seal, subject


def _entries(session: Session, poll: Poll, kind: str) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.subject == subject(poll.id), AuditEntry.kind == kind)
            .order_by(AuditEntry.seq)
        )
    )


def _detail(entry: AuditEntry) -> dict[str, Any]:
    detail = json.loads(entry.detail)
    return detail if isinstance(detail, dict) else {}


def _final_hash(session: Session, poll: Poll, purged: dict[int, str], check: Check) -> None:
    """The final hash now, against the one the log recorded at closing, sealed, and purged."""
    audited = [
        (e.seq, d["final_hash"])
        for e in _entries(session, poll, "polls.update")
        if "final_hash" in (d := _detail(e))
    ]
    if audited and audited[-1][1] != poll.final_hash:
        seq, value = audited[-1]
        check.add(Flaw.FINAL_HASH_NOT_AUDITED, now=poll.final_hash, logged=value, seq=seq)
    seals = _entries(session, poll, anchors.POLL_SEALED)
    if seals and _detail(seals[-1]).get("final_hash") != poll.final_hash:
        sealed = _detail(seals[-1]).get("final_hash")
        check.add(Flaw.FINAL_HASH_NOT_SEALED, now=poll.final_hash, logged=sealed, seq=seals[-1].seq)
    if poll.id in purged and purged[poll.id] != poll.final_hash:
        check.add(Flaw.FINAL_HASH_NOT_PURGED, now=poll.final_hash, logged=purged[poll.id])
    check.facts.update(final_hash=poll.final_hash, sealed=bool(seals), purged=poll.id in purged)


def _ballot_list(session: Session, poll: Poll, purged: dict[int, str], check: Check) -> None:
    """The published list against the ballots and the final hash (a purged named poll's lines
    lost their holders: its purge checked them, and sealed the final hash)."""
    if poll.id in purged and not poll.secret:
        return
    line = verify_published(session, poll)
    if line is not None:
        check.add(Flaw.LIST_BROKEN, line=line)


def _base(session: Session, poll: Poll, check: Check) -> None:
    """The base now against the digest logged when the poll opened (while it is kept)."""
    logged = _entries(session, poll, BASE_KIND)
    voters = session.execute(
        select(PollVoter.member_id, PollVoter.area_m2, PollVoter.weight, PollVoter.present).where(
            PollVoter.poll_id == poll.id
        )
    ).all()
    if not logged or not voters:
        return
    now = base_seal([(v.member_id, v.area_m2, v.weight, v.present) for v in voters])
    then = _detail(logged[-1])
    if now != then:
        check.add(
            Flaw.BASE_NOT_SEALED, now=now["voters"], logged=then.get("voters"), seq=logged[-1].seq
        )


def _published(minutes: Minutes | None, poll: Poll) -> PollRecord | None:
    if minutes is None:
        return None
    polls = [p for item in minutes.items for p in item.polls] + minutes.other_polls
    return next((p for p in polls if p.id == poll.id), None)


def _record_count(record: PollRecord) -> Count:
    return from_result(
        {
            "cast": record.cast,
            "passed": record.passed,
            "tallies": {
                t.option: {"headcount": t.headcount, "area": t.area, "weight": t.weight}
                for t in record.tallies
            },
        }
    )


def check_poll(session: Session, poll: Poll, purged: dict[int, str]) -> Check:
    """One closed poll, every way it can be checked."""
    check = Check(Topic.POLL, str(poll.id), {"question": poll.question, "secret": poll.secret})
    _final_hash(session, poll, purged, check)
    _ballot_list(session, poll, purged, check)
    _base(session, poll, check)
    counted = recount(session, poll, check)
    if counted is None:
        return check
    check.facts["recount"] = {o: int(t.headcount) for o, t in counted.tallies.items()}
    check.facts["passed"] = counted.passed
    compare(check, Flaw.RECOUNT_DIFFERS, from_result(poll.result or {}), counted)
    compare(check, Flaw.STORED_TALLY_DIFFERS, stored_tallies(session, poll), counted)
    seals = _entries(session, poll, anchors.POLL_SEALED)
    if seals:
        compare(check, Flaw.SEALED_COUNT_DIFFERS, from_result(_detail(seals[-1])["count"]), counted)
    record = _published(sealed_minutes(session, poll.meeting_id), poll)
    if record is not None:
        compare(check, Flaw.PUBLISHED_DIFFERS, _record_count(record), counted)
    return check


def poll_checks(session: Session) -> list[Check]:
    """Every closed or published poll, in order."""
    purged = purged_final_hashes(session)
    polls = session.scalars(
        select(Poll)
        .where(Poll.status.in_((PollStatus.CLOSED, PollStatus.PUBLISHED)))
        .order_by(Poll.id)
    )
    return [check_poll(session, poll, purged) for poll in polls]
