"""What must hold in the database whatever the clients sent: ``assert_consistent(session)``.

Used after fuzzing (and by any test that wants it): no orphan rows, tallies that equal the
ballots, one participation per ballot, intact hash chains.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from meeting_room.domain.words import PollStatus
from meeting_room.store.audit import verify_log
from meeting_room.store.models.floor import AgendaItem, Speech, SpeechRequest
from meeting_room.store.models.meetings import Attendance
from meeting_room.store.models.records import Decision
from meeting_room.store.models.voting import Ballot, Participation, Poll, PollTally, PollVoter
from meeting_room.voting.results import verify_published


def assert_consistent(session: Session) -> None:
    """Fail with every broken invariant found (read only)."""
    problems = (
        _orphans(session)
        + _meetings_agree(session)
        + _polls(session)
        + _speeches(session)
        + _chains(session)
    )
    assert not problems, "inconsistent database:\n" + "\n".join(problems)


def _orphans(session: Session) -> list[str]:
    """Rows whose foreign key names nothing (SQLite's own check, every table)."""
    rows = session.execute(text("PRAGMA foreign_key_check")).all()
    return [
        f"orphan row in {table} (rowid {rowid}) -> {parent}" for table, rowid, parent, _ in rows
    ]


def _meetings_agree(session: Session) -> list[str]:
    """What points at two parents points at parents of one meeting."""
    problems = []
    item_meeting = dict(session.execute(select(AgendaItem.id, AgendaItem.meeting_id)).all())
    poll_meeting = dict(session.execute(select(Poll.id, Poll.meeting_id)).all())
    for poll_id, meeting_id, item_id in session.execute(
        select(Poll.id, Poll.meeting_id, Poll.item_id).where(Poll.item_id.is_not(None))
    ):
        if item_meeting.get(item_id) != meeting_id:
            problems.append(f"poll {poll_id} is on item {item_id} of another meeting")
    for decision in session.scalars(select(Decision)):
        if decision.item_id is not None and item_meeting.get(decision.item_id) != (
            decision.meeting_id
        ):
            problems.append(f"decision {decision.id} is on an item of another meeting")
        if decision.poll_id is not None and poll_meeting.get(decision.poll_id) != (
            decision.meeting_id
        ):
            problems.append(f"decision {decision.id} is on a poll of another meeting")
    for meeting_id, open_polls in session.execute(
        select(Poll.meeting_id, func.count())
        .where(Poll.status == PollStatus.OPEN)
        .group_by(Poll.meeting_id)
    ):
        if open_polls > 1:
            problems.append(f"meeting {meeting_id} has {open_polls} open polls")
    return problems


def _polls(session: Session) -> list[str]:
    """Each poll's ballots, participations, voters and tallies agree."""
    problems = []
    for poll in session.scalars(select(Poll)):
        ballots = session.scalars(select(Ballot).where(Ballot.poll_id == poll.id)).all()
        voted = set(
            session.scalars(select(Participation.member_id).where(Participation.poll_id == poll.id))
        )
        voters = {
            v.member_id: v
            for v in session.scalars(select(PollVoter).where(PollVoter.poll_id == poll.id))
        }
        tallies = {
            t.option: t
            for t in session.scalars(select(PollTally).where(PollTally.poll_id == poll.id))
        }
        name = f"poll {poll.id} ({poll.status})"
        if poll.status == PollStatus.DRAFT:
            if ballots or voted or tallies:
                problems.append(f"{name} has ballots or tallies before opening")
            continue
        if len(ballots) != len(voted):
            problems.append(f"{name}: {len(ballots)} ballots but {len(voted)} participations")
        if not voted <= voters.keys():
            problems.append(f"{name}: participations of members outside its voters")
        if any((b.member_id is None) != poll.secret for b in ballots):
            problems.append(f"{name}: a ballot's member does not match the poll's secrecy")
        counted = Counter(option for b in ballots for option in b.choices)
        if set(counted) - set(tallies):
            problems.append(f"{name}: ballots for options without a tally")
        for option, tally in tallies.items():
            if tally.headcount != counted[option]:
                problems.append(
                    f"{name}: tally of {option!r} is {tally.headcount}, ballots say "
                    f"{counted[option]}"
                )
        problems += _sums(name, poll, ballots, voted, voters, tallies)
    return problems


def _sums(
    name: str,
    poll: Poll,
    ballots: list[Ballot] | tuple[Ballot, ...],
    voted: set[int],
    voters: dict[int, PollVoter],
    tallies: dict[str, PollTally],
) -> list[str]:
    """Area and weight per option (named polls) or in total (one choice each)."""
    area: defaultdict[str, Decimal] = defaultdict(Decimal)
    weight: defaultdict[str, Decimal] = defaultdict(Decimal)
    if not poll.secret:
        for ballot in ballots:
            voter = voters.get(ballot.member_id) if ballot.member_id is not None else None
            if voter is None:
                continue  # reported above as a participation outside the voters
            for option in ballot.choices:
                area[option] += voter.area_m2
                weight[option] += voter.weight
        wrong = [o for o, t in tallies.items() if t.area_m2 != area[o] or t.weight != weight[o]]
        return [f"{name}: area or weight of {o!r} disagrees with its ballots" for o in wrong]
    if poll.max_choices == 1:
        want_area = sum((voters[m].area_m2 for m in voted if m in voters), Decimal())
        have_area = sum((t.area_m2 for t in tallies.values()), Decimal())
        if want_area != have_area:
            return [f"{name}: tallied area {have_area} but voters' area {want_area}"]
    return []


def _speeches(session: Session) -> list[str]:
    """A speech given from a request is on the request's item, by its member."""
    problems = []
    for speech, request in session.execute(
        select(Speech, SpeechRequest).join(SpeechRequest, Speech.request_id == SpeechRequest.id)
    ):
        if (speech.item_id, speech.member_id) != (request.item_id, request.member_id):
            problems.append(f"speech {speech.id} does not match its request {request.id}")
    running = session.execute(
        select(Speech.item_id, func.count())
        .where(Speech.stopped_at.is_(None))
        .group_by(Speech.item_id)
    ).all()
    problems += [f"item {item} has {n} speeches running" for item, n in running if n > 1]
    proxies = session.scalars(
        select(Attendance).where(Attendance.proxy_member_id == Attendance.member_id)
    ).all()
    problems += [f"attendance {a.id} is its own proxy" for a in proxies]
    return problems


def _chains(session: Session) -> list[str]:
    """The audit log and every closed poll's published ballot list verify."""
    problems = []
    broken = verify_log(session)
    if broken is not None:
        problems.append(f"audit log broken at entry {broken.seq} ({broken.reason})")
    for poll in session.scalars(select(Poll).where(Poll.final_hash.is_not(None))):
        position = verify_published(session, poll)
        if position is not None:
            problems.append(f"poll {poll.id}: ballot list breaks at position {position}")
    return problems
