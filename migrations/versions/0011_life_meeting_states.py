"""a meeting's life: draft → announced → open → closed → minutes published, each step's time on
the meeting and who took it in meeting_transitions; the clerk's calendar days

Meetings already stored move to the new words: "scheduled" was on the board, so it is
"announced" from its creation; "in_progress" is "open" from its start.

Revision ID: 0011_life
Revises: 0010_verify
Create Date: 2026-12-07 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_life"
down_revision: str | None = "0010_verify"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STEPS = ("announced_at", "opened_at", "closed_at", "minutes_published_at")


def upgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        for column in STEPS:
            batch.add_column(sa.Column(column, sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("opening_quorum", sa.JSON(), nullable=True))
    op.execute(
        "UPDATE meetings SET status = 'announced', announced_at = created_at"
        " WHERE status = 'scheduled'"
    )
    op.execute(
        "UPDATE meetings SET status = 'open', announced_at = created_at, opened_at = starts_at"
        " WHERE status = 'in_progress'"
    )
    op.create_table(
        "meeting_transitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=False),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=64), nullable=False),
        sa.Column("quorum_met", sa.Boolean(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_meeting_transitions_meeting_id", "meeting_transitions", ["meeting_id"])
    op.create_table(
        "calendar_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("working", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=100), nullable=False),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )


def downgrade() -> None:
    op.drop_table("calendar_days")
    op.drop_index("ix_meeting_transitions_meeting_id", table_name="meeting_transitions")
    op.drop_table("meeting_transitions")
    op.execute("UPDATE meetings SET status = 'scheduled' WHERE status IN ('draft', 'announced')")
    op.execute("UPDATE meetings SET status = 'in_progress' WHERE status = 'open'")
    op.execute("UPDATE meetings SET status = 'closed' WHERE status = 'published'")
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("opening_quorum")
        for column in reversed(STEPS):
            batch.drop_column(column)
