"""What of a meeting is personal data (docs/privacy.md): the rows that name or point to a person
there, how many there are, and how they go. ``records.purge`` decides when and seals the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.orm import Session

from meeting_room.store.models.floor import AgendaItem, RuleOverride, Speech, SpeechRequest
from meeting_room.store.models.meetings import Alert, Attendance, ConfirmFailure, Guest, Meeting
from meeting_room.store.models.records import ActionItem, ActionRating, Decision
from meeting_room.store.models.voting import (
    Ballot,
    BallotChange,
    CardAssignment,
    CardReading,
    Participation,
    Poll,
    PollVoter,
    PublishedEntry,
)

# Personal tables → the column that ties a row to the meeting (through its item, poll or action).
PARENT = {
    Attendance: "meeting_id",
    Guest: "meeting_id",
    Alert: "meeting_id",
    ConfirmFailure: "meeting_id",
    CardAssignment: "meeting_id",
    Speech: "item_id",
    RuleOverride: "item_id",
    SpeechRequest: "item_id",
    Participation: "poll_id",
    PollVoter: "poll_id",
    BallotChange: "poll_id",
    CardReading: "poll_id",
    ActionRating: "action_id",
}


@dataclass(frozen=True)
class Scope:
    """A meeting and the ids of its items, polls and action items."""

    meeting: Meeting
    items: frozenset[int]
    polls: frozenset[int]
    actions: frozenset[int]

    def parents(self, column: str) -> frozenset[int]:
        """The ids a personal row's parent column may hold for this meeting."""
        return {
            "meeting_id": frozenset({self.meeting.id}),
            "item_id": self.items,
            "poll_id": self.polls,
            "action_id": self.actions,
        }[column]


def scope_of(session: Session, meeting: Meeting) -> Scope:
    """The meeting with the ids of its items, polls and action items."""

    def ids(query: Select[int]) -> frozenset[int]:
        return frozenset(session.scalars(query))

    return Scope(
        meeting,
        ids(select(AgendaItem.id).where(AgendaItem.meeting_id == meeting.id)),
        ids(select(Poll.id).where(Poll.meeting_id == meeting.id)),
        ids(select(ActionItem.id).join(Decision).where(Decision.meeting_id == meeting.id)),
    )


def personal_rows(session: Session, scope: Scope) -> dict[str, int]:
    """Personal rows of the meeting by table (named ballots: their holders), none if zero."""
    counts = {}
    for table, column in PARENT.items():
        parent = getattr(table, column)
        number = session.scalar(
            select(func.count()).select_from(table).where(parent.in_(scope.parents(column)))
        )
        if number:
            counts[table.__tablename__] = int(number)
    named = session.scalar(
        select(func.count())
        .select_from(Ballot)
        .where(Ballot.poll_id.in_(scope.polls), Ballot.member_id.is_not(None))
    )
    if named:
        counts["ballots (named: holder removed)"] = int(named)
    return counts


def polls_of(session: Session, scope: Scope) -> list[Poll]:
    """The meeting's polls in the order they were made."""
    return list(session.scalars(select(Poll).where(Poll.id.in_(scope.polls)).order_by(Poll.id)))


def remove(session: Session, scope: Scope) -> None:
    """Delete the personal rows in an order the foreign keys allow (bulk: not audited row by
    row, the purge entry says how many)."""
    for table, column in PARENT.items():
        session.execute(
            delete(table).where(getattr(table, column).in_(scope.parents(column))),
            execution_options={"synchronize_session": False},
        )
    session.execute(
        update(Ballot)
        .where(Ballot.poll_id.in_(scope.polls))
        .values(member_id=None)
        .execution_options(synchronize_session=False)
    )


def anonymise_list(session: Session, poll: Poll) -> None:
    """A named poll's published lines lose the holder's number and name: receipt and choice
    stay (a resident can still find their receipt), and so does each line's hash."""
    ballots = {
        b.receipt: b for b in session.scalars(select(Ballot).where(Ballot.poll_id == poll.id))
    }
    for line in session.scalars(select(PublishedEntry).where(PublishedEntry.poll_id == poll.id)):
        receipt = next((w for w in line.text.split(" ") if w in ballots), None)
        line.text = f"{receipt} {'+'.join(ballots[receipt].choices)}" if receipt else "-"
