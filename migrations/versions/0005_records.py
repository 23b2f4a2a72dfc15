"""records

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 21:17:46.465987
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "minutes_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("after", sa.Text(), nullable=False),
        sa.Column("by", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("minutes_corrections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_minutes_corrections_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "minutes_records",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("moderator", sa.String(length=64), nullable=False),
        sa.Column("clerk", sa.String(length=64), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
        ),
        sa.PrimaryKeyConstraint("meeting_id"),
    )
    op.create_table(
        "item_summaries",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("written_by", sa.String(length=64), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["agenda_items.id"],
        ),
        sa.PrimaryKeyConstraint("item_id"),
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("poll_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["agenda_items.id"],
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
        ),
        sa.ForeignKeyConstraint(
            ["poll_id"],
            ["polls.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decisions_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_decisions_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_decisions_poll_id"), ["poll_id"], unique=False)

    op.create_table(
        "action_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("responsible", sa.String(length=100), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("criterion", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_items_decision_id"), ["decision_id"], unique=False
        )

    op.create_table(
        "action_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("by", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["action_items.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("action_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_notes_action_id"), ["action_id"], unique=False)

    op.create_table(
        "action_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["action_items.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("action_id", "member_id"),
    )
    with op.batch_alter_table("action_ratings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_ratings_action_id"), ["action_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_action_ratings_member_id"), ["member_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("action_ratings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_ratings_member_id"))
        batch_op.drop_index(batch_op.f("ix_action_ratings_action_id"))

    op.drop_table("action_ratings")
    with op.batch_alter_table("action_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_notes_action_id"))

    op.drop_table("action_notes")
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_items_decision_id"))

    op.drop_table("action_items")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decisions_poll_id"))
        batch_op.drop_index(batch_op.f("ix_decisions_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_decisions_item_id"))

    op.drop_table("decisions")
    op.drop_table("item_summaries")
    op.drop_table("minutes_records")
    with op.batch_alter_table("minutes_corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minutes_corrections_meeting_id"))

    op.drop_table("minutes_corrections")
